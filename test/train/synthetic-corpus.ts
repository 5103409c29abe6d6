/**
 * A synthetic audio corpus for the trainer's end-to-end tests (a real signal, not a stub): each sequence is a
 * 16 kHz WAV of a harmonic tone plus noise whose loudness changes every few seconds (arousal = a linear map of
 * the level in dB) and whose pitch alternates between a low and a high note (valence −0.5 / +0.5). Targets are
 * 1 Hz inline samples: the value at second T describes the audio at T − 0.5 s. Writes WAVs and a manifest.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeWav } from '../../src/audio/index.ts';
import { createRng } from '../../src/train/fit/engine/index.ts';

const RATE = 16000;
const LEVELS_DB = [-40, -26, -12];
const PITCH_HZ = [180, 360];

/** Writes `count` sequences per domain of `seconds` s each into `dir`; returns the manifest path. */
export async function writeSyntheticCorpus(dir: string, perDomain: number, seconds: number, seed = 1): Promise<string> {
  await mkdir(dir, { recursive: true });
  const rng = createRng(seed);
  const sequences = [];
  for (const domain of ['music', 'speech'] as const) {
    for (let k = 0; k < perDomain; k++) {
      const samples = new Float32Array(seconds * RATE);
      const segLevel: number[] = [], segPitch: number[] = [];
      const segS = 3 + k % 2;
      for (let s = 0; s * segS < seconds; s++) {
        segLevel.push(rng.int(LEVELS_DB.length));
        segPitch.push(rng.int(PITCH_HZ.length));
      }
      let phase = 0;
      for (let i = 0; i < samples.length; i++) {
        const s = Math.floor(i / RATE / segS);
        const amp = 10 ** (LEVELS_DB[segLevel[s]!]! / 20);
        const f0 = PITCH_HZ[segPitch[s]!]! * (domain === 'music' ? 1 : 1.5);
        phase += (2 * Math.PI * f0) / RATE;
        const tone = Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase);
        samples[i] = amp * (0.6 * tone + 0.2 * rng.gaussian());
      }
      const file = `${domain}-${k}.wav`;
      await writeFile(join(dir, file), encodeWav([samples], RATE, 's16'));
      const timeS: number[] = [], arousal: number[] = [], valence: number[] = [];
      for (let T = 1; T <= seconds; T++) {
        const s = Math.floor((T - 0.5) / segS);
        timeS.push(T);
        arousal.push((LEVELS_DB[segLevel[s]!]! + 26) / 20);
        valence.push(segPitch[s] === 1 ? 0.5 : -0.5);
      }
      sequences.push({ id: `${domain}-${k}`, domain, group: `${domain}:${k}`, audio: file, targets: { samples: { timeS, arousal, valence } } });
    }
  }
  const path = join(dir, 'manifest.json');
  await writeFile(path, JSON.stringify({ version: 1, name: 'synthetic-loudness-pitch', sequences }, null, 1));
  return path;
}
