/**
 * The package as a consumer gets it: `npm pack` → the tarball's file list (no tests, no fixtures) → installed into an
 * empty project with no network but the npm registry (packages come from the cache `npm ci` filled where it can;
 * onnxruntime-node's CUDA downloader, which would fetch from outside the registry, is skipped as the
 * README tells consumers; the optional naudiodon omitted) → the examples/ scripts run there, importing 'emostream'
 * by name, and a TypeScript consumer type-checks against the published declarations.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav } from '../../src/audio/index.ts';
import { testAudio16k } from '../pipeline/helpers.ts';

const test = suite('package (npm pack → install → examples)');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'emostream-pack-'));
const app = join(dir, 'app');

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 32 << 20, timeout: 240_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

let tarball = '';

test('npm pack: dist, bin, models and wasm kernels; no tests, fixtures or sources of the shared data', async () => {
  const r = await run('npm', ['pack', '--json', '--pack-destination', dir], ROOT);
  assert.is(r.code, 0, r.stderr);
  const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as [{ filename: string; files: { path: string }[] }];
  tarball = join(dir, info.filename);
  const files = info.files.map((f) => f.path);
  for (const want of ['dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'bin/emostream.js', 'models/speech.onnx', 'models/music.onnx',
    'wasm/features/features.wasm', 'wasm/train/train.wasm', 'package.json', 'README.md', 'LICENSE']) {
    assert.ok(files.includes(want), `tarball lacks ${want}`);
  }
  const unwanted = files.filter((f) => /^(test|bench|experiments|examples|src|docs)\//.test(f) || /fixtures|\.test\.|\.cache/.test(f));
  assert.equal(unwanted, [], 'tarball holds no tests, fixtures, sources or caches');
});

test('installs into an empty project (registry only); the examples run against the installed package', async () => {
  assert.ok(tarball, 'pack ran');
  cpSync(join(ROOT, 'examples'), app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const install = await run('npm', ['install', '--prefer-offline', '--omit=optional', '--no-audit', '--no-fund', tarball], app, { ONNXRUNTIME_NODE_INSTALL: 'skip' });
  assert.is(install.code, 0, install.stderr);
  assert.ok(readdirSync(join(app, 'node_modules')).includes('emostream'));
  const wav = join(app, 'talk.wav');
  writeFileSync(wav, encodeWav([testAudio16k(6.5, 3).samples], 16000, 's16'));

  const features = await run(process.execPath, ['extract-features.mjs', wav], app);
  assert.is(features.code, 0, features.stderr);
  assert.match(features.stdout, /^645 frames × 130 LLD values, 5 windows × 260 features at 16000 Hz/);
  assert.match(features.stdout, /window ending at 6 s: mean RMS energy 0\.\d{4}/);

  const analysed = await run(process.execPath, ['analyse-file.mjs', wav, 'speech'], app);
  assert.is(analysed.code, 0, analysed.stderr);
  const lines = analysed.stdout.trim().split('\n');
  assert.is(lines.length, 5, analysed.stdout);
  assert.match(lines[0], /^t=2s arousal -?\d\.\d{3} valence -?\d\.\d{3} \(speech@/);

  const streamed = await run(process.execPath, ['stream-analyser.mjs', wav], app);
  assert.is(streamed.code, 0, streamed.stderr);
  // Pushing 20 ms blocks gives the numbers of the whole-file analysis (one pipeline, chunking changes nothing).
  const live = streamed.stdout.split('\n').filter((l) => l.startsWith('live:')).map((l) => l.replace('live: ', ''));
  assert.equal(live.map((l) => l.replace(/ \(.*$/, '')), lines.map((l) => l.replace(/ \(.*$/, '')));
  assert.match(streamed.stdout, /5 seconds analysed/);

  const missing = await run(process.execPath, ['analyse-file.mjs', join(app, 'nope.wav')], app);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /^EMO_ERR_INPUT_NOT_FOUND: /);

  const cli = await run(join(app, 'node_modules', '.bin', 'emostream'), ['analyse', wav, '--model', 'speech', '--format', 'csv'], app);
  assert.is(cli.code, 0, cli.stderr);
  assert.is(cli.stdout.trim().split('\n').length, 6, 'header + 5 seconds');
});

test('a TypeScript consumer type-checks against the published declarations', async () => {
  writeFileSync(join(app, 'consumer.ts'), [
    "import { analyseFile, createAnalyser, extractFeatures, loadModel, type EmotionEstimate, type EmotionModel } from 'emostream';",
    'const estimates: readonly EmotionEstimate[] = await analyseFile("x.wav", { model: "speech" });',
    'const model: EmotionModel = await loadModel("m.onnx");',
    'const a = await createAnalyser({ model, sampleRateHz: 16000 });',
    'a.push(new Float32Array(160));',
    'const f = await extractFeatures({ samples: new Float32Array(32000), sampleRateHz: 16000 });',
    'const n: number = f.windowCount + estimates.length;',
    'export { n };',
  ].join('\n'));
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['consumer.ts'] }));
  const tsc = await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], app);
  assert.is(tsc.code, 0, tsc.stdout + tsc.stderr);
  // And a wrong use is a type error (the declarations carry real types, not `any`).
  writeFileSync(join(app, 'consumer.ts'), "import { createAnalyser } from 'emostream';\nawait createAnalyser({ sampleRateHz: 'fast' });\n");
  const bad = await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], app);
  assert.is(bad.code, 2, bad.stdout);
  assert.match(bad.stdout, /consumer\.ts\(2,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
