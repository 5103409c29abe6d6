// Arousal and valence once per second of an audio file, with the shipped speech model (the same numbers as
// `emostream analyse` and the live server).
// Usage: node analyse-file.mjs <audio file> [speech|music|model.onnx]
import { analyseFile, EmostreamError } from 'emostream';

const [path, model = 'speech'] = process.argv.slice(2);
if (!path) {
  console.error('usage: node analyse-file.mjs <audio file> [speech|music|model.onnx]');
  process.exit(2);
}
try {
  for (const e of await analyseFile(path, { model })) {
    console.log(`t=${e.t}s arousal ${e.arousal.toFixed(3)} valence ${e.valence.toFixed(3)} (${e.model})`);
  }
} catch (err) {
  if (!(err instanceof EmostreamError)) throw err;
  console.error(`${err.code}: ${err.message}`);
  process.exit(1);
}
