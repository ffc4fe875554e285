/**
 * The leader lease and check-quorum, both computed from the `sentAt` times followers echo.
 *
 * Why the lease is safe. A follower that accepted a message from its leader refuses every vote
 * and pre-vote for `electionTimeoutMinMs` afterwards, measured on its own clock from receipt
 * (`hearsLiveLeader`), and a restarted node refuses for as long after it restarts. Suppose the
 * leader counts an acknowledgement of a message it sent at `sentAt`. That follower received
 * the message after `sentAt` and acknowledged it before voting for anyone in a later term (once
 * it has voted in a later term it no longer acknowledges this leader), so it cannot vote for a
 * rival before `sentAt + electionTimeoutMinMs` has elapsed on its clock. Any rival needs a vote
 * from a majority, which overlaps every majority of acknowledgers. So while a majority's
 * acknowledgements are younger than `leaseMs` (leader's clock), no rival can have been elected,
 * provided `leaseMs` measured on the fastest clock ends before `electionTimeoutMinMs` measured
 * on the slowest: `leaseMs < electionTimeoutMinMs × (1 − ρ) / (1 + ρ)` for a drift bound ρ,
 * which `raftOptions` enforces. Clocks need not agree on the time, only on the length of a
 * second within ρ; every interval is measured on one node's own monotonic clock.
 *
 * Two holes are closed explicitly. A leadership transfer makes voters grant a vote despite the
 * rule above, so a transferring leader has no lease, and after an aborted transfer only
 * acknowledgements of messages sent later than the abort count (those followers have seen
 * the transfer withdrawn; see `LeaderContact`). And a removed leader keeps no lease beyond its
 * own leadership, which ends when the removal commits.
 */
import type { RaftState } from './state.js';
import { quorumSize } from './state.js';

/**
 * True only while this node leads and a majority acknowledged, within `leaseMs` of `now`,
 * messages it sent: no other node can be leader at this moment. `/api/leader-check` answers
 * 200 exactly when this holds. `now` must be read from the same monotonic clock the driver
 * feeds to `step`, at the moment of the question.
 */
export function isLeaseValid(state: RaftState, now: number): boolean {
  return leaseExpiresAt(state) > now;
}

/**
 * When the current lease ends if no new acknowledgement arrives (-Infinity: no lease). The
 * service may cache this between steps; any step can only move it, never extend a lease that
 * `step` did not grant.
 */
export function leaseExpiresAt(state: RaftState): number {
  const role = state.role;
  if (role.type !== 'leader' || role.transfer !== null) return -Infinity;
  const acks: number[] = [];
  for (const member of state.config.members) {
    if (member === state.options.id) {
      acks.push(Infinity);
      continue;
    }
    const acked = role.progress.get(member)?.ackedSentAt ?? -Infinity;
    acks.push(acked > role.leaseFloor ? acked : -Infinity);
  }
  const quorumAck = kthLargest(acks, quorumSize(state));
  return quorumAck + state.options.leaseMs;
}

/**
 * True when a majority of members acknowledged messages sent at or after `since` (the leader
 * itself counts when it is a member). Check-quorum: a leader for which this fails one election
 * timeout back steps down.
 */
export function quorumAckedSince(state: RaftState, since: number): boolean {
  const role = state.role;
  if (role.type !== 'leader') return false;
  let count = 0;
  for (const member of state.config.members) {
    const acked =
      member === state.options.id
        ? Infinity
        : (role.progress.get(member)?.ackedSentAt ?? -Infinity);
    if (acked >= since) count++;
  }
  return count >= quorumSize(state);
}

/** The k-th largest value (k ≥ 1), -Infinity when there are fewer than k. */
function kthLargest(values: number[], k: number): number {
  const sorted = values.slice().sort((a, b) => b - a);
  return sorted[k - 1] ?? -Infinity;
}
