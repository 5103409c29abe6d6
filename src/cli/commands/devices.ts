/** `emostream devices`: lists the audio input devices (naudiodon/PortAudio) usable with `serve --mic`. */
import { EmostreamError } from '../../errors.ts';
import { listInputDevices, NO_DEVICE_MESSAGE } from '../../audio/sources/mic-source.ts';
import { parseCommandArgs } from '../args.ts';

export const DEVICES_HELP = `Usage: emostream devices [--json]

Lists audio input devices: index, name, channels, default rate, host API. Select one with
'emostream serve --mic <index|name>' (no value: the default device).

Options:
  --json    one JSON array instead of a table`;

export async function runDevices(argv: readonly string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, { json: { type: 'boolean', default: false } }, 'devices');
  const devices = await listInputDevices();
  if (values.json) {
    process.stdout.write(JSON.stringify(devices) + '\n');
    return;
  }
  if (devices.length === 0) throw new EmostreamError('EMO_ERR_DEVICE', NO_DEVICE_MESSAGE);
  const lines = devices.map((d) => `${String(d.index).padStart(3)}  ${d.name.padEnd(32)} ${String(d.maxInputChannels).padStart(3)} ch  ${Math.round(d.defaultSampleRateHz)} Hz  ${d.hostApi}`);
  process.stdout.write(['  #  name                              channels  rate      api', ...lines].join('\n') + '\n');
}
