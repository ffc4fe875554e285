// The public API of src/backend/: orc's own store (schema, migrations, SQLite and MySQL
// dialects, repositories) and the batched instance writer. SQL stays inside this folder.
export * from './analysis-changelog.js';
export * from './audit.js';
export * from './backend.js';
export * from './candidates.js';
export * from './cluster-names.js';
export * from './downtime.js';
export * from './election.js';
export * from './errors.js';
export * from './hostnames.js';
export * from './instance-aliases.js';
export * from './instance-write-buffer.js';
export * from './instances.js';
export * from './kv.js';
export * from './maintenance.js';
export {
  MIGRATIONS,
  type Migration,
  type MigrateResult,
  type MigrationStep,
} from './migrations.js';
export type { MysqlDriverOptions } from './mysql-driver.js';
export * from './node-health.js';
export * from './recovery-switch.js';
export type { At, Durability } from './sql.js';
export type { SqliteDriverOptions } from './sqlite-driver.js';
export * from './tags.js';
