import { col, index, type TableSpec } from './table-spec.js';

/**
 * orc's tables, each as the migration that creates it leaves it. A later change to a table is
 * a new migration step (migrations.ts), never an edit here, so that every store walks the
 * same path to the same schema. Times are epoch milliseconds from orc's Clock.
 */

const host = col.string('host');
const port = col.int('port');

/**
 * One row per probed server. The columns are what lookups filter on; `data` is the whole
 * Instance as JSON (`data_format` says how to read it). The timing columns are authoritative
 * over the JSON's, because a failed probe moves them without rewriting the document.
 */
export const instancesTable: TableSpec = {
  name: 'instances',
  columns: [
    host,
    port,
    col.string('cluster_name'),
    col.string('source_host', { nullable: true }),
    col.int('source_port', { nullable: true }),
    col.bigint('server_id'),
    col.string('server_uuid', { length: 64, nullable: true }),
    col.string('alias', { nullable: true }),
    col.string('version'),
    col.int('depth'),
    col.bigint('last_attempted_at', { nullable: true }),
    col.bigint('last_checked_at', { nullable: true }),
    col.bigint('last_seen_at', { nullable: true }),
    col.bool('is_last_check_valid'),
    col.bool('partial_success'),
    col.int('data_format'),
    col.text('data'),
  ],
  primaryKey: ['host', 'port'],
  indexes: [
    index('instances', 'cluster_name'),
    index('instances', 'source_host', 'source_port'),
    index('instances', 'server_id'),
    index('instances', 'server_uuid'),
    index('instances', 'alias'),
    index('instances', 'last_attempted_at'),
    index('instances', 'last_checked_at'),
    index('instances', 'last_seen_at'),
    index('instances', 'is_last_check_valid'),
  ],
};

/** At most one downtime per instance; a new one replaces it. */
export const downtimeTable: TableSpec = {
  name: 'downtime',
  columns: [
    host,
    port,
    col.string('owner'),
    col.text('reason'),
    col.bigint('begins_at'),
    col.bigint('ends_at'),
  ],
  primaryKey: ['host', 'port'],
  indexes: [index('downtime', 'ends_at')],
};

/** The maintenance lock: at most one holder per instance, found by key or by its id. */
export const maintenanceTable: TableSpec = {
  name: 'maintenance',
  columns: [
    host,
    port,
    col.string('id', { length: 64 }),
    col.string('owner'),
    col.text('reason'),
    col.string('node_hostname'),
    col.string('node_token', { length: 64 }),
    col.bigint('begins_at'),
    col.bigint('ends_at'),
  ],
  primaryKey: ['host', 'port'],
  indexes: [index('maintenance', 'id'), index('maintenance', 'ends_at')],
};

export const candidatesTable: TableSpec = {
  name: 'candidates',
  columns: [host, port, col.string('promotion_rule', { length: 16 }), col.bigint('suggested_at')],
  primaryKey: ['host', 'port'],
  indexes: [index('candidates', 'suggested_at')],
};

export const tagsTable: TableSpec = {
  name: 'tags',
  columns: [host, port, col.string('tag_name'), col.string('tag_value')],
  primaryKey: ['host', 'port', 'tag_name'],
  indexes: [index('tags', 'tag_name', 'tag_value')],
};

/** Aliases found by DetectClusterAliasQuery (or the name map), refreshed while seen. */
export const clusterAliasTable: TableSpec = {
  name: 'cluster_alias',
  columns: [col.string('cluster_name'), col.string('alias'), col.bigint('registered_at')],
  primaryKey: ['cluster_name'],
  indexes: [index('cluster_alias', 'alias')],
};

/** Aliases set by people (`set-cluster-alias`); they win over detected ones. */
export const clusterAliasOverrideTable: TableSpec = {
  name: 'cluster_alias_override',
  columns: [col.string('cluster_name'), col.string('alias'), col.bigint('set_at')],
  primaryKey: ['cluster_name'],
  indexes: [index('cluster_alias_override', 'alias')],
};

export const clusterDomainTable: TableSpec = {
  name: 'cluster_domain',
  columns: [col.string('cluster_name'), col.string('domain'), col.bigint('registered_at')],
  primaryKey: ['cluster_name'],
  indexes: [index('cluster_domain', 'registered_at')],
};

/** Cache of name → resolved name (HostnameResolveMethod). */
export const hostnameResolveTable: TableSpec = {
  name: 'hostname_resolve',
  columns: [col.string('hostname'), col.string('resolved'), col.bigint('resolved_at')],
  primaryKey: ['hostname'],
  indexes: [index('hostname_resolve', 'resolved_at')],
};

/** Virtual names (VIPs) to use instead of a real host in CHANGE MASTER TO. */
export const hostnameUnresolveTable: TableSpec = {
  name: 'hostname_unresolve',
  columns: [col.string('hostname'), col.string('unresolved'), col.bigint('registered_at')],
  primaryKey: ['hostname'],
  indexes: [
    index('hostname_unresolve', 'unresolved'),
    index('hostname_unresolve', 'registered_at'),
  ],
};

/** `id` is made by the writer (a UUID), so replaying an insert finds its row. */
export const auditTable: TableSpec = {
  name: 'audit',
  columns: [
    col.string('id', { length: 64 }),
    col.bigint('at'),
    col.string('action', { length: 128 }),
    col.string('host', { nullable: true }),
    col.int('port', { nullable: true }),
    col.string('cluster_name', { nullable: true }),
    col.text('message'),
  ],
  primaryKey: ['id'],
  indexes: [index('audit', 'at'), index('audit', 'host', 'port', 'at')],
};

export const kvTable: TableSpec = {
  name: 'kv_store',
  columns: [col.string('kv_key'), col.text('kv_value'), col.bigint('updated_at')],
  primaryKey: ['kv_key'],
};

/** Every orc process (and CLI run) beats here each health tick. */
export const nodeHealthTable: TableSpec = {
  name: 'node_health',
  columns: [
    col.string('hostname'),
    col.string('token', { length: 64 }),
    col.bigint('first_seen_at'),
    col.bigint('last_seen_at'),
    col.string('app_version', { length: 64 }),
    col.string('backend', { length: 32 }),
    col.string('command', { length: 64 }),
    col.text('extra_info'),
  ],
  primaryKey: ['hostname', 'token'],
  indexes: [index('node_health', 'last_seen_at')],
};

/** The shared-backend election: one row (anchor = 1) naming the active node. */
export const activeNodeTable: TableSpec = {
  name: 'active_node',
  columns: [
    col.int('anchor'),
    col.string('hostname'),
    col.string('token', { length: 64 }),
    col.bigint('first_seen_at'),
    col.bigint('last_seen_at'),
  ],
  primaryKey: ['anchor'],
};

/** Present (anchor = 1) while automated recoveries are disabled globally. */
export const globalRecoveryDisableTable: TableSpec = {
  name: 'global_recovery_disable',
  columns: [col.int('anchor'), col.bigint('disabled_at')],
  primaryKey: ['anchor'],
};

export const lastAnalysisTable: TableSpec = {
  name: 'last_analysis',
  columns: [host, port, col.string('analysis', { length: 128 }), col.bigint('analyzed_at')],
  primaryKey: ['host', 'port'],
};

/** One row per change of an instance's analysis code. */
export const analysisChangelogTable: TableSpec = {
  name: 'analysis_changelog',
  columns: [host, port, col.bigint('analyzed_at'), col.string('analysis', { length: 128 })],
  primaryKey: ['host', 'port', 'analyzed_at'],
  indexes: [index('analysis_changelog', 'analyzed_at')],
};

/**
 * Other names of known servers (a proxy, a DNS alias, a VIP, a second port): each alias
 * address maps to the canonical key the server is stored under in `instances`. Discovery
 * records a row when a probe of the alias answered with the identity of a known server.
 */
export const instanceAliasesTable: TableSpec = {
  name: 'instance_aliases',
  columns: [
    col.string('alias_host'),
    col.int('alias_port'),
    col.string('canonical_host'),
    col.int('canonical_port'),
    col.bigint('seen_at'),
  ],
  primaryKey: ['alias_host', 'alias_port'],
  indexes: [
    index('instance_aliases', 'canonical_host', 'canonical_port'),
    index('instance_aliases', 'seen_at'),
  ],
};
