import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSimulation, SimulationFailure, type SimulationReport } from './run.js';

/** The fixed set `npm test` runs: seeds 1..SEEDS, each with CHAOS_MS of faults. */
const SEEDS = 250;
const CHAOS_MS = 4_000;
const LIVENESS_MS = 5_000;

const replaySeed = process.env.ORC_RAFT_SEED;
const replayChaos = Number(process.env.ORC_RAFT_CHAOS_MS ?? CHAOS_MS);

if (replaySeed !== undefined) {
  void test(`simulator: replay of seed ${replaySeed}`, (t) => {
    const report = runSimulation({
      seed: Number(replaySeed),
      chaosMs: replayChaos,
      livenessMs: LIVENESS_MS,
    });
    t.diagnostic(JSON.stringify(report));
  });
} else {
  void test(`simulator: ${SEEDS} seeds keep every safety property and recover once healed`, (t) => {
    const reports: SimulationReport[] = [];
    const failures: SimulationFailure[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      try {
        reports.push(runSimulation({ seed, chaosMs: CHAOS_MS, livenessMs: LIVENESS_MS }));
      } catch (err) {
        if (!(err instanceof SimulationFailure)) throw err;
        failures.push(err);
      }
    }
    const steps = reports.reduce((sum, r) => sum + r.steps, 0);
    const acknowledged = reports.reduce((sum, r) => sum + r.acknowledged, 0);
    t.diagnostic(
      `${reports.length} seeds passed: ${steps} steps, ${acknowledged} commands acknowledged`,
    );
    if (failures.length > 0) {
      const seeds = failures.map((f) => `${f.seed} (${f.property})`).join(', ');
      assert.fail(`failing seeds: ${seeds}\n\n${failures[0]?.message ?? ''}`);
    }
    assert.ok(reports.some((r) => r.nodes === 3) && reports.some((r) => r.nodes === 5));
    assert.ok(reports.every((r) => r.elections > 0 && r.acknowledged > 0));
  });
}

void test('simulator: a seed replays event for event', () => {
  const first = runSimulation({ seed: 42, chaosMs: 1_500, livenessMs: LIVENESS_MS });
  const second = runSimulation({ seed: 42, chaosMs: 1_500, livenessMs: LIVENESS_MS });
  assert.deepEqual(second, first);
  const other = runSimulation({ seed: 43, chaosMs: 1_500, livenessMs: LIVENESS_MS });
  assert.notDeepEqual(other, first);
});
