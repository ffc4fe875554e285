/** One-line descriptions of inputs, messages and effects for the simulator's trace. */
import type { Effect, Input, RequestOutcome, RestartInput } from '../core/io.js';
import type { Message } from '../core/messages.js';
import type { LogEntry } from '../core/types.js';

export function describeEntry(e: LogEntry): string {
  if (e.type === 'command') return `${e.index}@${e.term}:${e.data}`;
  if (e.type === 'noop') return `${e.index}@${e.term}:noop`;
  return `${e.index}@${e.term}:config[${e.members.join(',')}]`;
}

export function describeMessage(m: Message): string {
  const head = `${m.type} ${m.from} t${m.term}`;
  switch (m.type) {
    case 'pre-vote':
    case 'request-vote': {
      const transfer = 'transfer' in m && m.transfer ? ' transfer' : '';
      return `${head} last=${m.lastLogIndex}@${m.lastLogTerm}${transfer}`;
    }
    case 'pre-vote-response':
    case 'request-vote-response':
      return `${head} ${m.granted ? 'granted' : 'refused'}`;
    case 'append-entries': {
      const entries = m.entries.length === 0 ? '' : ` [${m.entries.map(describeEntry).join(' ')}]`;
      const transfer = m.transferTo === null ? '' : ` transferTo=${m.transferTo}`;
      const prev = `prev=${m.prevLogIndex}@${m.prevLogTerm}`;
      return `${head} ${prev} commit=${m.leaderCommit}${entries}${transfer}`;
    }
    case 'append-entries-response':
      return m.success
        ? `${head} ok match=${m.matchIndex}`
        : `${head} refused conflict=${m.conflictIndex}@${m.conflictTerm ?? '-'}`;
    case 'install-snapshot':
      return `${head} snapshot=${m.snapshot.index}@${m.snapshot.term}`;
    case 'install-snapshot-response':
      return `${head} match=${m.matchIndex}`;
    case 'timeout-now':
      return head;
  }
}

export function describeInput(input: Input): string {
  switch (input.type) {
    case 'message-received':
      return `<- ${describeMessage(input.message)}`;
    case 'client-propose':
      return `propose ${input.data}`;
    case 'snapshot-taken':
      return `snapshot-taken ${input.index}`;
    case 'transfer-leadership':
      return `transfer-leadership to ${input.target ?? '(best)'}`;
    case 'add-peer':
    case 'remove-peer':
      return `${input.type} ${input.peer}`;
    case 'restart':
      return describeRestart(input);
    case 'tick':
      return 'tick';
  }
}

export function describeEffect(e: Effect): string {
  switch (e.type) {
    case 'persist': {
      const parts: string[] = [];
      if (e.hardState) parts.push(`term=${e.hardState.term} vote=${e.hardState.votedFor ?? '-'}`);
      if (e.snapshot) parts.push(`snapshot=${e.snapshot.index}@${e.snapshot.term}`);
      if (e.truncateAfter !== undefined) parts.push(`truncateAfter=${e.truncateAfter}`);
      if (e.append) parts.push(`append=${e.append.map(describeEntry).join(' ')}`);
      return `persist ${parts.join(' ')}`;
    }
    case 'send':
      return `-> ${e.to} ${describeMessage(e.message)}`;
    case 'apply':
      return `apply ${e.entries.map(describeEntry).join(' ')}`;
    case 'install-snapshot':
      return `install-snapshot ${e.snapshot.index}@${e.snapshot.term}`;
    case 'take-snapshot':
      return `take-snapshot at ${e.appliedIndex}`;
    case 'leadership-changed':
      return `leadership-changed t${e.term} leader=${e.leaderId ?? '-'}${e.isLeader ? '*' : ''}`;
    case 'membership-changed':
      return `membership-changed [${e.members.join(',')}]@${e.index}`;
    case 'respond':
      return `respond ${e.requestId} ${describeOutcome(e.outcome)}`;
  }
}

function describeRestart(input: RestartInput): string {
  const { hardState, entries, snapshot } = input.persisted;
  const vote = hardState.votedFor ?? '-';
  const stored = `entries=${entries.length} snapshot=${snapshot?.index ?? 0}`;
  return `restart term=${hardState.term} vote=${vote} ${stored} applied=${input.appliedIndex}`;
}

function describeOutcome(o: RequestOutcome): string {
  if (o.status === 'appended') return `appended ${o.index}@${o.term}`;
  if (o.status === 'rejected') return `rejected ${o.code}`;
  return `transfer-started to ${o.target}`;
}
