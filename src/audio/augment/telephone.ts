/**
 * Telephone channel (narrow-band PSTN, ITU-T G.712-like pass band): at 16 kHz a 300–3400 Hz band-limit
 * (4th-order Butterworth high-pass, −3 dB at 300 Hz, and 8th-order Chebyshev type I low-pass, 0.5 dB
 * ripple up to 3400 Hz; biquad.ts), then Speex resampling to 8 kHz (src/audio/resample.ts, quality 7),
 * a G.711 round trip at 8 kHz (μ-law or A-law, g711.ts; 'none' skips it) and resampling back to 16 kHz;
 * the output has the input's length (the resamplers add no delay). Measured (test): 100 Hz and 3.9 kHz
 * tones lose ≥ 20 dB, 1 kHz passes within 1 dB.
 */
import { aLawDecode, aLawEncode, muLawDecode, muLawEncode } from '../g711.ts';
import { resample } from '../resample.ts';
import { biquadCascade, butterworthHighpass, chebyshev1Lowpass, type Biquad } from './biquad.ts';

/** Codec of the telephone round trip. */
export type TelephoneCodec = 'mulaw' | 'alaw' | 'none';

/** The codecs, for validation. */
export const TELEPHONE_CODECS: readonly TelephoneCodec[] = Object.freeze(['mulaw', 'alaw', 'none']);

/** The band-limiting cascade at 16 kHz (high-pass then low-pass). */
export const TELEPHONE_BAND: readonly Biquad[] = Object.freeze([
  ...butterworthHighpass(4, 300, 16000),
  ...chebyshev1Lowpass(8, 0.5, 3400, 16000),
]);

/** Narrow-band rate of the channel, Hz. */
export const TELEPHONE_RATE_HZ = 8000;

/**
 * Passes 16 kHz audio through the telephone channel.
 * @param x 16 kHz samples (not modified)
 * @param codec G.711 law at 8 kHz, or 'none' (band-limit and resampling only)
 */
export async function telephoneChannel(x: Float32Array, codec: TelephoneCodec): Promise<Float32Array> {
  const band = biquadCascade(x, TELEPHONE_BAND);
  const narrow = await resample(band, 16000, TELEPHONE_RATE_HZ);
  if (codec !== 'none') {
    const codes = new Uint8Array(narrow.length);
    if (codec === 'mulaw') muLawDecode(muLawEncode(narrow, codes), narrow);
    else aLawDecode(aLawEncode(narrow, codes), narrow);
  }
  const wide = await resample(narrow, TELEPHONE_RATE_HZ, 16000);
  return wide.length === x.length ? wide : wide.slice(0, x.length);
}
