// The public API of src/analysis/: pure failure analysis of a topology snapshot. Callers
// (the recovery loop, the HTTP API, the CLI) build an AnalysisSnapshot and read verdicts.
export * from './analyze.js';
export * from './candidates.js';
export * from './clauses.js';
export * from './codes.js';
export * from './edges.js';
export * from './explain.js';
export * from './facts.js';
export * from './filters.js';
export * from './format.js';
export * from './input.js';
export * from './link.js';
export * from './problems.js';
export * from './readiness.js';
export * from './records.js';
export * from './rows.js';
export * from './spec.js';
export * from './warnings.js';
