/**
 * Options of orc's own high availability (Raft) and of primary discovery through key-value
 * stores (internal, Consul, ZooKeeper).
 */
import { bool, int, list, oneOf, secret, str } from './spec.js';

export const raft = {
  enabled: bool({
    default: false,
    doc: 'Run as one node of a Raft group; when false every other raft option is ignored.',
    reload: false,
    orc: 'RaftEnabled',
  }),
  bind: str({
    default: '127.0.0.1:10008',
    doc: 'Address the Raft transport listens on; `defaultPort` is appended when it has no port.',
    reload: false,
    orc: 'RaftBind',
  }),
  advertise: str({
    doc: 'Address other nodes reach this node Raft transport at.',
    defaultDoc: '"" (→ `raft.bind`)',
    reload: false,
    orc: 'RaftAdvertise',
  }),
  dataDir: str({
    doc: 'Directory of the Raft log and snapshots; required with Raft, created when missing.',
    reload: false,
    orc: 'RaftDataDir',
  }),
  defaultPort: int({
    default: 10008,
    min: 1,
    max: 65535,
    doc: 'Port appended to `bind`, `advertise` and `nodes` entries given without one.',
    reload: false,
    orc: 'DefaultRaftPort',
  }),
  nodes: list({
    doc: 'Raft addresses of all nodes, this one included; empty or only this node runs a single-node group.',
    reload: false,
    orc: 'RaftNodes',
  }),
  httpAdvertise: str({
    doc: 'URL (`scheme://host:port`, no path) other nodes use to reach this node HTTP API when it leads.',
    reload: false,
    orc: 'HTTPAdvertise',
  }),
  secret: secret({
    doc: 'Shared secret every Raft peer must present (orc only; orchestrator Raft is unauthenticated).',
    reload: false,
  }),
  expectFailureAnalysisConsensus: bool({
    default: true,
    doc: 'Orchestrator key without effect there either (consensus on analysis was never built).',
    reload: false,
    orc: 'ExpectFailureAnalysisConcensus',
    compat: true,
  }),
};

export const kv = {
  clusterPrimaryPrefix: str({
    default: 'mysql/master',
    doc: 'Key prefix under which each cluster primary is published; normalised to end with `/`.',
    reload: true,
    orc: 'KVClusterMasterPrefix',
  }),
  consulAddress: str({
    doc: 'Consul HTTP API address (e.g. `127.0.0.1:8500`); empty disables Consul.',
    reload: false,
    orc: 'ConsulAddress',
  }),
  consulScheme: oneOf(['http', 'https'], {
    default: 'http',
    doc: 'Scheme of the Consul HTTP API.',
    reload: false,
    orc: 'ConsulScheme',
  }),
  consulAclToken: secret({
    doc: 'ACL token used to write to Consul.',
    reload: false,
    orc: 'ConsulAclToken',
  }),
  consulCrossDataCenterDistribution: bool({
    default: false,
    doc: 'Write primaries to every Consul data center, not only the local one.',
    reload: true,
    orc: 'ConsulCrossDataCenterDistribution',
  }),
  consulKvStoreProvider: oneOf(['consul', 'consul-txn'], {
    default: 'consul',
    doc: 'Write keys one by one (`consul`) or in transactions (`consul-txn`, Consul 0.7 and later).',
    reload: false,
    orc: 'ConsulKVStoreProvider',
  }),
  consulMaxKvsPerTransaction: int({
    default: 5,
    doc: 'Keys written per Consul transaction; clamped to 5..64.',
    reload: true,
    orc: 'ConsulMaxKVsPerTransaction',
  }),
  zkAddress: str({
    doc: 'ZooKeeper servers (`srv1[:port1],srv2[:port2]`); unsupported by orchestrator too.',
    reload: false,
    orc: 'ZkAddress',
    compat: true,
  }),
};
