/**
 * The one schema of orc's configuration: every option, grouped by area, declared once in the
 * schema-*.ts files. Everything else (the typed Config, the orchestrator key index, the
 * environment variable names, the docs table) is derived from it here.
 */
import { audit, agents, graphite, pseudoGtid } from './schema-extras.js';
import { backend, topology } from './schema-backend.js';
import { discovery, hostname, metadata } from './schema-discovery.js';
import { kv, raft } from './schema-ha.js';
import { analysis, hooks, recovery } from './schema-recovery.js';
import { auth, http, log } from './schema-service.js';
import type { AnyOption, OrchestratorKey, ValueOf } from './spec.js';

/** Areas in the order the docs and dumps show them. */
export const schema = {
  http,
  auth,
  log,
  backend,
  topology,
  discovery,
  hostname,
  metadata,
  analysis,
  recovery,
  hooks,
  raft,
  kv,
  audit,
  pseudoGtid,
  agents,
  graphite,
} as const satisfies Record<string, Record<string, AnyOption>>;

export type Schema = typeof schema;
export type Area = keyof Schema;

/**
 * The compiled configuration: every option present with its effective value. Objects returned
 * by loadConfig/compileConfig are deeply frozen; pass them (or one area) to constructors.
 */
export type Config = {
  readonly [A in Area]: { readonly [K in keyof Schema[A]]: ValueOf<Schema[A][K]> };
};

/** One option with its place in the schema and its derived names. */
export interface OptionInfo {
  readonly area: Area;
  readonly name: string;
  /** `area.name`, the option's name in messages, docs and dumps. */
  readonly path: string;
  /** The environment variable that sets it, e.g. ORC_DISCOVERY_INSTANCE_POLL_SECONDS. */
  readonly env: string;
  readonly spec: AnyOption;
}

/** `instancePollSeconds` → `INSTANCE_POLL_SECONDS`. */
export function toEnvWord(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

function collect(): readonly OptionInfo[] {
  const out: OptionInfo[] = [];
  for (const [area, options] of Object.entries(schema) as [Area, Record<string, AnyOption>][]) {
    for (const [name, spec] of Object.entries(options)) {
      const env = `ORC_${toEnvWord(area)}_${toEnvWord(name)}`;
      out.push({ area, name, path: `${area}.${name}`, env, spec });
    }
  }
  return out;
}

/** Every option, in schema order. */
export const allOptions: readonly OptionInfo[] = collect();

export const optionsByPath: ReadonlyMap<string, OptionInfo> = new Map(
  allOptions.map((o) => [o.path, o]),
);

/** An orchestrator key and the option it sets. */
export interface OrchestratorKeyRef {
  readonly option: OptionInfo;
  readonly ref: OrchestratorKey;
}

function indexKeys(): ReadonlyMap<string, OrchestratorKeyRef> {
  const index = new Map<string, OrchestratorKeyRef>();
  for (const option of allOptions) {
    for (const ref of option.spec.orchestrator) index.set(ref.key, { option, ref });
  }
  return index;
}

/** orchestrator key (exact PascalCase spelling) → option. */
export const orchestratorKeys: ReadonlyMap<string, OrchestratorKeyRef> = indexKeys();

/**
 * Keys orchestrator once read and now ignores (its own deprecated list, and keys removed from
 * later versions). orc ignores them too, with a warning instead of orchestrator's silence.
 */
export const retiredOrchestratorKeys: ReadonlySet<string> = new Set([
  'DatabaselessMode__experimental',
  'BufferBinlogEvents',
  'BinlogFileHistoryDays',
  'MaintenanceOwner',
  'ReadLongRunningQueries',
  'DiscoveryPollSeconds',
  'ActiveNodeExpireSeconds',
  'AuditPageSize',
  'SlaveStartPostWaitMilliseconds',
  'MySQLTopologyMaxPoolConnections',
  'MaintenancePurgeDays',
  'MaintenanceExpireMinutes',
  'HttpTimeoutSeconds',
  'AgentAutoDiscover',
  'PseudoGTIDCoordinatesHistoryHeuristicMinutes',
  'PseudoGTIDPreferIndependentMultiMatch',
  'MaxOutdatedKeysToShow',
  'RemoteSSHForMasterFailover',
  'RemoteSSHCommand',
  'RemoteSSHCommandUseSudo',
  'UnreachableMasterWithStaleSlavesProcesses',
  'StatusSimpleHealth',
]);

/**
 * ORC_* variables that are not configuration: process switches and the variables orc sets for
 * hook commands (a hook that runs `orc` passes them on). Never warned about.
 */
export const nonConfigEnv: ReadonlySet<string> = new Set([
  'ORC_DEBUG',
  'ORC_USE_DIST',
  'ORC_SOAK',
  'ORC_TEST_CONCURRENCY',
  'ORC_RECOVERY_UID',
]);

/** The current orchestrator key of an option (not a legacy synonym or a fallback key). */
export function primaryOrchestratorKey(option: OptionInfo): OrchestratorKey | undefined {
  return option.spec.orchestrator.find((k) => !k.legacy && !k.fallback);
}
