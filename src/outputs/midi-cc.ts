/**
 * MIDI control changes of the results (`serve --midi-cc PORT`), as pure bytes:
 *
 *   control change = [0xB0 | (channel − 1), controller, value]        channel 1–16, controller and value 0–127
 *   arousal → CC 20, valence → CC 21, confidence → CC 22              (20–31 are undefined in the MIDI 1.0 table,
 *                                                                       so no synth, desk or DAW gives them a meaning)
 *   value = round((clamp(x, −1, 1) + 1) / 2 · 127)  for arousal and valence (−1 → 0, 0 → 64, +1 → 127)
 *   value = round(clamp(c, 0, 1) · 127)             for confidence
 *
 * Streams get one MIDI channel each, in the order their first result arrives, from `--midi-channel` (default 1) on;
 * a stream beyond channel 16 is not sent (the server prints a note).
 */
import { EmostreamError } from '../errors.ts';

/** Controller numbers. */
export const MIDI_CC = Object.freeze({ arousal: 20, valence: 21, confidence: 22 } as const);

/** Status nibble of a control change. */
export const CONTROL_CHANGE = 0xb0;

/** A 7-bit controller value of arousal or valence. */
export function avToCc(x: number): number {
  return Math.round(((Math.min(1, Math.max(-1, x)) + 1) / 2) * 127);
}

/** A 7-bit controller value of a confidence in [0, 1]. */
export function confidenceToCc(c: number): number {
  return Math.round(Math.min(1, Math.max(0, c)) * 127);
}

/** The three bytes of one control change (EMO_ERR_USAGE for an out-of-range channel, controller or value). */
export function controlChange(channel: number, controller: number, value: number): [number, number, number] {
  if (!Number.isInteger(channel) || channel < 1 || channel > 16) throw new EmostreamError('EMO_ERR_USAGE', `MIDI channel must be 1–16, got ${channel}`);
  if (!Number.isInteger(controller) || controller < 0 || controller > 127) throw new EmostreamError('EMO_ERR_USAGE', `MIDI controller must be 0–127, got ${controller}`);
  if (!Number.isInteger(value) || value < 0 || value > 127) throw new EmostreamError('EMO_ERR_USAGE', `MIDI value must be 0–127, got ${value}`);
  return [CONTROL_CHANGE | (channel - 1), controller, value];
}

/** The control changes of one stream's values on `channel` (confidence left out when null or NaN). */
export function valueControlChanges(channel: number, values: { readonly arousal: number; readonly valence: number; readonly confidence: number | null }): [number, number, number][] {
  const out = [controlChange(channel, MIDI_CC.arousal, avToCc(values.arousal)), controlChange(channel, MIDI_CC.valence, avToCc(values.valence))];
  if (values.confidence !== null && !Number.isNaN(values.confidence)) out.push(controlChange(channel, MIDI_CC.confidence, confidenceToCc(values.confidence)));
  return out;
}
