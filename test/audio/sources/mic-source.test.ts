import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectInputDevice, loadNaudiodon, NO_DEVICE_MESSAGE, type InputDevice } from '../../../src/audio/sources/mic-source.ts';
import { EmostreamError } from '../../../src/errors.ts';
import { tempDir } from '../../pipeline/helpers.ts';

const test = suite('audio/sources/mic-source');
const root = new URL('../../..', import.meta.url).pathname;
const naudiodonError = await loadNaudiodon().then(() => undefined, (e: Error) => e.message);

const devices: InputDevice[] = [
  { index: 0, name: 'nullin', maxInputChannels: 128, defaultSampleRateHz: 44100, hostApi: 'ALSA' },
  { index: 3, name: 'USB Microphone', maxInputChannels: 1, defaultSampleRateHz: 48000, hostApi: 'ALSA' },
  { index: 4, name: 'default', maxInputChannels: 128, defaultSampleRateHz: 44100, hostApi: 'ALSA' },
];
const code = (fn: () => unknown): string => {
  try { fn(); } catch (e) { return (e as EmostreamError).code; }
  return 'none';
};

test('devices are selected by index, exact name, unique substring or default', () => {
  assert.is(selectInputDevice(devices).name, 'default');
  assert.is(selectInputDevice(devices, '3').name, 'USB Microphone');
  assert.is(selectInputDevice(devices, 'usb').index, 3);
  assert.is(selectInputDevice(devices, 'nullin').index, 0);
  assert.is(code(() => selectInputDevice(devices, '9')), 'EMO_ERR_DEVICE');
  assert.is(code(() => selectInputDevice(devices, 'l')), 'EMO_ERR_DEVICE'); // ambiguous
  assert.is(code(() => selectInputDevice([], undefined)), 'EMO_ERR_DEVICE');
});

/** Runs `script` (ESM TypeScript) in a child with HOME=`home`, so ALSA reads `home/.asoundrc`. */
function runChild(home: string, script: string): { status: number | null; stdout: string; stderr: string } {
  const file = join(home, 'child.mts');
  writeFileSync(file, script);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, env: { ...process.env, HOME: home }, encoding: 'utf8', timeout: 20000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// ALSA `file` plugin in front of the null device: capture reads its samples from `infile` (a raw s16le 440 Hz tone),
// so the whole PortAudio → naudiodon → micSource path is checked against known audio. (The bare null PCM hands
// readers uninitialised memory, so "zeros" cannot be asserted.)
test('capture through an ALSA null/file device delivers the known samples', () => {
  if (naudiodonError) {
    console.log(`  skipped: naudiodon failed to build/load (${naudiodonError})`);
    return;
  }
  const home = tempDir('alsa');
  try {
    const n = 16000;
    const raw = Buffer.alloc(2 * n);
    for (let i = 0; i < n; i++) raw.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16000)), 2 * i);
    const infile = join(home.path, 'in.raw');
    writeFileSync(infile, raw);
    writeFileSync(join(home.path, '.asoundrc'), 'pcm.!default { type null }\n'
      + `pcm.nullin { type plug slave { pcm { type file slave.pcm "null" file "/dev/null" infile "${infile}" format "raw" } format S16_LE rate 16000 channels 1 } }\n`);
    const r = runChild(home.path, `
import { writeFileSync } from 'node:fs';
import { micSource, listInputDevices } from ${JSON.stringify(join(root, 'src/audio/sources/mic-source.ts'))};
const RESULT = ${JSON.stringify(join(home.path, 'result.json'))};
const names = (await listInputDevices()).map((d) => d.name);
const head = [];
let samples = 0, rate = 0;
const sub = micSource({ streamId: 'm', device: 'nullin', sampleRateHz: 16000 }).chunks.subscribe({
  next(c) { samples += c.samples.length; rate = c.sampleRateHz; for (const v of c.samples) if (head.length < ${n}) head.push(v); },
  error(e) { writeFileSync(RESULT, JSON.stringify({ error: e.code + ': ' + e.message })); process.exit(1); },
});
// The result goes to a file: PortAudio's native code may print to stdout while the stream closes.
setTimeout(() => { sub.unsubscribe(); writeFileSync(RESULT, JSON.stringify({ names, samples, rate, head })); setTimeout(() => process.exit(0), 300); }, 600);
`);
    const resultFile = join(home.path, 'result.json');
    assert.ok(existsSync(resultFile), `no result from the capture child (exit ${r.status}): ${r.stderr.slice(-500)}`);
    const result = JSON.parse(readFileSync(resultFile, 'utf8'));
    assert.ok(!result.error, result.error);
    assert.ok(result.names.includes('nullin'), `devices: ${result.names}`);
    assert.is(result.rate, 16000);
    assert.ok(result.head.length === n, `only ${result.samples} samples captured`);
    // The null device is not paced, so naudiodon's bounded queue drops whole buffers: the capture is the tone with
    // phase jumps at buffer edges. Every sample must be an exact int16 tone value, and (all but the jumps) every
    // pair of neighbours a consecutive pair of the tone.
    const pairs = new Set<string>();
    for (let i = 0; i < n - 1; i++) pairs.add(`${raw.readInt16LE(2 * i)},${raw.readInt16LE(2 * i + 2)}`);
    const ints = (result.head as number[]).map((v) => v * 32768);
    assert.ok(ints.every((v) => Math.abs(v - Math.round(v)) < 1e-3), 'captured values are the file\'s int16 samples');
    let good = 0;
    for (let i = 0; i + 1 < n; i++) if (pairs.has(`${Math.round(ints[i])},${Math.round(ints[i + 1])}`)) good++;
    assert.ok(good / (n - 1) > 0.99, `only ${good} of ${n - 1} neighbour pairs follow the tone`);
  } finally {
    home.cleanup();
  }
});

test('without any input device: `emostream devices` prints one clear line and exits with EMO_ERR_DEVICE (8)', () => {
  const home = tempDir('noalsa');
  try {
    writeFileSync(join(home.path, '.asoundrc'), 'pcm.!default { type hw card 99 }\n');
    const r = spawnSync(process.execPath, ['bin/emostream.js', 'devices'], { cwd: root, env: { ...process.env, HOME: home.path }, encoding: 'utf8', timeout: 20000 });
    const lines = r.stderr.trim().split('\n');
    if (naudiodonError === undefined && r.status === 0) {
      console.log('  note: this machine has a real input device; the no-device path was not exercised');
      return;
    }
    assert.is(r.status, 8);
    assert.is(lines[lines.length - 1], `emostream: ${NO_DEVICE_MESSAGE}`);
  } finally {
    home.cleanup();
  }
});

test('without any input device: `emostream serve --mic` refuses to start, with the same line and exit code 8', () => {
  const home = tempDir('noalsa-serve');
  try {
    writeFileSync(join(home.path, '.asoundrc'), 'pcm.!default { type hw card 99 }\n');
    const r = spawnSync(process.execPath, ['bin/emostream.js', 'serve', '--mic', '--port', '0'], { cwd: root, env: { ...process.env, HOME: home.path }, encoding: 'utf8', timeout: 20000 });
    if (naudiodonError === undefined && r.status === null) {
      console.log('  note: this machine has a real input device; the no-device path was not exercised');
      return;
    }
    const lines = r.stderr.trim().split('\n');
    assert.is(r.status, 8, r.stderr);
    assert.is(lines[lines.length - 1], `emostream: ${NO_DEVICE_MESSAGE}`);
  } finally {
    home.cleanup();
  }
});

test.run();
