/**
 * naudiodon (PortAudio) runs in a child process, never in emostream's own. PortAudio and ALSA print to the
 * process's stdout/stderr from native code (dozens of "ALSA lib … Unknown PCM cards.pcm.rear" lines on a machine
 * without a sound card), which no JavaScript can silence; and a native crash would take the server down. In a child
 * (naudiodon-host.ts) that chatter goes to pipes this module reads: it is dropped, except the last
 * CHATTER_TAIL_BYTES kept for diagnostics, or shown live with EMOSTREAM_AUDIO_DEBUG=1. Requests and results
 * (device lists, audio) travel over the IPC channel.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EmostreamErrorCode } from '../../errors.ts';
import type { InputDevice, NaudiodonUnavailable } from './input-devices.ts';

/** What the host is asked to do: list the input devices, or capture mono float32 from one. */
export type HostRequest =
  | { readonly mode: 'list' }
  | { readonly mode: 'capture'; readonly device?: string; readonly sampleRateHz?: number };

/** What the host answers, in order: `unavailable` | `devices` | `error`, or `started`, `audio`…, then `end` | `error`. */
export type HostMessage =
  | { readonly type: 'unavailable'; readonly cause: NaudiodonUnavailable; readonly detail: string }
  | { readonly type: 'devices'; readonly devices: readonly InputDevice[] }
  | { readonly type: 'started'; readonly device: InputDevice; readonly sampleRateHz: number }
  /** Raw f32le mono samples as captured. */
  | { readonly type: 'audio'; readonly data: Uint8Array }
  | { readonly type: 'end' }
  | { readonly type: 'error'; readonly code: EmostreamErrorCode; readonly message: string };

/** Bytes of the host's native output kept for diagnostics. */
export const CHATTER_TAIL_BYTES = 4096;

/** Grace period for the host to stop capturing before it is killed, ms. */
export const HOST_STOP_GRACE_MS = 2000;

/** A running host process. */
export interface NaudiodonHost {
  /** The last CHATTER_TAIL_BYTES of what the host's native code printed. */
  chatter(): string;
  /** Asks the host to stop (closing the device) and lets it go; killed after HOST_STOP_GRACE_MS. Idempotent. */
  stop(): void;
}

/** The host's entry: `.ts` beside this `.ts` (run through tsx), `.js` beside this `.js` (dist/). */
function hostCommand(): readonly string[] {
  const ts = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(`./naudiodon-host${ts ? '.ts' : '.js'}`, import.meta.url));
  return ts ? ['--import', import.meta.resolve('tsx/esm'), entry] : [entry];
}

/**
 * Starts a host for `request`. `onMessage` gets every answer; `onExit` is called once if the process ends (or cannot
 * start) with a description such as "ended with signal SIGSEGV" — after its last message, and not after `stop()`.
 */
export function startNaudiodonHost(request: HostRequest, onMessage: (message: HostMessage) => void, onExit: (why: string) => void): NaudiodonHost {
  const debug = process.env.EMOSTREAM_AUDIO_DEBUG === '1';
  const child: ChildProcess = spawn(process.execPath, [...hostCommand(), JSON.stringify(request)], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced', env: process.env,
  });
  let tail = '';
  let stopped = false;
  const keep = (data: Buffer): void => {
    tail = (tail + data.toString('utf8')).slice(-CHATTER_TAIL_BYTES);
    if (debug) process.stderr.write(data);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('message', (message: HostMessage) => {
    if (!stopped) onMessage(message);
  });
  child.once('error', (err) => {
    if (!stopped) onExit(`could not start (${err.message})`);
    stopped = true;
  });
  child.once('close', (code, signal) => {
    if (!stopped) onExit(signal ? `ended with signal ${signal}` : `exited with code ${code}`);
    stopped = true;
  });
  return {
    chatter: () => tail,
    stop() {
      if (stopped) return;
      stopped = true;
      if (child.connected) child.disconnect(); // the host closes the device and exits
      const kill = setTimeout(() => child.kill('SIGKILL'), HOST_STOP_GRACE_MS);
      kill.unref();
      child.once('exit', () => clearTimeout(kill));
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.unref();
    },
  };
}
