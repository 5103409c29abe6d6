/**
 * The measurable targets the shipped models are held to (issue 9 §5), checked against a protocol outcome:
 *   speech, outside corpora (clean): mean per-speaker arousal r ≥ 0.60 and high- over low-arousal ranking for every
 *   speaker; valence (per-speaker CCC) above ridge and mean — every pause kind the plan scores;
 *   speech, leave one corpus out: LSTM arousal r and CCC ≥ ridge's on every left-out corpus;
 *   music, in-domain folds: clip-mean arousal AUC ≥ 0.90, valence AUC ≥ 0.72;
 *   telephone channel: arousal r ≥ 0.50; gain channels: mean |Δ arousal| ≤ 0.10 after the warm-up;
 *   every outside set: outputs within [−1, 1].
 * Each check says what was measured and whether it met the target; nothing is hidden when short.
 */
import type { ProtocolOutcome } from '../protocol/protocol.ts';
import { fmt3 } from './report.ts';

/** One target check. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

/** Thresholds of issue 9 §5. */
export const ISSUE9_TARGETS = Object.freeze({
  outsideArousalR: 0.6, telephoneArousalR: 0.5, musicArousalAuc: 0.9, musicValenceAuc: 0.72, levelChange: 0.1,
});

/** Every check that the outcome has data for (see the module header). */
export function checkTargets(o: ProtocolOutcome): TargetCheck[] {
  const t = ISSUE9_TARGETS;
  const out: TargetCheck[] = [];
  const speech = o.finalModels.find((f) => f.domain === 'speech');
  for (const s of speech?.outside ?? []) {
    const l = s.lstm;
    if (!s.channel) {
      out.push({ target: `${s.name}: per-speaker arousal r ≥ ${t.outsideArousalR}, high > low for every speaker`, measured: `r ${fmt3(l.arousal.r)}, ranking ${l.ranking.ok}/${l.ranking.of}`, met: l.arousal.r >= t.outsideArousalR && l.ranking.of > 0 && l.ranking.ok === l.ranking.of });
      if (Number.isFinite(l.valence.ccc)) {
        out.push({ target: `${s.name}: valence CCC above ridge and mean`, measured: `LSTM ${fmt3(l.valence.ccc)}, ridge ${fmt3(s.ridge.valence.ccc)}, mean ${fmt3(s.mean.valence.ccc)}`, met: l.valence.ccc > s.ridge.valence.ccc && l.valence.ccc > s.mean.valence.ccc });
      }
    } else if (/telephone/i.test(s.channel)) {
      out.push({ target: `${s.name}: arousal r ≥ ${t.telephoneArousalR}`, measured: `r ${fmt3(l.arousal.r)}`, met: l.arousal.r >= t.telephoneArousalR });
    }
  }
  for (const f of o.finalModels) {
    for (const s of f.outside) {
      if (s.levelChange) out.push({ target: `${f.domain} model, ${s.name}: mean |Δ arousal| ≤ ${t.levelChange}`, measured: fmt3(s.levelChange.lstm), met: s.levelChange.lstm <= t.levelChange });
    }
    const bad = f.outside.filter((s) => s.lstm.range[0] < -1 || s.lstm.range[1] > 1);
    out.push({ target: `${f.domain} model: outputs within [−1, 1] on every outside set`, measured: bad.length ? bad.map((s) => s.name).join(', ') : `all ${f.outside.length} sets`, met: bad.length === 0 });
  }
  const s2s = o.conditions.find((c) => c.condition === 'S2S');
  for (const c of s2s?.generalisation.perCorpus ?? []) {
    const ok = c.lstm.arousal.r >= c.ridge.arousal.r && c.lstm.arousal.ccc >= c.ridge.arousal.ccc;
    out.push({ target: `leave ${c.name} out: LSTM arousal r and CCC ≥ ridge's`, measured: `r ${fmt3(c.lstm.arousal.r)} vs ${fmt3(c.ridge.arousal.r)}, CCC ${fmt3(c.lstm.arousal.ccc)} vs ${fmt3(c.ridge.arousal.ccc)}`, met: ok });
  }
  const m2m = o.conditions.find((c) => c.condition === 'M2M');
  if (m2m) {
    const k = m2m.generalisation.overall.lstm.clips;
    out.push({ target: `music, artist-independent folds: arousal AUC ≥ ${t.musicArousalAuc}`, measured: fmt3(k.arousalAuc), met: k.arousalAuc >= t.musicArousalAuc });
    out.push({ target: `music, artist-independent folds: valence AUC ≥ ${t.musicValenceAuc}`, measured: fmt3(k.valenceAuc), met: k.valenceAuc >= t.musicValenceAuc });
  }
  return out;
}

/** The checks as a Markdown table. */
export function targetsTable(checks: readonly TargetCheck[]): string {
  return ['| target (issue 9 §5) | measured | met |', '|---|---|---|', ...checks.map((c) => `| ${c.target} | ${c.measured} | ${c.met ? 'yes' : '**no**'} |`)].join('\n');
}
