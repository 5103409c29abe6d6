/**
 * `npm run bench`: throughput of `extract` (LLDs + deltas, no output) on a deterministic 60 s 16 kHz clip of
 * speech-like and music-like material (bench-audio.ts), in audio seconds per CPU second (median of ≥ 5 runs, one
 * thread), its ratio to openSMILE's 133 audio-s/CPU-s measured on this machine kind (../shared/reference/README.md),
 * a per-stage breakdown and peak memory. Last line: `RESULT {json}`.
 */
import { cpuUsage, memoryUsage, resourceUsage } from 'node:process';
import { loadavg } from 'node:os';
import { benchAudio } from './bench-audio.ts';
import { createLldExtractor } from '../src/features/extractor.ts';
import { createFrameGeometry, frameCountOf } from '../src/features/frame-geometry.ts';
import { createShortFrameBranch } from '../src/features/short-frame-branch.ts';
import { createPitchBranch } from '../src/features/pitch-branch.ts';
import { createVoiceQuality } from '../src/features/voice-quality.ts';
import { createLldPostProcessor } from '../src/features/lld-post.ts';
import { createRealFft } from '../src/features/fft.ts';
import { gaussianWindow, hammingWindow } from '../src/features/windows.ts';
import { COL, LLD_COUNT } from '../src/features/registry.ts';
import { rmsEnergy, zeroCrossingRate } from '../src/features/energy.ts';
import { applyMelFilterbank, createMelFilterbank } from '../src/features/mel-filterbank.ts';
import { auditorySpectrum, createEqualLoudnessTable, createRastaFilter } from '../src/features/auditory-spectrum.ts';
import { bandEnergy, createBandEnergyTable } from '../src/features/band-energy.ts';
import { createSpectralShapeTables, spectralShapeInto } from '../src/features/spectral-shape.ts';
import { createMfccTable, mfccInto } from '../src/features/mfcc.ts';
import { stageTimers } from './stage-timers.ts';

const OPENSMILE_AUDIO_S_PER_CPU_S = 133;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SECONDS = 60;
const FS = 16000;

const cpuSeconds = (): number => {
  const u = cpuUsage();
  return (u.user + u.system) / 1e6;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const baselineRssMb = resourceUsage().maxRSS / 1024; // Node + tsx + modules, before any audio
const audio = benchAudio(SECONDS, FS);
const geometry = createFrameGeometry(FS);
const frames = frameCountOf(audio.length, geometry);

// 1. End to end: the streaming extractor fed in 100 ms chunks (as live input), rows consumed, nothing written.
async function runOnce(): Promise<{ cpuS: number; rows: number }> {
  let rows = 0;
  let checksum = 0;
  const extractor = await createLldExtractor({ sampleRateHz: FS }, (row) => { rows++; checksum += row[0]; });
  const chunk = FS / 10;
  const start = cpuSeconds();
  for (let i = 0; i < audio.length; i += chunk) extractor.push(audio.subarray(i, i + chunk));
  extractor.finish();
  const cpuS = cpuSeconds() - start;
  extractor.release();
  if (!Number.isFinite(checksum)) throw new Error('non-finite output');
  return { cpuS, rows };
}
await runOnce(); // warm-up (JIT, WASM compilation)
const runs: number[] = [];
let rowsPerRun = 0;
for (let r = 0; r < RUNS; r++) {
  const { cpuS, rows } = await runOnce();
  runs.push(cpuS);
  rowsPerRun = rows;
}
const cpuMedian = median(runs);
const throughput = SECONDS / cpuMedian;

// 2. Per-stage breakdown: each stage driven alone over the same frames (CPU seconds for the 60 s clip).
const timers = stageTimers(cpuSeconds);
const framingAndFft = await (async () => {
  const fftShort = await createRealFft(geometry.shortFftSize);
  const fftLong = await createRealFft(geometry.longFftSize);
  const hw = hammingWindow(geometry.shortLength);
  const gw = gaussianWindow(geometry.longLength);
  const framing = timers.time('framing+windowing', () => {
    for (let k = 0; k < frames; k++) {
      const s = k * geometry.hop;
      const a = fftShort.input, b = fftLong.input;
      for (let i = 0; i < geometry.shortLength; i++) a[geometry.shortPad + i] = audio[s + i] * hw[i];
      for (let i = 0; i < geometry.longLength; i++) b[geometry.longPad + i] = audio[s + i] * gw[i];
    }
  });
  const fft = timers.time('FFT (KissFFT WASM, 512 + 1024)', () => {
    for (let k = 0; k < frames; k++) { fftShort.transform(); fftLong.transform(); }
  });
  fftShort.release(); fftLong.release();
  return { framing, fft };
})();
// The short branch's families, each alone on precomputed spectra of every frame.
{
  const fft = await createRealFft(geometry.shortFftSize);
  const hw = hammingWindow(geometry.shortLength);
  const bins = geometry.shortFftSize / 2 + 1;
  const powers = new Float32Array(frames * bins);
  const mags = new Float32Array(frames * bins);
  for (let k = 0; k < frames; k++) {
    const input = fft.input;
    for (let i = 0; i < geometry.shortLength; i++) input[geometry.shortPad + i] = audio[k * geometry.hop + i] * hw[i];
    fft.transform();
    const sp = fft.spectrum;
    for (let b = 0; b < bins; b++) { const p = sp[2 * b] ** 2 + sp[2 * b + 1] ** 2; powers[k * bins + b] = p; mags[k * bins + b] = Math.sqrt(p); }
  }
  fft.release();
  const bank = createMelFilterbank(FS, geometry.shortFftSize);
  const mels = new Float64Array(frames * bank.bandCount);
  const table = createEqualLoudnessTable(bank);
  const bandsOut = new Float64Array(bank.bandCount);
  const row = new Float32Array(LLD_COUNT);
  const power = (k: number) => powers.subarray(k * bins, (k + 1) * bins);
  const mel = (k: number) => mels.subarray(k * bank.bandCount, (k + 1) * bank.bandCount);
  timers.time('  energy (RMS, ZCR)', () => {
    for (let k = 0; k < frames; k++) { row[COL.RMS] = rmsEnergy(audio, k * geometry.hop, geometry.shortLength); row[COL.ZCR] = zeroCrossingRate(audio, k * geometry.hop, geometry.longLength); }
  });
  timers.time('  mel filterbank', () => { for (let k = 0; k < frames; k++) applyMelFilterbank(bank, power(k), mel(k)); });
  timers.time('  auditory spectrum + RASTA', () => {
    const rasta = createRastaFilter(table);
    for (let k = 0; k < frames; k++) { row[COL.LOUDNESS] = auditorySpectrum(mel(k), table, bandsOut); row[COL.RASTA_LOUDNESS] = rasta.process(mel(k), bandsOut); }
  });
  const lo = createBandEnergyTable(250, 650, FS, geometry.shortFftSize), hi = createBandEnergyTable(1000, 4000, FS, geometry.shortFftSize);
  const shape = createSpectralShapeTables(FS, geometry.shortFftSize);
  timers.time('  spectral (bands, roll-offs, flux, moments, entropy, slope, sharpness, harmonicity)', () => {
    for (let k = 0; k < frames; k++) {
      row[COL.FBAND_250_650] = bandEnergy(lo, power(k));
      row[COL.FBAND_1000_4000] = bandEnergy(hi, power(k));
      spectralShapeInto(shape, mags.subarray(k * bins, (k + 1) * bins), power(k), k ? mags.subarray((k - 1) * bins, k * bins) : null, row, COL.ROLLOFF);
    }
  });
  const mfcc = createMfccTable(bank.bandCount);
  timers.time('  MFCC', () => { for (let k = 0; k < frames; k++) mfccInto(mfcc, mel(k), row, COL.MFCC); });
}
const short = await createShortFrameBranch(geometry);
const rowScratch = new Float32Array(LLD_COUNT);
timers.time('short-frame branch (energy, auditory/RASTA, spectral, MFCC; incl. its FFT)', () => {
  for (let k = 0; k < frames; k++) short.analyse(audio, k * geometry.hop, rowScratch);
});
short.release();
const pitch = await createPitchBranch(geometry);
const f0s = new Float64Array(frames);
timers.time('pitch branch (60 ms FFT, octave scale, SHS, Viterbi)', () => {
  const take = (k: number, f0: number) => { f0s[k] = f0; };
  for (let k = 0; k < frames; k++) { pitch.analyse(audio, k * geometry.hop); pitch.drain(take); }
  pitch.finish(take);
});
pitch.release();
const voice = createVoiceQuality(geometry);
timers.time('voice quality (jitter, shimmer, HNR)', () => {
  for (let k = 0; k < frames; k++) voice.analyse(k, f0s[k], audio, 0, rowScratch, 2);
});
const post = createLldPostProcessor('correct', () => {});
timers.time('smoothing + deltas', () => {
  for (let k = 0; k < frames; k++) post.push(rowScratch);
  post.finish();
});

const peakRssMb = resourceUsage().maxRSS / 1024;
const voicedShare = f0s.reduce((a, f) => a + (f > 0 ? 1 : 0), 0) / frames;
console.log(`emostream extract benchmark — ${SECONDS} s of 16 kHz speech-like + music-like audio (${frames} frames, ${(100 * voicedShare).toFixed(0)} % voiced), ${RUNS} runs, load average ${loadavg()[0].toFixed(2)}`);
console.log(`CPU time per run: ${runs.map((r) => r.toFixed(3)).join(', ')} s; median ${cpuMedian.toFixed(3)} s`);
console.log(`throughput: ${throughput.toFixed(0)} audio-s per CPU-s = ${(throughput / OPENSMILE_AUDIO_S_PER_CPU_S).toFixed(2)}× openSMILE (${OPENSMILE_AUDIO_S_PER_CPU_S}); target ≥ 200 (1.5×)`);
console.log('per-stage CPU time for the clip (each stage alone):');
for (const [name, s] of timers.entries()) console.log(`  ${name.padEnd(80)} ${(1000 * s).toFixed(1)} ms  (${((1e6 * s) / frames).toFixed(1)} µs/frame)`);
console.log(`peak RSS ${peakRssMb.toFixed(0)} MB for the whole bench process (Node + tsx + modules alone: ${baselineRssMb.toFixed(0)} MB; the 60 s clip and the stage-breakdown spectra are in it too); heap used now ${(memoryUsage().heapUsed / 1048576).toFixed(0)} MB`);
console.log(`RESULT ${JSON.stringify({
  bench: 'extract', audioSeconds: SECONDS, sampleRateHz: FS, frames, runs: RUNS, cpuSecondsMedian: cpuMedian, cpuSecondsRuns: runs,
  audioSecondsPerCpuSecond: throughput, ratioToOpenSmile: throughput / OPENSMILE_AUDIO_S_PER_CPU_S, target: 200,
  rows: rowsPerRun, stagesMs: Object.fromEntries([...timers.entries()].map(([k, v]) => [k.trim(), 1000 * v])), peakRssMb, baselineRssMb, loadAverage1m: loadavg()[0],
  framingMs: 1000 * framingAndFft.framing, fftMs: 1000 * framingAndFft.fft,
})}`);
