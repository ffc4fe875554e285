/**
 * A node's Raft options, compiled once and validated: the relations between the timeouts are
 * what makes the leader lease safe, so options that break them are refused outright.
 */
import { RaftCode, RaftError } from './errors.js';
import type { NodeId } from './types.js';

export interface RaftOptions {
  /** This node's identity. */
  readonly id: NodeId;
  /**
   * The static membership (orchestrator's `RaftNodes`), used until a snapshot or a config
   * entry says otherwise. A node joining a running cluster lists the current members without
   * itself: a node that is not a member never starts an election.
   */
  readonly members: readonly NodeId[];
  /** Followers wait a random time in [min, max) without hearing a leader before campaigning. */
  readonly electionTimeoutMinMs: number;
  readonly electionTimeoutMaxMs: number;
  /** How often a leader sends AppendEntries to every follower, with or without entries. */
  readonly heartbeatIntervalMs: number;
  /**
   * How long an acknowledgement keeps the leader's lease alive, measured from when the
   * acknowledged message was sent. Must stay below `electionTimeoutMinMs` scaled down by the
   * drift bound (see `maxClockDriftRate`).
   */
  readonly leaseMs: number;
  /**
   * The largest rate at which any node's monotonic clock may run fast or slow against real
   * time (0.1 = 10 %). No synchronisation between clocks is assumed, only bounded rate drift.
   */
  readonly maxClockDriftRate: number;
  /** Most entries sent in one AppendEntries. */
  readonly maxEntriesPerMessage: number;
  /** Applied entries beyond the last snapshot before `take-snapshot` is requested; 0: never. */
  readonly snapshotThreshold: number;
}

/** Defaults for a LAN or a few data centres apart (RTT well under the heartbeat interval). */
export const DEFAULT_RAFT_TIMING = Object.freeze({
  electionTimeoutMinMs: 1000,
  electionTimeoutMaxMs: 2000,
  heartbeatIntervalMs: 100,
  leaseMs: 750,
  maxClockDriftRate: 0.1,
  maxEntriesPerMessage: 64,
  snapshotThreshold: 1024,
});

/** The largest safe `leaseMs` for these options (exclusive bound). */
export function maxSafeLeaseMs(o: Pick<RaftOptions, 'electionTimeoutMinMs' | 'maxClockDriftRate'>) {
  return (o.electionTimeoutMinMs * (1 - o.maxClockDriftRate)) / (1 + o.maxClockDriftRate);
}

/**
 * Fills defaults and validates. Throws `RAFT_INVALID_OPTIONS` naming the first broken rule.
 * Called once when the service starts (and by the simulator for each node).
 */
export function raftOptions(
  given: Pick<RaftOptions, 'id' | 'members'> & Partial<RaftOptions>,
): RaftOptions {
  const options: RaftOptions = Object.freeze({
    ...DEFAULT_RAFT_TIMING,
    ...given,
    members: Object.freeze([...given.members]),
  });
  const problem = firstProblem(options);
  if (problem !== null) {
    throw new RaftError(RaftCode.InvalidOptions, `invalid raft options: ${problem}`, {
      context: { id: options.id },
    });
  }
  return options;
}

function firstProblem(o: RaftOptions): string | null {
  const positive = [
    'electionTimeoutMinMs',
    'heartbeatIntervalMs',
    'leaseMs',
    'maxEntriesPerMessage',
  ] as const;
  for (const key of positive) {
    if (!Number.isFinite(o[key]) || o[key] <= 0) return `${key} must be > 0 (got ${o[key]})`;
  }
  if (o.id === '') return 'id must not be empty';
  if (new Set(o.members).size !== o.members.length)
    return `members repeat a node: ${o.members.join(', ')}`;
  if (!(o.electionTimeoutMaxMs > o.electionTimeoutMinMs)) {
    const { electionTimeoutMaxMs: max, electionTimeoutMinMs: min } = o;
    return `electionTimeoutMaxMs (${max}) must exceed electionTimeoutMinMs (${min})`;
  }
  if (!(o.maxClockDriftRate >= 0 && o.maxClockDriftRate < 1)) {
    return `maxClockDriftRate must be in [0, 1) (got ${o.maxClockDriftRate})`;
  }
  if (!(o.leaseMs < maxSafeLeaseMs(o))) {
    const bound = maxSafeLeaseMs(o).toFixed(1);
    return `leaseMs (${o.leaseMs}) must be below ${bound} (the drift-scaled electionTimeoutMinMs)`;
  }
  if (!(o.heartbeatIntervalMs < o.leaseMs)) {
    return `heartbeatIntervalMs (${o.heartbeatIntervalMs}) must be below leaseMs (${o.leaseMs})`;
  }
  if (!(Number.isInteger(o.snapshotThreshold) && o.snapshotThreshold >= 0)) {
    return `snapshotThreshold must be a whole number >= 0 (got ${o.snapshotThreshold})`;
  }
  return null;
}
