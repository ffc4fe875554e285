// The public API of src/mysql/: connections to the managed servers, the probe that reads what
// one server says about itself, the flavor vocabulary, and the assembly of an Instance from a
// probe and what the backend knows. The only folder (with backend/) that speaks SQL.
export * from './assemble.js';
export type { Row, TlsOptions } from './connection.js';
export * from './errors.js';
export * from './flavor.js';
export * from './pool.js';
export * from './probe.js';
export * from './probe-result.js';
