import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errantGtids, type ErrantInput, type ErrantReplicaFacts } from './errant.js';
import { instanceKey } from './instance-key.js';
import type { GtidState } from './instance.js';
import { NO_REPLICATION_FILTERS, type ReplicationChannel } from './replication.js';

const U1 = '00000000-0000-4000-8000-000000000001';
const U2 = '00000000-0000-4000-8000-000000000002';
const U3 = '00000000-0000-4000-8000-000000000003';
const U9 = '00000000-0000-4000-8000-000000000009';

function channel(over: Partial<ReplicationChannel> = {}): ReplicationChannel {
  return {
    name: '',
    sourceKey: instanceKey('127.0.0.1', 3306),
    sourceServerId: 1,
    sourceUuid: U1,
    ioThread: 'running',
    sqlThread: 'running',
    ioStateText: '',
    sqlStateText: '',
    lastIoError: undefined,
    lastSqlError: undefined,
    readSourceCoordinates: undefined,
    execSourceCoordinates: undefined,
    relayLogCoordinates: undefined,
    secondsBehindSource: 0,
    sqlDelaySeconds: 0,
    gtidUse: 'auto_position',
    gtidIoPos: '',
    retrievedGtidSet: '',
    filters: NO_REPLICATION_FILTERS,
    sslEnabled: false,
    ...over,
  };
}

const mysql = (executed: string): GtidState => ({
  flavor: 'mysql',
  mode: 'ON',
  executed,
  purged: '',
});
const maria = (currentPos: string): GtidState => ({
  flavor: 'mariadb',
  currentPos,
  binlogPos: currentPos,
  slavePos: '',
  binlogState: undefined,
  domainId: 0,
  strictMode: true,
});

function replica(gtid: GtidState, over: Partial<ErrantReplicaFacts> = {}): ErrantReplicaFacts {
  return { serverId: 2, serverUuid: U2, gtid, replication: channel(), otherChannels: [], ...over };
}

function input(r: ErrantReplicaFacts, source: GtidState, over: Partial<ErrantInput> = {}) {
  return {
    replica: r,
    source: { gtid: source },
    ancestryUuids: [U1],
    ancestryServerIds: [1],
    ...over,
  };
}

const cases: [name: string, input: ErrantInput, text: string][] = [
  ['MySQL: caught up', input(replica(mysql(`${U1}:1-100`)), mysql(`${U1}:1-100`)), ''],
  [
    'MySQL: local writes are errant',
    input(replica(mysql(`${U1}:1-100,${U2}:1-3`)), mysql(`${U1}:1-100`)),
    `${U2}:1-3`,
  ],
  [
    'MySQL: a source probed earlier is not a reason to call newer source writes errant',
    input(replica(mysql(`${U1}:1-120`)), mysql(`${U1}:1-100`)),
    '',
  ],
  [
    'MySQL: transactions of a server that is not upstream are errant',
    input(replica(mysql(`${U1}:1-100,${U9}:5`)), mysql(`${U1}:1-100`)),
    `${U9}:5`,
  ],
  [
    'MySQL: transactions from another channel are not errant',
    input(
      replica(mysql(`${U1}:1-100,${U3}:1-40`), {
        otherChannels: [
          channel({ name: 'reporting', sourceUuid: U3, retrievedGtidSet: `${U3}:1-40` }),
        ],
      }),
      mysql(`${U1}:1-100`),
    ),
    '',
  ],
  ['MariaDB: caught up', input(replica(maria('0-1-100')), maria('0-1-100')), ''],
  [
    'MariaDB: a local write beyond the source is errant',
    input(replica(maria('0-2-101')), maria('0-1-100')),
    '0-2-101',
  ],
  [
    'MariaDB: a domain received through another connection is not judged',
    input(
      replica(maria('0-1-100,7-9-50'), {
        otherChannels: [channel({ name: 'other', gtidUse: 'slave_pos', gtidIoPos: '7-9-50' })],
      }),
      maria('0-1-100'),
    ),
    '',
  ],
  [
    'MariaDB: a domain the topology connection filters out is not judged',
    input(
      replica(maria('0-1-100,3-2-5'), {
        replication: channel({ filters: { ...NO_REPLICATION_FILTERS, doDomainIds: [0] } }),
      }),
      maria('0-1-100'),
    ),
    '',
  ],
  [
    'MariaDB: a domain the source lacks, written by the replica itself, is errant',
    input(replica(maria('0-1-100,1-2-4')), maria('0-1-100')),
    '1-2-4',
  ],
];

for (const [name, given, text] of cases) {
  void test(`errant: ${name}`, () => {
    const result = errantGtids(given);
    assert.notEqual(result.kind, 'not-compared');
    assert.equal(result.text, text);
  });
}

void test('errant: nothing is compared without GTIDs on both sides or across families', () => {
  assert.equal(errantGtids(input(replica(mysql(`${U1}:1`)), maria('0-1-1'))).kind, 'not-compared');
  const none = errantGtids({
    ...input(replica(mysql(`${U1}:1`)), mysql('')),
    source: { gtid: undefined },
  });
  assert.deepEqual(none, { kind: 'not-compared', reason: 'no GTID state on one side', text: '' });
});

void test('errant: MariaDB findings explain themselves', () => {
  const result = errantGtids(input(replica(maria('0-2-101')), maria('0-1-100')));
  assert.equal(result.kind, 'mariadb');
  if (result.kind === 'mariadb') {
    assert.equal(result.report.findings[0]?.kind, 'ahead-of-primary');
    assert.match(result.report.findings[0]?.explanation ?? '', /0-2-101/);
  }
});
