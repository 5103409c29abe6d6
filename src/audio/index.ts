/** Public API of src/audio: decoding, mono mixdown, resampling and raw PCM parsing. */
export { decodeAudio, sniffContainer, type AudioContainer, type DecodedAudio, type DecodeOptions } from './decode.ts';
export { encodeWav, decodeWav, type WavSampleFormat, type WavAudio, type EncodeWavOptions } from './wav.ts';
export { toMono } from './mixdown.ts';
export {
  resample,
  createStreamingResampler,
  validateResampleOptions,
  ANALYSIS_RATE_HZ,
  DEFAULT_RESAMPLE_OPTIONS,
  type ResampleOptions,
  type StreamingResampler,
} from './resample.ts';
export { createPcmParser, type PcmFormat, type PcmParser } from './pcm.ts';
export { loadAudioFile, DEFAULT_LOAD_OPTIONS, type LoadAudioOptions, type LoadedAudio } from './load-file.ts';
export { muLawEncode, muLawDecode, aLawEncode, aLawDecode, G711_FULL_SCALE } from './g711.ts';
export * from './augment/index.ts';
