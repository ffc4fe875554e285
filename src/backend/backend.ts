import type { Clock } from '../common/clock.js';
import { AnalysisChangelogRepository } from './analysis-changelog.js';
import { AuditRepository } from './audit.js';
import { CandidateRepository } from './candidates.js';
import { ClusterNameRepository } from './cluster-names.js';
import { DowntimeRepository } from './downtime.js';
import { ElectionRepository } from './election.js';
import { HostnameRepository } from './hostnames.js';
import { InstanceAliasRepository } from './instance-aliases.js';
import { InstanceRepository } from './instances.js';
import { KvRepository } from './kv.js';
import { MaintenanceRepository } from './maintenance.js';
import { migrate, schemaVersion, type Migration, type MigrateResult } from './migrations.js';
import { MysqlDriver, type MysqlDriverOptions } from './mysql-driver.js';
import { NodeHealthRepository } from './node-health.js';
import { RecoverySwitchRepository } from './recovery-switch.js';
import type { SqlDriver } from './sql.js';
import { SqliteDriver, type SqliteDriverOptions } from './sqlite-driver.js';
import { TagRepository } from './tags.js';

export type BackendKind = 'sqlite' | 'mysql';

/**
 * orc's own store, one repository per concept. Both dialects implement it identically (the
 * same contract tests run on both). Every method is async; SQLite runs synchronously inside.
 *
 * Who writes: discovery writes instances (through an InstanceWriteBuffer); the caretaking
 * loop expires and purges; the HA layer writes node health and the election; everything
 * else is a decision (downtime, maintenance, candidates, tags, alias overrides, KV, audit,
 * the recovery switch). In raft mode decisions reach a node's store only through the
 * consensus applier, which passes the command's own time (`at`) so every node stores the
 * same values. Every write is idempotent: applying it twice leaves the state of applying it
 * once, which statement-based replication between two backends relies on (ha-modes.md §2b).
 */
export interface Backend {
  readonly kind: BackendKind;
  /** What opening did to the schema. */
  readonly migration: MigrateResult;
  readonly instances: InstanceRepository;
  /** Other names of known servers (proxies, DNS aliases, VIPs), written by discovery. */
  readonly instanceAliases: InstanceAliasRepository;
  readonly downtime: DowntimeRepository;
  readonly maintenance: MaintenanceRepository;
  readonly candidates: CandidateRepository;
  readonly tags: TagRepository;
  readonly clusters: ClusterNameRepository;
  readonly hostnames: HostnameRepository;
  readonly audit: AuditRepository;
  readonly kv: KvRepository;
  readonly nodeHealth: NodeHealthRepository;
  readonly election: ElectionRepository;
  readonly recoverySwitch: RecoverySwitchRepository;
  readonly analysisChangelog: AnalysisChangelogRepository;
  /** The applied schema version. */
  schemaVersion(): Promise<number>;
  /** A trivial query: resolves when the store answers (health checks). */
  ping(): Promise<void>;
  /** Closes connections; idempotent. Pending InstanceWriteBuffers must be flushed first. */
  close(): Promise<void>;
}

/** Options shared by both dialects. */
export interface BackendOpenOptions {
  clock: Clock;
  /** Apply pending migrations (default true); false only checks (skipDatabaseUpdate). */
  migrate?: boolean;
  /** Tests and tools only: another migration list, or a version to stop at. */
  migrations?: readonly Migration[];
  targetVersion?: number;
}

/** Repositories over any SqlDriver: the one implementation behind both backends. */
class SqlBackend implements Backend {
  readonly instances: InstanceRepository;
  readonly instanceAliases: InstanceAliasRepository;
  readonly downtime: DowntimeRepository;
  readonly maintenance: MaintenanceRepository;
  readonly candidates: CandidateRepository;
  readonly tags: TagRepository;
  readonly clusters: ClusterNameRepository;
  readonly hostnames: HostnameRepository;
  readonly audit: AuditRepository;
  readonly kv: KvRepository;
  readonly nodeHealth: NodeHealthRepository;
  readonly election: ElectionRepository;
  readonly recoverySwitch: RecoverySwitchRepository;
  readonly analysisChangelog: AnalysisChangelogRepository;

  protected constructor(
    readonly kind: BackendKind,
    private readonly driver: SqlDriver,
    readonly migration: MigrateResult,
    clock: Clock,
  ) {
    this.instances = new InstanceRepository(driver, clock);
    this.instanceAliases = new InstanceAliasRepository(driver, clock);
    this.downtime = new DowntimeRepository(driver, clock);
    this.maintenance = new MaintenanceRepository(driver, clock);
    this.candidates = new CandidateRepository(driver, clock);
    this.tags = new TagRepository(driver);
    this.clusters = new ClusterNameRepository(driver, clock);
    this.hostnames = new HostnameRepository(driver, clock);
    this.audit = new AuditRepository(driver, clock);
    this.kv = new KvRepository(driver, clock);
    this.nodeHealth = new NodeHealthRepository(driver, clock);
    this.election = new ElectionRepository(driver, clock);
    this.recoverySwitch = new RecoverySwitchRepository(driver, clock);
    this.analysisChangelog = new AnalysisChangelogRepository(driver, clock);
  }

  schemaVersion(): Promise<number> {
    return schemaVersion(this.driver);
  }

  async ping(): Promise<void> {
    await this.driver.all('SELECT 1 AS ok');
  }

  close(): Promise<void> {
    return this.driver.close();
  }

  /** Migrates (or checks) the schema, closing the driver if that fails. */
  protected static async prepare(
    driver: SqlDriver,
    options: BackendOpenOptions,
  ): Promise<MigrateResult> {
    try {
      return await migrate(driver, {
        clock: options.clock,
        apply: options.migrate ?? true,
        ...(options.migrations ? { migrations: options.migrations } : {}),
        ...(options.targetVersion === undefined ? {} : { target: options.targetVersion }),
      });
    } catch (err) {
      await driver.close();
      throw err;
    }
  }
}

export type SqliteBackendOptions = BackendOpenOptions & SqliteDriverOptions;

/** The embedded default: one SQLite file (see SqliteDriver for WAL and durability). */
export class SqliteBackend extends SqlBackend {
  static async open(options: SqliteBackendOptions): Promise<SqliteBackend> {
    const driver = SqliteDriver.open(options);
    const migration = await SqlBackend.prepare(driver, options);
    return new SqliteBackend('sqlite', driver, migration, options.clock);
  }
}

export type MysqlBackendOptions = BackendOpenOptions & MysqlDriverOptions;

/** A MySQL or MariaDB database, for large estates and the shared-backend HA mode. */
export class MysqlBackend extends SqlBackend {
  static async open(options: MysqlBackendOptions): Promise<MysqlBackend> {
    const driver = await MysqlDriver.open(options);
    const migration = await SqlBackend.prepare(driver, options);
    return new MysqlBackend('mysql', driver, migration, options.clock);
  }
}

/** Opens the backend the configuration names. */
export function openBackend(
  options: ({ type: 'sqlite' } & SqliteBackendOptions) | ({ type: 'mysql' } & MysqlBackendOptions),
): Promise<Backend> {
  return options.type === 'sqlite' ? SqliteBackend.open(options) : MysqlBackend.open(options);
}
