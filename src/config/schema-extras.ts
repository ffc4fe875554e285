/**
 * Options of the audit trail, and the orchestrator features orc accepts without acting on
 * them: Pseudo-GTID, orchestrator-agent, Graphite.
 */
import { bool, int, list, str } from './spec.js';

export const audit = {
  logFile: str({
    doc: 'File audit lines are appended to; empty disables it.',
    reload: true,
    orc: 'AuditLogFile',
  }),
  toSyslog: bool({
    default: false,
    doc: 'Also send audit lines to syslog.',
    reload: true,
    orc: 'AuditToSyslog',
    compat: true,
  }),
  toBackendDb: bool({
    default: false,
    doc: 'Also write audit lines to the backend `audit` table.',
    reload: true,
    orc: 'AuditToBackendDB',
  }),
  purgeDays: int({
    default: 7,
    doc: 'Days after which audit entries are purged from the backend.',
    reload: true,
    orc: 'AuditPurgeDays',
  }),
};

export const pseudoGtid = {
  auto: bool({
    default: false,
    doc: 'Inject Pseudo-GTID markers on writeable primaries; overrides the other Pseudo-GTID options.',
    reload: true,
    orc: 'AutoPseudoGTID',
    compat: true,
  }),
  pattern: str({
    doc: 'Binary-log text that marks a Pseudo-GTID entry; empty disables Pseudo-GTID.',
    reload: true,
    orc: 'PseudoGTIDPattern',
    compat: true,
  }),
  patternIsFixedSubstring: bool({
    default: false,
    doc: 'Treat `pattern` as plain text, not a regular expression.',
    reload: true,
    orc: 'PseudoGTIDPatternIsFixedSubstring',
    compat: true,
  }),
  monotonicHint: str({
    doc: 'Text in entries that grow monotonically (e.g. `asc:`), allowing binary search.',
    reload: true,
    orc: 'PseudoGTIDMonotonicHint',
    compat: true,
  }),
  detectQuery: str({
    doc: 'Query deciding per server whether Pseudo-GTID is in use.',
    reload: true,
    orc: 'DetectPseudoGTIDQuery',
    compat: true,
  }),
  binlogEventsChunkSize: int({
    default: 10000,
    min: 1,
    doc: 'Events read per SHOW BINLOG EVENTS page.',
    reload: true,
    orc: 'BinlogEventsChunkSize',
    compat: true,
  }),
  skipBinlogEventsContaining: list({
    doc: 'Texts of binary-log events ignored when comparing logs.',
    reload: true,
    orc: 'SkipBinlogEventsContaining',
    compat: true,
  }),
};

const agent = { reload: false, compat: true } as const;

export const agents = {
  serveHttp: bool({
    ...agent,
    default: false,
    doc: 'Serve the orchestrator-agent API.',
    orc: 'ServeAgentsHttp',
  }),
  serverPort: str({
    ...agent,
    default: ':3001',
    doc: 'Address of the orchestrator-agent API.',
    orc: 'AgentsServerPort',
  }),
  useSsl: bool({ ...agent, default: false, doc: 'TLS with agents.', orc: 'AgentsUseSSL' }),
  useMutualTls: bool({
    ...agent,
    default: false,
    doc: 'Mutual TLS with agents.',
    orc: 'AgentsUseMutualTLS',
  }),
  sslSkipVerify: bool({
    ...agent,
    default: false,
    doc: 'Do not verify agent certificates.',
    orc: 'AgentSSLSkipVerify',
  }),
  sslPrivateKeyFile: str({ ...agent, doc: 'Agent TLS key.', orc: 'AgentSSLPrivateKeyFile' }),
  sslCertFile: str({ ...agent, doc: 'Agent TLS certificate.', orc: 'AgentSSLCertFile' }),
  sslCaFile: str({ ...agent, doc: 'Agent TLS authority.', orc: 'AgentSSLCAFile' }),
  sslValidOus: list({ ...agent, doc: 'Accepted agent OUs.', orc: 'AgentSSLValidOUs' }),
  pollMinutes: int({
    ...agent,
    default: 60,
    doc: 'Minutes between agent polls.',
    orc: 'AgentPollMinutes',
  }),
  unseenForgetHours: int({
    ...agent,
    default: 6,
    doc: 'Hours after which an unseen agent is forgotten.',
    orc: 'UnseenAgentForgetHours',
  }),
  staleSeedFailMinutes: int({
    ...agent,
    default: 60,
    doc: 'Minutes without progress after which a seed fails.',
    orc: 'StaleSeedFailMinutes',
  }),
  seedAcceptableBytesDiff: int({
    ...agent,
    default: 8192,
    doc: 'Size difference still counted as a complete seed.',
    orc: 'SeedAcceptableBytesDiff',
  }),
  seedWaitSecondsBeforeSend: int({
    ...agent,
    default: 2,
    doc: 'Seconds to wait before a seed starts sending.',
    orc: 'SeedWaitSecondsBeforeSend',
  }),
};

const graphiteCommon = { reload: false, compat: true } as const;

export const graphite = {
  addr: str({ ...graphiteCommon, doc: 'Graphite address for metrics.', orc: 'GraphiteAddr' }),
  path: str({
    ...graphiteCommon,
    doc: 'Graphite path prefix; may contain `{hostname}`.',
    orc: 'GraphitePath',
  }),
  convertHostnameDotsToUnderscores: bool({
    ...graphiteCommon,
    default: true,
    doc: 'Replace dots in the host name used in `path`.',
    orc: 'GraphiteConvertHostnameDotsToUnderscores',
  }),
  pollSeconds: int({
    ...graphiteCommon,
    default: 60,
    doc: 'Seconds between Graphite writes; 0 disables.',
    orc: 'GraphitePollSeconds',
  }),
};
