/** Text output for the CLI: a file path or `-` for stdout, written in batches with back-pressure. */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { EmostreamError } from '../errors.ts';

export interface LineSink {
  /** Queues one line (without newline). */
  line(text: string): void;
  /** Writes queued lines, waiting if the destination is slow. */
  flush(): Promise<void>;
  /** Flushes and closes (stdout is left open). */
  close(): Promise<void>;
}

const BATCH_CHARS = 1 << 20;

export function createLineSink(path: string): LineSink {
  const stream: Writable = path === '-' ? process.stdout : createWriteStream(path);
  let failure: Error | undefined;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    failure = new EmostreamError('EMO_ERR_INPUT_NOT_FOUND', `${path}: cannot write (${err.code ?? err.message})`, { cause: err });
  });
  let pending: string[] = [];
  let pendingChars = 0;
  const write = async (): Promise<void> => {
    if (failure) throw failure;
    if (!pending.length) return;
    const text = pending.join('\n') + '\n';
    pending = [];
    pendingChars = 0;
    if (!stream.write(text)) await Promise.race([once(stream, 'drain'), once(stream, 'error')]);
    if (failure) throw failure;
  };
  return {
    line(text) {
      pending.push(text);
      pendingChars += text.length;
    },
    async flush() {
      if (pendingChars >= BATCH_CHARS || failure) await write();
    },
    async close() {
      await write();
      if (stream !== process.stdout) {
        stream.end();
        await Promise.race([once(stream, 'finish'), once(stream, 'error')]);
        if (failure) throw failure;
      }
    },
  };
}
