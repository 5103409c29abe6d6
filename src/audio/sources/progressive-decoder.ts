/**
 * Progressive decoders for network streams: MP3 (mpg123-decoder's MPEGDecoder, WASM) and Ogg Vorbis
 * (@wasm-audio-decoders/ogg-vorbis), both fed byte blocks of any size as they arrive. Output is mixed to mono
 * (channel average, as `toMono`). The container is chosen from the first bytes (`sniffContainer`).
 */
import { MPEGDecoder } from 'mpg123-decoder';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { sniffContainer, type AudioContainer } from '../decode.ts';
import { toMono } from '../mixdown.ts';
import { EmostreamError } from '../../errors.ts';

/** Mono samples decoded from one block, at `sampleRateHz` (0 samples: nothing complete yet). */
export interface DecodedBlock {
  readonly samples: Float32Array;
  readonly sampleRateHz: number;
}

/** A stateful decoder of one compressed stream. */
export interface ProgressiveDecoder {
  readonly container: AudioContainer;
  /** Decodes the next bytes; returns whatever audio became complete. */
  decode(bytes: Uint8Array): Promise<DecodedBlock>;
  /** End of input: returns the remaining audio. */
  flush(): Promise<DecodedBlock>;
  /** Frees the WASM decoder; idempotent. */
  release(): void;
}

/** Containers `createProgressiveDecoder` can stream. */
export const STREAMABLE_CONTAINERS: readonly AudioContainer[] = Object.freeze(['mp3', 'ogg']);

const EMPTY: DecodedBlock = Object.freeze({ samples: new Float32Array(0), sampleRateHz: 0 });

function toBlock(channelData: Float32Array[], samplesDecoded: number, sampleRateHz: number): DecodedBlock {
  if (samplesDecoded === 0 || channelData.length === 0) return EMPTY;
  const mono = toMono(channelData.map((c) => c.subarray(0, samplesDecoded)));
  return { samples: mono === channelData[0] ? mono.slice() : mono, sampleRateHz };
}

/** Creates a progressive decoder for the container detected in `head` (the stream's first bytes). */
export async function createProgressiveDecoder(head: Uint8Array, name: string): Promise<ProgressiveDecoder> {
  const container = sniffContainer(head);
  if (container === 'mp3') {
    const decoder = new MPEGDecoder();
    await decoder.ready;
    let freed = false;
    return {
      container,
      async decode(bytes) {
        const out = decoder.decode(bytes);
        return toBlock(out.channelData, out.samplesDecoded, out.sampleRate);
      },
      async flush() { return EMPTY; },
      release() { if (!freed) { freed = true; decoder.free(); } },
    };
  }
  if (container === 'ogg') {
    const decoder = new OggVorbisDecoder();
    await decoder.ready;
    let freed = false;
    return {
      container,
      async decode(bytes) {
        const out = await decoder.decode(bytes);
        return toBlock(out.channelData, out.samplesDecoded, out.sampleRate);
      },
      async flush() {
        const out = await decoder.flush();
        return toBlock(out.channelData, out.samplesDecoded, out.sampleRate);
      },
      release() { if (!freed) { freed = true; decoder.free(); } },
    };
  }
  throw new EmostreamError('EMO_ERR_DECODE', `${name}: stream is not MP3 or Ogg Vorbis (detected '${container}'); only these can be decoded progressively`);
}
