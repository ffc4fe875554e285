import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/log.js';
import type { DiscoveryEvent } from '../discovery/index.js';
import { formatInstanceKey } from '../topology/index.js';

/**
 * Lets a repeating line through once per `windowMs` per key, counting what it held back, so
 * a server that fails every poll logs once every few minutes rather than every five seconds.
 */
export class RateLimiter {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
  ) {}

  /** Undefined when held back; else how many were held back since the last one let through. */
  allow(key: string): number | undefined {
    const now = this.clock.now();
    const entry = this.last.get(key);
    if (entry !== undefined && now - entry.at < this.windowMs) {
      entry.suppressed++;
      return undefined;
    }
    this.last.set(key, { at: now, suppressed: 0 });
    if (this.last.size > 50_000) this.prune(now);
    return entry?.suppressed ?? 0;
  }

  /** Forgets `key`, so its next line goes through (a server that recovered). */
  reset(key: string): void {
    this.last.delete(key);
  }

  private prune(now: number): void {
    for (const [key, e] of this.last) if (now - e.at >= this.windowMs) this.last.delete(key);
  }
}

export interface DiscoveryLogOptions {
  readonly logger: Logger;
  readonly clock: Clock;
  /** `EnableDiscoveryFiltersLogs`: log addresses the filters keep out (at debug). */
  readonly filtersLogs: boolean;
  /** `DeadInstanceDiscoveryLogsEnabled`: log each back-off of unreachable servers (debug). */
  readonly deadInstanceLogs: boolean;
  /** Window of the per-key rate limit (default 5 minutes). */
  readonly windowMs?: number;
}

type EventOf<T extends DiscoveryEvent['type']> = Extract<DiscoveryEvent, { type: T }>;

/** What every handler gets: the child logger, the per-key limiter and the options. */
interface LogContext {
  readonly log: Logger;
  readonly limiter: RateLimiter;
  readonly options: DiscoveryLogOptions;
  /** Runs `write` unless `key` wrote within the window; passes the count held back. */
  readonly once: (key: string, write: (suppressed: number) => void) => void;
}

const id = formatInstanceKey;

/** One handler per event type: a missing one fails compilation. */
const handlers: { [T in DiscoveryEvent['type']]: (e: EventOf<T>, c: LogContext) => void } = {
  probed: (e, { log }) => {
    if (!log.isLevelEnabled('trace')) return;
    log.trace({ instance: id(e.key), outcome: e.outcome, durationMs: e.durationMs }, 'probed');
  },
  'instance-discovered': (e, { log }) =>
    log.info({ instance: id(e.key), origin: e.origin }, 'instance discovered'),
  'probe-failed': (e, { log, once, options }) => {
    const fields = { instance: id(e.key), err: e.failure.message, kind: e.failure.kind };
    once(`failed:${id(e.key)}`, (suppressed) =>
      log.warn({ ...fields, failures: e.failures, suppressed }, 'instance probe failed'),
    );
    if (options.deadInstanceLogs && e.failures > 1) {
      log.debug(
        { instance: id(e.key), nextPollMs: e.nextPollMs },
        'unreachable instance backed off',
      );
    }
  },
  'address-unreachable': (e, { log, once }) => {
    const fields = { instance: id(e.key), err: e.failure.message, origin: e.origin };
    const level = e.origin === 'crawl' ? 'debug' : 'warn';
    once(`unreachable:${id(e.key)}`, () => log[level](fields, 'address did not answer'));
  },
  'instance-recovered': (e, { log, limiter }) => {
    limiter.reset(`failed:${id(e.key)}`);
    log.info({ instance: id(e.key), failures: e.failures }, 'instance answers again');
  },
  'alias-recorded': (e, { log }) =>
    log.info({ instance: id(e.canonical), alias: id(e.alias) }, 'instance alias recorded'),
  'alias-dropped': (e, { log }) =>
    log.info({ instance: id(e.canonical), alias: id(e.alias) }, 'instance alias dropped'),
  'canonical-changed': (e, { log }) =>
    log.info(
      { instance: id(e.to), previous: id(e.from) },
      'instance key changed to its own address',
    ),
  'instance-forgotten': (e, { log }) =>
    log.info({ instance: id(e.key), reason: e.reason }, 'instance forgotten'),
  'address-filtered': (e, { log, once, options }) => {
    if (!options.filtersLogs) return;
    const fields = { instance: id(e.key), filter: e.match.filter, pattern: e.match.pattern };
    once(`filtered:${id(e.key)}`, () => log.debug(fields, 'address skipped by discovery filter'));
  },
  'queue-full': (e, { log, once }) =>
    once('queue-full', (suppressed) =>
      log.warn({ instance: id(e.key), suppressed }, 'discovery queue full'),
    ),
  'store-failed': (e, { log, once }) =>
    once(`store:${e.operation}`, (suppressed) =>
      log.warn({ err: e.error, operation: e.operation, suppressed }, 'backend write failed'),
    ),
  'caretaking-done': (e, { log }) =>
    log.debug({ removed: e.removed, durationMs: e.durationMs }, 'caretaking done'),
};

/**
 * The service's log lines for discovery's events (style.md §9): static messages, values in
 * fields, info for state changes (found, recovered, renamed, forgotten), warn for failures
 * that discovery rides out, each repeating line rate-limited per key.
 */
export function discoveryLogger(options: DiscoveryLogOptions): (event: DiscoveryEvent) => void {
  const limiter = new RateLimiter(options.clock, options.windowMs ?? 5 * 60_000);
  const context: LogContext = {
    log: options.logger.child({ component: 'discovery' }),
    limiter,
    options,
    once: (key, write) => {
      const suppressed = limiter.allow(key);
      if (suppressed !== undefined) write(suppressed);
    },
  };
  return (event) => {
    const handler = handlers[event.type] as (e: DiscoveryEvent, c: LogContext) => void;
    handler(event, context);
  };
}
