/**
 * Geometry, words and colours of the circumplex plane, shared by the overlay and stage pages (their scripts embed
 * these very functions with `Function.prototype.toString`, see `circumplexScript`) and by the tests that check the
 * pixels. Each function is self-contained (no imports, no outer variables) so its source runs in the browser.
 *
 * - `discPoint`: the model's values live in the square [−1, 1]² (valence, arousal); the plane is drawn as a disc.
 *   The square is mapped onto the unit disc by the elliptical grid mapping (Fong 2015, "Analytical methods for
 *   squaring the disc"): x = v·√(1 − a²/2), y = a·√(1 − v²/2), after clamping to the square. Axes map to themselves,
 *   the corners (±1, ±1) to the rim at 45°, and every point of the square lands inside the disc: angry speech
 *   (a ≈ +0.8, v ≈ −0.7) sits near the rim, not outside it.
 * - `moodWord`: the octant of the plane named in plain words (Russell 1980's circumplex order): pleased, excited,
 *   alert, tense, upset, sad, tired, calm; "slightly …" within 0.45 of the centre, "neutral" within 0.2.
 * - `moodColor`: hue by angle (excited amber, tense red, sad blue, calm green), saturation by distance from the
 *   centre (grey at the centre): a colour a viewer reads at a glance.
 */

/** Maps (valence, arousal) ∈ [−1, 1]² (clamped) onto the unit disc: [x, y] with x → right, y → up. */
export function discPoint(valence: number, arousal: number): [number, number] {
  const v = Math.max(-1, Math.min(1, Number.isFinite(valence) ? valence : 0));
  const a = Math.max(-1, Math.min(1, Number.isFinite(arousal) ? arousal : 0));
  return [v * Math.sqrt(1 - (a * a) / 2), a * Math.sqrt(1 - (v * v) / 2)];
}

/** The word for a point of the plane (see the module header). */
export function moodWord(valence: number, arousal: number): string {
  const r = Math.hypot(valence, arousal);
  if (r < 0.2) return 'neutral';
  const words = ['pleased', 'excited', 'alert', 'tense', 'upset', 'sad', 'tired', 'calm'];
  const angle = Math.atan2(arousal, valence); // 0 = positive valence, π/2 = high arousal
  const octant = Math.round(angle / (Math.PI / 4));
  return (r < 0.45 ? 'slightly ' : '') + words[(octant + 8) % 8]!;
}

/** A CSS colour for a point of the plane (see the module header); `alpha` in [0, 1]. */
export function moodColor(valence: number, arousal: number, alpha: number): string {
  const angle = (Math.atan2(arousal, valence) * 180) / Math.PI; // −180 … 180, 0 = pleased
  // [angle, hue]: upset crimson, sad blue, tired teal, calm green, pleased yellow-green, excited amber, alert orange,
  // tense red, upset again (hues decrease monotonically with the angle, wrapped at the end).
  const anchors = [[-180, 330], [-135, 240], [-90, 200], [-45, 150], [0, 90], [45, 45], [90, 25], [135, 0], [180, -30]];
  let hue = 0;
  for (let k = 1; k < anchors.length; k++) {
    const [a0, h0] = anchors[k - 1]!, [a1, h1] = anchors[k]!;
    if (angle <= a1!) {
      const f = (angle - a0!) / (a1! - a0!);
      hue = h0! + (h1! - h0!) * f;
      break;
    }
  }
  const r = Math.min(1, Math.hypot(valence, arousal));
  return `hsla(${Math.round((hue + 360) % 360)}, ${Math.round(25 + 60 * r)}%, ${Math.round(62 - 6 * r)}%, ${alpha})`;
}

/**
 * Where the overlay widget sits: a square box of side S = size · min(w, h) in `corner` ('center', 'top-left',
 * 'top-right', 'bottom-left', 'bottom-right') with a margin of 0.03 · min(w, h), the disc's centre at the box's
 * horizontal middle and 0.42 S from its top, radius R = 0.3 S (room for the labels and the readout below).
 */
export function widgetLayout(w: number, h: number, size: number, corner: string): { x: number; y: number; s: number; cx: number; cy: number; r: number } {
  const s = size * Math.min(w, h);
  const m = corner === 'center' ? 0 : 0.03 * Math.min(w, h);
  const x = corner === 'center' ? (w - s) / 2 : corner.endsWith('left') ? m : w - m - s;
  const y = corner === 'center' ? (h - s) / 2 : corner.startsWith('top') ? m : h - m - s;
  return { x, y, s, cx: x + s / 2, cy: y + 0.42 * s, r: 0.3 * s };
}

/**
 * The functions as browser script source, preceded by a no-op `__name` (the TypeScript runner used in
 * development wraps inner functions in `__name(…)`; the compiled package does not).
 */
export function circumplexScript(): string {
  return `const __name = (f) => f;\n${[discPoint, moodWord, moodColor, widgetLayout].map((f) => f.toString()).join('\n')}\n`;
}
