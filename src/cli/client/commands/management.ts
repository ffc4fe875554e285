/**
 * Commands that change what orc knows or decides about instances: discovery, forgetting,
 * downtime, maintenance, promotion rules, host name overrides, aliases, pools and tags. Each
 * prints the instance it touched, as orchestrator-client does.
 */
import { details, lines, list, raw, str } from '../format.js';
import { affected, answerRaw, detailsKeys, detailsRaw, keys } from './renderers.js';
import type { ClientCommand } from './types.js';

const management = 'Instance management';
const tags = 'Tags';

/** `key:value` per KV pair written (submit-masters-to-kv-stores). */
function kvPairs(answer: unknown): string {
  return lines(list(details(answer)).map((p) => `${str(p, 'Key') ?? ''}:${str(p, 'Value') ?? ''}`));
}

export const managementCommands: readonly ClientCommand[] = [
  {
    name: 'discover',
    section: management,
    summary: 'probe an instance now and add it (and its topology) to the inventory',
    route: 'discover/{instance}',
    human: affected,
  },
  {
    name: 'async-discover',
    section: management,
    summary: 'queue an instance for discovery without waiting',
    route: 'async-discover/{instance}',
    human: affected,
  },
  {
    name: 'refresh',
    section: management,
    summary: 'probe a known instance again now',
    route: 'refresh/{instance}',
    human: affected,
  },
  {
    name: 'forget',
    section: management,
    summary: 'remove an instance from the inventory (it returns if still replicating)',
    route: 'forget/{instance}',
    human: (_answer, inputs) => inputs.instanceKey(),
  },
  {
    name: 'forget-cluster',
    section: management,
    summary: 'remove every instance of a cluster from the inventory',
    route: 'forget-cluster/{cluster}',
    human: (_answer, inputs) => inputs.text('cluster'),
  },
  {
    name: 'begin-downtime',
    section: management,
    summary: 'mark an instance downtimed (no recovery for it) for -u (default 10m)',
    route: 'begin-downtime/{instance}/{owner}/{reason}/{duration}',
    human: affected,
  },
  {
    name: 'end-downtime',
    section: management,
    summary: 'end the downtime of an instance',
    route: 'end-downtime/{instance}',
    human: affected,
  },
  {
    name: 'begin-maintenance',
    section: management,
    summary: 'take a maintenance lock on an instance (no operations on it)',
    route: 'begin-maintenance/{instance}/{owner}/{reason}',
    human: affected,
  },
  {
    name: 'end-maintenance',
    section: management,
    summary: 'release the maintenance lock of an instance',
    route: 'end-maintenance/{instance}',
    human: affected,
  },
  {
    name: 'in-maintenance',
    section: management,
    summary: 'print the instance when it is in maintenance, nothing otherwise',
    route: 'in-maintenance/{instance}',
    human: detailsRaw,
  },
  {
    name: 'register-candidate',
    section: management,
    summary: 'set the promotion rule of an instance (-R, default prefer)',
    route: 'register-candidate/{instance}/{promotionRule}',
    human: affected,
  },
  {
    name: 'register-hostname-unresolve',
    section: management,
    summary: 'give an instance a virtual ("unresolved") name -H',
    route: 'register-hostname-unresolve/{instance}/{hostname}',
    human: affected,
  },
  {
    name: 'deregister-hostname-unresolve',
    section: management,
    summary: 'remove the virtual name of an instance',
    route: 'deregister-hostname-unresolve/{instance}',
    human: affected,
  },
  {
    name: 'set-cluster-alias',
    section: management,
    summary: 'set the alias of cluster -i <cluster name> to -a <alias>',
    route: 'set-cluster-alias/{instance:raw}?alias={alias}',
    human: (_answer, inputs) => inputs.text('instance'),
  },
  {
    name: 'submit-pool-instances',
    section: management,
    summary: 'declare pool -l made of the comma-separated instances -i',
    route: 'submit-pool-instances/{pool}?instances={instance:raw}',
    human: detailsRaw,
  },
  {
    name: 'submit-masters-to-kv-stores',
    section: management,
    summary: "write the masters' addresses (of cluster -a only, if given) to the KV stores",
    route: 'submit-masters-to-kv-stores[/{alias}]',
    human: kvPairs,
  },
  {
    name: 'tag',
    section: tags,
    summary: 'tag an instance with -t name or -t name=value',
    route: 'tag/{instance}?tag={tag}',
    human: affected,
  },
  {
    name: 'untag',
    section: tags,
    summary: 'remove tag -t from an instance',
    route: 'untag/{instance}?tag={tag}',
    human: detailsKeys,
  },
  {
    name: 'untag-all',
    section: tags,
    summary: 'remove tag -t name=value from every instance having it',
    route: 'untag-all?tag={tag}',
    human: detailsKeys,
  },
  {
    name: 'tags',
    section: tags,
    summary: "list an instance's tags as name=value",
    route: 'tags/{instance}',
    human: (answer) => lines(list(answer).map(raw)),
  },
  {
    name: 'tag-value',
    section: tags,
    summary: 'print the value of tag -t on an instance (fails when not tagged)',
    route: 'tag-value/{instance}?tag={tag}',
    human: answerRaw,
  },
  {
    name: 'tagged',
    section: tags,
    summary: 'list instances matching -t (name, name=value, !name, comma = and)',
    route: 'tagged?tag={tag}',
    human: keys,
  },
];
