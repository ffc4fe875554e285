/**
 * The rules applied to the merged configuration: orchestrator's normalisations (URLPrefix,
 * raft ports, Consul clamp, …) and its load-time validation errors, plus orc's own warnings.
 * Pure; works on a mutable draft before it is frozen.
 */
import type { Area, Config } from './schema.js';

/** The configuration while it is being compiled. */
export type Draft = { -readonly [A in Area]: { -readonly [K in keyof Config[A]]: Config[A][K] } };

/** Names an option for messages, the way the user wrote it (see compile.ts). */
export type Namer = (path: string) => string;

const CONSUL_MIN_KVS = 5;
const CONSUL_MAX_KVS = 64;
const AUTO_PSEUDO_GTID_PATTERN = 'drop view if exists `_pseudo_gtid_`';

/** `host` → `host:port`; IPv6 literals are bracketed. Entries with a port are kept. */
export function withDefaultPort(address: string, port: number): string {
  const a = address.trim();
  if (a === '') return a;
  if (a.startsWith('[')) return /\]:\d+$/.test(a) ? a : `${a}:${port}`;
  const colons = a.split(':').length - 1;
  if (colons > 1) return `[${a}]:${port}`;
  return colons === 1 ? a : `${a}:${port}`;
}

/** `orc/`, `/orc`, `orc` → `/orc`; empty stays empty. */
export function normaliseUrlPrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '' : `/${trimmed}`;
}

/** Applies orchestrator's normalisations and derived defaults; may add warnings. */
export function normalise(c: Draft, warnings: string[], name: Namer): void {
  c.http.urlPrefix = normaliseUrlPrefix(c.http.urlPrefix);

  const port = c.raft.defaultPort;
  c.raft.bind = withDefaultPort(c.raft.bind, port);
  c.raft.advertise = withDefaultPort(
    c.raft.advertise === '' ? c.raft.bind : c.raft.advertise,
    port,
  );
  c.raft.nodes = c.raft.nodes.map((n) => withDefaultPort(n, port)).filter((n) => n !== '');

  const kvs = c.kv.consulMaxKvsPerTransaction;
  const clamped = Math.min(CONSUL_MAX_KVS, Math.max(CONSUL_MIN_KVS, kvs));
  if (clamped !== kvs) {
    warnings.push(
      `${name('kv.consulMaxKvsPerTransaction')} is ${kvs}; using ${clamped} (allowed: ${CONSUL_MIN_KVS} to ${CONSUL_MAX_KVS})`,
    );
    c.kv.consulMaxKvsPerTransaction = clamped;
  }
  if (c.kv.clusterPrimaryPrefix !== '/') {
    c.kv.clusterPrimaryPrefix = `${c.kv.clusterPrimaryPrefix.replace(/\/+$/, '')}/`;
  }

  if (c.analysis.reasonableLockedSemiSyncPrimarySeconds === 0) {
    c.analysis.reasonableLockedSemiSyncPrimarySeconds = c.analysis.reasonableReplicationLagSeconds;
  }
  if (c.log.debug && c.log.level === 'info') c.log.level = 'debug';
  if (c.discovery.instanceWriteBufferSize <= 0) c.discovery.bufferInstanceWrites = false;

  if (c.pseudoGtid.auto) {
    c.pseudoGtid.pattern = AUTO_PSEUDO_GTID_PATTERN;
    c.pseudoGtid.patternIsFixedSubstring = true;
    c.pseudoGtid.monotonicHint = 'asc:';
    c.pseudoGtid.detectQuery = 'select 1';
  }
}

/** What is wrong with an HTTPAdvertise value, or undefined when it is usable. */
export function httpAdvertiseProblem(url: string): string | undefined {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(url);
  if (match === null) return 'the scheme (http:// or https://) is missing';
  const authority = (match[2] ?? '').replace(/^[^@]*@/, '');
  const hostPort = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority);
  const host = hostPort?.[1] ?? '';
  if (host === '' || host === '[]') return 'the host name is missing';
  if ((hostPort?.[2] ?? '') === '') return 'the port number is missing';
  const path = match[3] ?? '';
  if (path !== '') return `it must not have a path (${JSON.stringify(path)})`;
  return undefined;
}

/**
 * orchestrator's load-time validation errors (go/config/config.go postReadAdjustments), each
 * as a message naming the options involved. The synonym conflicts are found per file in
 * sources.ts, where both keys are still visible.
 */
export function validate(c: Config, name: Namer): string[] {
  const issues: string[] = [];
  const r = c.recovery;
  if (
    r.failPrimaryPromotionIfSqlThreadNotUpToDate &&
    r.delayPrimaryPromotionIfSqlThreadNotUpToDate
  ) {
    issues.push(
      `${name('recovery.failPrimaryPromotionIfSqlThreadNotUpToDate')} and ${name('recovery.delayPrimaryPromotionIfSqlThreadNotUpToDate')} cannot both be true; choose failing or delaying the promotion`,
    );
  }
  if (r.failPrimaryPromotionOnLagMinutes > 0 && c.topology.replicationLagQuery === '') {
    issues.push(
      `${name('recovery.failPrimaryPromotionOnLagMinutes')} is ${r.failPrimaryPromotionOnLagMinutes}, which needs ${name('topology.replicationLagQuery')} to be set; it is empty`,
    );
  }
  if (c.backend.type === 'sqlite' && c.backend.sqliteDataFile === '') {
    issues.push(
      `${name('backend.type')} is "sqlite" but ${name('backend.sqliteDataFile')} is empty; set the SQLite database file`,
    );
  }
  if (c.raft.enabled && c.raft.dataDir === '') {
    issues.push(
      `${name('raft.enabled')} is true but ${name('raft.dataDir')} is empty; set the directory for the Raft log`,
    );
  }
  if (c.raft.enabled && c.raft.bind === '') {
    issues.push(
      `${name('raft.enabled')} is true but ${name('raft.bind')} is empty; set the address Raft listens on`,
    );
  }
  if (c.raft.httpAdvertise !== '') {
    const problem = httpAdvertiseProblem(c.raft.httpAdvertise);
    if (problem !== undefined) {
      issues.push(
        `${name('raft.httpAdvertise')} is ${JSON.stringify(c.raft.httpAdvertise)}, which must look like http://host:port: ${problem}`,
      );
    }
  }
  return issues;
}

/** Things that load but probably do not do what the user meant. */
export function advise(c: Config, name: Namer): string[] {
  const warnings: string[] = [];
  if (c.backend.type === 'mysql' && c.backend.mysqlHost === '') {
    warnings.push(
      `${name('backend.type')} is "mysql" but ${name('backend.mysqlHost')} is empty; orc cannot reach its backend`,
    );
  }
  if (c.raft.enabled && c.raft.nodes.length > 1 && c.raft.secret === '') {
    warnings.push(
      `${name('raft.secret')} is empty: Raft peers are not authenticated; set the same secret on every node`,
    );
  }
  return warnings;
}
