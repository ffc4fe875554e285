/**
 * Read-only commands about clusters and instances (orchestrator-client's "information"
 * commands). Lists print one `host:port` per line; topology commands print the server's drawing.
 */
import {
  brokenReplica,
  describeInstance,
  formatKey,
  keysOf,
  lines,
  list,
  obj,
  replicating,
  str,
} from '../format.js';
import { detailsKeys, drawing, keys } from './renderers.js';
import type { ClientCommand } from './types.js';

const section = 'Information';

/** `ClusterName,ClusterAlias` per cluster, as orchestrator-client prints `clusters-alias`. */
function clusterAliases(answer: unknown): string {
  return lines(
    list(answer).map(
      (info) => `${str(info, 'ClusterName') ?? ''},${str(info, 'ClusterAlias') ?? ''}`,
    ),
  );
}

/** Instances with their problems: `host:port<TAB>problem,problem`. */
function problems(answer: unknown): string {
  return lines(
    list(answer).map((instance) => {
      const key = formatKey(obj(instance)?.Key) ?? '';
      const found = list(obj(instance)?.Problems).filter((p): p is string => typeof p === 'string');
      return found.length === 0 ? key : `${key}\t${found.join(',')}`;
    }),
  );
}

/** The data center holding most masters (orchestrator-client's `dominant-dc`). */
function dominantDataCenter(answer: unknown): string {
  const counts = new Map<string, number>();
  for (const master of list(answer)) {
    const dc = str(master, 'DataCenter') ?? '';
    counts.set(dc, (counts.get(dc) ?? 0) + 1);
  }
  let best = '';
  let most = 0;
  for (const [dc, count] of counts) {
    if (count > most || (count === most && dc < best)) [best, most] = [dc, count];
  }
  return best;
}

export const informationCommands: readonly ClientCommand[] = [
  {
    name: 'clusters',
    section,
    summary: 'list the names of all known clusters',
    route: 'clusters-info',
    human: (answer) => lines(list(answer).map((info) => str(info, 'ClusterName') ?? '')),
  },
  {
    name: 'clusters-alias',
    section,
    summary: 'list clusters as name,alias',
    route: 'clusters-info',
    human: clusterAliases,
  },
  {
    name: 'all-clusters-masters',
    section,
    summary: 'list the writeable master of every cluster',
    route: 'masters',
    human: keys,
  },
  {
    name: 'all-instances',
    section,
    summary: 'list every known instance',
    route: 'all-instances',
    human: keys,
  },
  {
    name: 'topology',
    section,
    summary: "draw a cluster's replication tree, given a member or an alias",
    route: 'topology/{cluster}',
    human: drawing,
  },
  {
    name: 'topology-tabulated',
    section,
    summary: 'draw the replication tree in |-separated columns',
    route: 'topology-tabulated/{cluster}',
    human: drawing,
  },
  {
    name: 'topology-tags',
    section,
    summary: 'draw the replication tree with instance tags',
    route: 'topology-tags/{cluster}',
    human: drawing,
  },
  {
    name: 'which-instance',
    aliases: ['instance'],
    section,
    summary: 'print the instance as host:port; fails when unknown',
    route: 'instance/{instance}',
    human: (answer) => formatKey(obj(answer)?.Key) ?? '',
  },
  {
    name: 'which-master',
    section,
    summary: "print an instance's master (nothing for a master)",
    route: 'instance/{instance}',
    human: (answer) => {
      const master = obj(obj(answer)?.MasterKey);
      return master?.Hostname ? (formatKey(master) ?? '') : '';
    },
  },
  {
    name: 'which-replicas',
    section,
    summary: "list an instance's replicas",
    route: 'instance-replicas/{instance}',
    human: keys,
  },
  {
    name: 'which-broken-replicas',
    section,
    summary: 'list replicas of an instance with a stopped thread and an error',
    route: 'instance-replicas/{instance}',
    human: (answer) => lines(keysOf(list(answer).filter(brokenReplica))),
  },
  {
    name: 'which-cluster',
    section,
    summary: 'print the name of the cluster an instance (or alias) belongs to',
    route: 'cluster-info/{cluster}',
    human: (answer) => str(answer, 'ClusterName') ?? '',
  },
  {
    name: 'which-cluster-alias',
    section,
    summary: 'print the alias of the cluster an instance belongs to',
    route: 'cluster-info/{cluster}',
    human: (answer) => str(answer, 'ClusterAlias') ?? '',
  },
  {
    name: 'which-cluster-master',
    section,
    summary: 'print the writeable master of a cluster',
    route: 'master/{cluster}',
    human: (answer) => formatKey(obj(answer)?.Key) ?? '',
  },
  {
    name: 'which-cluster-instances',
    section,
    summary: 'list the instances of a cluster',
    route: 'cluster/{cluster}',
    human: keys,
  },
  {
    name: 'which-cluster-osc-replicas',
    section,
    summary: 'list replicas fit to be pt-online-schema-change control replicas',
    route: 'cluster-osc-replicas/{cluster}',
    human: keys,
  },
  {
    name: 'which-cluster-osc-running-replicas',
    section,
    summary: 'like which-cluster-osc-replicas, only replicating ones',
    route: 'cluster-osc-replicas/{cluster}',
    human: (answer) => lines(keysOf(list(answer).filter(replicating))),
  },
  {
    name: 'which-heuristic-cluster-pool-instances',
    section,
    summary: 'list the instances of a cluster in any pool, or in -l <pool>',
    route: 'heuristic-cluster-pool-instances/{cluster}[/{pool}]',
    human: detailsKeys,
  },
  {
    name: 'instance-status',
    section,
    summary: 'print [lag,status,version,ro|rw,binlog,extras] of an instance',
    route: 'instance/{instance}',
    human: describeInstance,
  },
  {
    name: 'search',
    section,
    summary: 'list instances whose name, version or comment contains -i <text>',
    route: 'search?s={instance:raw}',
    human: keys,
  },
  {
    name: 'downtimed',
    section,
    summary: 'list downtimed instances, of one cluster with -i/-a',
    route: 'downtimed[/{cluster}]',
    human: keys,
  },
  {
    name: 'problems',
    section,
    summary: 'list instances with problems, of one cluster with -i/-a',
    route: 'problems[/{cluster}]',
    human: problems,
  },
  {
    name: 'dominant-dc',
    section,
    summary: 'print the data center where most masters are',
    route: 'masters',
    human: dominantDataCenter,
  },
];
