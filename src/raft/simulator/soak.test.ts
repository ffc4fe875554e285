import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSimulation, SimulationFailure } from './run.js';

/**
 * The long soak, run by `npm run test:soak` (ORC_SOAK=1): many more seeds than `npm test`
 * (ORC_RAFT_SOAK_SEEDS, default 2000, from ORC_RAFT_SOAK_FROM, default 100000) with longer
 * fault schedules (ORC_RAFT_SOAK_CHAOS_MS, default 20000 simulated ms each).
 */
const enabled = process.env.ORC_SOAK === '1';
const seeds = Number(process.env.ORC_RAFT_SOAK_SEEDS ?? 2_000);
const from = Number(process.env.ORC_RAFT_SOAK_FROM ?? 100_000);
const chaosMs = Number(process.env.ORC_RAFT_SOAK_CHAOS_MS ?? 20_000);

void test(
  `simulator soak: ${seeds} seeds of ${chaosMs} simulated ms`,
  { skip: enabled ? false : 'set ORC_SOAK=1 (npm run test:soak)' },
  (t) => {
    let steps = 0;
    let simulatedMs = 0;
    const failures: SimulationFailure[] = [];
    for (let seed = from; seed < from + seeds; seed++) {
      try {
        const report = runSimulation({ seed, chaosMs, livenessMs: 5_000 });
        steps += report.steps;
        simulatedMs += report.simulatedMs;
      } catch (err) {
        if (!(err instanceof SimulationFailure)) throw err;
        failures.push(err);
      }
    }
    t.diagnostic(
      `${seeds - failures.length}/${seeds} seeds passed: ${steps} steps, ${(simulatedMs / 1000).toFixed(0)} simulated s`,
    );
    if (failures.length > 0) {
      const list = failures.map((f) => `${f.seed} (${f.property})`).join(', ');
      assert.fail(`failing seeds: ${list}\n\n${failures[0]?.message ?? ''}`);
    }
  },
);
