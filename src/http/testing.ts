/**
 * Test fixtures for the HTTP layer: a leadership whose answers the test sets, an app builder
 * with quiet defaults, and a logger that keeps its lines. Used by `src/http/*.test.ts` and by
 * the tests of modules that register routes; not used by production code.
 */
import { pino } from 'pino';
import { ManualClock } from '../common/clock.js';
import type { Logger } from '../common/log.js';
import {
  LeadershipEvents,
  type Leadership,
  type LeadershipHealth,
  type LeadershipListener,
  type LeadershipMode,
  type NodeDescriptor,
  type RaftHealthDetails,
} from '../ha/leadership.js';
import { buildApp, type AppDeps } from './app.js';
import { createMetrics, type Metrics } from './metrics.js';
import type { OrcApp } from './types.js';

/** A leadership whose every answer is a public field the test sets. */
export class FakeLeadership implements Leadership {
  mode: LeadershipMode = 'single';
  leader = true;
  uri: string | null = 'http://127.0.0.1:3000';
  healthy = true;
  reason: string | undefined = undefined;
  raft: RaftHealthDetails | undefined = undefined;
  self: NodeDescriptor = { hostname: 'orc-test', token: 'token-1', version: '0.0.0-test' };
  others: NodeDescriptor[] = [];
  readonly events = new LeadershipEvents();

  isLeader(): boolean {
    return this.leader;
  }

  leaderUri(): string | null {
    return this.uri;
  }

  health(): LeadershipHealth {
    const details = {
      self: this.self,
      leader: this.leader ? this.self : (this.others[0] ?? null),
      availableNodes: [this.self, ...this.others],
      ...(this.raft === undefined ? {} : { raft: this.raft }),
    };
    if (this.healthy) return { healthy: true, details };
    return { healthy: false, reason: this.reason ?? 'unhealthy', details };
  }

  subscribe(listener: LeadershipListener): () => void {
    return this.events.subscribe(listener);
  }
}

/** A logger at debug level whose JSON lines are kept in `lines`, parsed. */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = { write: (s: string) => lines.push(JSON.parse(s) as Record<string, unknown>) };
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** What `testApp` returns: the app and the collaborators a test may poke. */
export interface TestApp {
  app: OrcApp;
  leadership: FakeLeadership;
  clock: ManualClock;
  metrics: Metrics;
  lines: Record<string, unknown>[];
}

/**
 * An app with no authentication, a leading FakeLeadership, a ManualClock, metrics without
 * process collectors and a capturing logger; any dependency can be overridden.
 */
export function testApp(overrides: Partial<AppDeps> = {}): TestApp {
  const leadership =
    overrides.leadership instanceof FakeLeadership ? overrides.leadership : new FakeLeadership();
  const clock = overrides.clock instanceof ManualClock ? overrides.clock : new ManualClock();
  const metrics = overrides.metrics ?? createMetrics({ processMetrics: false });
  const { logger, lines } = capturingLogger();
  const app = buildApp({
    logger,
    clock,
    leadership,
    auth: { method: '' },
    version: '0.0.0-test',
    metrics,
    ...overrides,
  });
  return { app, leadership, clock, metrics, lines };
}

/** An `Authorization` header value for HTTP basic credentials. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
