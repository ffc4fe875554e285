import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMetrics } from './metrics.js';
import { testApp } from './testing.js';

void test('metrics: each Metrics has its own registry, so two never collide', async () => {
  const a = createMetrics({ processMetrics: false });
  const b = createMetrics({ processMetrics: false });
  a.instances.set({ state: 'ok' }, 3);
  b.instances.set({ state: 'ok' }, 5);
  assert.match(await a.registry.metrics(), /orc_instances\{state="ok"\} 3/);
  assert.match(await b.registry.metrics(), /orc_instances\{state="ok"\} 5/);
});

void test('metrics: /metrics serves orc metrics in Prometheus text format', async () => {
  const { app, metrics } = testApp();
  metrics.probeDuration.observe({ outcome: 'ok' }, 0.02);
  metrics.discoveryQueueDepth.set(7);
  const res = await app.inject('/metrics');
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  for (const line of [
    /^# TYPE orc_probe_duration_seconds histogram$/m,
    /^orc_probe_duration_seconds_count\{outcome="ok"\} 1$/m,
    /^orc_discovery_queue_depth 7$/m,
    /^# TYPE orc_instances gauge$/m,
    /^# TYPE orc_http_request_duration_seconds histogram$/m,
  ]) {
    assert.match(res.body, line);
  }
});

void test('metrics: process metrics are collected unless disabled', async () => {
  const withProcess = createMetrics();
  assert.match(await withProcess.registry.metrics(), /^process_cpu_user_seconds_total /m);
  const without = createMetrics({ processMetrics: false });
  assert.doesNotMatch(await without.registry.metrics(), /process_cpu_user_seconds_total/);
});

void test('metrics: request durations are timed by the clock, by route pattern', async () => {
  const { app, metrics, clock } = testApp({
    registerRoutes: [
      (scope) =>
        scope.get('/api/instance/:host/:port', { config: { mutates: false } }, () => {
          clock.advance(250);
          return {};
        }),
    ],
  });
  await app.inject('/api/instance/db1/3306');
  await app.inject('/api/instance/db2/3306');
  await app.inject('/api/unknown');
  const text = await metrics.registry.metrics();
  const labels = 'method="GET",route="/api/instance/:host/:port",status_code="200"';
  assert.match(text, new RegExp(`orc_http_request_duration_seconds_count\\{${labels}\\} 2`));
  assert.match(text, new RegExp(`orc_http_request_duration_seconds_sum\\{${labels}\\} 0.5`));
  assert.match(text, /route="unmatched",status_code="404"/);
  assert.doesNotMatch(text, /db1/);
});
