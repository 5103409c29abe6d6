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

/** Reserves `streamId` and returns its channel, or undefined when the id is in use. */
export function openCallChannel(ctx: TelephonyContext, options: CallChannelOptions): CallChannel | undefined {
  const { streamId, kind, rateHz } = options;
  const outcome = ctx.registry.reserve(streamId, kind);
  if (!outcome) return undefined;
  const subject = new Subject<AudioChunk>();
  const detach$ = new Subject<void>();
  let waiting: Float32Array[] | undefined = []; // audio before the stream started
  let waitingSamples = 0;
  let plan: Awaited<ReturnType<HandoffHooks['resumeFor']>>;
  let planned = ctx.handoff === undefined;
  let started = false;
  let done: 'ended' | 'failed' | 'detached' | undefined;
  let member: HandoffMember | undefined;
  const blockSamples = Math.max(1, Math.round((CALL_CHUNK_MS / 1000) * rateHz));
  let block: Float32Array[] = [];
  let blockSamplesIn = 0;

  /** Hands samples to the pipeline. */
  const feed = (samples: Float32Array): void => {
    subject.next({ streamId, samples, sampleRateHz: rateHz, arrivedAtMs: performance.now() });
  };
  const start = (): void => {
    started = true;
    const source: HandoffSource = { streamId, kind, chunks: subject.asObservable(), detach: detach$, ...(plan?.resume ? { resume: plan.resume } : {}) };
    ctx.addSource(source);
    member?.started(plan?.resume?.offsetS ?? 0);
    for (const samples of waiting ?? []) feed(samples);
    waiting = undefined;
  };
  const accept = (samples: Float32Array): void => {
    if (started) return feed(samples);
    waiting?.push(samples);
    waitingSamples += samples.length;
    if (planned) return start();
    if (waitingSamples > MAX_RESUME_BUFFER_S * rateHz) {
      planned = true; // the lookup takes too long: start afresh rather than hold more audio
      plan = undefined;
      start();
    }
  };
  /** Passes the samples collected for the current block on. */
  const flushBlock = (): void => {
    if (blockSamplesIn === 0) return;
    const joined = block.length === 1 ? block[0] : new Float32Array(blockSamplesIn);
    if (block.length > 1) {
      let at = 0;
      for (const b of block) { joined.set(b, at); at += b.length; }
    }
    block = [];
    blockSamplesIn = 0;
    accept(joined);
  };
  /** Ends the started stream the way `how` says. */
  const complete = (how: 'ended' | 'failed' | 'detached', error?: unknown): void => {
    if (how === 'detached') detach$.next();
    if (how === 'failed') subject.error(error);
    else subject.complete();
    detach$.complete();
    member?.close(how === 'detached');
  };
  let deferred: (() => void) | undefined; // an end that came while the resume lookup was still running
  const finishWith = (how: 'ended' | 'failed' | 'detached', error?: unknown): void => {
    if (done) return;
    if (how !== 'failed') flushBlock();
    done = how;
    if (!started && waitingSamples === 0) {
      ctx.registry.release(streamId); // never started: the id is free again (outcome 'abandoned')
      detach$.complete();
      member?.close(false);
      return;
    }
    if (!started && !planned) {
      deferred = () => complete(how, error); // its audio waits for the plan: it may resume a saved state
      return;
    }
    if (!started) start();
    complete(how, error);
  };

  if (ctx.handoff) {
    member = ctx.handoff.join({ streamId, kind, rateHz, metadata: options.metadata ?? {}, leave: options.leave, detach: () => finishWith('detached') });
    void ctx.handoff.resumeFor(streamId, rateHz).then((p) => {
      if (planned) return; // gave up waiting (MAX_RESUME_BUFFER_S)
      plan = p;
      planned = true;
      if (started || waitingSamples === 0) return;
      if (done === undefined || deferred) start();
      deferred?.();
    });
  }

  return {
    streamId,
    outcome,
    push(samples) {
      if (done || samples.length === 0) return;
      block.push(samples);
      blockSamplesIn += samples.length;
      if (blockSamplesIn >= blockSamples) flushBlock();
    },
    end: () => finishWith('ended'),
    fail(code, message) {
      const error = Object.assign(new EmostreamError('EMO_ERR_NETWORK', `${kind} ${code}: ${message}`), { protocolCode: code });
      finishWith('failed', error);
    },
    detach: () => finishWith('detached'),
  };
}
