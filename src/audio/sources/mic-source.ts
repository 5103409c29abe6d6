/**
 * Microphone source through naudiodon (PortAudio), an optional dependency loaded with a dynamic import: without it,
 * or without any input device, the source fails with one clear line (EMO_ERR_DEVICE). Capture is mono float32 at
 * the device's default rate (the pipeline resamples). Devices are chosen by index or by (part of) their name.
 */
import { createRequire } from 'node:module';
import { Observable } from 'rxjs';
import { createPcmParser } from '../pcm.ts';
import { EmostreamError } from '../../errors.ts';
import type { AudioChunk, StreamSource } from './types.ts';

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

interface NaudiodonModule {
  getDevices(): Array<{ id: number; name: string; maxInputChannels: number; defaultSampleRate: number; hostAPIName: string }>;
  AudioIO: new (options: object) => NodeJS.EventEmitter & { start(): void; quit(cb?: () => void): void };
  SampleFormatFloat32: number;
}

/** The one line shown when capture is impossible. */
export const NO_DEVICE_MESSAGE = 'no audio input device / naudiodon not installed';

let loaded: Promise<NaudiodonModule> | undefined;

/** Loads naudiodon (a native optional dependency); EMO_ERR_DEVICE if it is missing or failed to build. */
export function loadNaudiodon(): Promise<NaudiodonModule> {
  loaded ??= (async () => {
    try {
      // createRequire: naudiodon is CommonJS with a native addon; a failed build throws here, not at startup.
      return createRequire(import.meta.url)('naudiodon') as NaudiodonModule;
    } catch (err) {
      throw new EmostreamError('EMO_ERR_DEVICE', `${NO_DEVICE_MESSAGE} (${(err as Error).message.split('\n')[0]})`, { cause: err });
    }
  })();
  return loaded;
}

/** Lists the input devices PortAudio sees (empty when there are none); EMO_ERR_DEVICE without naudiodon. */
export async function listInputDevices(): Promise<InputDevice[]> {
  const na = await loadNaudiodon();
  return na.getDevices()
    .filter((d) => d.maxInputChannels > 0)
    .map((d) => ({ index: d.id, name: d.name, maxInputChannels: d.maxInputChannels, defaultSampleRateHz: d.defaultSampleRate, hostApi: d.hostAPIName }));
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

/** Options of `micSource`. */
export interface MicSourceOptions {
  /** Stream id. Default 'mic'. */
  readonly streamId?: string;
  /** Device index or name (see `selectInputDevice`). Default: the default device. */
  readonly device?: string;
  /** Capture rate in Hz. Default: the device's default rate. */
  readonly sampleRateHz?: number;
}

/** A source capturing mono float32 audio from an input device. */
export function micSource(options: MicSourceOptions = {}): StreamSource {
  const streamId = options.streamId ?? 'mic';
  const chunks = new Observable<AudioChunk>((subscriber) => {
    let io: { quit(cb?: () => void): void } | undefined;
    let closed = false;
    (async () => {
      const na = await loadNaudiodon();
      const device = selectInputDevice(await listInputDevices(), options.device);
      const rate = options.sampleRateHz ?? Math.round(device.defaultSampleRateHz);
      if (closed) return;
      const parser = createPcmParser('f32le');
      let stream: InstanceType<NaudiodonModule['AudioIO']>;
      try {
        stream = new na.AudioIO({
          inOptions: { channelCount: 1, sampleFormat: na.SampleFormatFloat32, sampleRate: rate, deviceId: device.index, closeOnError: true },
        });
      } catch (err) {
        throw new EmostreamError('EMO_ERR_DEVICE', `cannot open input device ${device.index} '${device.name}': ${(err as Error).message}`, { cause: err });
      }
      io = stream;
      stream.on('data', (data: Buffer) => {
        const samples = parser.push(data);
        if (samples.length > 0) subscriber.next({ streamId, samples, sampleRateHz: rate, arrivedAtMs: performance.now() });
      });
      stream.on('error', (err: Error) => subscriber.error(new EmostreamError('EMO_ERR_DEVICE', `capture failed: ${err.message}`, { cause: err })));
      stream.on('end', () => subscriber.complete());
      stream.start();
    })().catch((err: unknown) => subscriber.error(err));
    return () => {
      closed = true;
      io?.quit();
      io = undefined;
    };
  });
  return { streamId, kind: 'mic', chunks };
}
