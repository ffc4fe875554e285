import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatInstanceKey } from '../topology/index.js';
import { down, downtime, link, NOW, primary, replica, snapshot, withInstance } from './fixtures.js';
import type { ObservedInstance } from './input.js';
import { instanceProblems, problems, type ProblemCode } from './problems.js';

const P = primary(23306);
const settings = snapshot([]).settings;

void test('problems: each per-instance problem is reported as orchestrator names it', () => {
  const stale = withInstance(P, {
    timing: { ...P.instance.timing, lastCheckedAt: NOW - 30_000, lastSeenAt: NOW - 30_000 },
  });
  const cases: { name: string; o: ObservedInstance; problems: ProblemCode[] }[] = [
    { name: 'healthy primary', o: P, problems: [] },
    { name: 'healthy replica', o: replica(23307, P), problems: [] },
    { name: 'unreachable', o: down(P), problems: ['last_check_invalid'] },
    { name: 'checked 30 s ago', o: stale, problems: ['not_recently_checked'] },
    {
      name: 'stopped replica',
      o: replica(23307, P, { link: link.stoppedByHand }),
      problems: ['not_replicating'],
    },
    {
      name: 'lagging replica',
      o: replica(23307, P, { over: { replicationLagSeconds: 11 } }),
      problems: ['replication_lag'],
    },
    {
      name: 'delayed replica at its delay',
      o: replica(23307, P, {
        link: { sqlDelaySeconds: 3600 },
        over: { replicationLagSeconds: 3605 },
      }),
      problems: [],
    },
    {
      name: 'errant and stopped',
      o: replica(23307, P, { link: link.stoppedByHand, over: { gtidErrant: '0-23307-9' } }),
      problems: ['not_replicating', 'errant_gtid'],
    },
    {
      name: 'group member recovering',
      o: { ...P, group: { groupName: 'g', memberState: 'RECOVERING', memberRole: 'SECONDARY' } },
      problems: ['group_replication_member_not_online'],
    },
  ];
  for (const c of cases) assert.deepEqual(instanceProblems(c.o, NOW, settings), c.problems, c.name);
});

void test('problems: the list leaves out downtimed and ignored hosts and servers without problems', () => {
  const stoppedR = replica(23307, P, { link: link.stoppedByHand });
  const lagging = replica(23308, P, { over: { replicationLagSeconds: 60 } });
  const other = withInstance(down(primary(23400)), {
    key: { host: 'db-ignored', port: 3306 },
  });
  const servers = [P, stoppedR, lagging, other];
  const list = problems(
    snapshot(servers, {
      downtimes: [downtime(lagging)],
      settings: { problemIgnoreHostnameFilters: ['ignored'] },
    }),
  );
  assert.deepEqual(
    list.map((p) => [formatInstanceKey(p.key), p.problems]),
    [['127.0.0.1:23307', ['not_replicating']]],
  );
  assert.deepEqual(problems(snapshot(servers), '127.0.0.1:23400').length, 1);
});
