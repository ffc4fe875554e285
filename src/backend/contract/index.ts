// The contract every Backend implementation must meet, as tables of node:test cases run once
// per dialect: src/backend/sqlite-backend.test.ts runs them on SQLite files and
// test/integration/backend-mysql.test.ts on a real MariaDB.
import { test } from 'node:test';
import { aliasCases } from './aliases.js';
import { electionCases } from './election.js';
import type { BackendFactory, ContractCase } from './harness.js';
import { instanceCases } from './instances.js';
import { metadataCases } from './metadata.js';
import { migrationCases } from './migrations.js';
import { replayCases } from './replay.js';

export type { BackendFactory, StoreUnderTest } from './harness.js';

const cases: readonly ContractCase[] = [
  ...migrationCases,
  ...instanceCases,
  ...aliasCases,
  ...metadataCases,
  ...electionCases,
  ...replayCases,
];

/** Declares every contract test for the backend `factory` makes. */
export function backendContract(factory: BackendFactory): void {
  for (const [name, body] of cases) {
    void test(`backend (${factory.name}): ${name}`, (t) => body(t, factory));
  }
}
