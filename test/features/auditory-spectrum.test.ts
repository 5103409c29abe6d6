import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  auditorySpectrum, createEqualLoudnessTable, createRastaFilter, equalLoudnessWeight, MEL_FLOOR, RASTA_WARMUP_FRAMES,
} from '../../src/features/auditory-spectrum.ts';
import { createMelFilterbank } from '../../src/features/mel-filterbank.ts';

const test = suite('auditory-spectrum');
const bank = createMelFilterbank(16000, 512);
const table = createEqualLoudnessTable(bank);

test('equal-loudness curve: low frequencies are attenuated, mid frequencies pass', () => {
  assert.ok(equalLoudnessWeight(100) < 0.05);
  assert.ok(equalLoudnessWeight(1000) > 0.5 && equalLoudnessWeight(1000) < 1.5);
  assert.ok(equalLoudnessWeight(3000) > equalLoudnessWeight(500));
  for (let b = 1; b < 26; b++) assert.ok(Number.isFinite(table.logWeight[b]) && table.weight[b] > 0);
  assert.ok(Math.abs(Math.log(table.weight[7]) - table.logWeight[7]) < 1e-12);
});

test('auditory spectrum compresses power by 0.33 and loudness is the band mean', () => {
  const mel = new Float64Array(26).fill(1e-3);
  const out = new Float64Array(26);
  const loud1 = auditorySpectrum(mel, table, out);
  let mean = 0;
  for (let b = 0; b < 26; b++) {
    assert.ok(Math.abs(out[b] - Math.pow(1e-3 * table.weight[b], 0.33)) < 1e-12);
    mean += out[b] / 26;
  }
  assert.ok(Math.abs(loud1 - mean) < 1e-12);
  mel.fill(4e-3); // 4× power → loudness × 4^0.33
  const loud4 = auditorySpectrum(mel, table, out);
  assert.ok(Math.abs(loud4 / loud1 - Math.pow(4, 0.33)) < 1e-9);
});

test('silence hits the mel floor: finite, positive loudness', () => {
  const out = new Float64Array(26);
  const loud = auditorySpectrum(new Float64Array(26), table, out);
  assert.ok(loud > 0 && Number.isFinite(loud));
  assert.ok(Math.abs(out[10] - Math.pow(MEL_FLOOR * table.weight[10], 0.33)) < 1e-15);
});

test('RASTA: warm-up frames give E^0.33, a constant input decays back to E^0.33, a step gives a transient', () => {
  const rasta = createRastaFilter(table);
  const out = new Float64Array(26);
  const mel = new Float64Array(26).fill(0.01);
  const expectedQuiet = (b: number): number => Math.exp(0.33 * table.logWeight[b]);
  for (let t = 0; t < RASTA_WARMUP_FRAMES; t++) {
    rasta.process(mel, out);
    for (let b = 0; b < 26; b++) assert.ok(Math.abs(out[b] - expectedQuiet(b)) < 1e-12);
  }
  let loud = 0;
  for (let t = 0; t < 2000; t++) loud = rasta.process(mel, out); // DC gain of the band-pass is 0
  let quiet = 0;
  for (let b = 0; b < 26; b++) quiet += expectedQuiet(b) / 26;
  assert.ok(Math.abs(loud - quiet) < 1e-6 * quiet, `${loud} vs ${quiet}`);
  mel.fill(1); // +ln(100) step in every band
  const step = rasta.process(mel, out);
  assert.ok(Math.abs(step / quiet - Math.exp(0.33 * 0.2002094 * Math.log(100))) < 1e-5, 'onset: first output is b0·Δln M');
  const peakBand = out[13];
  assert.ok(Math.abs(peakBand - Math.exp(0.33 * (0.2002094 * Math.log(100) + table.logWeight[13]))) < 1e-6);
});

test('RASTA reset() restarts the warm-up and clears the state', () => {
  const rasta = createRastaFilter(table);
  const out = new Float64Array(26);
  const a = new Float64Array(26).fill(0.5);
  for (let t = 0; t < 20; t++) rasta.process(t % 2 ? a : new Float64Array(26).fill(1e-4), out);
  rasta.reset();
  const first = new Float64Array(26);
  const fresh = createRastaFilter(table);
  const ref = new Float64Array(26);
  for (let t = 0; t < 8; t++) {
    rasta.process(a, first);
    fresh.process(a, ref);
    for (let b = 0; b < 26; b++) assert.is(first[b], ref[b]);
  }
});

test.run();
