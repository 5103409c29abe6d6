/**
 * One open SpeexDSP resampler (WASM): state and buffers, the filter latency, the sample counts and the input
 * history that snapshot() replays. The public API is in resample.ts.
 */
import createSpeexModule, { type SpeexModule } from '@echogarden/speex-resampler-wasm/simd';
import { EmostreamError } from '../errors.ts';
import type { ResamplerSnapshot } from './resample.ts';

const MAX_OUTPUT_BLOCK = 65536;
const MAX_INPUT_BLOCK = 4096;
export const EMPTY = new Float32Array(0);

let speexModule: Promise<SpeexModule> | undefined;
export function loadSpeex(): Promise<SpeexModule> {
  speexModule ??= createSpeexModule();
  return speexModule;
}

interface SpeexHandles { readonly module: SpeexModule; readonly state: number; readonly buffers: number[] }
const leakGuard = new FinalizationRegistry<SpeexHandles>((h) => freeHandles(h));
function freeHandles(h: SpeexHandles): void {
  h.module._speex_resampler_destroy(h.state);
  for (const p of h.buffers) h.module._free(p);
}

export function usedAfterRelease(): never {
  throw new EmostreamError('EMO_ERR_INTERNAL', 'streaming resampler used after flush() or release()');
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * One open Speex resampler: its WASM state and buffers, the filter latency, the sample counts so far and the
 * input history kept for snapshot().
 */
export interface SpeexRun {
  readonly m: SpeexModule;
  readonly fromHz: number;
  readonly toHz: number;
  readonly quality: number;
  /** The speex state pointer. */
  readonly state: number;
  readonly handles: SpeexHandles;
  /** Finalization token of `handles`. */
  readonly token: object;
  readonly inputLatency: number;
  /** Input samples per process call, and the output capacity of one call. */
  readonly inBlock: number;
  readonly outCap: number;
  readonly inPtr: number;
  readonly outPtr: number;
  /** [inLen, outLen] as uint32. */
  readonly lenPtr: number;
  open: boolean;
  totalIn: number;
  totalOut: number;
  /** Input samples between two phase-0 indices: fromHz / gcd(fromHz, toHz). */
  readonly phaseStep: number;
  /**
   * The last input samples (ring filled from the end): twice the filter length (2·inputLatency each) plus two
   * phase periods, so that the replay can start at a phase-0 input index and still fill the whole filter.
   */
  readonly history: Float32Array;
  historyFill: number;
}

/** A speex state for the rates and quality, with the filter delay skipped at the start. */
function initSpeexState(m: SpeexModule, fromHz: number, toHz: number, quality: number): number {
  const errPtr = m._malloc(4);
  const state = m._speex_resampler_init(1, fromHz, toHz, quality, errPtr);
  const initErr = m.HEAP32[errPtr >> 2]!;
  m._free(errPtr);
  if (state === 0 || initErr !== 0) throw new EmostreamError('EMO_ERR_INTERNAL', `speex_resampler_init failed (error ${initErr})`);
  m._speex_resampler_skip_zeros(state);
  return state;
}

/** Opens a resampler run: state, WASM buffers and their leak guard. */
export function openSpeexRun(m: SpeexModule, fromHz: number, toHz: number, quality: number): SpeexRun {
  const state = initSpeexState(m, fromHz, toHz, quality);
  const inputLatency = m._speex_resampler_get_input_latency(state);
  const inBlock = Math.max(1, Math.min(MAX_INPUT_BLOCK, Math.floor((MAX_OUTPUT_BLOCK * fromHz) / toHz)));
  const outCap = Math.ceil((inBlock * toHz) / fromHz) + 8;
  const inPtr = m._malloc(inBlock * 4);
  const outPtr = m._malloc(outCap * 4);
  const lenPtr = m._malloc(8);
  const handles: SpeexHandles = { module: m, state, buffers: [inPtr, outPtr, lenPtr] };
  const token = {};
  leakGuard.register(token, handles, token);
  const phaseStep = fromHz / gcd(fromHz, toHz);
  const history = new Float32Array(4 * inputLatency + 2 * phaseStep);
  return {
    m, fromHz, toHz, quality, state, handles, token, inputLatency, inBlock, outCap, inPtr, outPtr, lenPtr,
    open: true, totalIn: 0, totalOut: 0, phaseStep, history, historyFill: 0,
  };
}

/** Keeps `chunk` at the end of the history ring. */
function rememberInput(r: SpeexRun, chunk: Float32Array): void {
  const { history } = r;
  const n = history.length;
  if (chunk.length >= n) history.set(chunk.subarray(chunk.length - n));
  else {
    history.copyWithin(0, chunk.length);
    history.set(chunk, n - chunk.length);
  }
  r.historyFill = Math.min(n, r.historyFill + chunk.length);
}

/** Replay: a fresh filter fed the saved input is in the saved filter's state; its output was returned already. */
export function restoreSpeexRun(r: SpeexRun, from: ResamplerSnapshot): void {
  if (from.history.length > from.totalIn || (from.totalIn - from.history.length) % r.phaseStep !== 0) {
    releaseSpeexRun(r);
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', 'resampler state: its history does not start at a phase-0 input sample');
  }
  runSpeex(r, from.history, Math.ceil((from.history.length * r.toHz) / r.fromHz));
  rememberInput(r, from.history);
  r.totalIn = from.totalIn;
  r.totalOut = from.totalOut;
}

/** `StreamingResampler.snapshot`: the history from a phase-0 input index on, and the counters. */
export function snapshotSpeex(r: SpeexRun): ResamplerSnapshot {
  if (!r.open) usedAfterRelease();
  const { fromHz, toHz, quality, totalIn, totalOut, phaseStep, history } = r;
  // The replay starts where the phase is 0: an input index that is a multiple of fromHz / gcd(fromHz, toHz).
  const start = totalIn - r.historyFill;
  const aligned = start === 0 ? 0 : Math.ceil(start / phaseStep) * phaseStep;
  const keep = totalIn - aligned;
  return { fromHz, toHz, quality, totalIn, totalOut, history: history.slice(history.length - keep) };
}

/** Output samples owed for all input so far. */
function expectedTotal(r: SpeexRun): number {
  return Math.ceil((r.totalIn * r.toHz) / r.fromHz);
}

/** Runs `input` through speex, appending to a buffer sized for the output still owed. */
function runSpeex(r: SpeexRun, input: Float32Array, expectedMore: number): Float32Array {
  const { m, state, inBlock, outCap, inPtr, outPtr, lenPtr } = r;
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

/** Frees the WASM state and buffers (idempotent). */
export function releaseSpeexRun(r: SpeexRun): void {
  if (!r.open) return;
  r.open = false;
  leakGuard.unregister(r.token);
  freeHandles(r.handles);
}

/** `StreamingResampler.push`. */
export function pushSpeex(r: SpeexRun, chunk: Float32Array): Float32Array {
  if (!r.open) usedAfterRelease();
  if (chunk.length === 0) return EMPTY;
  r.totalIn += chunk.length;
  rememberInput(r, chunk);
  const out = runSpeex(r, chunk, expectedTotal(r) - r.totalOut);
  r.totalOut += out.length;
  return out;
}

/** `StreamingResampler.flush`: exactly the output still owed, then the run is released. */
export function flushSpeex(r: SpeexRun): Float32Array {
  if (!r.open) usedAfterRelease();
  const owed = expectedTotal(r) - r.totalOut;
  const parts: Float32Array[] = [];
  let got = 0;
  // The filter lags by inputLatency input samples: feeding that many zeros (plus one output
  // period) releases every output whose time lies inside the real input.
  const tail = new Float32Array(r.inputLatency + Math.ceil(r.fromHz / r.toHz) + 1);
  for (let round = 0; round < 4 && got < owed; round++) {
    const part = runSpeex(r, tail, owed - got + tail.length);
    parts.push(part);
    got += part.length;
  }
  releaseSpeexRun(r);
  const out = new Float32Array(Math.max(0, owed));
  let at = 0;
  for (const p of parts) {
    const take = Math.min(p.length, out.length - at);
    out.set(p.subarray(0, take), at);
    at += take;
  }
  r.totalOut += out.length;
  return out;
}
