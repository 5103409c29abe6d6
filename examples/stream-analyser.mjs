// Streaming analysis: push audio as it arrives (here: a file's samples in 20 ms blocks, as a telephony or
// microphone callback would deliver them) and receive one estimate per second.
// Usage: node stream-analyser.mjs <audio file>
import { createAnalyser, loadAudioFile } from 'emostream';

const path = process.argv[2];
if (!path) {
  console.error('usage: node stream-analyser.mjs <audio file>');
  process.exit(2);
}
const audio = await loadAudioFile(path, { rate: 'native' });
const analyser = await createAnalyser({
  model: 'speech',
  sampleRateHz: audio.sampleRateHz,
  onEstimate: (e) => console.log(`live: t=${e.t}s arousal ${e.arousal.toFixed(3)} valence ${e.valence.toFixed(3)}`),
});
const block = Math.round(0.02 * audio.sampleRateHz);
for (let at = 0; at < audio.samples.length; at += block) analyser.push(audio.samples.subarray(at, at + block));
const all = await analyser.end();
console.log(`${all.length} seconds analysed`);
