/**
 * `emostream devices [--json]`: lists the audio input devices (naudiodon/PortAudio) usable with `serve --mic`. When
 * none can be used, both modes exit 8 (EMO_ERR_DEVICE) with one line on stderr naming the cause (naudiodon not
 * installed, failed to build/load, or no input device); `--json` still writes a JSON array (`[]`) to stdout.
 */
import { EmostreamError } from '../../errors.ts';
import { listInputDevices, NO_DEVICE_MESSAGE, type InputDevice } from '../../audio/sources/mic-source.ts';
import { parseCommandArgs } from '../args.ts';

export const DEVICES_HELP = `Usage: emostream devices [--json]

Lists audio input devices: index, name, channels, default rate, host API. Select one with
'emostream serve --mic <index|name>' (no value: the default device).

Without a usable device the command exits 8 with one line saying why: naudiodon (optional dependency) not
installed, naudiodon installed but its native build failed, or no input device. PortAudio/ALSA messages are
hidden (EMOSTREAM_AUDIO_DEBUG=1 shows them).

Options:
  --json    one JSON array instead of a table ([] and exit 8 when no device can be used)`;

export async function runDevices(argv: readonly string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, { json: { type: 'boolean', default: false } }, 'devices');
  let devices: InputDevice[];
  try {
    devices = await listInputDevices();
  } catch (err) {
    if (values.json) process.stdout.write('[]\n');
    throw err;
  }
  if (values.json) process.stdout.write(JSON.stringify(devices) + '\n');
  if (devices.length === 0) throw new EmostreamError('EMO_ERR_DEVICE', NO_DEVICE_MESSAGE);
  if (values.json) return;
  const lines = devices.map((d) => `${String(d.index).padStart(3)}  ${d.name.padEnd(32)} ${String(d.maxInputChannels).padStart(3)} ch  ${Math.round(d.defaultSampleRateHz)} Hz  ${d.hostApi}`);
  process.stdout.write(['  #  name                              channels  rate      api', ...lines].join('\n') + '\n');
}
