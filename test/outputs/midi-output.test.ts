import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { avToCc, confidenceToCc, controlChange, MIDI_CC, valueControlChanges } from '../../src/outputs/midi-cc.ts';
import { MIDI_NOT_INSTALLED_MESSAGE, openMidiOutput } from '../../src/outputs/midi-output.ts';
import type { AvResult } from '../../src/pipeline/types.ts';
import { runCli } from '../server/helpers.ts';
import { tempDir } from '../pipeline/helpers.ts';

const test = suite('outputs/midi (CC bytes; the host process with a stand-in RtMidi; the one-line errors)');
const dir = tempDir('midi');
test.after(() => dir.cleanup());

// A preload inherited by the MIDI host process (NODE_OPTIONS) replaces @julusian/midi: missing, broken, no MIDI system,
// no ports, or two ports whose sendMessage appends the bytes to a log file. The real library needs a MIDI system
// (the ALSA sequencer), which this machine does not have.
const hook = join(dir.path, 'midi-hook.cjs');
writeFileSync(hook, `const Module = require('node:module');
const fs = require('node:fs');
const mode = process.env.EMOSTREAM_TEST_MIDI;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === '@julusian/midi' && mode) {
    if (mode === 'missing') throw Object.assign(new Error("Cannot find module '@julusian/midi'"), { code: 'MODULE_NOT_FOUND' });
    return '/stand-in/midi.js';
  }
  return resolve.call(this, request, ...rest);
};
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request !== '@julusian/midi' || !mode) return load.call(this, request, ...rest);
  if (mode === 'broken') throw new Error('/x/midi.node: invalid ELF header');
  const ports = mode === 'ports' ? ['Midi Through Port-0', 'USB Synth MIDI 1'] : [];
  return { Output: class {
    constructor() { if (mode === 'no-backend') throw new Error('Failed to initialise RtMidi'); process.stderr.write('ALSA lib seq_hw.c: native chatter\\n'); }
    getPortCount() { return ports.length; }
    getPortName(k) { return ports[k]; }
    openPort(k) { fs.appendFileSync(process.env.EMOSTREAM_TEST_MIDI_LOG, 'open ' + k + '\\n'); }
    sendMessage(bytes) { fs.appendFileSync(process.env.EMOSTREAM_TEST_MIDI_LOG, JSON.stringify(bytes) + '\\n'); }
    closePort() { fs.appendFileSync(process.env.EMOSTREAM_TEST_MIDI_LOG, 'close\\n'); }
  } };
};
`);
const log = join(dir.path, 'midi.log');
function withStandIn<T>(mode: string, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, { EMOSTREAM_TEST_MIDI: mode, EMOSTREAM_TEST_MIDI_LOG: log, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${hook}`.trim() });
  return fn().finally(() => { for (const k of ['EMOSTREAM_TEST_MIDI', 'EMOSTREAM_TEST_MIDI_LOG', 'NODE_OPTIONS']) { if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k]; } });
}
/** Lines of the log once it has `n` (the host writes asynchronously; a guard ends a hang, it is no timing assertion). */
async function logLines(n: number): Promise<string[]> {
  const until = Date.now() + 10000;
  for (;;) {
    const lines = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : [];
    if (lines.length >= n || Date.now() > until) return lines;
    await new Promise((r) => setTimeout(r, 20));
  }
}
const av = (stream: string, arousal: number, valence: number, confidence: number | null): AvResult => ({
  type: 'av', streamId: stream, t: 2, arousal, valence, model: 'speech@1', completedAtMs: 0, confidence, interval: null,
});

test('control change bytes: status 0xB0 | channel − 1, CC 20/21/22, values mapped to 0–127', () => {
  assert.equal(controlChange(1, 20, 0), [0xb0, 20, 0]);
  assert.equal(controlChange(16, 21, 127), [0xbf, 21, 127]);
  assert.equal([avToCc(-1), avToCc(0), avToCc(1), avToCc(-3), avToCc(0.5)], [0, 64, 127, 0, 95]);
  assert.equal([confidenceToCc(0), confidenceToCc(0.5), confidenceToCc(1.2)], [0, 64, 127]);
  assert.equal(valueControlChanges(3, { arousal: 1, valence: -1, confidence: 0.5 }), [[0xb2, MIDI_CC.arousal, 127], [0xb2, MIDI_CC.valence, 0], [0xb2, MIDI_CC.confidence, 64]]);
  assert.equal(valueControlChanges(1, { arousal: 0, valence: 0, confidence: null }).length, 2, 'no confidence CC without confidence');
  assert.throws(() => controlChange(0, 20, 0), /channel must be 1–16/);
  assert.throws(() => controlChange(1, 128, 0), /controller must be 0–127/);
  assert.throws(() => controlChange(1, 20, 64.5), /value must be 0–127/);
});

test('a port that exists: opened by name, one channel per stream, a CC sent only when its value changes', async () => {
  writeFileSync(log, '');
  await withStandIn('ports', async () => {
    const midi = await openMidiOutput({ port: 'usb', rateHz: 0 });
    assert.is(midi.portName, 'USB Synth MIDI 1');
    midi.handle(av('a', 1, -1, null));
    midi.handle(av('b', 0, 0, 0.5));
    midi.handle(av('a', 1, 0, null)); // only valence changed
    const lines = await logLines(7);
    assert.equal(lines, ['open 1', '[176,20,127]', '[176,21,0]', '[177,20,64]', '[177,21,64]', '[177,22,64]', '[176,21,64]']);
    assert.is(midi.messagesSent, 6);
    midi.close();
    assert.equal((await logLines(8)).at(-1), 'close', 'close() closes the port');
  });
});

for (const [mode, selector, expected] of [
  ['missing', '0', MIDI_NOT_INSTALLED_MESSAGE],
  ['broken', '0', '@julusian/midi is installed but failed to load (/x/midi.node: invalid ELF header); reinstall it (npm rebuild @julusian/midi)'],
  ['no-backend', '0', 'no MIDI output: the MIDI system cannot be opened (Failed to initialise RtMidi; on Linux RtMidi needs the ALSA sequencer, /dev/snd/seq)'],
  ['no-ports', '0', "no MIDI output port: the MIDI system lists none (connect a device or create a virtual port, e.g. a DAW's or `modprobe snd-virmidi`)"],
  ['ports', 'launchpad', "no MIDI output port matches 'launchpad' (MIDI output ports: 0 'Midi Through Port-0', 1 'USB Synth MIDI 1')"],
  ['ports', '5', "no MIDI output port 5 (MIDI output ports: 0 'Midi Through Port-0', 1 'USB Synth MIDI 1')"],
] as const) {
  test(`${mode} ${selector}: EMO_ERR_DEVICE with one line naming the cause`, async () => {
    await withStandIn(mode, async () => {
      try {
        await openMidiOutput({ port: selector });
        assert.unreachable();
      } catch (err) {
        assert.is((err as { code: string }).code, 'EMO_ERR_DEVICE');
        assert.is((err as Error).message, expected);
      }
    });
  });
}

test('serve --midi-cc on this machine: exit 8 and exactly one line on stderr (no ALSA chatter), before any model loads', async () => {
  const r = await runCli(['serve', '--ingest', '--port', '0', '--midi-cc', '0']);
  assert.is(r.code, 8, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^emostream: (no MIDI output|MIDI output needs|@julusian\/midi is installed)/);
});

test('serve: bad output options are usage errors (exit 2)', async () => {
  for (const [args, message] of [
    [['--osc', 'localhost'], /--osc wants HOST:PORT/],
    [['--osc', '127.0.0.1:9000', '--motion-hz', '500'], /--motion-hz must be a number 0–240/],
    [['--osc-range', 'percent'], /--osc-range must be raw or unit/],
    [['--midi-channel', '17', '--midi-cc', '0'], /--midi-channel must be a number 1–16/],
  ] as const) {
    const r = await runCli(['serve', '--ingest', '--port', '0', ...args]);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test.run();
