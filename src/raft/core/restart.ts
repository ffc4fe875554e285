/**
 * Starting (or restarting) a node from what its store persisted. Everything volatile starts
 * afresh; in particular the node behaves as if it had just heard a leader, so it refuses votes
 * for one minimum election timeout: a vote it granted before the crash cannot be undone, and
 * a leader's lease may still count on this node's earlier acknowledgement (lease.ts).
 */
import { emit, type Ctx } from './context.js';
import { RaftCode, RaftError } from './errors.js';
import type { RestartInput } from './io.js';
import { lastIndex, makeLog } from './log.js';
import { configAt } from './membership.js';
import { seedRandom } from './random.js';
import { resetElectionTimer, startPreVote } from './roles.js';
import { blankState, type RaftState } from './state.js';
import type { PersistedState } from './types.js';

export function onRestart(ctx: Ctx, input: RestartInput): void {
  const options = ctx.s.options;
  const persisted = input.persisted;
  const snapshot = persisted.snapshot;
  const base = snapshot?.index ?? 0;
  const entries = persisted.entries.filter((e) => e.index > base);
  checkPersisted(persisted, entries, base);
  const log = makeLog(base, snapshot?.term ?? 0, entries);
  if (input.appliedIndex > lastIndex(log)) {
    const got = input.appliedIndex;
    const message = `state machine applied ${got} but the log ends at ${lastIndex(log)}`;
    throw new RaftError(RaftCode.InvalidPersistedState, message);
  }
  const applied = Math.max(base, input.appliedIndex);
  const fresh: RaftState = {
    ...blankState(options),
    term: persisted.hardState.term,
    votedFor: persisted.hardState.votedFor,
    log,
    snapshot,
    commitIndex: applied,
    lastApplied: applied,
    contact: {
      leaderId: null,
      term: persisted.hardState.term,
      at: ctx.now,
      sentAt: -Infinity,
      transferTo: null,
    },
    rng: seedRandom(input.seed),
  };
  Object.assign(ctx.s, fresh, { config: configAt(fresh, Infinity) });
  if (snapshot !== null && input.appliedIndex < snapshot.index) {
    emit(ctx, { type: 'install-snapshot', snapshot });
  }
  resetElectionTimer(ctx);
  // A single-member cluster has nobody to wait for.
  if (ctx.s.config.members.length === 1 && ctx.s.config.members[0] === options.id) {
    startPreVote(ctx);
  }
}

function checkPersisted(
  persisted: PersistedState,
  entries: PersistedState['entries'],
  base: number,
): void {
  const problems: string[] = [];
  let term = persisted.snapshot?.term ?? 0;
  entries.forEach((e, i) => {
    if (e.index !== base + 1 + i) problems.push(`entry ${e.index} where ${base + 1 + i} was due`);
    if (e.term < term) problems.push(`entry ${e.index} has term ${e.term} after term ${term}`);
    term = e.term;
  });
  if (term > persisted.hardState.term) {
    problems.push(`log term ${term} exceeds the persisted term ${persisted.hardState.term}`);
  }
  if (problems.length > 0) {
    throw new RaftError(
      RaftCode.InvalidPersistedState,
      `cannot restart from persisted raft state: ${problems.slice(0, 3).join('; ')}`,
    );
  }
}
