import type { Clock } from '../common/clock.js';
import { instanceKeyId, type Instance, type InstanceKey } from '../topology/index.js';
import { BackendCode, BackendError } from './errors.js';
import type { ProbeFailure, ProbeResults } from './instances.js';

/** Why a flush ran. */
export type FlushReason = 'size' | 'interval' | 'manual';

/** Reported after every write of a batch; the service turns these into metrics. */
export type InstanceWriteEvent =
  | {
      readonly type: 'flushed';
      readonly reason: FlushReason;
      readonly upserts: number;
      readonly failures: number;
      readonly durationMs: number;
    }
  | {
      readonly type: 'flush-failed';
      readonly reason: FlushReason;
      readonly upserts: number;
      readonly failures: number;
      readonly durationMs: number;
      readonly error: unknown;
    };

/** Totals since the buffer was made. */
export interface InstanceWriteCounters {
  /** Calls to `upsert` and `recordProbeFailure`. */
  readonly enqueued: number;
  /** Of those, how many replaced a pending write of the same key. */
  readonly coalesced: number;
  /** Rows written (upserts and failure marks). */
  readonly written: number;
  /** Rows lost to failed flushes. */
  readonly dropped: number;
  readonly flushes: number;
  readonly failedFlushes: number;
  readonly flushMsTotal: number;
  /** Writes waiting now. */
  readonly pending: number;
}

export interface InstanceWriteBufferOptions {
  readonly instances: { writeProbeResults(results: ProbeResults): Promise<void> };
  readonly clock: Clock;
  /** orchestrator's InstanceWriteBufferSize: flush when this many keys wait (default 100). */
  readonly maxSize?: number;
  /** orchestrator's InstanceFlushIntervalMilliseconds: longest wait (default 100). */
  readonly flushIntervalMs?: number;
}

type Entry =
  | { readonly kind: 'upsert'; readonly instance: Instance }
  | { readonly kind: 'failure'; readonly failure: ProbeFailure };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Collects discovery's writes and stores them in batches: when `maxSize` keys wait, or
 * `flushIntervalMs` after the first write of a batch, whichever comes first. Writes of the
 * same key coalesce: the newest full row wins, and a probe failure after a pending row is
 * folded into that row's timing, so a failure is never overwritten by an older success.
 *
 * Memory is bounded by the number of distinct keys (at most the fleet). One batch is written
 * at a time, in call order per key. A failed batch is dropped and reported (`flush-failed`):
 * the next poll rewrites the same rows. Callers never wait for a write, except through
 * `flush()`, which the service calls at shutdown and which throws the last write error.
 */
export class InstanceWriteBuffer {
  private readonly pending = new Map<string, Entry>();
  private readonly listeners = new Set<(event: InstanceWriteEvent) => void>();
  private readonly totals: Mutable<Omit<InstanceWriteCounters, 'pending'>> = {
    enqueued: 0,
    coalesced: 0,
    written: 0,
    dropped: 0,
    flushes: 0,
    failedFlushes: 0,
    flushMsTotal: 0,
  };
  private readonly maxSize: number;
  private readonly intervalMs: number;
  private cancelTimer: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly options: InstanceWriteBufferOptions) {
    this.maxSize = Math.max(1, options.maxSize ?? 100);
    this.intervalMs = Math.max(0, options.flushIntervalMs ?? 100);
  }

  /** Queues a full row for `instance.key`, replacing any pending write of that key. */
  upsert(instance: Instance): void {
    this.add(instanceKeyId(instance.key), { kind: 'upsert', instance });
  }

  /** Queues a failed-probe mark (see InstanceRepository.recordProbeFailure). */
  recordProbeFailure(
    key: InstanceKey,
    options: { at?: number; partialSuccess?: boolean } = {},
  ): void {
    const at = options.at ?? this.options.clock.now();
    const partialSuccess = options.partialSuccess ?? false;
    const id = instanceKeyId(key);
    const prev = this.pending.get(id);
    const entry: Entry =
      prev?.kind === 'upsert'
        ? { kind: 'upsert', instance: withFailure(prev.instance, at, partialSuccess) }
        : { kind: 'failure', failure: { key, at, partialSuccess } };
    this.add(id, entry);
  }

  /** Writes everything pending, after any batch in flight; throws the last write error. */
  async flush(): Promise<void> {
    let error: unknown;
    for (;;) {
      while (this.running) await this.running;
      if (this.pending.size === 0) break;
      this.stopTimer();
      const run = this.drain('manual', true);
      this.running = run.then(() => {
        this.running = null;
      });
      const err = await run;
      if (err !== undefined) error = err;
    }
    if (error === undefined) return;
    throw error instanceof Error
      ? error
      : new BackendError(BackendCode.QueryFailed, 'instance write failed', { cause: error });
  }

  /** Refuses further writes, then flushes. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  counters(): InstanceWriteCounters {
    return { ...this.totals, pending: this.pending.size };
  }

  /** Adds a listener; returns an idempotent unsubscribe. Listener exceptions are ignored. */
  subscribe(listener: (event: InstanceWriteEvent) => void): () => void {
    const entry = (event: InstanceWriteEvent): void => listener(event);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  private add(id: string, entry: Entry): void {
    if (this.closed) {
      throw new BackendError(BackendCode.Closed, 'instance write buffer is closed');
    }
    this.totals.enqueued++;
    if (this.pending.has(id)) this.totals.coalesced++;
    this.pending.set(id, entry);
    if (this.pending.size >= this.maxSize) this.kick('size');
    else this.armTimer();
  }

  private armTimer(): void {
    if (this.cancelTimer !== null || this.running !== null) return;
    this.cancelTimer = this.options.clock.setTimeout(() => {
      this.cancelTimer = null;
      this.kick('interval');
    }, this.intervalMs);
  }

  private stopTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private kick(reason: FlushReason): void {
    if (this.running !== null) return;
    this.stopTimer();
    this.running = this.drain(reason, false).then(() => {
      this.running = null;
      if (this.pending.size >= this.maxSize) this.kick('size');
      else if (this.pending.size > 0) this.armTimer();
    });
  }

  /** Writes batches until the buffer is empty (`all`) or below a full batch; never rejects. */
  private async drain(reason: FlushReason, all: boolean): Promise<unknown> {
    let lastError: unknown;
    do {
      const batch = this.take();
      if (batch.length === 0) break;
      const err = await this.write(batch, reason);
      if (err !== undefined) lastError = err;
    } while (all ? this.pending.size > 0 : this.pending.size >= this.maxSize);
    return lastError;
  }

  private take(): Entry[] {
    const batch: Entry[] = [];
    for (const [id, entry] of this.pending) {
      if (batch.length >= this.maxSize) break;
      batch.push(entry);
      this.pending.delete(id);
    }
    return batch;
  }

  private async write(batch: readonly Entry[], reason: FlushReason): Promise<unknown> {
    const upserts = batch.flatMap((e) => (e.kind === 'upsert' ? [e.instance] : []));
    const failures = batch.flatMap((e) => (e.kind === 'failure' ? [e.failure] : []));
    const counts = { reason, upserts: upserts.length, failures: failures.length };
    const started = this.options.clock.monotonic();
    let error: unknown;
    try {
      await this.options.instances.writeProbeResults({ upserts, failures });
    } catch (err) {
      error = err ?? new Error('instance write failed');
    }
    const durationMs = this.options.clock.monotonic() - started;
    this.totals.flushMsTotal += durationMs;
    if (error === undefined) {
      this.totals.flushes++;
      this.totals.written += batch.length;
      this.emit({ type: 'flushed', ...counts, durationMs });
    } else {
      this.totals.failedFlushes++;
      this.totals.dropped += batch.length;
      this.emit({ type: 'flush-failed', ...counts, durationMs, error });
    }
    return error;
  }

  private emit(event: InstanceWriteEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the batch is already written.
      }
    }
  }
}

function withFailure(i: Instance, at: number, partialSuccess: boolean): Instance {
  return { ...i, timing: { ...i.timing, lastAttemptedAt: at, lastCheckedAt: at, partialSuccess } };
}
