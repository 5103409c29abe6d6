/**
 * Text output for the CLI: a file path or `-` for stdout. Lines (strings) and pre-formatted bytes (the CSV
 * encoder's rows) go into 256 KiB byte chunks; `flush` hands the full chunks to the stream and waits while the
 * destination is slow (back-pressure), `close` writes the rest.
 *
 * Stream events are observed by one persistent `error` listener plus, per wait, listeners that are all removed
 * when the wait ends (no listener piles up however long the output). When the reader of stdout goes away (EPIPE,
 * e.g. `emostream extract … --lld - | head`), that is not an error: the output is dropped from then on and
 * `readerGone` tells the caller it may stop early. Other write failures reject `flush`/`close` with
 * EMO_ERR_INPUT_NOT_FOUND naming the path.
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { EmostreamError } from '../errors.ts';

/** Writes a record into `view`/`bytes` at `pos` and returns the position after it. */
export type ByteWriter = (view: DataView, bytes: Uint8Array, pos: number) => number;

export interface LineSink {
  /** Queues one line (without newline). */
  line(text: string): void;
  /** Queues bytes written by `write`, which may use at most `maxBytes` bytes from `pos`. */
  bytes(maxBytes: number, write: ByteWriter): void;
  /** Writes the full chunks, waiting if the destination is slow. */
  flush(): Promise<void>;
  /** Writes everything and closes (stdout is left open). */
  close(): Promise<void>;
  /** True once stdout's reader has gone (EPIPE): output is dropped from then on. */
  readonly readerGone: boolean;
}

const CHUNK_BYTES = 1 << 18;

interface Chunk {
  readonly bytes: Buffer;
  readonly view: DataView;
}

const EMPTY_CHUNK: Chunk = { bytes: Buffer.alloc(0), view: new DataView(new ArrayBuffer(0)) };

function newChunk(minBytes: number): Chunk {
  const bytes = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, minBytes));
  return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/** Resolves at the stream's next `event`, or when it errors or closes; removes its listeners either way. */
function settled(stream: Writable, event: 'drain' | 'finish'): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off(event, done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on(event, done);
    stream.on('error', done);
    stream.on('close', done);
  });
}

/** Creates a sink writing to the file at `path`, or to stdout for `-`. */
export function createLineSink(path: string): LineSink {
  const toStdout = path === '-';
  const stream: Writable = toStdout ? process.stdout : createWriteStream(path);
  let failure: Error | undefined;
  let readerGone = false;
  const onError = (err: NodeJS.ErrnoException): void => {
    if (toStdout && (err.code === 'EPIPE' || readerGone)) {
      readerGone = true;
      return;
    }
    failure ??= new EmostreamError('EMO_ERR_INPUT_NOT_FOUND', `${path}: cannot write (${err.code ?? err.message})`, { cause: err });
  };
  stream.on('error', onError);

  // Chunks are reused once the stream is done with them: the output's memory stays a few chunks however long the
  // file, instead of growing external memory by its whole size.
  const spare: Chunk[] = [];
  let chunk = EMPTY_CHUNK;
  let pos = 0;
  const full: { chunk: Chunk; length: number }[] = [];
  const queueCurrent = (): void => {
    if (pos > 0) full.push({ chunk, length: pos });
    chunk = EMPTY_CHUNK;
    pos = 0;
  };
  const reserve = (bytes: number): void => {
    if (pos + bytes <= chunk.bytes.length) return;
    queueCurrent();
    chunk = (bytes <= CHUNK_BYTES ? spare.pop() : undefined) ?? newChunk(bytes);
  };
  const writeChunk = (item: { chunk: Chunk; length: number }): boolean => {
    const reuse = item.chunk.bytes.length === CHUNK_BYTES ? () => { spare.push(item.chunk); } : undefined;
    return stream.write(item.chunk.bytes.subarray(0, item.length), reuse);
  };

  const writeQueued = async (): Promise<void> => {
    if (failure) throw failure;
    let ok = true;
    for (const item of full) if (!readerGone) ok = writeChunk(item);
    full.length = 0;
    if (!ok && !readerGone && !failure) await settled(stream, 'drain');
    if (failure) throw failure;
  };

  return {
    line(text) {
      reserve(Buffer.byteLength(text) + 1);
      pos += chunk.bytes.write(text, pos);
      chunk.bytes[pos++] = 0x0a;
    },
    bytes(maxBytes, write) {
      reserve(maxBytes);
      pos = write(chunk.view, chunk.bytes, pos);
    },
    async flush() {
      await writeQueued();
    },
    async close() {
      queueCurrent();
      await writeQueued();
      if (toStdout) {
        if (stream.writableNeedDrain && !readerGone) await settled(stream, 'drain');
      } else {
        const finished = settled(stream, 'finish');
        stream.end();
        await finished;
      }
      if (failure) throw failure; // stdout keeps its error listener: a late EPIPE must not become an uncaught error
    },
    get readerGone() {
      return readerGone;
    },
  };
}
