/**
 * Raft's safety properties, checked by the simulator after every step (and the lease after
 * every simulated event). Each check keeps the global facts it needs (who led which term, what
 * was committed and applied where) and throws `PropertyViolation` the moment one fails.
 */
import { isLeaseValid } from '../core/lease.js';
import { entryAt, lastIndex, termAt } from '../core/log.js';
import type { Message, RequestVoteResponse } from '../core/messages.js';
import type { RaftState } from '../core/state.js';
import type { LogEntry, NodeId, PersistedState, Snapshot } from '../core/types.js';

export type Property =
  | 'election-safety'
  | 'single-vote'
  | 'lease-safety'
  | 'log-matching'
  | 'leader-completeness'
  | 'state-machine-safety'
  | 'acknowledged-durability'
  | 'persist-before-send'
  | 'liveness'
  | 'core-contract';

export class PropertyViolation extends Error {
  constructor(
    readonly property: Property,
    detail: string,
  ) {
    super(`${property} violated: ${detail}`);
    this.name = 'PropertyViolation';
  }
}

/** A node's state machine in the simulation: how far it applied and a hash of everything. */
export interface MachineState {
  readonly index: number;
  readonly hash: number;
}

export const EMPTY_MACHINE: MachineState = { index: 0, hash: 0x811c9dc5 };

/** What identifies an entry's content (its term is compared separately). */
export function entryKey(e: LogEntry): string {
  if (e.type === 'command') return `c:${e.data}`;
  if (e.type === 'config') return `m:${e.members.join(',')}`;
  return 'n';
}

/** The disk holds index (with that term when given), in its log or under its snapshot. */
export function durable(disk: PersistedState, index: number, term?: number): boolean {
  const base = disk.snapshot?.index ?? 0;
  if (index <= base) return term === undefined || index < base || disk.snapshot?.term === term;
  const first = disk.entries[0]?.index ?? 0;
  const e = disk.entries[index - first];
  return e?.index === index && (term === undefined || e.term === term);
}

function mix(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function applyToMachine(m: MachineState, e: LogEntry): MachineState {
  return { index: e.index, hash: mix(m.hash, `${e.term}|${entryKey(e)}`) };
}

interface Recorded {
  readonly term: number;
  readonly key: string;
}

export class Checker {
  private readonly leaders = new Map<number, NodeId>();
  private readonly votes = new Map<string, NodeId>();
  private readonly entries = new Map<string, { key: string; prevTerm: number }>();
  private readonly committed = new Map<number, Recorded>();
  private readonly applied = new Map<number, Recorded & { hash: number }>();
  readonly acked = new Map<number, Recorded>();
  elections = 0;

  /** After `id` stepped from `before` to `after`. */
  afterStep(id: NodeId, before: RaftState | null, after: RaftState): void {
    const newLeader =
      after.role.type === 'leader' &&
      (before === null || before.role.type !== 'leader' || before.term !== after.term);
    if (newLeader) this.onElected(id, after);
    if (before === null || before.log !== after.log) this.checkLogMatching(id, after);
    if (before === null || after.commitIndex > before.commitIndex) {
      this.recordCommits(id, before?.commitIndex ?? 0, after);
    }
  }

  private onElected(id: NodeId, s: RaftState): void {
    this.elections++;
    const other = this.leaders.get(s.term);
    if (other !== undefined && other !== id) {
      throw new PropertyViolation('election-safety', `${other} and ${id} both lead term ${s.term}`);
    }
    this.leaders.set(s.term, id);
    for (const [index, c] of this.committed) {
      if (!this.holds(s, index, c)) {
        const detail = `${id}, leading term ${s.term}, lacks committed ${index}@${c.term} ${c.key}`;
        throw new PropertyViolation('leader-completeness', detail);
      }
    }
    for (const [index, c] of this.acked) {
      if (!this.holds(s, index, c)) {
        const detail = `${id}, leading term ${s.term}, lacks acknowledged ${index} ${c.key}`;
        throw new PropertyViolation('acknowledged-durability', detail);
      }
    }
  }

  /** The node's log (or its snapshot, for compacted indexes) has this entry. */
  private holds(s: RaftState, index: number, c: Recorded): boolean {
    if (index < s.log.baseIndex) return true; // inside the snapshot, checked when installed
    if (index === s.log.baseIndex) return s.log.baseTerm === c.term;
    const e = entryAt(s.log, index);
    return e !== undefined && e.term === c.term && entryKey(e) === c.key;
  }

  /** Same index and term ⇒ same entry and same predecessor term (hence identical prefixes). */
  private checkLogMatching(id: NodeId, s: RaftState): void {
    for (let i = s.log.baseIndex + 1; i <= lastIndex(s.log); i++) {
      const e = entryAt(s.log, i);
      if (e === undefined) continue;
      const fact = { key: entryKey(e), prevTerm: termAt(s.log, i - 1) ?? -1 };
      const slot = `${i}:${e.term}`;
      const known = this.entries.get(slot);
      if (known === undefined) this.entries.set(slot, fact);
      else if (known.key !== fact.key || known.prevTerm !== fact.prevTerm) {
        const ours = `${fact.key} after term ${fact.prevTerm}`;
        const theirs = `${known.key} after term ${known.prevTerm}`;
        const detail = `${id} has ${i}@${e.term} = ${ours}; another log has ${theirs}`;
        throw new PropertyViolation('log-matching', detail);
      }
    }
  }

  private recordCommits(id: NodeId, from: number, s: RaftState): void {
    for (let i = Math.max(from, s.log.baseIndex) + 1; i <= s.commitIndex; i++) {
      const e = entryAt(s.log, i);
      if (e === undefined) continue;
      const fact = { term: e.term, key: entryKey(e) };
      const known = this.committed.get(i);
      if (known === undefined) this.committed.set(i, fact);
      else if (known.term !== fact.term || known.key !== fact.key) {
        const before = `${i}@${known.term} ${known.key}`;
        const detail = `${id} committed ${i}@${e.term} ${fact.key} after ${before} was`;
        throw new PropertyViolation('state-machine-safety', detail);
      }
    }
  }

  /**
   * The ordering contract, checked on the disk at the moment a message leaves: the sender's
   * term is durable, a granted vote is durable, and every entry it acknowledges or sends is
   * durable with the same term.
   */
  onSend(from: NodeId, to: NodeId, msg: Message, disk: PersistedState): void {
    const fail = (what: string): never => {
      throw new PropertyViolation(
        'persist-before-send',
        `${from} sent ${msg.type} to ${to} ${what}`,
      );
    };
    if (
      disk.hardState.term < msg.term &&
      msg.type !== 'pre-vote' &&
      msg.type !== 'pre-vote-response'
    ) {
      fail(`in term ${msg.term} with term ${disk.hardState.term} on disk`);
    }
    if (msg.type === 'request-vote-response' && msg.granted && disk.hardState.votedFor !== to) {
      fail(`granting a vote while the disk says ${disk.hardState.votedFor ?? 'no vote'}`);
    }
    if (msg.type === 'append-entries-response' && msg.success && !durable(disk, msg.matchIndex)) {
      fail(`acknowledging ${msg.matchIndex} before it was on disk`);
    }
    if (msg.type === 'append-entries') {
      for (const e of msg.entries)
        if (!durable(disk, e.index, e.term)) fail(`with ${e.index}@${e.term} not on disk`);
    }
  }

  /** A vote left `voter`: nobody may grant two candidates in one term, restarts included. */
  onVoteSent(voter: NodeId, candidate: NodeId, msg: RequestVoteResponse): void {
    if (!msg.granted) return;
    const slot = `${msg.term}:${voter}`;
    const earlier = this.votes.get(slot);
    if (earlier !== undefined && earlier !== candidate) {
      const detail = `${voter} voted for ${earlier} and then ${candidate} in term ${msg.term}`;
      throw new PropertyViolation('single-vote', detail);
    }
    this.votes.set(slot, candidate);
  }

  /** `id`'s state machine applies `e`: in order, and the same entry as everyone else. */
  onApply(id: NodeId, m: MachineState, e: LogEntry): MachineState {
    if (e.index !== m.index + 1) {
      const detail = `${id} applied ${e.index} right after ${m.index}`;
      throw new PropertyViolation('state-machine-safety', detail);
    }
    const next = applyToMachine(m, e);
    const fact = { term: e.term, key: entryKey(e), hash: next.hash };
    const known = this.applied.get(e.index);
    if (known === undefined) this.applied.set(e.index, fact);
    else if (known.key !== fact.key || known.term !== fact.term || known.hash !== fact.hash) {
      const theirs = `${e.index}@${known.term} ${known.key}`;
      const detail = `${id} applied ${e.index}@${e.term} ${fact.key}; another applied ${theirs}`;
      throw new PropertyViolation('state-machine-safety', detail);
    }
    return next;
  }

  /** `id`'s state machine is replaced by a snapshot: it must equal what others applied. */
  onInstall(id: NodeId, snapshot: Snapshot, m: MachineState): void {
    const known = this.applied.get(snapshot.index);
    if (m.index !== snapshot.index || (known !== undefined && known.hash !== m.hash)) {
      const detail = `${id} installed snapshot ${snapshot.index} unlike what was applied there`;
      throw new PropertyViolation('state-machine-safety', detail);
    }
  }

  onAcknowledged(index: number, term: number, key: string): void {
    this.acked.set(index, { term, key });
  }

  /**
   * At no moment may two nodes both hold a valid lease; stronger, while a node holds one no
   * node may lead a later term (a rival cannot even be elected during the lease).
   */
  checkLeases(nodes: readonly { id: NodeId; state: RaftState; now: number }[]): void {
    const holders = nodes.filter((n) => isLeaseValid(n.state, n.now));
    if (holders.length > 1) {
      const who = holders.map((n) => `${n.id} (term ${n.state.term})`).join(' and ');
      throw new PropertyViolation('lease-safety', `${who} hold valid leases at once`);
    }
    const holder = holders[0];
    if (holder === undefined) return;
    const rival = nodes.find(
      (n) => n.state.role.type === 'leader' && n.state.term > holder.state.term,
    );
    if (rival !== undefined) {
      const { id, state } = holder;
      const detail = `${id} holds a lease of ${state.term}; ${rival.id} leads ${rival.state.term}`;
      throw new PropertyViolation('lease-safety', detail);
    }
  }

  /** The hash every node must have after applying through `index`, when anyone did. */
  appliedHash(index: number): number | undefined {
    return this.applied.get(index)?.hash;
  }
}
