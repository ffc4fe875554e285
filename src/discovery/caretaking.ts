import type { Backend } from '../backend/index.js';
import type { Clock } from '../common/clock.js';
import type { DiscoverySettings } from './settings.js';

/** The repositories a caretaking pass expires and purges. */
export type CaretakingStore = Pick<
  Backend,
  | 'downtime'
  | 'maintenance'
  | 'candidates'
  | 'hostnames'
  | 'clusters'
  | 'instances'
  | 'instanceAliases'
>;

export interface CaretakingContext {
  readonly store: CaretakingStore;
  readonly settings: Pick<
    DiscoverySettings,
    'candidateExpiryMs' | 'resolveExpiryMs' | 'unseenForgetMs'
  >;
  readonly clock: Clock;
  /** Forgets the polled servers not seen since `cutoff`; returns how many. */
  readonly forgetUnseenBefore: (cutoff: number) => Promise<number>;
  /** Re-reads people's decisions (candidates, alias overrides) into memory. */
  readonly reloadDecisions: () => Promise<void>;
  readonly onError: (operation: string, error: unknown) => void;
}

/**
 * One caretaking pass, orchestrator's minutely jobs on the active node: expire downtime,
 * maintenance locks, candidate registrations (`CandidateInstanceExpireMinutes`), host name
 * resolves and unresolves (`ExpiryHostnameResolvesMinutes`); forget servers, aliases,
 * detected cluster aliases and domains unseen for `UnseenInstanceForgetHours` (0 keeps
 * them); then reload the decisions discovery caches. Each step runs even when another
 * failed (reported through `onError`). Returns what each step removed.
 */
export async function caretake(ctx: CaretakingContext): Promise<Record<string, number>> {
  const { store, settings, clock } = ctx;
  const now = clock.now();
  const removed: Record<string, number> = {};
  const step = async (name: string, run: () => Promise<number>): Promise<void> => {
    try {
      removed[name] = await run();
    } catch (error) {
      ctx.onError(`caretaking: ${name}`, error);
    }
  };

  await step('downtime', () => store.downtime.expire(now));
  await step('maintenance', () => store.maintenance.expire(now));
  await step('candidates', () => store.candidates.expire(settings.candidateExpiryMs, now));
  await step('resolves', () => store.hostnames.expireResolved(settings.resolveExpiryMs, now));
  await step('unresolves', () => store.hostnames.expireUnresolves(settings.resolveExpiryMs, now));

  const unseen = settings.unseenForgetMs;
  if (unseen > 0) {
    await step('instances', async () => {
      const polled = await ctx.forgetUnseenBefore(now - unseen);
      return polled + (await store.instances.forgetUnseen(unseen / 3_600_000, now));
    });
    await step('aliases', () => store.instanceAliases.forgetStale(unseen, now));
    await step('clusterAliases', () => store.clusters.forgetStaleAliases(unseen, now));
    await step('clusterDomains', () => store.clusters.forgetStaleDomains(unseen, now));
  }
  await step('decisions', async () => {
    await ctx.reloadDecisions();
    return 0;
  });
  return removed;
}

/**
 * Runs `pass` every `intervalMs`, arming the next run when one ends (passes never overlap).
 * `stop()` cancels the next run and waits for one in progress. An interval ≤ 0 never runs.
 */
export class Periodic {
  private cancel: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly pass: () => Promise<void>,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.stopped || this.cancel !== undefined) return;
    this.cancel = this.clock.setTimeout(() => {
      this.running = this.pass()
        .catch(() => undefined)
        .finally(() => {
          this.cancel = undefined;
          this.running = undefined;
          this.start();
        });
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancel?.();
    await this.running;
  }
}
