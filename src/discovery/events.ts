import { OrcError } from '../common/errors.js';
import type { InstanceKey, ProbeErrorKind } from '../topology/index.js';
import type { FilterMatch, FoundAs } from './filters.js';

/** How an address first reached discovery. */
export type Origin = 'seed' | 'api' | 'backend' | 'crawl';

/** Why a probe of a server failed, as failure analysis reads it (`lastProbeError`). */
export interface ProbeFailureInfo {
  readonly kind: ProbeErrorKind;
  readonly message: string;
  /** Epoch ms of the failed probe's end. */
  readonly at: number;
}

/**
 * What discovery reports. It never logs: the service decides what to log (and at which
 * level, rate-limited per key) and what to count. Delivered synchronously, in order.
 */
export type DiscoveryEvent =
  /** Every probe (trace-level material). */
  | {
      readonly type: 'probed';
      readonly key: InstanceKey;
      readonly outcome: 'ok' | 'partial' | 'failed';
      readonly durationMs: number;
    }
  /** A server answered for the first time under this canonical key. */
  | { readonly type: 'instance-discovered'; readonly key: InstanceKey; readonly origin: Origin }
  /** A known server failed a probe; `failures` counts consecutive failures. */
  | {
      readonly type: 'probe-failed';
      readonly key: InstanceKey;
      readonly failure: ProbeFailureInfo;
      readonly failures: number;
      /** ms until the next poll (after back-off). */
      readonly nextPollMs: number;
    }
  /** A new address did not answer its first probe; it is not kept. */
  | {
      readonly type: 'address-unreachable';
      readonly key: InstanceKey;
      readonly failure: ProbeFailureInfo;
      readonly origin: Origin;
    }
  /** A server that had failed answered again. */
  | { readonly type: 'instance-recovered'; readonly key: InstanceKey; readonly failures: number }
  /** `alias` reaches the server stored under `canonical`: one server, two names. */
  | {
      readonly type: 'alias-recorded';
      readonly alias: InstanceKey;
      readonly canonical: InstanceKey;
    }
  /** A server's canonical key changed to the name it gives itself. */
  | { readonly type: 'canonical-changed'; readonly from: InstanceKey; readonly to: InstanceKey }
  /** An alias stopped reaching its server (a VIP moved, a server replaced). */
  | { readonly type: 'alias-dropped'; readonly alias: InstanceKey; readonly canonical: InstanceKey }
  | {
      readonly type: 'instance-forgotten';
      readonly key: InstanceKey;
      readonly reason: 'api' | 'unseen' | 'replaced';
    }
  /** A discovery filter kept an address out. */
  | {
      readonly type: 'address-filtered';
      readonly key: InstanceKey;
      readonly foundAs: FoundAs;
      readonly match: FilterMatch;
    }
  /** More new addresses than `DiscoveryQueueCapacity` waited; this one was dropped. */
  | { readonly type: 'queue-full'; readonly key: InstanceKey }
  /** A write to the backend failed; discovery goes on (the next poll writes again). */
  | { readonly type: 'store-failed'; readonly operation: string; readonly error: unknown }
  /** A caretaking pass ended; counts of what each step removed. */
  | {
      readonly type: 'caretaking-done';
      readonly removed: Readonly<Record<string, number>>;
      readonly durationMs: number;
    };

export type DiscoveryListener = (event: DiscoveryEvent) => void;

/**
 * The metrics discovery updates, defined here so discovery does not import the HTTP layer;
 * the service adapts its Prometheus metrics to it.
 */
export interface DiscoveryMetrics {
  /** Once per probe. */
  observeProbe(outcome: 'ok' | 'failed', seconds: number): void;
  /** Servers ready to probe and waiting for a poller, when it changes. */
  setQueueDepth(depth: number): void;
  /** Known servers by the outcome of their last probe, after every probe. */
  setInstanceCounts(counts: { readonly ok: number; readonly unreachable: number }): void;
}

/** Stable codes of DiscoveryError. */
export const DiscoveryCode = {
  /** `refresh` or `forget` of an address discovery does not know. */
  UnknownInstance: 'DISCOVERY_UNKNOWN_INSTANCE',
  /** `discover` of an address that did not answer. */
  Unreachable: 'DISCOVERY_UNREACHABLE',
  /** A discovery filter (DiscoveryIgnoreHostnameFilters) keeps the address out. */
  Filtered: 'DISCOVERY_FILTERED',
  /** Discovery is stopped. */
  Stopped: 'DISCOVERY_STOPPED',
} as const;

export type DiscoveryCodeValue = (typeof DiscoveryCode)[keyof typeof DiscoveryCode];

/** An error from Discovery's API; `context.instance` names the address. */
export class DiscoveryError extends OrcError {
  declare readonly code: DiscoveryCodeValue;
}
