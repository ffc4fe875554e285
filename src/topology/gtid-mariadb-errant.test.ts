import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatMariaDbGtidPosition,
  parseMariaDbBinlogState,
  parseMariaDbGtidPosition,
} from './gtid-mariadb.js';
import {
  mariaDbBinlogStateErrant,
  mariaDbErrant,
  type MariaDbErrantInput,
  type MariaDbErrantKind,
} from './gtid-mariadb-errant.js';

const pos = parseMariaDbGtidPosition;

// The replica has server_id 3; its primary has server_id 1 and no source of its own.
interface Case {
  name: string;
  replica: string;
  primary: string;
  upstream?: number[];
  extra?: Partial<Pick<MariaDbErrantInput, 'isCoPrimary' | 'ignoreDomains' | 'strictMode'>>;
  findings: [number, MariaDbErrantKind, 'errant' | 'suspect'][];
  errant: string;
}

const cases: Case[] = [
  { name: 'caught-up replica', replica: '0-1-100', primary: '0-1-100', findings: [], errant: '' },
  { name: 'lagging replica', replica: '0-1-90', primary: '0-1-100', findings: [], errant: '' },
  {
    name: 'primary probed before the replica: newer primary GTIDs are not errant',
    replica: '0-1-120',
    primary: '0-1-100',
    findings: [],
    errant: '',
  },
  {
    name: 'local write on the replica beyond the primary',
    replica: '0-3-101',
    primary: '0-1-100',
    findings: [[0, 'ahead-of-primary', 'errant']],
    errant: '0-3-101',
  },
  {
    name: 'local write in a domain the primary lacks',
    replica: '0-1-100,1-3-5',
    primary: '0-1-100',
    findings: [[1, 'domain-missing-on-primary', 'errant']],
    errant: '1-3-5',
  },
  {
    name: 'new domain written by the primary after its probe is not errant',
    replica: '0-1-100,1-1-1',
    primary: '0-1-100',
    findings: [],
    errant: '',
  },
  {
    name: 'transaction of a server outside the topology, beyond the primary',
    replica: '0-9-150',
    primary: '0-1-100',
    findings: [[0, 'ahead-of-primary', 'errant']],
    errant: '0-9-150',
  },
  {
    name: 'failover lost a transaction: same seq written by old and new primary',
    replica: '0-1-100',
    primary: '0-2-100',
    upstream: [2],
    findings: [[0, 'conflicting-seq', 'errant']],
    errant: '0-1-100',
  },
  {
    name: 'own write behind the primary is only suspect',
    replica: '0-3-50',
    primary: '0-1-100',
    findings: [[0, 'own-write-behind', 'suspect']],
    errant: '',
  },
  {
    name: 'co-primary: own fresh writes are expected',
    replica: '0-3-101',
    primary: '0-1-100',
    extra: { isCoPrimary: true },
    findings: [],
    errant: '',
  },
  {
    name: 'domain fed by another multi-source connection is ignored',
    replica: '0-1-100,1-7-5',
    primary: '0-1-100',
    extra: { ignoreDomains: [1] },
    findings: [],
    errant: '',
  },
  {
    name: 'without strict mode nothing is certain',
    replica: '0-3-101',
    primary: '0-1-100',
    extra: { strictMode: false },
    findings: [[0, 'ahead-of-primary', 'suspect']],
    errant: '',
  },
  {
    name: 'ancestor of the primary is trusted like the primary',
    replica: '0-1-100,1-8-70',
    primary: '0-1-100,1-8-60',
    upstream: [1, 8],
    findings: [],
    errant: '',
  },
  {
    name: 'several domains are judged separately and reported in domain order',
    replica: '2-3-9,0-3-101,1-1-5',
    primary: '0-1-100,1-1-5',
    findings: [
      [0, 'ahead-of-primary', 'errant'],
      [2, 'domain-missing-on-primary', 'errant'],
    ],
    errant: '0-3-101,2-3-9',
  },
  {
    name: 'limit: a local write overtaken by replicated transactions is invisible',
    replica: '0-1-100',
    primary: '0-1-100',
    findings: [],
    errant: '',
  },
];

void test('gtid-mariadb-errant: positions are judged per domain as documented', () => {
  for (const c of cases) {
    const report = mariaDbErrant({
      replicaPosition: pos(c.replica),
      primaryPosition: pos(c.primary),
      replicaServerId: 3,
      upstreamServerIds: c.upstream ?? [1],
      ...c.extra,
    });
    assert.deepEqual(
      report.findings.map((f) => [f.domain, f.kind, f.certainty]),
      c.findings,
      c.name,
    );
    assert.equal(formatMariaDbGtidPosition(report.errant), c.errant, c.name);
  }
});

void test('gtid-mariadb-errant: explanations quote the GTIDs and who wrote them', () => {
  const report = mariaDbErrant({
    replicaPosition: pos('0-3-101,1-9-4'),
    primaryPosition: pos('0-1-100'),
    replicaServerId: 3,
    upstreamServerIds: [1],
  });
  assert.deepEqual(
    report.findings.map((f) => f.explanation),
    [
      "replica's 0-3-101, written by the replica itself, is beyond the primary's 0-1-100",
      'replica has 1-9-4, written by server_id 9, in domain 1, which the primary lacks',
    ],
  );
  assert.deepEqual(report.findings[0]?.primary, { domain: 0, serverId: 1, seq: 100n });
});

void test('gtid-mariadb-errant: binlog state reveals errant writes the position hides', () => {
  const cases: {
    name: string;
    replica: string;
    primary: string;
    coPrimary?: boolean;
    errant: string;
  }[] = [
    {
      name: 'local write 0-3-51 later overtaken by 0-1-100',
      replica: '0-1-100,0-3-51',
      primary: '0-1-100',
      errant: '0-3-51',
    },
    {
      name: 'history of a former primary present on both',
      replica: '0-1-100,0-9-40',
      primary: '0-1-100,0-9-40',
      errant: '',
    },
    {
      name: 'more from a former primary than the primary has',
      replica: '0-1-100,0-9-45',
      primary: '0-1-100,0-9-40',
      errant: '0-9-45',
    },
    {
      name: 'co-primary own writes',
      replica: '0-1-100,0-3-51',
      primary: '0-1-100',
      coPrimary: true,
      errant: '',
    },
    {
      name: 'upstream server ahead of the primary probe',
      replica: '0-1-130',
      primary: '0-1-100',
      errant: '',
    },
  ];
  for (const c of cases) {
    const report = mariaDbBinlogStateErrant({
      replicaState: parseMariaDbBinlogState(c.replica),
      primaryState: parseMariaDbBinlogState(c.primary),
      replicaServerId: 3,
      upstreamServerIds: [1],
      ...(c.coPrimary === undefined ? {} : { isCoPrimary: c.coPrimary }),
    });
    assert.equal(formatMariaDbGtidPosition(report.errant), c.errant, c.name);
    for (const f of report.findings) assert.equal(f.kind, 'server-missing-on-primary', c.name);
  }
});
