/**
 * The routing rule of `--model auto`: which model (speech or music) analyses a stream's next second, from that
 * second's content (src/model/content-classifier.ts), with hysteresis so a stream does not flip-flop:
 *
 * - Evidence: a second classified `speech` or `music` with probability ≥ `minProbability` is evidence for that
 *   model; `silence` and `mixed` seconds, and unsure ones, are no evidence (they neither count nor reset a streak).
 * - Start: a new stream uses `initial` (speech) until its first evidence, which decides at once.
 * - Then: the stream switches after `switchAfterS` consecutive evidence seconds for the other model (evidence for
 *   the current one resets the count). So a song's pause or a word of the host never switches; 3 s of talk between
 *   songs does.
 *
 * Pure: `routeStep` returns the next state; the caller keeps one state per stream.
 * @see createAutoModel (applies it; resets the LSTM state of the model switched to).
 */
import { EmostreamError } from '../errors.ts';
import type { ContentEstimate } from './content-classifier.ts';
import type { ModelDomain } from './types.ts';

/** Options of the router. */
export interface ContentRouterOptions {
  /** Consecutive evidence seconds for the other model before switching (integer ≥ 1). Default 3. */
  readonly switchAfterS?: number;
  /** Least probability of a speech/music second to count as evidence, in [0, 1]. Default 0.6. */
  readonly minProbability?: number;
  /** Model of a stream before its first evidence. Default 'speech'. */
  readonly initial?: ModelDomain;
}

/** Defaults of the router. */
export const DEFAULT_CONTENT_ROUTER_OPTIONS: Readonly<Required<ContentRouterOptions>> = Object.freeze({ switchAfterS: 3, minProbability: 0.6, initial: 'speech' });

/** One stream's router state. */
export interface RouterState {
  /** Model of the next second. */
  readonly route: ModelDomain;
  /** Whether the stream has had evidence yet (before it, the first evidence decides at once). */
  readonly decided: boolean;
  /** Consecutive evidence seconds for the other model. */
  readonly streak: number;
}

/** Result of one step. */
export interface RouteDecision {
  readonly state: RouterState;
  /** True when this second's model differs from the previous second's (its state must start from zero). */
  readonly switched: boolean;
}

/** Validates options and fills in the defaults (EMO_ERR_BAD_CONFIG naming the option). */
export function resolveRouterOptions(options: ContentRouterOptions = {}): Readonly<Required<ContentRouterOptions>> {
  const o = { ...DEFAULT_CONTENT_ROUTER_OPTIONS, ...options };
  if (!Number.isInteger(o.switchAfterS) || o.switchAfterS < 1) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `router switchAfterS must be an integer ≥ 1, got ${o.switchAfterS}`);
  if (!(o.minProbability >= 0 && o.minProbability <= 1)) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `router minProbability must be in [0, 1], got ${o.minProbability}`);
  if (o.initial !== 'speech' && o.initial !== 'music') throw new EmostreamError('EMO_ERR_BAD_CONFIG', `router initial must be 'speech' or 'music', got ${String(o.initial)}`);
  return Object.freeze(o);
}

/** The state of a new stream. */
export function initialRouterState(options: Readonly<Required<ContentRouterOptions>>): RouterState {
  return { route: options.initial, decided: false, streak: 0 };
}

/** The model a second's content is evidence for, if any. */
export function evidenceOf(content: ContentEstimate, minProbability: number): ModelDomain | undefined {
  if (content.probability < minProbability) return undefined;
  return content.label === 'speech' || content.label === 'music' ? content.label : undefined;
}

/** Routes one second (see the module header). */
export function routeStep(state: RouterState, content: ContentEstimate, options: Readonly<Required<ContentRouterOptions>>): RouteDecision {
  const evidence = evidenceOf(content, options.minProbability);
  if (evidence === undefined) return { state, switched: false };
  if (!state.decided) return { state: { route: evidence, decided: true, streak: 0 }, switched: evidence !== state.route };
  if (evidence === state.route) return { state: state.streak === 0 ? state : { ...state, streak: 0 }, switched: false };
  const streak = state.streak + 1;
  if (streak >= options.switchAfterS) return { state: { route: evidence, decided: true, streak: 0 }, switched: true };
  return { state: { ...state, streak }, switched: false };
}
