/**
 * Minimal hand-written SVG line charts for the trainer's reports (no plotting dependency):
 * linear axes with "nice" ticks (1, 2, 5 × 10^k steps), one polyline path per series (NaN values
 * break the line into separate sub-paths), a title, axis labels and a legend.
 */

/** One plotted series. */
export interface Series {
  readonly label: string;
  /** y value per x index (x = index · xStep + xStart); NaN = gap. */
  readonly values: ArrayLike<number>;
  /** CSS colour. */
  readonly color: string;
  readonly dashed?: boolean;
}

/** Options of `lineChartSvg`. */
export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** x of index 0. Default 0. */
  readonly xStart?: number;
  /** x distance between indices. Default 1. */
  readonly xStep?: number;
  /** Fixed y range; default: the data's range (padded 5 %). */
  readonly yRange?: readonly [number, number];
  /** Pixel size. Default 720 × 320. */
  readonly width?: number;
  readonly height?: number;
}

/** Escapes text for XML content and attributes. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Tick positions covering [lo, hi] with about `target` steps of 1, 2 or 5 × 10^k. */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return out;
}

function fmtTick(v: number): string {
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(6)));
}

/** Renders series as an SVG line chart (a complete standalone document). */
export function lineChartSvg(series: readonly Series[], o: LineChartOptions): string {
  const W = o.width ?? 720, H = o.height ?? 320;
  const m = { l: 56, r: 150, t: 30, b: 42 };
  const pw = W - m.l - m.r, ph = H - m.t - m.b;
  const xStart = o.xStart ?? 0, xStep = o.xStep ?? 1;
  const n = Math.max(1, ...series.map((s) => s.values.length));
  let [ylo, yhi] = o.yRange ?? [Infinity, -Infinity];
  if (!o.yRange) {
    for (const s of series) for (let i = 0; i < s.values.length; i++) if (Number.isFinite(s.values[i]!)) (ylo = Math.min(ylo, s.values[i]!)), (yhi = Math.max(yhi, s.values[i]!));
    if (!Number.isFinite(ylo)) [ylo, yhi] = [0, 1];
    const pad = (yhi - ylo) * 0.05 || 0.5;
    [ylo, yhi] = [ylo - pad, yhi + pad];
  }
  const x0 = xStart, x1 = xStart + Math.max(1, n - 1) * xStep;
  const px = (x: number): number => m.l + ((x - x0) / (x1 - x0)) * pw;
  const py = (y: number): number => m.t + (1 - (y - ylo) / (yhi - ylo)) * ph;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="white"/>`,
    `<text x="${m.l}" y="18" font-size="13" font-weight="bold">${escapeXml(o.title)}</text>`,
  ];
  for (const t of niceTicks(ylo, yhi)) {
    const y = py(t).toFixed(1);
    parts.push(`<line x1="${m.l}" y1="${y}" x2="${m.l + pw}" y2="${y}" stroke="#e4e4e4"/>`, `<text x="${m.l - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${fmtTick(t)}</text>`);
  }
  for (const t of niceTicks(x0, x1, 8)) {
    const x = px(t).toFixed(1);
    parts.push(`<line x1="${x}" y1="${m.t + ph}" x2="${x}" y2="${m.t + ph + 4}" stroke="#333"/>`, `<text x="${x}" y="${m.t + ph + 16}" text-anchor="middle">${fmtTick(t)}</text>`);
  }
  parts.push(
    `<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`,
    `<text x="${m.l + pw / 2}" y="${H - 6}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`,
    `<text x="14" y="${m.t + ph / 2}" text-anchor="middle" transform="rotate(-90 14 ${m.t + ph / 2})">${escapeXml(o.yLabel)}</text>`,
  );
  series.forEach((s, k) => {
    let d = '', pen = false;
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i]!;
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${px(xStart + i * xStep).toFixed(1)} ${py(v).toFixed(1)} `;
      pen = true;
    }
    const dash = s.dashed ? ' stroke-dasharray="5 3"' : '';
    if (d) parts.push(`<path d="${d.trim()}" fill="none" stroke="${escapeXml(s.color)}" stroke-width="1.5"${dash}/>`);
    const ly = m.t + 10 + k * 16;
    parts.push(
      `<line x1="${m.l + pw + 10}" y1="${ly}" x2="${m.l + pw + 30}" y2="${ly}" stroke="${escapeXml(s.color)}" stroke-width="2"${dash}/>`,
      `<text x="${m.l + pw + 35}" y="${ly}" dominant-baseline="middle">${escapeXml(s.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
