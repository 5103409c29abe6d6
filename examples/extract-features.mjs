// Pooled ComParE 2013 features of an audio file: 260 values per second (mean and SD of 65 LLDs + 65 deltas
// over 2 s windows, 1 s hop), and the 10 ms LLD frames.
// Usage: node extract-features.mjs <audio file>
import { extractFeatures, POOLED_FEATURE_NAMES, FRAME_COLUMN_NAMES } from 'emostream';

const path = process.argv[2];
if (!path) {
  console.error('usage: node extract-features.mjs <audio file>');
  process.exit(2);
}
const f = await extractFeatures(path, { llds: true });
console.log(`${f.frameCount} frames × ${FRAME_COLUMN_NAMES.length} LLD values, ${f.windowCount} windows × ${POOLED_FEATURE_NAMES.length} features at ${f.analysisRateHz} Hz`);
const energy = POOLED_FEATURE_NAMES.indexOf('pcm_RMSenergy_sma_amean');
for (let w = 0; w < f.windowCount; w++) {
  console.log(`window ending at ${f.windowEndTimesS[w]} s: mean RMS energy ${f.windows[w * POOLED_FEATURE_NAMES.length + energy].toFixed(4)}`);
}
