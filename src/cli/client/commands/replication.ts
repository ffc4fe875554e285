/**
 * Replication control and replication facts of one instance. Control commands print the
 * instance; the "is-…"/"can-…" checks print the instance when the answer is yes and nothing
 * when it is no (exit 0 either way), as orchestrator-client does.
 */
import { details, formatKey, obj, replicating, str, threadStopped } from '../format.js';
import type { Inputs } from '../inputs.js';
import { affected, detailsLines, detailsRaw } from './renderers.js';
import type { ClientCommand } from './types.js';

const section = 'Replication';

/** GET `<name>/{instance}`, print the instance. */
function control(name: string, summary: string): ClientCommand {
  return { name, section, summary, route: `${name}/{instance}`, human: affected };
}

/** The destination when the server says "true" (can-replicate-from). */
function whenTrue(answer: unknown, inputs: Inputs): string {
  const said = str(answer, 'Message') ?? '';
  if (!said.includes('true') && details(answer) !== true) return '';
  return formatKey(details(answer)) ?? inputs.destinationKey();
}

export const replicationCommands: readonly ClientCommand[] = [
  control('start-replica', 'START SLAVE'),
  control('stop-replica', 'STOP SLAVE'),
  control('stop-replica-nice', 'stop the IO thread, let the SQL thread catch up, then stop it'),
  control('restart-replica', 'STOP SLAVE, then START SLAVE'),
  control('reset-replica', 'RESET SLAVE (use with care)'),
  control('detach-replica', 'stop replication and make Master_Host unusable, reversibly'),
  control('reattach-replica', 'undo detach-replica'),
  control('detach-replica-master-host', 'like detach-replica'),
  control('reattach-replica-master-host', 'undo detach-replica-master-host'),
  control('skip-query', 'skip one statement (an empty transaction with GTID)'),
  control('enable-gtid', 'switch replication to GTID auto-position'),
  control('disable-gtid', 'switch replication back to file:pos'),
  control('gtid-errant-reset-master', 'remove errant GTIDs by RESET MASTER'),
  control('gtid-errant-inject-empty', 'inject errant GTIDs as empty transactions on the master'),
  control('enable-semi-sync-master', 'enable semi-sync on the master side'),
  control('disable-semi-sync-master', 'disable semi-sync on the master side'),
  control('enable-semi-sync-replica', 'enable semi-sync on the replica side'),
  control('disable-semi-sync-replica', 'disable semi-sync on the replica side'),
  control('set-read-only', 'SET GLOBAL read_only = 1'),
  control('set-writeable', 'SET GLOBAL read_only = 0'),
  control('flush-binary-logs', 'FLUSH BINARY LOGS'),
  {
    name: 'purge-binary-logs',
    section,
    summary: 'PURGE BINARY LOGS TO -n <binlog file>',
    route: 'purge-binary-logs/{instance}/{binlog}',
    human: affected,
  },
  {
    name: 'delay-replication',
    section,
    summary: 'set MASTER_DELAY to -S seconds, keeping the threads as they were',
    route: 'delay-replication/{instance}/{seconds}',
    human: detailsRaw,
  },
  {
    name: 'restart-replica-statements',
    section,
    summary: 'print the statements that run -q with replication stopped and restored',
    route: 'restart-replica-statements/{instance}?q={query}',
    human: detailsLines,
  },
  {
    name: 'which-gtid-errant',
    section,
    summary: 'print the errant GTID set of an instance (empty when none)',
    route: 'instance/{instance}',
    human: (answer) => str(answer, 'GtidErrant') ?? '',
  },
  {
    name: 'locate-gtid-errant',
    section,
    summary: 'list the binary logs holding errant GTIDs',
    route: 'locate-gtid-errant/{instance}',
    human: detailsLines,
  },
  {
    name: 'last-pseudo-gtid',
    section,
    summary: 'print the last Pseudo-GTID entry of an instance',
    route: 'last-pseudo-gtid/{instance}',
    human: detailsRaw,
  },
  {
    name: 'can-replicate-from',
    section,
    summary: 'print -d when -i could replicate from it, nothing otherwise',
    route: 'can-replicate-from/{instance}/{destination}',
    human: whenTrue,
  },
  {
    name: 'can-replicate-from-gtid',
    section,
    summary: 'like can-replicate-from, assuming GTID',
    route: 'can-replicate-from-gtid/{instance}/{destination}',
    human: whenTrue,
  },
  {
    name: 'is-replicating',
    section,
    summary: 'print the instance when both replication threads run',
    route: 'instance/{instance}',
    human: (answer) => (replicating(answer) ? (formatKey(obj(answer)?.Key) ?? '') : ''),
  },
  {
    name: 'is-replication-stopped',
    section,
    summary: 'print the instance when both replication threads are stopped',
    route: 'instance/{instance}',
    human: (answer) => {
      const o = obj(answer);
      const stopped = o !== undefined && threadStopped(o, 'SQL') && threadStopped(o, 'IO');
      return stopped ? (formatKey(o.Key) ?? '') : '';
    },
  },
];
