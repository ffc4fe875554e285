import type { Backend } from '../backend/index.js';
import type { Clock } from '../common/clock.js';
import type { ProbeResult } from '../mysql/index.js';
import type { Instance, InstanceKey } from '../topology/index.js';
import type { DiscoveryMetrics, ProbeFailureInfo } from './events.js';
import type { InstanceWriter } from './outcomes.js';
import type { DnsLookup } from './resolve.js';
import type { DiscoverySettings } from './settings.js';

/** Probes one address (the service passes `probeInstance` on its pool). Never rejects. */
export type Prober = (key: InstanceKey) => Promise<ProbeResult>;

/** The backend repositories discovery uses (caretaking included). */
export type DiscoveryStore = Pick<
  Backend,
  | 'instances'
  | 'instanceAliases'
  | 'hostnames'
  | 'downtime'
  | 'maintenance'
  | 'candidates'
  | 'clusters'
>;

export interface DiscoveryOptions {
  readonly clock: Clock;
  readonly settings: DiscoverySettings;
  readonly probe: Prober;
  readonly store: DiscoveryStore;
  /** Where instance rows go: the service's InstanceWriteBuffer. */
  readonly writer: InstanceWriter;
  readonly metrics?: DiscoveryMetrics | undefined;
  /** Default: node:dns/promises. */
  readonly dns?: DnsLookup | undefined;
  /** Run caretaking (expiry, forgetting) every `settings.caretakingIntervalMs`; default true. */
  readonly caretaking?: boolean;
}

/** A server as analysis reads it: its record and why its last probe failed, if it did. */
export interface ObservedServer {
  readonly instance: Instance;
  readonly lastProbeError?: ProbeFailureInfo;
}
