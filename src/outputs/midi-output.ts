/**
 * MIDI out (`serve --midi-cc PORT`): arousal, valence and confidence as control changes (midi-cc.ts) on a MIDI output
 * port, moving between the 1 Hz results at `rateHz` like OSC (stream-motion.ts), a controller sent only when its
 * 7-bit value changes. The native library (@julusian/midi, RtMidi; an optional dependency) runs in a child process
 * (midi-host.ts): ALSA's messages from native code stay in its pipes (EMOSTREAM_MIDI_DEBUG=1 shows them) and a
 * native crash ends only the MIDI output. Opening fails with one EMO_ERR_DEVICE line naming the one cause that
 * applies: the library is not installed, it failed to load, the MIDI system cannot be opened, no port exists, or
 * none matches PORT.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EmostreamError } from '../errors.ts';
import type { PipelineEvent } from '../pipeline/types.ts';
import { intervalScheduler, MAX_FRAME_RATE_HZ, type FrameScheduler } from './frame-clock.ts';
import { valueControlChanges } from './midi-cc.ts';
import { createStreamMotion } from './stream-motion.ts';

/** Why the library cannot be used. */
export type MidiUnavailable = 'not-installed' | 'failed-to-load' | 'no-backend';

/** Host → parent. */
export type MidiHostMessage =
  | { readonly type: 'unavailable'; readonly cause: MidiUnavailable; readonly detail: string }
  | { readonly type: 'no-port'; readonly reason: string; readonly ports: readonly string[] }
  | { readonly type: 'opened'; readonly index: number; readonly name: string };

/** Parent → host: byte triples to send, in order. */
export interface MidiParentMessage {
  readonly messages: readonly (readonly number[])[];
}

/** The line shown when @julusian/midi is not installed. */
export const MIDI_NOT_INSTALLED_MESSAGE = 'MIDI output needs @julusian/midi, an optional dependency that is not installed (npm install @julusian/midi)';

/** The one line for a host answer other than `opened`. */
export function midiFailureMessage(message: Exclude<MidiHostMessage, { type: 'opened' }>): string {
  if (message.type === 'no-port') {
    if (message.ports.length === 0) return 'no MIDI output port: the MIDI system lists none (connect a device or create a virtual port, e.g. a DAW\'s or `modprobe snd-virmidi`)';
    return `${message.reason} (MIDI output ports: ${message.ports.map((p, k) => `${k} '${p}'`).join(', ')})`;
  }
  if (message.cause === 'not-installed') return MIDI_NOT_INSTALLED_MESSAGE;
  if (message.cause === 'failed-to-load') return `@julusian/midi is installed but failed to load (${message.detail}); reinstall it (npm rebuild @julusian/midi)`;
  return `no MIDI output: the MIDI system cannot be opened (${message.detail}; on Linux RtMidi needs the ALSA sequencer, /dev/snd/seq)`;
}

/** Options of `openMidiOutput`. */
export interface MidiOutputOptions {
  /** Port index or (part of its) name. */
  readonly port: string;
  /** Channel of the first stream (1–16). Default 1. */
  readonly channel?: number;
  /** Frames per second (0–240; 0 = once per result). Default 30. */
  readonly rateHz?: number;
  /** Smoothing time constant, s. Default 0. */
  readonly smoothingS?: number;
  readonly now?: () => number;
  readonly scheduler?: FrameScheduler;
}

/** An open MIDI output. */
export interface MidiOutput {
  /** The port opened. */
  readonly portName: string;
  handle(event: PipelineEvent): void;
  tick(): void;
  /** Control changes sent so far. */
  readonly messagesSent: number;
  close(): void;
}

function hostCommand(): string[] {
  const ts = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(`./midi-host${ts ? '.ts' : '.js'}`, import.meta.url));
  return ts ? ['--import', import.meta.resolve('tsx/esm'), entry] : [entry];
}

/** Starts the host and waits for its first answer. */
function startHost(port: string): Promise<{ child: ChildProcess; name: string }> {
  const child = spawn(process.execPath, [...hostCommand(), port], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: process.env });
  let chatter = '';
  const keep = (d: Buffer): void => {
    chatter = (chatter + d.toString('utf8')).slice(-2000);
    if (process.env.EMOSTREAM_MIDI_DEBUG === '1') process.stderr.write(d);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return new Promise((resolve, reject) => {
    child.once('message', (m: MidiHostMessage) => {
      if (m.type === 'opened') return resolve({ child, name: m.name });
      child.kill();
      reject(new EmostreamError('EMO_ERR_DEVICE', midiFailureMessage(m)));
    });
    child.once('error', (err) => reject(new EmostreamError('EMO_ERR_DEVICE', `MIDI host could not start (${err.message})`)));
    child.once('exit', (code, signal) => reject(new EmostreamError('EMO_ERR_DEVICE',
      `MIDI host ${signal ? `ended with signal ${signal}` : `exited with code ${code}`} before opening the port${chatter ? `: ${chatter.trim().split('\n').at(-1)}` : ''}`)));
  });
}

/** Opens the port and starts sending (EMO_ERR_DEVICE with one line if impossible; EMO_ERR_USAGE for bad options). */
export async function openMidiOutput(options: MidiOutputOptions): Promise<MidiOutput> {
  const first = options.channel ?? 1;
  const rateHz = options.rateHz ?? 30;
  if (!Number.isInteger(first) || first < 1 || first > 16) throw new EmostreamError('EMO_ERR_USAGE', `--midi-channel must be 1–16, got ${first}`);
  if (!(rateHz >= 0 && rateHz <= MAX_FRAME_RATE_HZ)) throw new EmostreamError('EMO_ERR_USAGE', `MIDI rate must be 0–${MAX_FRAME_RATE_HZ} Hz, got ${rateHz}`);
  const { child, name } = await startHost(options.port);
  child.removeAllListeners('exit');
  child.on('exit', () => { if (!closed) process.stderr.write('emostream: warning: the MIDI output process ended; MIDI output stopped\n'); closed = true; });
  const now = options.now ?? (() => performance.now());
  const motion = createStreamMotion({ rampMs: rateHz > 0 ? 1000 : 0, smoothingS: options.smoothingS ?? 0 });
  const channels = new Map<string, number>();
  const last = new Map<string, number>(); // "channel/cc" → value sent
  let closed = false;
  const channelOf = (stream: string): number | undefined => {
    let c = channels.get(stream);
    if (c === undefined) {
      c = first + channels.size;
      channels.set(stream, c);
      if (c > 16) process.stderr.write(`emostream: note: MIDI has 16 channels; stream '${stream}' is not sent\n`);
    }
    return c <= 16 ? c : undefined;
  };
  const send = (stream: string, values: { arousal: number; valence: number; confidence: number | null }): void => {
    const channel = channelOf(stream);
    if (channel === undefined || closed) return;
    const changed = valueControlChanges(channel, values).filter(([s, cc, v]) => last.get(`${s}/${cc}`) !== v);
    for (const [s, cc, v] of changed) last.set(`${s}/${cc}`, v);
    if (changed.length === 0 || !child.connected) return;
    out.messagesSent += changed.length;
    child.send({ messages: changed } satisfies MidiParentMessage);
  };
  const out = {
    portName: name,
    messagesSent: 0,
    handle(event: PipelineEvent) {
      const change = motion.handle(event, now());
      if (change?.kind === 'result' && rateHz === 0) send(change.values.stream, change.values);
    },
    tick() {
      for (const v of motion.sampleAll(now())) send(v.stream, v);
    },
    close() {
      if (closed) return;
      closed = true;
      stop?.();
      if (child.connected) child.disconnect();
      child.unref();
    },
  };
  const stop = rateHz > 0 ? (options.scheduler ?? intervalScheduler)(() => out.tick(), 1000 / rateHz) : undefined;
  return out;
}
