/** `emostream extract` end to end, as a user runs it: real files in, CSV or one-line errors out. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav, loadAudioFile } from '../../src/audio/index.ts';
import { FRAME_COLUMN_NAMES, FRAME_WIDTH } from '../../src/features/registry.ts';
import { csvHeader, csvLine } from '../../src/features/opensmile-csv.ts';
import { POOLED_FEATURE_NAMES } from '../../src/pool/pooler.ts';
import { createWindowExtractor } from '../../src/pool/window-extractor.ts';
import { loadGoldenClip } from '../fixtures/golden.ts';
import { noise, sine } from '../fixtures/signals.ts';

const test = suite('cli extract');
const BIN = fileURLToPath(new URL('../../bin/emostream.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'emostream-extract-'));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // A CLI run that does not end within 2 minutes is a failure (killed, reported with its signal), not a stuck suite.
    execFile(process.execPath, [BIN, ...args], { maxBuffer: 64 << 20, timeout: 120_000 }, (err, stdout, stderr) => {
      const killed = err?.signal ? `\n[killed by ${err.signal}: emostream ${args.join(' ')}]` : '';
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr: stderr + killed });
    });
  });
}

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.trim().split('\n');
  return { header: lines[0].split(';'), rows: lines.slice(1).map((l) => l.split(';')) };
}

function assertFiniteCsv(text: string, label: string): number {
  const { rows } = parseCsv(text);
  for (const r of rows) for (const v of r.slice(1)) assert.ok(Number.isFinite(Number(v)), `${label}: '${v}' is not a finite number`);
  return rows.length;
}

test('--help lists commands with examples; unknown commands are usage errors', async () => {
  const help = await run(['--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /extract/);
  assert.match(help.stdout, /Examples:/);
  const bad = await run(['frobnicate']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /unknown command/);
});

test('native-rate compat CSV reproduces the golden file layout and values', async () => {
  const wav = join(dir, 'sine440_16k.wav');
  copyFileSync(fileURLToPath(new URL('../fixtures/golden/sine440_16k.wav', import.meta.url)), wav);
  const out = join(dir, 'sine.lld.csv');
  const func = join(dir, 'sine.func.csv');
  const r = await run(['extract', wav, '--rate', 'native', '--opensmile-compat', '--lld', out, '--functionals', func]);
  assert.is(r.code, 0, r.stderr);
  const golden = loadGoldenClip('sine440_16k');
  const { header, rows } = parseCsv(readFileSync(out, 'utf8'));
  assert.equal(header, ['name', 'frameTime', ...FRAME_COLUMN_NAMES]);
  assert.is(rows.length, golden.rows - 1);
  assert.is(rows[10][0], "'sine440_16k'");
  assert.is(rows[10][1], '0.100000');
  const rms = FRAME_COLUMN_NAMES.indexOf('pcm_RMSenergy_sma');
  assert.ok(Math.abs(Number(rows[100][rms + 2]) - golden.values.get('pcm_RMSenergy_sma')![100]) < 1e-6);
  const f = parseCsv(readFileSync(func, 'utf8'));
  assert.equal(f.header, ['name', 'frameTime', ...POOLED_FEATURE_NAMES]);
  assert.equal(f.rows.map((row) => row[1]), ['2.000000', '3.000000']); // 4 s → windows ending at 2 s and 3 s
});

test('stdout output with -', async () => {
  const wav = file('tone.wav', encodeWav([sine(300, 0.5)], 16000, 's16'));
  const r = await run(['extract', wav, '--lld', '-']);
  assert.is(r.code, 0, r.stderr);
  assert.is(assertFiniteCsv(r.stdout, 'stdout'), 45);
});

test('CSV bytes equal the string reference (csvLine of the same extractor), stdout and file alike', async () => {
  const signal = noise(3.3, 16000, 0.2, 9).map((v, i) => v + 0.3 * Math.sin((2 * Math.PI * 180 * i) / 16000));
  const wav = file('ref.wav', encodeWav([signal], 16000, 's16'));
  const lldPath = join(dir, 'ref.lld.csv');
  const funcPath = join(dir, 'ref.func.csv');
  const r = await run(['extract', wav, '--lld', lldPath, '--functionals', funcPath, '--name', 'réf']);
  assert.is(r.code, 0, r.stderr);
  const toStdout = await run(['extract', wav, '--lld', '-', '--name', 'réf']);
  assert.is(toStdout.code, 0, toStdout.stderr);
  const audio = await loadAudioFile(wav, { rate: 'native' });
  const lld = [csvHeader(FRAME_COLUMN_NAMES)];
  const func = [csvHeader(POOLED_FEATURE_NAMES)];
  const extractor = await createWindowExtractor(
    { inputRateHz: audio.sampleRateHz, analysisRate: 16000, voicingDeltas: 'correct', padTail: true },
    (w) => func.push(csvLine('réf', w.endTimeS, w.features)),
    (row, index) => lld.push(csvLine('réf', index * 0.01, row, 0, FRAME_WIDTH)),
  );
  extractor.push(audio.samples);
  extractor.finish();
  extractor.release();
  assert.ok(lld.length > 300 && func.length === 3);
  assert.ok(readFileSync(lldPath, 'utf8') === lld.join('\n') + '\n', 'LLD file differs from the csvLine reference');
  assert.ok(toStdout.stdout === lld.join('\n') + '\n', 'LLD stdout differs from the csvLine reference');
  assert.ok(readFileSync(funcPath, 'utf8') === func.join('\n') + '\n', 'functionals file differs from the csvLine reference');
});

test('--lld - | head: the reader leaving ends extract quietly with exit 0', async () => {
  const wav = file('long.wav', encodeWav([noise(30, 16000, 0.2, 3)], 16000, 's16'));
  const script = `"${process.execPath}" "${BIN}" extract "${wav}" --lld - | head -n 3; exit \${PIPESTATUS[0]}`;
  const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('bash', ['-c', script]);
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  assert.is(r.stderr, '');
  assert.is(r.code, 0);
  assert.is(r.stdout.trim().split('\n').length, 3);
  assert.match(r.stdout, /^name;frameTime;F0final_sma;/);
});

test('bad input: one clear line on stderr and a documented exit code', async () => {
  const header = encodeWav([sine(300, 0.5)], 16000, 's16').subarray(0, 44);
  const out = ['--lld', join(dir, 'x.csv')];
  const ok = file('ok.wav', encodeWav([sine(300, 0.2)], 16000, 's16'));
  const cases: [string, string[], number, RegExp][] = [
    ['missing file', [join(dir, 'nope.wav'), ...out], 3, /file not found/],
    ['empty file', [file('empty.wav', new Uint8Array(0)), ...out], 5, /empty|no samples/i],
    ['random bytes', [file('random.wav', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)), ...out], 4, /./],
    ['header only (zero samples)', [file('zero.wav', header), ...out], 5, /./],
    ['shorter than one frame', [file('short.wav', encodeWav([sine(300, 0.03)], 16000, 's16')), ...out], 5, /shorter than one 60 ms/],
    ['bad rate option', [ok, '--rate', 'fast', ...out], 2, /--rate/],
    ['no output option', [ok], 2, /--lld/],
    ['unknown option', [ok, '--frobnicate', ...out], 2, /frobnicate/],
  ];
  const results = await Promise.all(cases.map(([, args]) => run(['extract', ...args])));
  results.forEach((r, i) => {
    const [label, , code, message] = cases[i];
    assert.is(r.code, code, `${label}: exit ${r.code}, stderr ${r.stderr}`);
    assert.match(r.stderr, message, label);
    assert.is(r.stderr.trim().split('\n').length, 1, `${label}: one line, got ${r.stderr}`);
    assert.not.match(r.stderr, /\n\s+at /, `${label}: no stack trace`);
  });
});

test('odd but valid input gives finite CSVs: NaN/Inf samples, silence, clipping, 8/96 kHz, 6 channels, lying header', async () => {
  const withNaN = sine(300, 0.5);
  withNaN[100] = NaN; withNaN[2000] = Infinity; withNaN[3000] = -Infinity;
  const clipped = sine(150, 0.5, 16000, 3).map((v) => Math.max(-1, Math.min(1, v)));
  const six = Array.from({ length: 6 }, (_, c) => sine(200 + 50 * c, 0.5, 48000));
  const lying = encodeWav([sine(300, 0.5)], 16000, 's16');
  new DataView(lying.buffer, lying.byteOffset).setUint32(40, 0x7fffffff, true); // data size far beyond the file
  const inputs: [string, Uint8Array, RegExp | null][] = [
    ['nan.wav', encodeWav([withNaN], 16000, 'f32'), /3 NaN\/Inf samples replaced by 0/],
    ['silence.wav', encodeWav([new Float32Array(16000)], 16000, 's16'), null],
    ['clipped.wav', encodeWav([clipped], 16000, 's16'), null],
    ['rate8k.wav', encodeWav([sine(300, 0.5, 8000)], 8000, 's16'), null],
    ['rate96k.wav', encodeWav([noise(0.5, 96000)], 96000, 's24'), null],
    ['six.wav', encodeWav(six, 48000, 's16'), null],
    ['lying.wav', lying, null],
  ];
  const results = await Promise.all(inputs.map(([name, bytes]) => run(['extract', file(name, bytes), '--lld', '-'])));
  results.forEach((r, i) => {
    const [name, , warning] = inputs[i];
    assert.is(r.code, 0, `${name}: ${r.stderr}`);
    assert.ok(assertFiniteCsv(r.stdout, name) > 40, name);
    if (warning) assert.match(r.stderr, warning);
  });
  // The same files at their native rate (8 and 96 kHz analysis) are finite too.
  for (const name of ['rate8k.wav', 'rate96k.wav']) {
    const r = await run(['extract', join(dir, name), '--rate', 'native', '--lld', '-']);
    assert.is(r.code, 0, r.stderr);
    assertFiniteCsv(r.stdout, `${name} native`);
  }
});

test.run();
