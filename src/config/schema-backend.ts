/**
 * Options of orc's own store (the backend) and of the connections to the managed MySQL and
 * MariaDB servers (the topology).
 */
import { bool, int, list, oneOf, secret, signedInt, str } from './spec.js';

export const backend = {
  type: oneOf(['sqlite', 'mysql'], {
    default: 'sqlite',
    orchestratorDefault: 'mysql',
    aliases: { sqlite3: 'sqlite' },
    doc: 'Where orc keeps its state: an embedded SQLite file, or a MySQL database.',
    defaultDoc: '`sqlite` (orchestrator-format files: `mysql`)',
    reload: false,
    orc: 'BackendDB',
  }),
  sqliteDataFile: str({
    default: 'orc.db',
    orchestratorDefault: '',
    doc: 'SQLite database file, created when missing; relative paths start at the working directory.',
    defaultDoc: '`orc.db` (orchestrator-format files: none, and required with SQLite)',
    reload: false,
    orc: 'SQLite3DataFile',
  }),
  mysqlHost: str({
    doc: 'Host of the MySQL backend.',
    reload: false,
    orc: 'MySQLOrchestratorHost',
  }),
  mysqlPort: int({
    default: 3306,
    min: 1,
    max: 65535,
    doc: 'Port of the MySQL backend.',
    reload: false,
    orc: 'MySQLOrchestratorPort',
  }),
  mysqlDatabase: str({
    doc: 'Schema of the MySQL backend.',
    reload: false,
    orc: 'MySQLOrchestratorDatabase',
  }),
  mysqlUser: str({
    doc: 'User of the MySQL backend.',
    reload: false,
    orc: 'MySQLOrchestratorUser',
  }),
  mysqlPassword: secret({
    doc: 'Password of the MySQL backend; `${NAME}` is replaced by environment variable NAME.',
    reload: false,
    orc: 'MySQLOrchestratorPassword',
  }),
  mysqlCredentialsConfigFile: str({
    doc: 'A my.cnf-style file whose `[client]` user and password override `mysqlUser`/`mysqlPassword`.',
    reload: false,
    orc: 'MySQLOrchestratorCredentialsConfigFile',
  }),
  mysqlMaxPoolConnections: int({
    default: 128,
    min: 1,
    doc: 'Most connections open to the MySQL backend at once.',
    reload: false,
    orc: 'MySQLOrchestratorMaxPoolConnections',
  }),
  mysqlReadTimeoutSeconds: int({
    default: 30,
    doc: 'Seconds before a read from the MySQL backend is abandoned.',
    reload: false,
    orc: 'MySQLOrchestratorReadTimeoutSeconds',
  }),
  mysqlRejectReadOnly: bool({
    default: false,
    doc: 'Drop and reopen connections that land on a read-only backend server.',
    reload: false,
    orc: 'MySQLOrchestratorRejectReadOnly',
  }),
  mysqlMaxAllowedPacket: signedInt({
    default: -1,
    doc: 'The max_allowed_packet of backend connections; -1 keeps the driver default (Percona).',
    reload: false,
    orc: 'MySQLOrchestratorMaxAllowedPacket',
  }),
  mysqlUseMutualTls: bool({
    default: false,
    doc: 'Use TLS with a client certificate to the MySQL backend.',
    reload: false,
    orc: 'MySQLOrchestratorUseMutualTLS',
  }),
  mysqlSslSkipVerify: bool({
    default: false,
    doc: 'Do not verify the MySQL backend server certificate.',
    reload: false,
    orc: 'MySQLOrchestratorSSLSkipVerify',
  }),
  mysqlSslPrivateKeyFile: str({
    doc: 'PEM private key for TLS to the MySQL backend.',
    reload: false,
    orc: 'MySQLOrchestratorSSLPrivateKeyFile',
  }),
  mysqlSslCertFile: str({
    doc: 'PEM certificate for TLS to the MySQL backend.',
    reload: false,
    orc: 'MySQLOrchestratorSSLCertFile',
  }),
  mysqlSslCaFile: str({
    doc: 'PEM certificate authority for TLS to the MySQL backend.',
    reload: false,
    orc: 'MySQLOrchestratorSSLCAFile',
  }),
  skipDatabaseUpdate: bool({
    default: false,
    doc: 'Do not create or migrate the backend schema at startup.',
    reload: false,
    orc: 'SkipOrchestratorDatabaseUpdate',
  }),
  panicIfDifferentDatabaseDeploy: bool({
    default: false,
    doc: 'Refuse to start when the backend schema was deployed by another version.',
    reload: false,
    orc: 'PanicIfDifferentDatabaseDeploy',
  }),
};

export const topology = {
  user: str({
    doc: 'User orc connects to managed servers with.',
    reload: true,
    orc: 'MySQLTopologyUser',
  }),
  password: secret({
    doc: 'Password for managed servers; `${NAME}` is replaced by environment variable NAME.',
    reload: true,
    orc: 'MySQLTopologyPassword',
  }),
  credentialsConfigFile: str({
    doc: 'A my.cnf-style file whose `[client]` user and password override `user`/`password`.',
    reload: true,
    orc: 'MySQLTopologyCredentialsConfigFile',
  }),
  useMutualTls: bool({
    default: false,
    doc: 'Use TLS with a client certificate to managed servers.',
    reload: false,
    orc: 'MySQLTopologyUseMutualTLS',
  }),
  useMixedTls: bool({
    default: true,
    doc: 'Detect per server whether it requires TLS, and cache the answer.',
    reload: false,
    orc: 'MySQLTopologyUseMixedTLS',
  }),
  sslSkipVerify: bool({
    default: false,
    doc: 'Do not verify managed servers certificates.',
    reload: false,
    orc: 'MySQLTopologySSLSkipVerify',
  }),
  sslPrivateKeyFile: str({
    doc: 'PEM private key for TLS to managed servers.',
    reload: false,
    orc: 'MySQLTopologySSLPrivateKeyFile',
  }),
  sslCertFile: str({
    doc: 'PEM certificate for TLS to managed servers.',
    reload: false,
    orc: 'MySQLTopologySSLCertFile',
  }),
  sslCaFile: str({
    doc: 'PEM certificate authority for TLS to managed servers.',
    reload: false,
    orc: 'MySQLTopologySSLCAFile',
  }),
  tlsCacheTtlFactor: int({
    default: 100,
    doc: 'A server TLS requirement is cached for this many poll intervals.',
    reload: true,
    orc: 'TLSCacheTTLFactor',
  }),
  maxAllowedPacket: signedInt({
    default: -1,
    doc: 'The max_allowed_packet of managed-server connections; -1 keeps the driver default (Percona).',
    reload: false,
    orc: 'MySQLTopologyMaxAllowedPacket',
  }),
  connectTimeoutSeconds: int({
    default: 2,
    min: 1,
    doc: 'Seconds before a connection attempt is abandoned (managed servers and MySQL backend).',
    reload: true,
    orc: 'MySQLConnectTimeoutSeconds',
  }),
  discoveryReadTimeoutSeconds: int({
    default: 10,
    min: 1,
    doc: 'Seconds before a probe query is abandoned.',
    reload: true,
    orc: 'MySQLDiscoveryReadTimeoutSeconds',
  }),
  readTimeoutSeconds: int({
    default: 600,
    min: 1,
    doc: 'Seconds before any other query on a managed server is abandoned.',
    reload: true,
    orc: 'MySQLTopologyReadTimeoutSeconds',
  }),
  connectionLifetimeSeconds: int({
    default: 0,
    doc: 'Seconds after which idle connections are recycled; 0 keeps them.',
    reload: false,
    orc: 'MySQLConnectionLifetimeSeconds',
  }),
  defaultInstancePort: int({
    default: 3306,
    min: 1,
    max: 65535,
    doc: 'Port assumed when a server is named without one.',
    reload: true,
    orc: 'DefaultInstancePort',
  }),
  replicationLagQuery: str({
    doc: 'Query returning one number, the lag in seconds (e.g. from pt-heartbeat); empty uses the replication status.',
    reload: true,
    orc: ['ReplicationLagQuery', { key: 'SlaveLagQuery', legacy: true }],
  }),
  replicationCredentialsQuery: str({
    doc: 'Query returning user, password, SSL CA, cert and key to use in CHANGE MASTER when re-pointing replicas.',
    reload: true,
    orc: 'ReplicationCredentialsQuery',
  }),
  maxConcurrentReplicaOperations: int({
    default: 5,
    min: 1,
    doc: 'Replicas operated on at once in multi-replica operations.',
    reload: true,
    orc: 'MaxConcurrentReplicaOperations',
  }),
  useSuperReadOnly: bool({
    default: false,
    doc: 'Also set super_read_only whenever orc sets read_only.',
    reload: true,
    orc: 'UseSuperReadOnly',
  }),
  lowerReplicaVersionAllowed: bool({
    default: false,
    doc: 'Allow a replica to replicate from a newer major version, with a warning (Percona).',
    reload: true,
    orc: 'LowerReplicaVersionAllowed',
  }),
  verifyReplicationFilters: bool({
    default: false,
    doc: 'Compare replication filters before allowing a replica to move below another.',
    reload: true,
    orc: 'VerifyReplicationFilters',
  }),
  instanceBulkOperationsWaitTimeoutSeconds: int({
    default: 10,
    doc: 'Seconds to wait on each server in bulk operations.',
    reload: true,
    orc: 'InstanceBulkOperationsWaitTimeoutSeconds',
  }),
  oscIgnoreHostnameFilters: list({
    doc: 'Regular expressions of host names never suggested as online-schema-change replicas.',
    reload: true,
    orc: 'OSCIgnoreHostnameFilters',
  }),
};
