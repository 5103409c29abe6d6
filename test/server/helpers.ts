/** Helpers of the server tests: a real ws client that records every JSON message and can wait for one. */
import { WebSocket } from 'ws';
import { spawn } from 'node:child_process';

export type Message = Record<string, unknown> & { type: string };

/** A connected client with its received messages and its close code. */
export interface TestClient {
  readonly ws: WebSocket;
  readonly messages: Message[];
  /** Resolves with the first message (already received or future) matching `predicate`. */
  waitFor(predicate: (m: Message) => boolean, what?: string): Promise<Message>;
  /** Resolves with [code, reason] once the socket closed. */
  readonly closed: Promise<[number, string]>;
}

/** Opens a WebSocket and records its JSON messages. */
export function connectClient(url: string, headers?: Record<string, string>): Promise<TestClient> {
  const ws = new WebSocket(url, { headers });
  const messages: Message[] = [];
  const waiters: Array<{ predicate: (m: Message) => boolean; resolve: (m: Message) => void }> = [];
  const closed = new Promise<[number, string]>((resolve) => ws.once('close', (code, reason) => resolve([code, reason.toString()])));
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const m = JSON.parse(data.toString()) as Message;
    messages.push(m);
    for (let k = waiters.length - 1; k >= 0; k--) {
      if (waiters[k].predicate(m)) {
        waiters[k].resolve(m);
        waiters.splice(k, 1);
      }
    }
  });
  const client: TestClient = {
    ws, messages, closed,
    waitFor(predicate, what = 'message') {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        waiters.push({ predicate, resolve });
        closed.then(([code]) => reject(new Error(`socket closed (${code}) while waiting for ${what}; got ${JSON.stringify(messages).slice(0, 400)}`)));
      });
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
  });
}

/**
 * Runs the CLI (`bin/emostream.js`) in a child process; resolves with its exit code and output. Like test/run.mjs it
 * passes `--no-concurrent-recompilation` (Node 20's exit-time deadlock, Node issue 54918, would hang the child).
 */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--no-concurrent-recompilation', 'bin/emostream.js', ...args], { cwd: new URL('../..', import.meta.url).pathname, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Sends `bytes` over `ws` in frames of `frameBytes`. */
export function sendFrames(ws: WebSocket, bytes: Uint8Array, frameBytes: number): void {
  for (let at = 0; at < bytes.length; at += frameBytes) ws.send(bytes.subarray(at, Math.min(bytes.length, at + frameBytes)));
}
