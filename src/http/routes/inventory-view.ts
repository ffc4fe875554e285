/**
 * What the inventory API shows about an instance and a cluster, in orc's own vocabulary:
 * the stored Instance plus the facts kept beside it (downtime, registered promotion rule,
 * problems, co-primary pairing). Built by `InventoryStore`; rendered by the compatibility
 * layer (`compat/instance-json.ts`) and by the v2 routes.
 */
import type { Downtime } from '../../backend/index.js';
import type { ProblemCode } from '../../analysis/index.js';
import type { Instance, PromotionRule } from '../../topology/index.js';

/** One instance with the facts that are not part of its probe. */
export interface InstanceView {
  readonly instance: Instance;
  /** Its downtime, when one is active. */
  readonly downtime: Downtime | undefined;
  /** The registered rule while the registration is fresh, else the probed one. */
  readonly promotionRule: PromotionRule;
  /** A fresh registration with `must` or `prefer` (orchestrator's `IsCandidate`). */
  readonly isCandidate: boolean;
  readonly problems: readonly ProblemCode[];
  /** It and its source replicate from each other. */
  readonly isCoPrimary: boolean;
}

/** A cluster as listed: its names, size and whether automated recovery covers it. */
export interface ClusterSummary {
  readonly name: string;
  /** The override, else the detected alias, else a ClusterNameToAlias match, else the name. */
  readonly alias: string;
  /** DetectClusterDomainQuery's answer, '' when none. */
  readonly domain: string;
  readonly instanceCount: number;
  /** The largest replication lag among its replicas whose last check is valid, in seconds. */
  readonly heuristicLagSeconds: number;
  /** RecoverMasterClusterFilters selects it. */
  readonly automatedPrimaryRecovery: boolean;
  /** RecoverIntermediateMasterClusterFilters selects it. */
  readonly automatedIntermediatePrimaryRecovery: boolean;
}

/** The moment reads are judged at and the poll interval freshness is measured against. */
export interface ViewTiming {
  readonly now: number;
  /** InstancePollSeconds. */
  readonly instancePollSeconds: number;
}

/** True when the last check ran within one poll interval (orchestrator's `IsUpToDate`). */
export function isUpToDate(i: Instance, t: ViewTiming): boolean {
  const checked = i.timing.lastCheckedAt;
  return checked !== undefined && t.now - checked <= t.instancePollSeconds * 1000;
}

/** True when the last check ran within five poll intervals (`IsRecentlyChecked`). */
export function isRecentlyChecked(i: Instance, t: ViewTiming): boolean {
  const checked = i.timing.lastCheckedAt;
  return checked !== undefined && t.now - checked <= 5 * t.instancePollSeconds * 1000;
}
