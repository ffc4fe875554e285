// The public API of src/topology/: pure data types and functions about servers, their
// addresses, versions, binlog positions and GTIDs. No I/O; other folders import from here.
export * from './binlog.js';
export * from './errant.js';
export * from './gtid-mariadb.js';
export * from './gtid-mariadb-errant.js';
export * from './gtid-mysql.js';
export * from './instance.js';
export * from './instance-key.js';
export * from './probe-error.js';
export * from './promotion-rule.js';
export * from './replication.js';
export * from './version.js';
