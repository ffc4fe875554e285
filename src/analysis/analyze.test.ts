import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatInstanceKey, instanceKeysEqual } from '../topology/index.js';
import { analyze, type Analysis, type AnalyzeOptions } from './analyze.js';
import {
  down,
  downtime,
  link,
  maintenance,
  NOW,
  primary,
  replica,
  snapshot,
  withInstance,
  type SnapshotOptions,
} from './fixtures.js';
import type { ObservedInstance } from './input.js';

const P = primary(23306);
const failing = { link: link.failingToConnect };
const stopped = { link: link.stoppedByHand };

function rowOf(
  servers: readonly ObservedInstance[],
  row: ObservedInstance,
  options: SnapshotOptions = {},
  hints: AnalyzeOptions = { includeNoProblem: true, includeDowntimed: true },
): Analysis | undefined {
  return analyze(snapshot(servers, options), hints).find((a) =>
    instanceKeysEqual(a.key, row.instance.key),
  );
}

void test('analysis: a replica stopped for a backup and a blip on the primary link is not DeadMaster', () => {
  const backup = replica(23307, P, stopped);
  for (const downtimes of [[], [downtime(backup)]]) {
    const a = rowOf([down(P), backup], P, { downtimes });
    assert.equal(
      a?.code,
      'UnreachablePrimaryWithStoppedReplicas',
      `downtimes: ${downtimes.length}`,
    );
    assert.equal(a.actionable, false);
    assert.deepEqual(a.emergentOperations, ['reprobe-instance', 'reprobe-replicas']);
  }
});

void test('analysis: a stopped replica next to one failing to connect is DeadMaster', () => {
  const servers = [down(P), replica(23307, P, stopped), replica(23308, P, failing)];
  assert.equal(rowOf(servers, P)?.code, 'DeadMaster');
});

void test('analysis: a replica whose IO thread is still connected vetoes DeadMaster', () => {
  const servers = [
    down(P),
    replica(23307, P, { link: link.sqlBroken }),
    replica(23308, P, failing),
  ];
  assert.equal(rowOf(servers, P)?.code, 'UnreachablePrimaryWithStoppedReplicas');
});

void test('analysis: a replica with only its SQL thread stopped still witnesses a dead primary', () => {
  const servers = [down(P), replica(23307, P, { link: link.sqlStoppedSourceGone })];
  assert.equal(rowOf(servers, P)?.code, 'DeadMaster');
});

void test('analysis: a primary with too many connections is never DeadMaster, whatever replicas say', () => {
  for (const kind of ['too-many-connections', 'access-denied', 'host-blocked'] as const) {
    const servers = [down(P, kind), replica(23307, P, failing), replica(23308, P, failing)];
    const a = rowOf(servers, P);
    assert.notEqual(a?.code, 'DeadMaster', kind);
    assert.equal(a?.actionable, false, kind);
    assert.equal(a?.recovery, 'detect-only', kind);
  }
  const busy = [down(P, 'too-many-connections'), replica(23307, P)];
  assert.equal(rowOf(busy, P)?.code, 'PrimaryTooManyConnections');
});

void test('analysis: a timeout is not a refusal; a timed-out primary with evidence is DeadMaster', () => {
  const servers = [down(P, 'timeout'), replica(23307, P, failing)];
  assert.equal(rowOf(servers, P)?.code, 'DeadMaster');
});

void test('analysis: a downtimed dead primary is skippable and hidden unless downtimed rows are asked for', () => {
  const servers = [down(P), replica(23307, P, failing)];
  const options = { downtimes: [downtime(P)] };
  const a = rowOf(servers, P, options);
  assert.equal(a?.code, 'DeadMaster');
  assert.ok(a.downtimed && a.skippableDueToDowntime && !a.replicasDowntimed);
  assert.equal(rowOf(servers, P, options, { includeDowntimed: false }), undefined);
});

void test('analysis: an expired downtime no longer skips the row', () => {
  const servers = [down(P), replica(23307, P, failing)];
  const a = rowOf(servers, P, { downtimes: [downtime(P, -1)] }, {});
  assert.equal(a?.code, 'DeadMaster');
  assert.equal(a.downtimed, false);
});

void test('analysis: replica-only codes are skippable when every replica is downtimed', () => {
  const r1 = replica(23307, P, stopped);
  const r2 = replica(23308, P, stopped);
  const all = { downtimes: [downtime(r1), downtime(r2)] };
  const a = rowOf([P, r1, r2], P, all);
  assert.equal(a?.code, 'AllMasterReplicasNotReplicating');
  assert.ok(a.replicasDowntimed && a.skippableDueToDowntime && !a.downtimed);
  const some = rowOf([P, r1, r2], P, { downtimes: [downtime(r1)] });
  assert.equal(some?.skippableDueToDowntime, false);
});

void test('analysis: a single replica downtimed for a backup makes its primary row skippable', () => {
  const backup = replica(23307, P, stopped);
  const a = rowOf([P, backup], P, { downtimes: [downtime(backup)] });
  assert.equal(a?.code, 'MasterSingleReplicaNotReplicating');
  assert.equal(a.skippableDueToDowntime, true);
});

void test('analysis: a primary-level code is not skipped because its replicas are downtimed', () => {
  const r = replica(23307, P, failing);
  const a = rowOf([down(P), r], P, { downtimes: [downtime(r)] });
  assert.equal(a?.code, 'DeadMaster');
  assert.equal(a.skippableDueToDowntime, false);
});

void test('analysis: a server under maintenance gets no row but still counts as a replica', () => {
  const r = replica(23307, P, failing);
  const options = { maintenances: [maintenance(r)] };
  assert.equal(rowOf([down(P), r], r, options), undefined);
  assert.equal(rowOf([down(P), r], P, options)?.code, 'DeadMaster');
  assert.equal(rowOf([down(P), r], P, { maintenances: [maintenance(P)] }), undefined);
  assert.equal(rowOf([down(P), r], P, { maintenances: [maintenance(P, -1)] })?.code, 'DeadMaster');
});

void test('analysis: rows with nothing to say are dropped unless NoProblem rows are asked for', () => {
  const servers = [P, replica(23307, P)];
  assert.deepEqual(analyze(snapshot(servers)), []);
  const keys = analyze(snapshot(servers), { includeNoProblem: true }).map((a) =>
    formatInstanceKey(a.key),
  );
  assert.deepEqual(keys, ['127.0.0.1:23306']);
});

void test('analysis: without ReduceReplicationAnalysisCount leaf replicas get rows too', () => {
  const servers = [P, replica(23307, P)];
  const settings = { reduceReplicationAnalysisCount: false };
  const keys = analyze(snapshot(servers, { settings }), { includeNoProblem: true }).map((a) =>
    formatInstanceKey(a.key),
  );
  assert.deepEqual(keys, ['127.0.0.1:23306', '127.0.0.1:23307']);
});

void test('analysis: RecoveryIgnoreHostnameFilters removes rows, ProblemIgnore only marks them', () => {
  const servers = [down(P), replica(23307, P, failing)];
  const ignored = { settings: { recoveryIgnoreHostnameFilters: ['^127\\.0\\.0\\.1$'] } };
  assert.equal(rowOf(servers, P, ignored), undefined);
  const hidden = rowOf(servers, P, { settings: { problemIgnoreHostnameFilters: ['127'] } });
  assert.equal(hidden?.code, 'DeadMaster');
  assert.equal(hidden.hiddenFromProblems, true);
});

void test('analysis: rows are ordered primaries first, then by replica count', () => {
  const q = primary(23400);
  const im = replica(23307, P, { link: link.replicating });
  const servers = [replica(23308, im, stopped), im, down(q), P, replica(23309, P)];
  const keys = analyze(snapshot(servers), { includeNoProblem: true }).map((a) =>
    formatInstanceKey(a.key),
  );
  assert.deepEqual(keys, ['127.0.0.1:23306', '127.0.0.1:23400', '127.0.0.1:23307']);
});

void test('analysis: the cluster option keeps one cluster only', () => {
  const q = down(primary(23400));
  const servers = [down(P), replica(23307, P, failing), q];
  const rows = analyze(snapshot(servers), { clusterName: '127.0.0.1:23400' });
  assert.deepEqual(
    rows.map((a) => a.code),
    ['DeadMasterWithoutReplicas'],
  );
});

void test('analysis: the explanation names the rule, the rules passed over, and aged facts', () => {
  const servers = [down(P), replica(23307, P, failing)];
  const e = rowOf(servers, P)?.explanation;
  assert.ok(e);
  assert.equal(e.code, 'DeadMaster');
  assert.ok(e.conditions.some((c) => c.endsWith('[orc]')));
  assert.deepEqual(
    e.notFired.map((n) => n.code),
    [
      'PrimaryTooManyConnections',
      'PrimaryAccessDenied',
      'PrimaryHostBlocked',
      'DeadMasterWithoutReplicas',
    ],
  );
  assert.equal(e.notFired[3]?.unmet, 'it has no replicas');
  const [self, rep] = e.evidence;
  assert.match(self?.fact ?? '', /last check failed: unreachable/);
  assert.equal(self?.ageMs, 1000);
  assert.equal(rep?.relation, 'replica');
  assert.match(rep?.fact ?? '', /failing to connect .*2003/);
  assert.equal(rep?.ageMs, 1300);
});

void test('analysis: the explanation of a proxied replica says how it was tied to the primary', () => {
  const proxied = replica(23307, P, {
    link: { ...link.failingToConnect, sourceKey: { host: '10.0.0.5', port: 3306 } },
  });
  const e = rowOf([down(P), proxied], P)?.explanation;
  assert.match(e?.evidence[1]?.fact ?? '', /via 10\.0\.0\.5:3306, tied by server_id 23306/);
});

void test('analysis: a read-only primary with a pending probe explains both', () => {
  const hung = withInstance(P, {
    readOnly: true,
    timing: {
      ...P.instance.timing,
      lastAttemptedAt: NOW,
      lastCheckedAt: NOW - 9000,
      lastSeenAt: NOW - 9000,
    },
  });
  const e = rowOf([hung, replica(23307, P, failing)], P)?.explanation;
  const facts = e?.evidence.map((x) => x.fact) ?? [];
  assert.ok(facts.some((f) => f.startsWith('a probe has been pending')));
  assert.ok(facts.includes('read_only=ON'));
});
