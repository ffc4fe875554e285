import { OrcError } from '../../common/errors.js';

/**
 * Codes of the errors the Raft core throws. The core throws only when its caller broke a
 * contract (bad options, corrupt persisted state, an input that cannot be true); everything a
 * peer or a client can cause is answered with data (a rejected vote, a `respond` effect).
 */
export const RaftCode = {
  /** Options that cannot give a safe or live cluster; the message names the option. */
  InvalidOptions: 'RAFT_INVALID_OPTIONS',
  /** `restart` was given state no correct store could have written (gaps, terms going back). */
  InvalidPersistedState: 'RAFT_INVALID_PERSISTED_STATE',
  /** An input that contradicts what the core told its driver (e.g. a snapshot past `apply`). */
  InvalidInput: 'RAFT_INVALID_INPUT',
  /** The core found its own state inconsistent: a bug in the core, never a peer's fault. */
  Invariant: 'RAFT_INVARIANT',
} as const;

export type RaftCode = (typeof RaftCode)[keyof typeof RaftCode];

/** An OrcError whose code is one of the Raft core's. */
export class RaftError extends OrcError {
  declare readonly code: RaftCode;

  constructor(
    code: RaftCode,
    message: string,
    options: { cause?: unknown; context?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
  }
}

/**
 * Why a client request (proposal, membership change, transfer) was refused. Returned in a
 * `respond` effect, never thrown: a refusal is an ordinary outcome the caller acts on (retry
 * on `leaderId`, wait, or report).
 */
export const RejectCode = {
  /** This node is not the leader; `leaderId` says who is, when known. */
  NotLeader: 'NOT_LEADER',
  /** A leadership transfer is under way; proposals wait until it ends or aborts. */
  TransferInProgress: 'TRANSFER_IN_PROGRESS',
  /**
   * A membership change is not yet committed, or this leader has not yet committed an entry
   * of its own term; only one change may be in flight at a time.
   */
  ConfigChangeInProgress: 'CONFIG_CHANGE_IN_PROGRESS',
  /** add-peer of a node that is already a member. */
  AlreadyMember: 'ALREADY_MEMBER',
  /** remove-peer or transfer to a node that is not a member. */
  NotMember: 'NOT_MEMBER',
  /** remove-peer of the only member. */
  LastMember: 'LAST_MEMBER',
  /** transfer to this node itself, or with no other member to transfer to. */
  InvalidTarget: 'INVALID_TARGET',
} as const;

export type RejectCode = (typeof RejectCode)[keyof typeof RejectCode];
