import type { Backend } from '../backend/index.js';
import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/log.js';
import type { Config } from '../config/index.js';
import {
  SingleNodeLeadership,
  type Leadership,
  type LeadershipEvent,
  type NodeDescriptor,
} from '../ha/leadership.js';
import { RateLimiter } from './event-log.js';

/** orchestrator's HealthPollSeconds: each node registers itself this often. */
export const HEALTH_INTERVAL_MS = 1000;

export interface LeadershipHandle {
  readonly leadership: Leadership;
  /** True when this node should run discovery (and caretaking) now. */
  readonly discovers: () => boolean;
  stop(): Promise<void>;
}

/**
 * Starts the HA strategy the configuration names and this node's health heartbeat (a
 * `node_health` row every second, whose outcome feeds the strategy's health).
 *
 * TODO(ha): only the single-node strategy exists; raft (`raft.enabled`) and the
 * shared-backend lease plug in here, and `discovers` then follows leadership in the
 * shared-backend mode (every raft node discovers for its own store).
 */
export function startLeadership(options: {
  readonly config: Config;
  readonly backend: Backend;
  readonly clock: Clock;
  readonly node: NodeDescriptor;
  readonly logger: Logger;
}): LeadershipHandle {
  const { backend, clock, node } = options;
  const log = options.logger.child({ component: 'ha' });
  const single = new SingleNodeLeadership({ clock, self: node });
  const leadership: Leadership = single;
  const unsubscribe = leadership.subscribe((event) => logLeadership(log, event));
  const warnings = new RateLimiter(clock, 60_000);

  let cancel: (() => void) | undefined;
  let beating: Promise<void> | undefined;
  let stopped = false;
  const beat = async (): Promise<void> => {
    try {
      await backend.nodeHealth.register({
        hostname: node.hostname,
        token: node.token,
        appVersion: node.version,
        backend: backend.kind,
        command: 'serve',
      });
      single.reportBackendHealth(true);
    } catch (err) {
      single.reportBackendHealth(false, err);
      const suppressed = warnings.allow('health');
      if (suppressed !== undefined) log.warn({ err, suppressed }, 'backend health write failed');
    }
  };
  const loop = (): void => {
    if (stopped) return;
    beating = beat().finally(() => {
      if (!stopped) cancel = clock.setTimeout(loop, HEALTH_INTERVAL_MS);
    });
  };
  loop();

  return {
    leadership,
    discovers: () => leadership.mode !== 'shared-backend' || leadership.isLeader(),
    async stop() {
      stopped = true;
      cancel?.();
      await beating;
      unsubscribe();
    },
  };
}

function logLeadership(log: Logger, event: LeadershipEvent): void {
  if (event.type === 'leadership-changed') {
    const fields = { leaderUri: event.leaderUri };
    if (event.isLeader) log.info(fields, 'leadership won');
    else log.info(fields, 'leadership lost');
    return;
  }
  if (event.healthy) log.info({}, 'node healthy again');
  else log.warn({ err: event.reason }, 'node unhealthy');
}
