/**
 * Audio input devices as emostream sees them: the device record, the choice of one by index or name, and the one-line
 * explanations of why capture is impossible. Each line names exactly one cause, the one that applies:
 * naudiodon (the optional native dependency) is not installed, it is installed but failed to build or load, or it
 * works and PortAudio lists no input device.
 */
import { EmostreamError } from '../../errors.ts';

/** An audio input device as listed by `listInputDevices`. */
export interface InputDevice {
  /** PortAudio device index (what `--mic <index>` selects). */
  readonly index: number;
  readonly name: string;
  readonly maxInputChannels: number;
  /** Default sample rate in Hz. */
  readonly defaultSampleRateHz: number;
  /** Host API, e.g. 'ALSA'. */
  readonly hostApi: string;
}

/** Why naudiodon cannot be used: not installed, or installed but its native addon fails to load. */
export type NaudiodonUnavailable = 'not-installed' | 'failed-to-load';

/** The line shown when naudiodon works but PortAudio lists no input device. */
export const NO_DEVICE_MESSAGE = 'no audio input device: PortAudio lists no capture device (no sound card, or none visible to this user or container)';

/** The line shown when naudiodon is not installed. */
export const NAUDIODON_NOT_INSTALLED_MESSAGE = 'microphone capture needs naudiodon, an optional dependency that is not installed '
  + "(npm install naudiodon; it builds with a C++ toolchain and the ALSA headers, e.g. Debian's build-essential libasound2-dev)";

/** The line shown when naudiodon is installed but its native addon fails to load; `detail` is the loader's first line. */
export function naudiodonFailedMessage(detail: string): string {
  return `naudiodon is installed but failed to load (${detail}): its native build probably failed; `
    + 'reinstall it with a C++ toolchain and the ALSA headers (npm rebuild naudiodon)';
}

/** The EMO_ERR_DEVICE error for an unusable naudiodon. */
export function naudiodonError(cause: NaudiodonUnavailable, detail: string): EmostreamError {
  return new EmostreamError('EMO_ERR_DEVICE', cause === 'not-installed' ? NAUDIODON_NOT_INSTALLED_MESSAGE : naudiodonFailedMessage(detail));
}

/** Picks a device by index ("2"), exact name, or unique name substring; undefined/'default' = the first 'default' or first device. */
export function selectInputDevice(devices: readonly InputDevice[], selector?: string): InputDevice {
  if (devices.length === 0) throw new EmostreamError('EMO_ERR_DEVICE', NO_DEVICE_MESSAGE);
  if (selector === undefined || selector === '' || selector === 'default') {
    return devices.find((d) => d.name === 'default') ?? devices[0];
  }
  if (/^\d+$/.test(selector)) {
    const byIndex = devices.find((d) => d.index === Number(selector));
    if (byIndex) return byIndex;
    throw new EmostreamError('EMO_ERR_DEVICE', `no input device with index ${selector} (see 'emostream devices')`);
  }
  const exact = devices.find((d) => d.name === selector);
  if (exact) return exact;
  const matches = devices.filter((d) => d.name.toLowerCase().includes(selector.toLowerCase()));
  if (matches.length === 1) return matches[0];
  const why = matches.length === 0 ? 'no input device matches' : `${matches.length} input devices match`;
  throw new EmostreamError('EMO_ERR_DEVICE', `${why} '${selector}' (see 'emostream devices')`);
}
