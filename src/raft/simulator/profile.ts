/**
 * What a seed decides before the run starts: cluster size, who is a member at first, timing,
 * clock rates, disk speed, snapshot and batching settings. Everything else (faults, clients)
 * is drawn from the same generator while the run goes.
 */
import { maxSafeLeaseMs, raftOptions, type RaftOptions } from '../core/options.js';
import type { NodeId } from '../core/types.js';
import type { Prng } from './prng.js';

export interface Profile {
  readonly ids: readonly NodeId[];
  readonly initialMembers: readonly NodeId[];
  /** Whether the run adds and removes members. */
  readonly membershipChanges: boolean;
  readonly nodes: readonly { options: RaftOptions; rate: number; durableMachine: boolean }[];
  readonly maxDiskLatencyMs: number;
  /** Chance per delayed disk write that the node crashes before it completes. */
  readonly crashDuringWrite: number;
  /** Mean simulated ms between two operator requests (transfer, membership, snapshot). */
  readonly operatorGapMs: number;
  /** Mean simulated ms between two client proposals (orc's real load is a few a minute). */
  readonly clientGapMs: number;
  readonly summary: string;
}

const DRIFT = 0.05;

export function drawProfile(prng: Prng): Profile {
  const size = prng.chance(0.5) ? 3 : 5;
  const ids = Array.from({ length: size }, (_, i) => `n${i + 1}`);
  const membershipChanges = prng.chance(0.4);
  const initialMembers =
    membershipChanges && size === 5 && prng.chance(0.5) ? ids.slice(0, 3) : ids;
  const timing = {
    electionTimeoutMinMs: 150,
    electionTimeoutMaxMs: 300,
    heartbeatIntervalMs: prng.pick([20, 30, 50]),
    maxClockDriftRate: DRIFT,
  };
  // Half the runs use the longest lease the drift bound allows, to stress the lease argument.
  const tightest = Math.ceil(maxSafeLeaseMs(timing)) - 1;
  const leaseMs = prng.chance(0.5) ? tightest : 100;
  const snapshotThreshold = prng.pick([0, 3, 10, 50]);
  const maxEntriesPerMessage = prng.pick([1, 3, 64]);
  const nodes = ids.map((id) => ({
    options: raftOptions({
      id,
      members: initialMembers,
      ...timing,
      leaseMs,
      snapshotThreshold,
      maxEntriesPerMessage,
    }),
    // Clocks at the drift bound half the time: the worst case for the lease.
    rate: prng.chance(0.5) ? prng.pick([1 - DRIFT, 1 + DRIFT]) : prng.between(1 - DRIFT, 1 + DRIFT),
    durableMachine: prng.chance(0.5),
  }));
  const maxDiskLatencyMs = prng.pick([0.5, 3, 10]);
  const operatorGapMs = prng.pick([50, 300, 1000]);
  const crashDuringWrite = prng.pick([0, 0.005, 0.02]);
  const clientGapMs = prng.pick([5, 20, 100, 400, 1500]);
  const summary =
    `${size} nodes, members [${initialMembers.join(',')}]` +
    `${membershipChanges ? ' with changes' : ''}, ` +
    `heartbeat ${timing.heartbeatIntervalMs} ms, lease ${leaseMs} ms, ` +
    `snapshots every ${snapshotThreshold || '∞'}, batch ${maxEntriesPerMessage}, ` +
    `disk ≤ ${maxDiskLatencyMs} ms, an operation every ~${operatorGapMs} ms, ` +
    `crash-in-write ${crashDuringWrite}, ` +
    `a proposal every ~${clientGapMs} ms`;
  return {
    ids,
    initialMembers,
    membershipChanges,
    nodes,
    maxDiskLatencyMs,
    operatorGapMs,
    clientGapMs,
    crashDuringWrite,
    summary,
  };
}
