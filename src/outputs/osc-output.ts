/**
 * OSC over UDP (`serve --osc HOST:PORT`, repeatable): the results of every stream as OSC 1.0 messages
 * (osc-messages.ts), encoded with node-osc and sent from one unbound UDP socket per address family.
 *
 * - `rateHz` > 0 (default 30): arousal, valence and confidence are sent `rateHz` times a second, moving continuously
 *   between the 1 Hz results (stream-motion.ts, motion.ts: a 1 s ramp, so the output trails the results by 1 s, plus
 *   about `smoothingS` with smoothing); `/content` is sent with each result.
 * - `rateHz` = 0: everything once per result, as it arrives (no ramp; smoothing still applies).
 * A stream stops being sent when it ends. UDP is fire-and-forget: a target that is not listening loses the packets,
 * nothing else happens (send errors are counted in `sendErrors`).
 */
import { createSocket, type Socket } from 'node:dgram';
import { encode, Message } from 'node-osc';
import { EmostreamError } from '../errors.ts';
import type { PipelineEvent } from '../pipeline/types.ts';
import { intervalScheduler, MAX_FRAME_RATE_HZ, type FrameScheduler } from './frame-clock.ts';
import { contentMessage, valueMessages, type OscFormat, type OscPacket } from './osc-messages.ts';
import type { OscTarget } from './osc-target.ts';
import { createStreamMotion, type StreamValues } from './stream-motion.ts';

/** Options of `createOscOutput`. */
export interface OscOutputOptions extends OscFormat {
  /** Resolved targets (osc-target.ts), at least one. */
  readonly targets: readonly OscTarget[];
  /** Value messages per second (0–240; 0 = once per result). Default 30. */
  readonly rateHz?: number;
  /** Smoothing time constant of the results, s (≥ 0). Default 0. */
  readonly smoothingS?: number;
  /** Clock in ms. Default performance.now. */
  readonly now?: () => number;
  /** Frame scheduler. Default an unref'd setInterval. */
  readonly scheduler?: FrameScheduler;
}

/** A running OSC output. */
export interface OscOutput {
  /** Books one pipeline event (results are sent; an ended stream stops). */
  handle(event: PipelineEvent): void;
  /** Sends one frame of every running stream now (what the scheduler calls). */
  tick(): void;
  /** UDP datagrams handed to the socket. */
  readonly packetsSent: number;
  readonly sendErrors: number;
  /** Stops the clock and closes the sockets; idempotent. */
  close(): Promise<void>;
}

/** Encodes one message with node-osc (floats as f, strings as s). */
export function encodeOsc(packet: OscPacket): Uint8Array {
  return encode(new Message(packet.address, ...packet.args.map((a) => ({ type: a.type, value: a.value }))));
}

/** Starts an OSC output (EMO_ERR_USAGE for a bad rate or no target). */
export function createOscOutput(options: OscOutputOptions): OscOutput {
  const rateHz = options.rateHz ?? 30;
  if (!(rateHz >= 0 && rateHz <= MAX_FRAME_RATE_HZ)) throw new EmostreamError('EMO_ERR_USAGE', `OSC rate must be 0–${MAX_FRAME_RATE_HZ} Hz, got ${rateHz}`);
  if (options.targets.length === 0) throw new EmostreamError('EMO_ERR_USAGE', 'OSC output needs at least one target');
  const now = options.now ?? (() => performance.now());
  const motion = createStreamMotion({ rampMs: rateHz > 0 ? 1000 : 0, smoothingS: options.smoothingS ?? 0 });
  const sockets = new Map<4 | 6, Socket>();
  for (const t of options.targets) {
    if (!sockets.has(t.family)) {
      const socket = createSocket(t.family === 6 ? 'udp6' : 'udp4');
      socket.on('error', () => { out.sendErrors++; });
      socket.unref();
      sockets.set(t.family, socket);
    }
  }
  const send = (packets: readonly OscPacket[]): void => {
    for (const p of packets) {
      const bytes = encodeOsc(p);
      for (const t of options.targets) {
        sockets.get(t.family)!.send(bytes, t.port, t.address, (err) => { if (err) out.sendErrors++; });
        out.packetsSent++;
      }
    }
  };
  const sendValues = (v: StreamValues): void => send(valueMessages(v.stream, v, options));
  let stop: (() => void) | undefined;
  let closed = false;
  const out = {
    packetsSent: 0,
    sendErrors: 0,
    handle(event: PipelineEvent) {
      if (closed) return;
      const change = motion.handle(event, now());
      if (change?.kind !== 'result') return;
      if (change.values.content !== undefined) send([contentMessage(change.values.stream, change.values.content, options)]);
      if (rateHz === 0) sendValues(change.values);
    },
    tick() {
      if (!closed) for (const v of motion.sampleAll(now())) sendValues(v);
    },
    async close() {
      if (closed) return;
      closed = true;
      stop?.();
      await Promise.all([...sockets.values()].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
  if (rateHz > 0) stop = (options.scheduler ?? intervalScheduler)(() => out.tick(), 1000 / rateHz);
  return out;
}
