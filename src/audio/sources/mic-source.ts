/**
 * Microphone source through naudiodon (PortAudio), an optional native dependency run in a child process
 * (naudiodon-child.ts), so PortAudio/ALSA's native chatter never reaches the terminal and a native crash ends only the
 * capture. When capture is impossible the source fails with one line that names the cause (EMO_ERR_DEVICE):
 * naudiodon not installed, naudiodon failed to build/load, or no input device (input-devices.ts). Capture is mono
 * float32 at the device's default rate (the pipeline resamples). Devices are chosen by index or by (part of) their name.
 */
import { createRequire } from 'node:module';
import { Observable } from 'rxjs';
import { createPcmParser } from '../pcm.ts';
import { EmostreamError } from '../../errors.ts';
import { naudiodonError, type InputDevice } from './input-devices.ts';
import { startNaudiodonHost, type HostMessage } from './naudiodon-child.ts';
import type { AudioChunk, StreamSource } from './types.ts';

export {
  selectInputDevice, NO_DEVICE_MESSAGE, NAUDIODON_NOT_INSTALLED_MESSAGE, naudiodonFailedMessage, type InputDevice,
} from './input-devices.ts';

let loaded: Promise<unknown> | undefined;

/**
 * Loads naudiodon in this process (to learn whether it works, e.g. in tests; capture itself never uses this copy);
 * EMO_ERR_DEVICE if it is missing or failed to build.
 */
export function loadNaudiodon(): Promise<unknown> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    try {
      require.resolve('naudiodon');
    } catch {
      throw naudiodonError('not-installed', '');
    }
    try {
      return require('naudiodon') as unknown;
    } catch (err) {
      throw naudiodonError('failed-to-load', (err as Error).message.split('\n')[0]);
    }
  })();
  return loaded;
}

/** The error of a host answer that ends its work abnormally, or undefined. */
function hostFailure(message: HostMessage): EmostreamError | undefined {
  if (message.type === 'unavailable') return naudiodonError(message.cause, message.detail);
  if (message.type === 'error') return new EmostreamError(message.code, message.message);
  return undefined;
}

/** Lists the input devices PortAudio sees (empty when there are none); EMO_ERR_DEVICE when naudiodon cannot load. */
export function listInputDevices(): Promise<InputDevice[]> {
  return new Promise((resolve, reject) => {
    const host = startNaudiodonHost({ mode: 'list' }, (message) => {
      const failure = hostFailure(message);
      if (failure) reject(failure);
      else if (message.type === 'devices') resolve([...message.devices]);
      host.stop();
    }, (why) => reject(new EmostreamError('EMO_ERR_DEVICE', `the audio device probe ${why} without an answer`)));
  });
}

/** Options of `micSource`. */
export interface MicSourceOptions {
  /** Stream id. Default 'mic'. */
  readonly streamId?: string;
  /** Device index or name (see `selectInputDevice`). Default: the default device. */
  readonly device?: string;
  /** Capture rate in Hz. Default: the device's default rate. */
  readonly sampleRateHz?: number;
}

/** A source capturing mono float32 audio from an input device (in a naudiodon host process while subscribed). */
export function micSource(options: MicSourceOptions = {}): StreamSource {
  const streamId = options.streamId ?? 'mic';
  const chunks = new Observable<AudioChunk>((subscriber) => {
    const parser = createPcmParser('f32le');
    let rate = 0;
    const host = startNaudiodonHost({ mode: 'capture', device: options.device, sampleRateHz: options.sampleRateHz }, (message) => {
      const failure = hostFailure(message);
      if (failure) subscriber.error(failure);
      else if (message.type === 'started') rate = message.sampleRateHz;
      else if (message.type === 'end') subscriber.complete();
      else if (message.type === 'audio') {
        const samples = parser.push(message.data);
        if (samples.length > 0) subscriber.next({ streamId, samples, sampleRateHz: rate, arrivedAtMs: performance.now() });
      }
    }, (why) => subscriber.error(new EmostreamError('EMO_ERR_DEVICE', `audio capture ${why}`)));
    return () => host.stop();
  });
  return { streamId, kind: 'mic', chunks };
}
