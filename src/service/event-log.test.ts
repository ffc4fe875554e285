import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { ManualClock } from '../common/clock.js';
import type { DiscoveryEvent } from '../discovery/index.js';
import { instanceKey } from '../topology/index.js';
import { discoveryLogger } from './event-log.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (s: string) => lines.push(JSON.parse(s) as Record<string, unknown>) },
  );
  return { logger, lines };
}

const k = instanceKey('127.0.0.1', 3307);
const failed: DiscoveryEvent = {
  type: 'probe-failed',
  key: k,
  failure: { kind: 'unreachable', message: 'connection refused', at: 0 },
  failures: 1,
  nextPollMs: 5000,
};

void test('service log: a failing server logs once per window, with the count held back', () => {
  const clock = new ManualClock();
  const { logger, lines } = capture();
  const log = discoveryLogger({ logger, clock, filtersLogs: true, deadInstanceLogs: false });
  for (let i = 0; i < 10; i++) {
    log(failed);
    clock.advance(5000);
  }
  const warns = () => lines.filter((l) => l['msg'] === 'instance probe failed');
  assert.equal(warns().length, 1);
  assert.deepEqual(
    [warns()[0]?.['component'], warns()[0]?.['instance'], warns()[0]?.['err']],
    ['discovery', '127.0.0.1:3307', 'connection refused'],
  );
  clock.advance(5 * 60_000);
  log(failed);
  assert.equal(warns().length, 2);
  assert.equal(warns()[1]?.['suppressed'], 9);

  log({ type: 'instance-recovered', key: k, failures: 11 });
  log(failed);
  assert.equal(warns().length, 3, 'a recovery resets the limit');
  assert.ok(lines.some((l) => l['msg'] === 'instance answers again' && l['level'] === 30));
});

void test('service log: state changes at info, filters only when enabled, probes only at trace', () => {
  const clock = new ManualClock();
  const { logger, lines } = capture();
  const log = discoveryLogger({ logger, clock, filtersLogs: false, deadInstanceLogs: false });
  log({ type: 'instance-discovered', key: k, origin: 'seed' });
  log({ type: 'probed', key: k, outcome: 'ok', durationMs: 3 });
  log({
    type: 'address-filtered',
    key: k,
    foundAs: 'replica',
    match: { filter: 'ignore', pattern: 'x' },
  });
  assert.deepEqual(
    lines.map((l) => [l['level'], l['msg']]),
    [[30, 'instance discovered']],
  );
});
