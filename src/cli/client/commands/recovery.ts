/**
 * Failure analysis and recovery: what is wrong, recovering, planned and forced takeovers,
 * acknowledgements and the global recovery switch.
 */
import { details, formatKey, lines, list, obj, str } from '../format.js';
import { affected, detailsRaw, successor } from './renderers.js';
import type { ClientCommand } from './types.js';

const section = 'Recovery';

/**
 * `host:port (cluster name): Analysis` per analysed instance; for `NoProblem` the first
 * structure warning instead, and nothing when there is none.
 */
function analysis(answer: unknown): string {
  const out: string[] = [];
  for (const entry of list(details(answer))) {
    const o = obj(entry);
    const key = formatKey(o?.AnalyzedInstanceKey) ?? '';
    const cluster = str(o?.ClusterDetails, 'ClusterName') ?? '';
    const code = str(o, 'Analysis') ?? '';
    const what = code === 'NoProblem' ? list(o?.StructureAnalysis)[0] : code;
    if (typeof what === 'string' && what !== '') out.push(`${key} (cluster ${cluster}): ${what}`);
  }
  return lines(out);
}

export const recoveryCommands: readonly ClientCommand[] = [
  {
    name: 'replication-analysis',
    section,
    summary: 'list the problems found in every known topology',
    route: 'replication-analysis',
    human: analysis,
  },
  {
    name: 'recover',
    section,
    summary: 'recover a failed instance now (optionally promoting -d)',
    route: 'recover/{instance}[/{destination}]',
    human: affected,
  },
  {
    name: 'recover-lite',
    section,
    summary: 'like recover, without running hooks',
    route: 'recover-lite/{instance}[/{destination}]',
    human: affected,
  },
  {
    name: 'graceful-master-takeover',
    section,
    summary: 'planned failover to -d (or the only direct replica); old master replicates',
    route: 'graceful-master-takeover/{cluster}[/{destination}]',
    human: successor,
  },
  {
    name: 'graceful-master-takeover-auto',
    section,
    summary: 'planned failover to -d, or to the replica orc picks',
    route: 'graceful-master-takeover-auto/{cluster}[/{destination}]',
    human: successor,
  },
  {
    name: 'force-master-failover',
    section,
    summary: 'fail the master over now even if it looks fine; orc picks the successor',
    route: 'force-master-failover/{cluster}',
    human: successor,
  },
  {
    name: 'force-master-takeover',
    section,
    summary: 'fail the master over now to -d, a direct replica',
    route: 'force-master-takeover/{cluster}/{destination}',
    human: successor,
  },
  {
    name: 'ack-cluster-recoveries',
    section,
    summary: 'acknowledge the recoveries of a cluster, with -r <comment>',
    route: 'ack-recovery/cluster/{cluster}?comment={reason}',
    human: detailsRaw,
  },
  {
    name: 'ack-instance-recoveries',
    section,
    summary: 'acknowledge the recoveries of an instance, with -r <comment>',
    route: 'ack-recovery/instance/{instance}?comment={reason}',
    human: detailsRaw,
  },
  {
    name: 'ack-all-recoveries',
    section,
    summary: 'acknowledge every recovery, with -r <comment>',
    route: 'ack-all-recoveries?comment={reason}',
    human: detailsRaw,
  },
  {
    name: 'disable-global-recoveries',
    section,
    summary: 'stop all automated recoveries',
    route: 'disable-global-recoveries',
    human: detailsRaw,
  },
  {
    name: 'enable-global-recoveries',
    section,
    summary: 'allow automated recoveries again',
    route: 'enable-global-recoveries',
    human: detailsRaw,
  },
  {
    name: 'check-global-recoveries',
    section,
    summary: 'print enabled or disabled',
    route: 'check-global-recoveries',
    human: detailsRaw,
  },
];
