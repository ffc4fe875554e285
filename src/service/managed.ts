import { readFile } from 'node:fs/promises';
import type { Clock } from '../common/clock.js';
import type { Config } from '../config/index.js';
import type { Prober } from '../discovery/index.js';
import { MysqlPool, probeInstance, type ProbeOptions, type TlsOptions } from '../mysql/index.js';

/**
 * TLS to managed servers from the `MySQLTopologySSL*` settings: used when a CA, a client
 * certificate or mutual TLS is configured; plain TCP otherwise.
 */
async function topologyTls(config: Config): Promise<TlsOptions | undefined> {
  const t = config.topology;
  if (!t.useMutualTls && t.sslCaFile === '' && t.sslCertFile === '') return undefined;
  // TODO(discovery): MySQLTopologyUseMixedTLS (probe each server for TLS and cache the
  // answer) is not implemented; with files configured every connection uses TLS.
  const file = async (path: string) => (path === '' ? undefined : await readFile(path, 'utf8'));
  const [ca, cert, key] = await Promise.all([
    file(t.sslCaFile),
    file(t.sslCertFile),
    file(t.sslPrivateKeyFile),
  ]);
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
    rejectUnauthorized: !t.sslSkipVerify,
  };
}

/** The connection pool to managed servers, with orchestrator's timeouts from the config. */
export async function createTopologyPool(config: Config, clock: Clock): Promise<MysqlPool> {
  const t = config.topology;
  const tls = await topologyTls(config);
  return new MysqlPool({
    user: t.user,
    password: t.password,
    connectTimeoutMs: t.connectTimeoutSeconds * 1000,
    discoveryTimeoutMs: t.discoveryReadTimeoutSeconds * 1000,
    readTimeoutMs: t.readTimeoutSeconds * 1000,
    ...(t.connectionLifetimeSeconds > 0
      ? { idleTimeoutMs: t.connectionLifetimeSeconds * 1000 }
      : {}),
    ...(tls === undefined ? {} : { tls }),
    clock,
  });
}

/** The optional per-server queries a probe runs (ReplicationLagQuery, Detect*Query). */
export function probeQueries(config: Config): ProbeOptions {
  const m = config.metadata;
  const some = (sql: string) => (sql.trim() === '' ? undefined : sql);
  return {
    replicationLagQuery: some(config.topology.replicationLagQuery),
    detectDataCenterQuery: some(m.detectDataCenterQuery),
    detectRegionQuery: some(m.detectRegionQuery),
    detectPhysicalEnvironmentQuery: some(m.detectPhysicalEnvironmentQuery),
    detectInstanceAliasQuery: some(m.detectInstanceAliasQuery),
    detectPromotionRuleQuery: some(m.detectPromotionRuleQuery),
    detectSemiSyncEnforcedQuery: some(m.detectSemiSyncEnforcedQuery),
    detectClusterAliasQuery: some(m.detectClusterAliasQuery),
    detectClusterDomainQuery: some(m.detectClusterDomainQuery),
  };
}

/** Discovery's prober: `probeInstance` on the pool with the configured queries. */
export function topologyProber(pool: MysqlPool, config: Config): Prober {
  const queries = probeQueries(config);
  return (key) => probeInstance(pool, key, queries);
}
