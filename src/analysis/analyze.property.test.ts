import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PROBE_ERROR_KINDS, instanceKeysEqual, type ProbeErrorKind } from '../topology/index.js';
import { analyze } from './analyze.js';
import { down, link, primary, replica, snapshot } from './fixtures.js';
import type { ObservedInstance } from './input.js';
import type { AnalysisCode } from './spec.js';

const P = primary(23306);

const REPLICA_STATES = {
  replicating: (port: number) => replica(port, P),
  lagging: (port: number) => replica(port, P, { over: { replicationLagSeconds: 120 } }),
  failing: (port: number) => replica(port, P, { link: link.failingToConnect }),
  stopped: (port: number) => replica(port, P, { link: link.stoppedByHand }),
  sqlBroken: (port: number) => replica(port, P, { link: link.sqlBroken }),
  sqlStoppedSourceGone: (port: number) => replica(port, P, { link: link.sqlStoppedSourceGone }),
  unreachable: (port: number) => down(replica(port, P)),
} satisfies Record<string, (port: number) => ObservedInstance>;

type ReplicaState = keyof typeof REPLICA_STATES;

const replicaStates = fc.array(
  fc.constantFrom(...(Object.keys(REPLICA_STATES) as ReplicaState[])),
  { maxLength: 5 },
);
const primaryState = fc.record({
  error: fc.option(fc.constantFrom<ProbeErrorKind>(...PROBE_ERROR_KINDS), { nil: undefined }),
  partialSuccess: fc.boolean(),
});

function build(
  p: { error: ProbeErrorKind | undefined; partialSuccess: boolean },
  states: readonly ReplicaState[],
): ObservedInstance[] {
  const head = p.error === undefined ? P : down(P, p.error, { partialSuccess: p.partialSuccess });
  return [head, ...states.map((s, i) => REPLICA_STATES[s](23307 + i))];
}

function primaryCode(servers: readonly ObservedInstance[]): AnalysisCode | undefined {
  const rows = analyze(snapshot(servers), { includeNoProblem: true, includeDowntimed: true });
  return rows.find((a) => instanceKeysEqual(a.key, P.instance.key))?.code;
}

const DEAD_PRIMARY: readonly AnalysisCode[] = ['DeadMaster', 'DeadMasterAndSomeReplicas'];

void test('analysis: adding a replicating replica never turns a primary verdict into DeadMaster', () => {
  fc.assert(
    fc.property(primaryState, replicaStates, (p, states) => {
      const code = primaryCode(build(p, [...states, 'replicating']));
      assert.ok(code === undefined || !DEAD_PRIMARY.includes(code), code);
    }),
  );
});

void test('analysis: UnreachableMaster stays non-dead when more replicating replicas appear', () => {
  fc.assert(
    fc.property(primaryState, replicaStates, fc.integer({ min: 1, max: 3 }), (p, states, n) => {
      if (primaryCode(build(p, states)) !== 'UnreachableMaster') return;
      const more = [...states, ...Array<ReplicaState>(n).fill('replicating')];
      assert.equal(primaryCode(build(p, more)), 'UnreachableMaster');
    }),
  );
});

void test('analysis: a primary that refused orc never gets a Dead or Unreachable code', () => {
  const refusal = fc.constantFrom<ProbeErrorKind>(
    'too-many-connections',
    'access-denied',
    'host-blocked',
  );
  fc.assert(
    fc.property(refusal, fc.boolean(), replicaStates, (error, partialSuccess, states) => {
      const code = primaryCode(build({ error, partialSuccess }, states)) ?? '';
      assert.doesNotMatch(code, /^(Dead|Unreachable)/);
    }),
  );
});

void test('analysis: DeadMaster needs a reachable replica reporting a connect error', () => {
  fc.assert(
    fc.property(primaryState, replicaStates, (p, states) => {
      const code = primaryCode(build(p, states));
      if (code === undefined || !DEAD_PRIMARY.includes(code)) return;
      assert.ok(states.includes('failing') || states.includes('sqlStoppedSourceGone'), code);
    }),
  );
});

void test('analysis: the result does not depend on the order servers are listed in', () => {
  fc.assert(
    fc.property(primaryState, replicaStates, fc.integer(), (p, states, seed) => {
      const servers = build(p, states);
      const shuffled = [...servers].sort(
        (a, b) => ((a.instance.key.port * seed) % 7) - ((b.instance.key.port * seed) % 7),
      );
      const hints = { includeNoProblem: true, includeDowntimed: true };
      assert.deepEqual(analyze(snapshot(shuffled), hints), analyze(snapshot(servers), hints));
    }),
  );
});
