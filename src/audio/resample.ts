/**
 * Sample-rate conversion with the SpeexDSP resampler (windowed-sinc polyphase filter, Kaiser
 * window; xiph/speexdsp libspeexdsp/resample.c) compiled to WASM by
 * @echogarden/speex-resampler-wasm. The filter delay is removed (speex `skip_zeros` at the
 * start, a zero tail at flush), so output sample k sits at input time k · fromHz / toHz and an
 * input of N samples yields exactly ceil(N · toHz / fromHz) samples.
 *
 * Chunking does not change the result: the streaming resampler is bit-exact against the one-shot
 * `resample` for any split of the input (asserted in test/audio/resample.test.ts).
 */
import createSpeexModule, { type SpeexModule } from '@echogarden/speex-resampler-wasm/simd';
import { EmostreamError } from '../errors.ts';

/** The rate all feature extraction runs at. */
export const ANALYSIS_RATE_HZ = 16000;

/** Options of `resample` and `createStreamingResampler`. */
export interface ResampleOptions {
  /**
   * Speex quality 0..10 (integer): higher means a longer filter, a sharper transition band and
   * more stop-band attenuation, at more CPU. Default 7 (128-tap base filter). Measured for
   * 44.1/96 kHz → 16 kHz: flat (< 0.01 dB) to 7 kHz, −2.1 dB at 7.5 kHz, > 110 dB rejection of
   * aliases from 8.5 kHz up (the test asserts < 0.1 dB and > 80 dB); 60 s of 44.1 kHz audio
   * takes ~0.16 s on one core (quality 5: 0.10 s, 10: 0.40 s).
   */
  readonly quality?: number;
}

/** Default resampler options (quality 7). */
export const DEFAULT_RESAMPLE_OPTIONS: Readonly<Required<ResampleOptions>> = Object.freeze({ quality: 7 });

/** A stateful resampler for live sources: push chunks of any size, flush once at the end. */
export interface StreamingResampler {
  readonly fromHz: number;
  readonly toHz: number;
  /** Resamples one chunk (not retained); returns the output that became available, possibly empty. */
  push(chunk: Float32Array): Float32Array;
  /** Drains the filter tail, returns the remaining output and releases the WASM state. */
  flush(): Float32Array;
  /** Frees the WASM state without flushing; idempotent. Push/flush afterwards throw. */
  release(): void;
  /**
   * The state as input to replay (see ResamplerSnapshot); pass it to `createStreamingResampler` to continue this
   * resampler elsewhere, bit for bit.
   */
  snapshot(): ResamplerSnapshot;
}

/**
 * The state of a streaming resampler, as the input that rebuilds it: the Speex filter's state after input sample
 * n depends only on the last filter-length input samples and on the phase n · toHz / fromHz, so a fresh resampler
 * fed `history` (the last input samples, starting at an input index where the phase is 0) is in the very same state.
 * Its output on the replay is discarded; the counters continue (test/audio/resample.test.ts checks the equality).
 */
export interface ResamplerSnapshot {
  readonly fromHz: number;
  readonly toHz: number;
  readonly quality: number;
  /** Input samples pushed and output samples returned so far. */
  readonly totalIn: number;
  readonly totalOut: number;
  /** The last input samples (all since input index totalIn − history.length). */
  readonly history: Float32Array;
}

const MAX_RATE_HZ = 1_000_000;
const MAX_OUTPUT_BLOCK = 65536;
const MAX_INPUT_BLOCK = 4096;
const EMPTY = new Float32Array(0);

let speexModule: Promise<SpeexModule> | undefined;
function loadSpeex(): Promise<SpeexModule> {
  speexModule ??= createSpeexModule();
  return speexModule;
}

interface SpeexHandles { readonly module: SpeexModule; readonly state: number; readonly buffers: number[] }
const leakGuard = new FinalizationRegistry<SpeexHandles>((h) => freeHandles(h));
function freeHandles(h: SpeexHandles): void {
  h.module._speex_resampler_destroy(h.state);
  for (const p of h.buffers) h.module._free(p);
}

function validateRate(hz: number, what: string): void {
  if (!Number.isInteger(hz) || hz < 1 || hz > MAX_RATE_HZ) {
    throw new EmostreamError('EMO_ERR_BAD_AUDIO', `${what} must be an integer in 1..${MAX_RATE_HZ} Hz, got ${hz}`);
  }
}

/** Throws EMO_ERR_BAD_CONFIG unless `options.quality` (if given) is an integer in 0..10. */
export function validateResampleOptions(options: ResampleOptions): void {
  const q = options.quality ?? DEFAULT_RESAMPLE_OPTIONS.quality;
  if (!Number.isInteger(q) || q < 0 || q > 10) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `resampler quality must be an integer in 0..10, got ${q}`);
  }
}

function usedAfterRelease(): never {
  throw new EmostreamError('EMO_ERR_INTERNAL', 'streaming resampler used after flush() or release()');
}

function createPassThrough(rateHz: number, quality: number, from: ResamplerSnapshot | undefined): StreamingResampler {
  let open = true;
  let total = from?.totalIn ?? 0;
  return {
    fromHz: rateHz,
    toHz: rateHz,
    push: (chunk) => (open ? ((total += chunk.length), chunk.slice()) : usedAfterRelease()),
    flush: () => (open ? ((open = false), EMPTY) : usedAfterRelease()),
    release: () => { open = false; },
    snapshot: () => ({ fromHz: rateHz, toHz: rateHz, quality, totalIn: total, totalOut: total, history: EMPTY }),
  };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Creates a streaming Speex resampler from `fromHz` to `toHz` (identity copy when equal); with `from` (a
 * `snapshot()` of a resampler of the same rates and quality) it continues that resampler exactly.
 */
export async function createStreamingResampler(
  fromHz: number,
  toHz: number,
  options: ResampleOptions = {},
  from?: ResamplerSnapshot,
): Promise<StreamingResampler> {
  validateRate(fromHz, 'input sample rate');
  validateRate(toHz, 'output sample rate');
  validateResampleOptions(options);
  const quality = options.quality ?? DEFAULT_RESAMPLE_OPTIONS.quality;
  if (from && (from.fromHz !== fromHz || from.toHz !== toHz || from.quality !== quality)) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `resampler state ${from.fromHz} → ${from.toHz} Hz (quality ${from.quality}) does not fit ${fromHz} → ${toHz} Hz (quality ${quality})`);
  }
  if (fromHz === toHz) return createPassThrough(fromHz, quality, from);

  const m = await loadSpeex();
  const errPtr = m._malloc(4);
  const state = m._speex_resampler_init(1, fromHz, toHz, quality, errPtr);
  const initErr = m.HEAP32[errPtr >> 2]!;
  m._free(errPtr);
  if (state === 0 || initErr !== 0) throw new EmostreamError('EMO_ERR_INTERNAL', `speex_resampler_init failed (error ${initErr})`);
  m._speex_resampler_skip_zeros(state);
  const inputLatency = m._speex_resampler_get_input_latency(state);

  const inBlock = Math.max(1, Math.min(MAX_INPUT_BLOCK, Math.floor((MAX_OUTPUT_BLOCK * fromHz) / toHz)));
  const outCap = Math.ceil((inBlock * toHz) / fromHz) + 8;
  const inPtr = m._malloc(inBlock * 4);
  const outPtr = m._malloc(outCap * 4);
  const lenPtr = m._malloc(8); // [inLen, outLen] as uint32
  const handles: SpeexHandles = { module: m, state, buffers: [inPtr, outPtr, lenPtr] };
  const token = {};
  leakGuard.register(token, handles, token);

  let open = true;
  let totalIn = 0;
  let totalOut = 0;
  const expectedTotal = (): number => Math.ceil((totalIn * toHz) / fromHz);
  // Input kept for snapshot(): twice the filter length (2·inputLatency each) plus two phase periods, so that the
  // replay can start at a phase-0 input index and still fill the whole filter.
  const phaseStep = fromHz / gcd(fromHz, toHz);
  const history = new Float32Array(4 * inputLatency + 2 * phaseStep);
  let historyFill = 0;
  const remember = (chunk: Float32Array): void => {
    const n = history.length;
    if (chunk.length >= n) history.set(chunk.subarray(chunk.length - n));
    else {
      history.copyWithin(0, chunk.length);
      history.set(chunk, n - chunk.length);
    }
    historyFill = Math.min(n, historyFill + chunk.length);
  };

  /** Runs `input` through speex, appending to a buffer sized for the output still owed. */
  function run(input: Float32Array, expectedMore: number): Float32Array {
    let out = new Float32Array(Math.max(0, expectedMore) + 8);
    let n = 0;
    for (let pos = 0; pos < input.length; pos += inBlock) {
      const len = Math.min(inBlock, input.length - pos);
      m.HEAPF32.set(input.subarray(pos, pos + len), inPtr >> 2);
      let off = 0;
      while (off < len) {
        m.HEAPU32[lenPtr >> 2] = len - off;
        m.HEAPU32[(lenPtr >> 2) + 1] = outCap;
        const err = m._speex_resampler_process_float(state, 0, inPtr + off * 4, lenPtr, outPtr, lenPtr + 4);
        const consumed = m.HEAPU32[lenPtr >> 2]!;
        const produced = m.HEAPU32[(lenPtr >> 2) + 1]!;
        if (err !== 0 || (consumed === 0 && produced === 0)) {
          throw new EmostreamError('EMO_ERR_INTERNAL', `speex_resampler_process_float failed (error ${err})`);
        }
        if (n + produced > out.length) {
          const grown = new Float32Array(Math.max(out.length * 2, n + produced));
          grown.set(out.subarray(0, n));
          out = grown;
        }
        out.set(m.HEAPF32.subarray(outPtr >> 2, (outPtr >> 2) + produced), n);
        n += produced;
        off += consumed;
      }
    }
    return out.subarray(0, n);
  }

  function release(): void {
    if (!open) return;
    open = false;
    leakGuard.unregister(token);
    freeHandles(handles);
  }
  if (from) {
    // Replay: a fresh filter fed the saved input is in the saved filter's state; its output was returned already.
    if (from.history.length > from.totalIn || (from.totalIn - from.history.length) % phaseStep !== 0) {
      release();
      throw new EmostreamError('EMO_ERR_BAD_CONFIG', 'resampler state: its history does not start at a phase-0 input sample');
    }
    run(from.history, Math.ceil((from.history.length * toHz) / fromHz));
    remember(from.history);
    totalIn = from.totalIn;
    totalOut = from.totalOut;
  }

  return {
    fromHz,
    toHz,
    push(chunk: Float32Array): Float32Array {
      if (!open) usedAfterRelease();
      if (chunk.length === 0) return EMPTY;
      totalIn += chunk.length;
      remember(chunk);
      const out = run(chunk, expectedTotal() - totalOut);
      totalOut += out.length;
      return out;
    },
    snapshot() {
      if (!open) usedAfterRelease();
      // The replay starts where the phase is 0: an input index that is a multiple of fromHz / gcd(fromHz, toHz).
      const start = totalIn - historyFill;
      const aligned = start === 0 ? 0 : Math.ceil(start / phaseStep) * phaseStep;
      const keep = totalIn - aligned;
      return { fromHz, toHz, quality, totalIn, totalOut, history: history.slice(history.length - keep) };
    },
    flush(): Float32Array {
      if (!open) usedAfterRelease();
      const owed = expectedTotal() - totalOut;
      const parts: Float32Array[] = [];
      let got = 0;
      // The filter lags by inputLatency input samples: feeding that many zeros (plus one output
      // period) releases every output whose time lies inside the real input.
      const tail = new Float32Array(inputLatency + Math.ceil(fromHz / toHz) + 1);
      for (let round = 0; round < 4 && got < owed; round++) {
        const part = run(tail, owed - got + tail.length);
        parts.push(part);
        got += part.length;
      }
      release();
      const out = new Float32Array(Math.max(0, owed));
      let at = 0;
      for (const p of parts) {
        const take = Math.min(p.length, out.length - at);
        out.set(p.subarray(0, take), at);
        at += take;
      }
      totalOut += out.length;
      return out;
    },
    release,
  };
}

/** Resamples a whole signal from `fromHz` to `toHz` (Speex; a copy when the rates are equal). */
export async function resample(
  samples: Float32Array,
  fromHz: number,
  toHz: number,
  options: ResampleOptions = {},
): Promise<Float32Array> {
  const resampler = await createStreamingResampler(fromHz, toHz, options);
  const head = resampler.push(samples);
  const tail = resampler.flush();
  const out = new Float32Array(head.length + tail.length);
  out.set(head, 0);
  out.set(tail, head.length);
  return out;
}
