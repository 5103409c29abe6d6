/**
 * The contract between the telephony endpoints and the NATS hand-off (handoff-manager.ts): a channel joins when its
 * platform names the stream, asks where the stream resumes, says when it started, and is told to leave on drain.
 */
import type { SourceKind } from '../../audio/sources/types.ts';
import type { StreamResume } from '../../pipeline/types.ts';

/** How a stream resumes here (from a saved state, or only its clock after a kill). */
export interface ResumePlan {
  /** With `extractorState` when a drained instance saved it: the stream then continues exactly. */
  readonly resume: StreamResume;
}

/** A channel as the hand-off sees it. */
export interface HandoffJoin {
  readonly streamId: string;
  readonly kind: SourceKind;
  readonly rateHz: number;
  readonly metadata: Readonly<Record<string, unknown>>;
  /**
   * Drain: asks the platform to go on elsewhere and detaches the channel (at once, or once the platform has left,
   * e.g. AudioHook after `reconnect`). Undefined: the hand-off calls `detach` itself.
   */
  readonly leave?: () => void;
  /** Stops the stream without a flush. */
  detach(): void;
}

/** One joined channel. */
export interface HandoffMember {
  /** The stream entered the pipeline; its extractor's windows are shifted by `offsetS` s on the stream's clock. */
  started(offsetS: number): void;
  /** The channel is done (`detached`: its final state is to be saved). */
  close(detached: boolean): void;
}

/** What the server's hand-off offers the endpoints. */
export interface HandoffHooks {
  /** Where `streamId` resumes (undefined: a new stream). Never rejects. */
  resumeFor(streamId: string, rateHz: number): Promise<ResumePlan | undefined>;
  join(info: HandoffJoin): HandoffMember;
  /** Whether the instance is draining (endpoints then refuse new calls). */
  readonly draining: boolean;
}
