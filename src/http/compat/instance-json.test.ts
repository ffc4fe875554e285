import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { NOW, primary, replica, server } from '../../analysis/fixtures.js';
import { instanceKey, parseServerVersion, type Instance } from '../../topology/index.js';
import type { InstanceView } from '../routes/inventory-view.js';
import { sqlDateTime, toCompatClusterInfo, toCompatInstance } from './instance-json.js';

const TIMING = { now: NOW, instancePollSeconds: 5 };
const UUID_P = '00000000-0000-4000-8000-000000005bca';
const UUID_R = '00000000-0000-4000-8000-000000005bcb';

function fixture(name: string): Record<string, unknown> {
  const url = new URL(`../../../test/fixtures/orchestrator/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}

function view(instance: Instance, over: Partial<InstanceView> = {}): InstanceView {
  return {
    instance,
    downtime: undefined,
    promotionRule: instance.promotionRule,
    isCandidate: false,
    problems: [],
    isCoPrimary: false,
    ...over,
  };
}

/** A MySQL 8.0 replica with GTID auto-position, semi-sync, a replica of its own, downtimed. */
function richInstance(): InstanceView {
  const source = server(23306, {
    serverUuid: UUID_P,
    version: parseServerVersion('8.0.36', 'MySQL Community Server - GPL'),
  });
  const r = replica(
    23307,
    { instance: source },
    {
      link: { gtidUse: 'auto_position', sourceUuid: UUID_P },
      over: {
        serverUuid: UUID_R,
        version: parseServerVersion('8.0.36', 'MySQL Community Server - GPL'),
        gtid: { flavor: 'mysql', mode: 'ON', executed: `${UUID_P}:1-100`, purged: `${UUID_P}:1-5` },
        semiSync: {
          sourceEnabled: false,
          sourceActive: false,
          sourceClients: 0,
          sourceWaitForReplicaCount: 1,
          sourceTimeoutMs: 10_000,
          replicaEnabled: true,
          replicaActive: true,
          enforced: true,
        },
        replicas: [instanceKey('127.0.0.1', 23309)],
        placement: { dataCenter: 'dc1', region: 'eu', environment: 'prod' },
      },
    },
  ).instance;
  const instance = {
    ...r,
    cluster: { ...r.cluster, ancestryUuids: [UUID_P] },
  };
  return view(instance, {
    downtime: {
      key: instance.key,
      owner: 'dba',
      reason: 'upgrade',
      beginsAt: NOW - 60_000,
      endsAt: NOW + 540_000,
    },
    promotionRule: 'prefer',
    isCandidate: true,
    problems: ['replication_lag'],
  });
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  return Array.isArray(v) ? 'array' : typeof v;
}

/** Every key of `sample` present in `ours` with the same JSON type, nested objects included. */
function shapeProblems(sample: unknown, ours: unknown, path = ''): string[] {
  if (jsonType(sample) === 'array') {
    const [s] = sample as unknown[];
    const [o] = ours as unknown[];
    return s === undefined || o === undefined ? [] : shapeProblems(s, o, `${path}[0]`);
  }
  if (jsonType(sample) !== 'object') return [];
  const out: string[] = [];
  const theirs = ours as Record<string, unknown>;
  for (const [key, value] of Object.entries(sample as Record<string, unknown>)) {
    const where = `${path}.${key}`;
    if (!(key in theirs)) out.push(`${where} is missing`);
    else if (jsonType(value) !== jsonType(theirs[key])) {
      out.push(`${where} is ${jsonType(theirs[key])}, orchestrator sends ${jsonType(value)}`);
    } else out.push(...shapeProblems(value, theirs[key], where));
  }
  return out;
}

void test('instance json: every field of recorded orchestrator Instance samples, same JSON type', () => {
  const ours = toCompatInstance(richInstance(), TIMING);
  for (const name of ['instance.json', 'instance-docs.json']) {
    assert.deepEqual(shapeProblems(fixture(name), ours), [], name);
  }
});

void test('instance json: keys come out in orchestrator struct order', () => {
  const sample = Object.keys(fixture('instance.json'));
  const ours = Object.keys(toCompatInstance(richInstance(), TIMING)).filter((k) =>
    sample.includes(k),
  );
  assert.deepEqual(ours, sample);
});

void test('instance json: ClusterInfo has the recorded sample fields and types', () => {
  const info = toCompatClusterInfo({
    name: '127.0.0.1:23306',
    alias: 'shop',
    domain: 'shop.example.com',
    instanceCount: 3,
    heuristicLagSeconds: 2,
    automatedPrimaryRecovery: true,
    automatedIntermediatePrimaryRecovery: false,
  });
  assert.deepEqual(shapeProblems(fixture('cluster-info.json'), info), []);
  assert.deepEqual(Object.keys(info), Object.keys(fixture('cluster-info.json')));
  assert.equal(info.HasAutomatedMasterRecovery, true);
});

void test('instance json: a MySQL GTID replica with semi-sync, downtime and a candidate rule', () => {
  const json = toCompatInstance(richInstance(), TIMING);
  const expected: Partial<typeof json> = {
    MasterKey: { Hostname: '127.0.0.1', Port: 23306 },
    MasterUUID: UUID_P,
    AncestryUUID: `${UUID_P},${UUID_R}`,
    FlavorName: 'MySQL',
    GTIDMode: 'ON',
    SupportsOracleGTID: true,
    UsingOracleGTID: true,
    UsingMariaDBGTID: false,
    ExecutedGtidSet: `${UUID_P}:1-100`,
    GtidPurged: `${UUID_P}:1-5`,
    SemiSyncAvailable: true,
    SemiSyncEnforced: true,
    SemiSyncPriority: 1,
    SemiSyncReplicaStatus: true,
    SemiSyncMasterTimeout: 10_000,
    SemiSyncMasterPluginNewVersion: true,
    SlaveHosts: [{ Hostname: '127.0.0.1', Port: 23309 }],
    Replicas: [{ Hostname: '127.0.0.1', Port: 23309 }],
    DataCenter: 'dc1',
    Region: 'eu',
    PhysicalEnvironment: 'prod',
    IsCandidate: true,
    PromotionRule: 'prefer',
    IsDowntimed: true,
    DowntimeOwner: 'dba',
    DowntimeReason: 'upgrade',
    DowntimeEndTimestamp: sqlDateTime(NOW + 540_000),
    ElapsedDowntime: 60_000_000_000,
    Problems: ['replication_lag'],
    LastDiscoveryLatency: 5_000_000,
  };
  for (const [field, value] of Object.entries(expected)) {
    assert.deepEqual(json[field as keyof typeof json], value, field);
  }
});

void test('instance json: replication states, lag and freshness as orchestrator reports them', () => {
  const p = primary(23306);
  const cases: {
    name: string;
    instance: Instance;
    expect: Partial<ReturnType<typeof toCompatInstance>>;
  }[] = [
    {
      name: 'primary',
      instance: p.instance,
      expect: {
        MasterKey: { Hostname: '', Port: 0 },
        ReplicationSQLThreadState: -1,
        ReplicationIOThreadState: -1,
        Slave_SQL_Running: false,
        SecondsBehindMaster: { Int64: 0, Valid: false },
        ReadBinlogCoordinates: { LogFile: '', LogPos: 0, Type: 0 },
        IsUpToDate: true,
        IsRecentlyChecked: true,
        SecondsSinceLastSeen: { Int64: 1, Valid: true },
        LastSeenTimestamp: sqlDateTime(NOW - 1000),
      },
    },
    {
      name: 'replica failing to connect',
      instance: replica(23307, p, {
        link: {
          ioThread: 'connecting',
          secondsBehindSource: undefined,
          lastIoError: { errno: 2003, message: "can't connect", at: undefined },
        },
      }).instance,
      expect: {
        ReplicationIOThreadState: 2,
        ReplicationSQLThreadState: 1,
        Slave_IO_Running: false,
        ReplicationIOThreadRuning: false,
        Slave_SQL_Running: true,
        SecondsBehindMaster: { Int64: 0, Valid: false },
        LastIOError: '"can\'t connect"',
        UsingMariaDBGTID: true,
        RelaylogCoordinates: { LogFile: 'mysqld-relay-bin.000003', LogPos: 600, Type: 1 },
      },
    },
    {
      name: 'stopped replica, checked 6 s ago',
      instance: replica(23308, p, {
        link: { ioThread: 'stopped', sqlThread: 'stopped' },
        over: {
          timing: { ...p.instance.timing, lastCheckedAt: NOW - 6000, lastSeenAt: NOW - 6000 },
        },
      }).instance,
      expect: { ReplicationIOThreadState: 0, IsUpToDate: false, IsRecentlyChecked: true },
    },
    {
      name: 'never seen',
      instance: server(23309, {
        timing: { ...p.instance.timing, lastCheckedAt: NOW - 30_000, lastSeenAt: undefined },
      }),
      expect: {
        IsLastCheckValid: false,
        IsRecentlyChecked: false,
        SecondsSinceLastSeen: { Int64: 0, Valid: false },
        LastSeenTimestamp: '',
      },
    },
  ];
  for (const c of cases) {
    const json = toCompatInstance(view(c.instance), TIMING);
    for (const [field, value] of Object.entries(c.expect)) {
      assert.deepEqual(json[field as keyof typeof json], value, `${c.name}: ${field}`);
    }
  }
});

void test('instance json: sqlDateTime renders UTC DATETIME text, empty when unknown', () => {
  assert.equal(sqlDateTime(Date.UTC(2024, 4, 1, 10, 0, 5)), '2024-05-01 10:00:05');
  assert.equal(sqlDateTime(undefined), '');
});

void test('instance json: LastDiscoveryLatency is whole nanoseconds, as Go decodes a Duration', () => {
  const base = server(23306);
  const instance: Instance = {
    ...base,
    timing: { ...base.timing, probeDurationMs: 7.849279000016 },
  };
  const json = toCompatInstance(view(instance), TIMING);
  assert.equal(json.LastDiscoveryLatency, 7_849_279);
  assert.ok(Number.isInteger(json.LastDiscoveryLatency));
});
