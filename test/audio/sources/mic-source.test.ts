import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectInputDevice, loadNaudiodon, NO_DEVICE_MESSAGE, NAUDIODON_NOT_INSTALLED_MESSAGE, type InputDevice } from '../../../src/audio/sources/mic-source.ts';
import { EmostreamError } from '../../../src/errors.ts';
import { connectClient } from '../../server/helpers.ts';
import { tempDir, testUnless } from '../../pipeline/helpers.ts';

const test = suite('audio/sources/mic-source');
const root = new URL('../../..', import.meta.url).pathname;
const naudiodonError = await loadNaudiodon().then(() => undefined, (e: Error) => e.message);
/** The no-device tests hide the machine's devices behind a private ~/.asoundrc; a real sound card would still show. */
const soundCards = (() => {
  try {
    const cards = readFileSync('/proc/asound/cards', 'utf8');
    return /no soundcards/.test(cards) ? '' : cards.trim();
  } catch {
    return '';
  }
})();
const withNaudiodon = testUnless(test, naudiodonError && `naudiodon failed to build/load (${naudiodonError})`);
const withoutSoundCard = testUnless(test, soundCards ? `this machine has a sound card (/proc/asound/cards: ${soundCards.split('\n')[0]})` : undefined);
/** The one line that must explain a machine without usable input: no device, or naudiodon's own failure. */
const noInputLine = `emostream: ${naudiodonError ?? NO_DEVICE_MESSAGE}`;

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
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, env: { ...process.env, HOME: home }, encoding: 'utf8', timeout: 30000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// ALSA `file` plugin in front of the null device: capture reads its samples from `infile` (a raw s16le 440 Hz tone),
// so the whole PortAudio → naudiodon → micSource path is checked against known audio. (The bare null PCM hands
// readers uninitialised memory, so "zeros" cannot be asserted.)
/** A private HOME whose ~/.asoundrc offers `nullin`: ALSA's file plugin reading `raw` (s16le 16 kHz) as capture. */
function nullDeviceHome(prefix: string, raw: Buffer): { readonly path: string; cleanup(): void } {
  const home = tempDir(prefix);
  const infile = join(home.path, 'in.raw');
  writeFileSync(infile, raw);
  writeFileSync(join(home.path, '.asoundrc'), 'pcm.!default { type null }\n'
    + `pcm.nullin { type plug slave { pcm { type file slave.pcm "null" file "/dev/null" infile "${infile}" format "raw" } format S16_LE rate 16000 channels 1 } }\n`);
  return home;
}
const tone = (n: number): Buffer => {
  const raw = Buffer.alloc(2 * n);
  for (let i = 0; i < n; i++) raw.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16000)), 2 * i);
  return raw;
};

withNaudiodon('capture through an ALSA null/file device delivers the known samples', () => {
  const n = 16000;
  const raw = tone(n);
  const home = nullDeviceHome('alsa', raw);
  try {
    const r = runChild(home.path, `
import { writeFileSync } from 'node:fs';
import { micSource, listInputDevices } from ${JSON.stringify(join(root, 'src/audio/sources/mic-source.ts'))};
const RESULT = ${JSON.stringify(join(home.path, 'result.json'))};
const names = (await listInputDevices()).map((d) => d.name);
const head = [];
let samples = 0, rate = 0;
let sub;
sub = micSource({ streamId: 'm', device: 'nullin', sampleRateHz: 16000 }).chunks.subscribe({
  next(c) {
    samples += c.samples.length; rate = c.sampleRateHz;
    for (const v of c.samples) if (head.length < ${n}) head.push(v);
    if (head.length >= ${n}) done();
  },
  error(e) { writeFileSync(RESULT, JSON.stringify({ error: e.code + ': ' + e.message })); process.exit(1); },
});
// Ends once ${n} samples arrived (the capture host process starts first), or after 15 s with what there is.
let finished = false;
function done() {
  if (finished) return;
  finished = true;
  sub?.unsubscribe();
  writeFileSync(RESULT, JSON.stringify({ names, samples, rate, head }));
  process.exit(0);
}
setTimeout(done, 15000).unref();
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

const noAlsa = (prefix: string) => {
  const home = tempDir(prefix);
  writeFileSync(join(home.path, '.asoundrc'), 'pcm.!default { type hw card 99 }\n');
  return home;
};
const cli = (args: string[], env: NodeJS.ProcessEnv) => spawnSync(process.execPath, ['bin/emostream.js', ...args], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 20000 });

withoutSoundCard('without any input device: `devices` and `devices --json` exit 8 with one clear line and no ALSA/PortAudio noise', () => {
  const home = noAlsa('noalsa');
  try {
    for (const json of [false, true]) {
      const r = cli(['devices', ...(json ? ['--json'] : [])], { HOME: home.path });
      assert.is(r.status, 8, r.stderr);
      assert.equal(r.stderr.trim().split('\n'), [noInputLine], 'exactly one line on stderr');
      assert.is(r.stdout, json ? '[]\n' : '');
    }
  } finally {
    home.cleanup();
  }
});

withoutSoundCard('without any input device: `emostream serve --mic` refuses to start, with the same one line and exit code 8', () => {
  const home = noAlsa('noalsa-serve');
  try {
    const r = cli(['serve', '--mic', '--port', '0'], { HOME: home.path });
    assert.is(r.status, 8, r.stderr);
    assert.equal(r.stderr.trim().split('\n'), [noInputLine]);
  } finally {
    home.cleanup();
  }
});

test('naudiodon not installed / failed to build: each gives its own one line, exit 8, in both `devices` modes', () => {
  // A preload (inherited by the naudiodon host process through NODE_OPTIONS) makes naudiodon unresolvable or broken.
  const home = tempDir('naudiodon-hook');
  try {
    const hook = join(home.path, 'hook.cjs');
    writeFileSync(hook, `const Module = require('node:module');
const mode = process.env.EMOSTREAM_TEST_NAUDIODON;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'naudiodon' && mode === 'missing') throw Object.assign(new Error("Cannot find module 'naudiodon'"), { code: 'MODULE_NOT_FOUND' });
  return resolve.call(this, request, ...rest);
};
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'naudiodon' && mode === 'broken') throw new Error('/x/naudiodon.node: invalid ELF header');
  return load.call(this, request, ...rest);
};
`);
    const expected = {
      missing: `emostream: ${NAUDIODON_NOT_INSTALLED_MESSAGE}`,
      broken: 'emostream: naudiodon is installed but failed to load (/x/naudiodon.node: invalid ELF header): its native build probably failed; reinstall it with a C++ toolchain and the ALSA headers (npm rebuild naudiodon)',
    };
    for (const mode of ['missing', 'broken'] as const) {
      for (const args of [['devices'], ['devices', '--json'], ['serve', '--mic', '--port', '0']]) {
        const r = cli(args, { EMOSTREAM_TEST_NAUDIODON: mode, NODE_OPTIONS: `--require ${hook}` });
        assert.is(r.status, 8, `${mode} ${args.join(' ')}: ${r.stderr}`);
        assert.equal(r.stderr.trim().split('\n'), [expected[mode]], `${mode} ${args.join(' ')}`);
      }
    }
  } finally {
    home.cleanup();
  }
});

withNaudiodon('`serve --mic nullin` captures for real (results arrive) and prints no ALSA/PortAudio chatter', async () => {
  const home = nullDeviceHome('alsa-serve', tone(16000 * 6));
  const child = spawn(process.execPath, ['bin/emostream.js', 'serve', '--mic', 'nullin', '--port', '0', '--workers', '0', '--model', 'speech'],
    { cwd: root, env: { ...process.env, HOME: home.path } });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        const m = /serving mic on (http:\/\/\S+)/.exec(stderr);
        if (m) resolve(m[1]);
      });
      void exited.then((code) => reject(new Error(`serve exited (${code}): ${stderr}`)));
    });
    const results = await connectClient(`${url.replace('http', 'ws')}/results?stream=mic`);
    const first = await results.waitFor((m) => m.type === 'av', 'a result from the microphone');
    assert.is(first.stream, 'mic');
    results.ws.close();
  } finally {
    child.kill('SIGINT');
    home.cleanup();
  }
  assert.is(await exited, 0, stderr);
  assert.not.match(stderr, /ALSA|PortAudio|Expression/, 'no native chatter on stderr');
});

test.run();
