/** Public API of the live audio sources: every source is a `StreamSource` whose chunks are an RxJS Observable. */
export { STREAM_ID_PATTERN, type AudioChunk, type SourceKind, type StreamSource } from './types.ts';
export { fileSource, DEFAULT_FILE_SOURCE_OPTIONS, type FileSourceOptions } from './file-source.ts';
export { readableSource, type ReadableSourceOptions } from './stdin-source.ts';
export { createPushSource, type PushSource } from './push-source.ts';
export { urlSource, type UrlSourceOptions } from './url-source.ts';
export { createProgressiveDecoder, STREAMABLE_CONTAINERS, type DecodedBlock, type ProgressiveDecoder } from './progressive-decoder.ts';
export { listInputDevices, loadNaudiodon, micSource, type MicSourceOptions } from './mic-source.ts';
export {
  selectInputDevice, naudiodonFailedMessage, NAUDIODON_NOT_INSTALLED_MESSAGE, NO_DEVICE_MESSAGE, type InputDevice, type NaudiodonUnavailable,
} from './input-devices.ts';
export { validatePcmStreamFormat, bytesPerSample, MIN_PCM_RATE_HZ, MAX_PCM_RATE_HZ, type PcmStreamFormat } from './pcm-format.ts';
