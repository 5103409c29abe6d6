/**
 * The performer outputs of `emostream serve`: OSC over UDP (`--osc HOST:PORT`, repeatable; `--osc-flat`,
 * `--osc-range raw|unit`) and MIDI control changes (`--midi-cc PORT`, `--midi-channel N`), both moving at
 * `--motion-hz` (default 30; 0 = once per result) with optional `--motion-smooth S`. They follow the server's event
 * stream (every stream's results); a bad option or an unusable MIDI port fails before the server starts.
 */
import type { Observable } from 'rxjs';
import { EmostreamError } from '../../errors.ts';
import { openMidiOutput, type MidiOutput } from '../../outputs/midi-output.ts';
import { createOscOutput, type OscOutput } from '../../outputs/osc-output.ts';
import { resolveOscTarget } from '../../outputs/osc-target.ts';
import type { SerializedEvent } from '../../pipeline/serialize.ts';
import type { OptionSpec } from '../args.ts';

/** The option specs (merged into serve's). */
export const OUTPUT_OPTIONS: OptionSpec = {
  osc: { type: 'string', multiple: true },
  'osc-flat': { type: 'boolean', default: false },
  'osc-range': { type: 'string', default: 'raw' },
  'motion-hz': { type: 'string', default: '30' },
  'motion-smooth': { type: 'string', default: '0' },
  'midi-cc': { type: 'string' },
  'midi-channel': { type: 'string', default: '1' },
};

/** The help lines. */
export const OUTPUT_HELP = `Performer outputs (README "For performers"):
  --osc <host:port>     send OSC over UDP: /emostream/<stream>/arousal f, /valence f, /confidence f, /content s;
                        repeatable
  --osc-flat            flat addresses /emostream_<stream>_arousal … (TouchDesigner's OSC In CHOP)
  --osc-range raw|unit  raw: model values, nominally -1…1 (default); unit: (x+1)/2 clamped to 0…1
  --midi-cc <port>      MIDI control changes on an output port (index or name): arousal CC 20, valence CC 21,
                        confidence CC 22; channel 1 for the first stream, 2 for the next, …
  --midi-channel <n>    channel of the first stream (1–16, default 1)
  --motion-hz <n>       OSC/MIDI updates per second, ramping between the 1 s results (default 30; 0 = once per
                        result); the ramp makes the output trail the results by 1 s
  --motion-smooth <s>   smoothing time constant of the results in seconds (default 0 = none; adds about s of lag)`;

/** Running outputs. */
export interface ServeOutputs {
  /** One line per output for the start-up banner. */
  readonly banner: string;
  /** Sends every stream's results from `events` (no-op without outputs). */
  attach(events: Observable<SerializedEvent>): void;
  close(): Promise<void>;
}

function number(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new EmostreamError('EMO_ERR_USAGE', `serve: --${name} must be a number ${min}–${max}, got '${value}'`);
  return n;
}

/** Validates the flags and opens the outputs (none when no output flag is given). */
export async function openServeOutputs(values: Record<string, unknown>): Promise<ServeOutputs> {
  const targets = await Promise.all(((values.osc as string[] | undefined) ?? []).map(resolveOscTarget));
  const range = values['osc-range'] as string;
  if (range !== 'raw' && range !== 'unit') throw new EmostreamError('EMO_ERR_USAGE', `serve: --osc-range must be raw or unit, got '${range}'`);
  const rateHz = number('motion-hz', values['motion-hz'] as string, 0, 240);
  const smoothingS = number('motion-smooth', values['motion-smooth'] as string, 0, 60);
  const channel = number('midi-channel', values['midi-channel'] as string, 1, 16);
  if (!Number.isInteger(channel)) throw new EmostreamError('EMO_ERR_USAGE', `serve: --midi-channel must be an integer 1–16, got '${values['midi-channel']}'`);
  const midiPort = values['midi-cc'] as string | undefined;
  const midi: MidiOutput | undefined = midiPort === undefined ? undefined : await openMidiOutput({ port: midiPort, channel, rateHz, smoothingS });
  let osc: OscOutput | undefined;
  try {
    osc = targets.length ? createOscOutput({ targets, rateHz, smoothingS, addresses: values['osc-flat'] ? 'flat' : 'tree', range }) : undefined;
  } catch (err) {
    midi?.close();
    throw err;
  }
  const lines = [
    ...targets.map((t) => `  osc      udp://${t.spec}${t.address !== t.spec.replace(/:\d+$/, '').replace(/^\[|\]$/g, '') ? ` (${t.address})` : ''}`),
    ...(midi ? [`  midi     '${midi.portName}' channel ${channel}+ (arousal CC 20, valence CC 21, confidence CC 22)`] : []),
  ];
  return {
    banner: lines.length ? lines.join('\n') + '\n' : '',
    attach(events) {
      if (!osc && !midi) return;
      events.subscribe((e) => {
        osc?.handle(e.event);
        midi?.handle(e.event);
      });
    },
    async close() {
      midi?.close();
      await osc?.close();
    },
  };
}
