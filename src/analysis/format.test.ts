import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from './analyze.js';
import { down, downtime, link, NOW, primary, replica, snapshot, withInstance } from './fixtures.js';
import { formatAnalysisLine, toCompatAnalysis } from './format.js';

const P = primary(23306);
const failing = { link: link.failingToConnect };

void test('format: the CLI line is host:port, cluster, code and warnings', () => {
  const dead = analyze(snapshot([down(P), replica(23307, P, failing)]));
  assert.deepEqual(dead.map(formatAnalysisLine), [
    '127.0.0.1:23306 (cluster 127.0.0.1:23306): DeadMaster',
    '127.0.0.1:23307 (cluster 127.0.0.1:23306): FirstTierReplicaFailingToConnectToMaster',
  ]);
  const ro = analyze(snapshot([withInstance(P, { readOnly: true }), replica(23307, P)]));
  assert.deepEqual(ro.map(formatAnalysisLine), [
    '127.0.0.1:23306 (cluster 127.0.0.1:23306): NoWriteableMasterStructureWarning',
  ]);
});

void test('format: compat JSON has orchestrator field names and zero values where it has them', () => {
  const named = withInstance(down(P), {
    cluster: { ...P.instance.cluster, alias: 'shop' },
    placement: { dataCenter: 'dc1', region: undefined, environment: undefined },
  });
  const r = replica(23307, P, failing);
  const [a] = analyze(
    snapshot([named, r], {
      downtimes: [downtime(P, 5)],
      settings: { recoverPrimaryClusterFilters: ['alias=shop'] },
    }),
    { includeDowntimed: true },
  );
  assert.ok(a);
  const json = toCompatAnalysis(a, { now: NOW, processingNodeHostname: 'orc-1' });
  assert.deepEqual(json.AnalyzedInstanceKey, { Hostname: '127.0.0.1', Port: 23306 });
  assert.deepEqual(json.AnalyzedInstanceMasterKey, { Hostname: '', Port: 0 });
  assert.deepEqual(json.ClusterDetails, {
    ClusterName: '127.0.0.1:23306',
    ClusterAlias: 'shop',
    ClusterDomain: '127.0.0.1:23306',
    CountInstances: 2,
    HeuristicLag: 0,
    HasAutomatedMasterRecovery: true,
    HasAutomatedIntermediateMasterRecovery: false,
  });
  assert.equal(json.Analysis, 'DeadMaster');
  assert.equal(json.AnalyzedInstanceDataCenter, 'dc1');
  assert.deepEqual(json.AnalyzedInstanceBinlogCoordinates, {
    LogFile: 'mysqld-bin.000002',
    LogPos: 1234,
    Type: 0,
  });
  assert.equal(json.IsMaster, true);
  assert.equal(json.LastCheckValid, false);
  assert.equal(json.CountReplicas, 1);
  assert.equal(json.CountReplicasFailingToConnectToMaster, 1);
  assert.deepEqual(json.SlaveHosts, [{ Hostname: '127.0.0.1', Port: 23307 }]);
  assert.deepEqual(json.Replicas, json.SlaveHosts);
  assert.equal(json.StructureAnalysis, null);
  assert.equal(json.IsDowntimed, true);
  assert.equal(json.SkippableDueToDowntime, true);
  assert.equal(json.DowntimeEndTimestamp, '2023-11-14 22:18:20');
  assert.equal(json.DowntimeRemainingSeconds, 300);
  assert.equal(json.MariaDBGTIDImmediateTopology, true);
  assert.equal(json.IsActionableRecovery, true);
  assert.equal(json.ProcessingNodeHostname, 'orc-1');
  assert.equal(json.GTIDMode, '');
});

void test('format: compat JSON lists every ReplicationAnalysis field of orchestrator', () => {
  const [a] = analyze(snapshot([down(P)]));
  assert.ok(a);
  const fields = Object.keys(toCompatAnalysis(a, { now: NOW }));
  assert.deepEqual(fields, [
    'AnalyzedInstanceKey',
    'AnalyzedInstanceMasterKey',
    'ClusterDetails',
    'AnalyzedInstanceDataCenter',
    'AnalyzedInstanceRegion',
    'AnalyzedInstancePhysicalEnvironment',
    'AnalyzedInstanceBinlogCoordinates',
    'IsMaster',
    'IsReplicationGroupMember',
    'IsCoMaster',
    'LastCheckValid',
    'LastCheckPartialSuccess',
    'CountReplicas',
    'CountValidReplicas',
    'CountValidReplicatingReplicas',
    'CountReplicasFailingToConnectToMaster',
    'CountDowntimedReplicas',
    'ReplicationDepth',
    'Replicas',
    'SlaveHosts',
    'IsFailingToConnectToMaster',
    'Analysis',
    'Description',
    'StructureAnalysis',
    'IsDowntimed',
    'IsReplicasDowntimed',
    'DowntimeEndTimestamp',
    'DowntimeRemainingSeconds',
    'IsBinlogServer',
    'PseudoGTIDImmediateTopology',
    'OracleGTIDImmediateTopology',
    'MariaDBGTIDImmediateTopology',
    'BinlogServerImmediateTopology',
    'SemiSyncMasterEnabled',
    'SemiSyncMasterStatus',
    'SemiSyncMasterWaitForReplicaCount',
    'SemiSyncMasterClients',
    'CountSemiSyncReplicasEnabled',
    'CountLoggingReplicas',
    'CountStatementBasedLoggingReplicas',
    'CountMixedBasedLoggingReplicas',
    'CountRowBasedLoggingReplicas',
    'CountDistinctMajorVersionsLoggingReplicas',
    'CountDelayedReplicas',
    'CountLaggingReplicas',
    'IsActionableRecovery',
    'ProcessingNodeHostname',
    'ProcessingNodeToken',
    'CountAdditionalAgreeingNodes',
    'StartActivePeriod',
    'SkippableDueToDowntime',
    'GTIDMode',
    'MinReplicaGTIDMode',
    'MaxReplicaGTIDMode',
    'MaxReplicaGTIDErrant',
    'CommandHint',
    'IsReadOnly',
  ]);
});

void test('format: a replica row reports its source as the master key', () => {
  const im = replica(23307, P);
  const rows = analyze(snapshot([P, down(im), replica(23308, im, failing)]));
  const imRow = rows.find((a) => a.key.port === 23307);
  assert.ok(imRow);
  const json = toCompatAnalysis(imRow, { now: NOW });
  assert.equal(json.Analysis, 'DeadIntermediateMasterWithSingleReplicaFailingToConnect');
  assert.deepEqual(json.AnalyzedInstanceMasterKey, { Hostname: '127.0.0.1', Port: 23306 });
  assert.equal(json.ReplicationDepth, 1);
  assert.equal(json.IsMaster, false);
});
