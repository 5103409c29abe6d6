/**
 * One call channel of a telephony endpoint (a Twilio track, an AudioHook or fork channel, an AudioSocket call): the
 * stream id is reserved in the registry when the platform names it, decoded audio (float samples at the channel's
 * own rate) is pushed here, and the stream enters the pipeline with its first audio. With the NATS hand-off
 * (src/server/handoff) the stream may resume another instance's state: the lookup starts when the channel opens and
 * the audio that arrives meanwhile waits here (at most MAX_RESUME_BUFFER_S, then it starts afresh); a stream that
 * resumes a drained instance's final state continues its extractor state (docs/deploy.md).
 *
 *   open ──lookup──▶ plan ─┐
 *   push(a0) push(a1) ─────┴─▶ source (resume: plan): a0 a1 a2 …  end() | fail() | detach()
 *
 * `end()` flushes the last seconds (normal hang-up); `detach()` stops without a flush (drain: the stream goes on
 * elsewhere); `fail()` ends the stream with a protocol error code. Nothing here touches another stream.
 */
import { Subject } from 'rxjs';
import { EmostreamError } from '../../errors.ts';
import type { AudioChunk, SourceKind, StreamSource } from '../../audio/sources/types.ts';
import type { HandoffSource } from '../../pipeline/types.ts';
import type { ServerMetrics } from '../metrics.ts';
import type { StreamOutcome, StreamRegistry } from '../stream-registry.ts';
import { MAX_RESUME_BUFFER_S } from '../limits.ts';
import type { HandoffHooks, HandoffMember } from '../handoff/handoff-types.ts';

/**
 * Telephony platforms send 20 ms of audio per message; a channel hands it to the pipeline in blocks of this many
 * ms (as /ingest clients are asked to), so the per-chunk costs stay those of /ingest. Adds ≤ 80 ms of latency.
 */
export const CALL_CHUNK_MS = 100;

/** What the telephony endpoints need from the server. */
export interface TelephonyContext {
  readonly registry: StreamRegistry;
  readonly metrics: ServerMetrics;
  /** Whether the server accepts ingest (`--ingest`). */
  readonly enabled: boolean;
  /** The server's token (undefined: none). */
  readonly token: string | undefined;
  /** Starts a stream in the pipeline (claims its id). */
  addSource(source: StreamSource): void;
  /** NATS hand-off (resume, drain); undefined without `--nats`. */
  readonly handoff?: HandoffHooks;
}

/** Options of `openCallChannel`. */
export interface CallChannelOptions {
  readonly streamId: string;
  readonly kind: SourceKind;
  /** Sample rate of the pushed samples, Hz. */
  readonly rateHz: number;
  /** Platform metadata kept with the stream (Twilio customParameters, AudioHook participant, …). */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /**
   * Drain: asks the platform to go on elsewhere (AudioHook `reconnect`, or closing the socket) and detaches the
   * channel, at once or once the platform has left. Default: `detach()` at once.
   */
  readonly leave?: () => void;
}

/** A running call channel. */
export interface CallChannel {
  readonly streamId: string;
  /** Adds decoded samples (at `rateHz`; the array is kept). */
  push(samples: Float32Array): void;
  /** Normal end: the last seconds are flushed. Idempotent (as are fail and detach; the first one counts). */
  end(): void;
  /** Ends the stream with protocol error `code` (results clients see an `error` event). */
  fail(code: string, message: string): void;
  /** Stops without a flush so the stream can go on on another instance (drain). */
  detach(): void;
  /** The stream's outcome (after its last message went out). */
  readonly outcome: Promise<StreamOutcome>;
}

type ChannelEnd = 'ended' | 'failed' | 'detached';

/** One channel's stream, the audio waiting for it and the hand-off's plan. */
interface ChannelState {
  readonly ctx: TelephonyContext;
  readonly streamId: string;
  readonly kind: SourceKind;
  readonly rateHz: number;
  readonly subject: Subject<AudioChunk>;
  readonly detach$: Subject<void>;
  /** Audio before the stream started (undefined once it started). */
  waiting: Float32Array[] | undefined;
  waitingSamples: number;
  plan: Awaited<ReturnType<HandoffHooks['resumeFor']>>;
  /** Whether the resume plan is known (or given up on). */
  planned: boolean;
  started: boolean;
  done: ChannelEnd | undefined;
  member: HandoffMember | undefined;
  /** Samples per block handed on (CALL_CHUNK_MS), and the current block. */
  readonly blockSamples: number;
  block: Float32Array[];
  blockSamplesIn: number;
  /** An end that came while the resume lookup was still running. */
  deferred: (() => void) | undefined;
}

/** Hands samples to the pipeline. */
function feed(ch: ChannelState, samples: Float32Array): void {
  ch.subject.next({ streamId: ch.streamId, samples, sampleRateHz: ch.rateHz, arrivedAtMs: performance.now() });
}

/** Starts the stream in the pipeline (resuming the plan's state), feeding the waiting audio first. */
function start(ch: ChannelState): void {
  const { streamId, kind, plan } = ch;
  ch.started = true;
  const source: HandoffSource = { streamId, kind, chunks: ch.subject.asObservable(), detach: ch.detach$, ...(plan?.resume ? { resume: plan.resume } : {}) };
  ch.ctx.addSource(source);
  ch.member?.started(plan?.resume?.offsetS ?? 0);
  for (const samples of ch.waiting ?? []) feed(ch, samples);
  ch.waiting = undefined;
}

/** A block of audio: fed, or kept until the plan is known (starting afresh once too much waits). */
function accept(ch: ChannelState, samples: Float32Array): void {
  if (ch.started) return feed(ch, samples);
  ch.waiting?.push(samples);
  ch.waitingSamples += samples.length;
  if (ch.planned) return start(ch);
  if (ch.waitingSamples > MAX_RESUME_BUFFER_S * ch.rateHz) {
    ch.planned = true; // the lookup takes too long: start afresh rather than hold more audio
    ch.plan = undefined;
    start(ch);
  }
}

/** Passes the samples collected for the current block on. */
function flushBlock(ch: ChannelState): void {
  const { block, blockSamplesIn } = ch;
  if (blockSamplesIn === 0) return;
  const joined = block.length === 1 ? block[0] : new Float32Array(blockSamplesIn);
  if (block.length > 1) {
    let at = 0;
    for (const b of block) { joined.set(b, at); at += b.length; }
  }
  ch.block = [];
  ch.blockSamplesIn = 0;
  accept(ch, joined);
}

/** Ends the started stream the way `how` says. */
function complete(ch: ChannelState, how: ChannelEnd, error?: unknown): void {
  if (how === 'detached') ch.detach$.next();
  if (how === 'failed') ch.subject.error(error);
  else ch.subject.complete();
  ch.detach$.complete();
  ch.member?.close(how === 'detached');
}

/** The first end counts: frees a never-started id, waits for the plan when its audio may resume, else completes. */
function finishWith(ch: ChannelState, how: ChannelEnd, error?: unknown): void {
  if (ch.done) return;
  if (how !== 'failed') flushBlock(ch);
  ch.done = how;
  if (!ch.started && ch.waitingSamples === 0) {
    ch.ctx.registry.release(ch.streamId); // never started: the id is free again (outcome 'abandoned')
    ch.detach$.complete();
    ch.member?.close(false);
    return;
  }
  if (!ch.started && !ch.planned) {
    ch.deferred = () => complete(ch, how, error); // its audio waits for the plan: it may resume a saved state
    return;
  }
  if (!ch.started) start(ch);
  complete(ch, how, error);
}

/** Joins the hand-off and starts the resume lookup; the plan starts the waiting stream (and a deferred end). */
function joinHandoff(ch: ChannelState, handoff: HandoffHooks, options: CallChannelOptions): void {
  const { streamId, kind, rateHz } = ch;
  ch.member = handoff.join({ streamId, kind, rateHz, metadata: options.metadata ?? {}, leave: options.leave, detach: () => finishWith(ch, 'detached') });
  void handoff.resumeFor(streamId, rateHz).then((p) => {
    if (ch.planned) return; // gave up waiting (MAX_RESUME_BUFFER_S)
    ch.plan = p;
    ch.planned = true;
    if (ch.started || ch.waitingSamples === 0) return;
    if (ch.done === undefined || ch.deferred) start(ch);
    ch.deferred?.();
  });
}

/** Reserves `streamId` and returns its channel, or undefined when the id is in use. */
export function openCallChannel(ctx: TelephonyContext, options: CallChannelOptions): CallChannel | undefined {
  const { streamId, kind, rateHz } = options;
  const outcome = ctx.registry.reserve(streamId, kind);
  if (!outcome) return undefined;
  const ch: ChannelState = {
    ctx, streamId, kind, rateHz,
    subject: new Subject<AudioChunk>(),
    detach$: new Subject<void>(),
    waiting: [],
    waitingSamples: 0,
    plan: undefined,
    planned: ctx.handoff === undefined,
    started: false,
    done: undefined,
    member: undefined,
    blockSamples: Math.max(1, Math.round((CALL_CHUNK_MS / 1000) * rateHz)),
    block: [],
    blockSamplesIn: 0,
    deferred: undefined,
  };
  if (ctx.handoff) joinHandoff(ch, ctx.handoff, options);
  return {
    streamId,
    outcome,
    push(samples) {
      if (ch.done || samples.length === 0) return;
      ch.block.push(samples);
      ch.blockSamplesIn += samples.length;
      if (ch.blockSamplesIn >= ch.blockSamples) flushBlock(ch);
    },
    end: () => finishWith(ch, 'ended'),
    fail(code, message) {
      const error = Object.assign(new EmostreamError('EMO_ERR_NETWORK', `${kind} ${code}: ${message}`), { protocolCode: code });
      finishWith(ch, 'failed', error);
    },
    detach: () => finishWith(ch, 'detached'),
  };
}
