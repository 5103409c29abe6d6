/**
 * Entry of the naudiodon host process (started by naudiodon-child.ts with the request as its one argument and an
 * IPC channel). Loads naudiodon, then either lists the input devices or captures mono float32 from one, answering
 * with `HostMessage`s. Everything PortAudio/ALSA print lands on this process's stdout/stderr, which the parent
 * reads and drops. Exits when its work is done or the parent disconnects (closing the device first).
 */
import { createRequire } from 'node:module';
import { EmostreamError } from '../../errors.ts';
import { selectInputDevice, type InputDevice } from './input-devices.ts';
import type { HostMessage, HostRequest } from './naudiodon-child.ts';

interface NaudiodonModule {
  getDevices(): Array<{ id: number; name: string; maxInputChannels: number; defaultSampleRate: number; hostAPIName: string }>;
  AudioIO: new (options: object) => NodeJS.EventEmitter & { start(): void; quit(cb?: () => void): void };
  SampleFormatFloat32: number;
}

const send = (message: HostMessage): Promise<void> => new Promise((resolve) => {
  if (!process.connected) resolve();
  else process.send?.(message, undefined, {}, () => resolve());
});
const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 300);

/** Loads naudiodon, or tells why it cannot be loaded (not installed vs. installed but its addon fails). */
function load(): NaudiodonModule | HostMessage {
  const require = createRequire(import.meta.url);
  try {
    require.resolve('naudiodon');
  } catch {
    return { type: 'unavailable', cause: 'not-installed', detail: '' };
  }
  try {
    return require('naudiodon') as NaudiodonModule;
  } catch (err) {
    return { type: 'unavailable', cause: 'failed-to-load', detail: firstLine(err) };
  }
}

function listDevices(na: NaudiodonModule): InputDevice[] {
  return na.getDevices()
    .filter((d) => d.maxInputChannels > 0)
    .map((d) => ({ index: d.id, name: d.name, maxInputChannels: d.maxInputChannels, defaultSampleRateHz: d.defaultSampleRate, hostApi: d.hostAPIName }));
}

/** Opens the device and streams its audio to the parent until the parent disconnects. */
async function capture(na: NaudiodonModule, request: Extract<HostRequest, { mode: 'capture' }>): Promise<void> {
  const device = selectInputDevice(listDevices(na), request.device);
  const rate = request.sampleRateHz ?? Math.round(device.defaultSampleRateHz);
  let io: InstanceType<NaudiodonModule['AudioIO']>;
  try {
    io = new na.AudioIO({
      inOptions: { channelCount: 1, sampleFormat: na.SampleFormatFloat32, sampleRate: rate, deviceId: device.index, closeOnError: true },
    });
  } catch (err) {
    throw new EmostreamError('EMO_ERR_DEVICE', `cannot open input device ${device.index} '${device.name}': ${firstLine(err)}`, { cause: err });
  }
  const close = (): void => io.quit(() => process.exit(0));
  if (!process.connected) return close(); // the parent left while the device was opened
  process.once('disconnect', close);
  io.on('data', (data: Buffer) => void send({ type: 'audio', data }));
  io.on('error', (err: Error) => void send({ type: 'error', code: 'EMO_ERR_DEVICE', message: `capture failed: ${firstLine(err)}` }).then(() => process.exit(1)));
  io.on('end', () => void send({ type: 'end' }).then(() => process.exit(0)));
  await send({ type: 'started', device, sampleRateHz: rate });
  io.start();
}

async function main(): Promise<void> {
  process.once('disconnect', () => process.exit(0)); // the parent is gone (replaced by capture's own handler)
  const request = JSON.parse(process.argv[2] ?? '{}') as HostRequest;
  const na = load();
  if (!('getDevices' in na)) {
    await send(na);
    process.exit(0);
  }
  try {
    if (request.mode === 'list') {
      await send({ type: 'devices', devices: listDevices(na) });
      process.exit(0);
    }
    process.removeAllListeners('disconnect');
    await capture(na, request);
  } catch (err) {
    const code = err instanceof EmostreamError ? err.code : 'EMO_ERR_DEVICE';
    await send({ type: 'error', code, message: firstLine(err) });
    process.exit(1);
  }
}

void main();
