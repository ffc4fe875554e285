import type { Backend } from '../backend/index.js';
import type { Clock } from '../common/clock.js';
import type { ProbeMetadata } from '../mysql/index.js';
import {
  instanceKeyId,
  type Instance,
  type InstanceKey,
  type PromotionRule,
} from '../topology/index.js';

/** The stores of people's decisions discovery reads, and the detected values it writes. */
export type DecisionStore = {
  readonly candidates: Pick<Backend['candidates'], 'list' | 'get' | 'register'>;
  readonly clusters: Pick<
    Backend['clusters'],
    'aliases' | 'aliasOf' | 'setDetectedAlias' | 'setDomain'
  >;
};

/** Detected aliases and domains are written again this often, so they never look stale. */
const REWRITE_MS = 10 * 60_000;

/**
 * What assembly needs from people's decisions — registered promotion rules
 * (register-candidate) and manual cluster aliases (set-cluster-alias) — kept in memory so a
 * probe costs no backend read. Loaded at start, reloaded by every caretaking pass, and for
 * one server by `refresh`. Also writes what probes detect: the cluster alias and domain of
 * each primary, and the promotion rule DetectPromotionRuleQuery returns (registered as a
 * candidate, as orchestrator does), each only when it changed or is getting old.
 */
export class Decisions {
  private candidates = new Map<string, { rule: PromotionRule; at: number }>();
  private overrides = new Map<string, string>();
  private readonly written = new Map<string, { value: string; at: number }>();

  constructor(
    private readonly store: DecisionStore,
    private readonly clock: Clock,
    private readonly candidateExpiryMs: number,
    private readonly onError: (operation: string, err: unknown) => void,
  ) {}

  async load(): Promise<void> {
    const [candidates, aliases] = await Promise.all([
      this.store.candidates.list(),
      this.store.clusters.aliases(),
    ]);
    this.candidates = new Map(
      candidates.map((c) => [instanceKeyId(c.key), { rule: c.promotionRule, at: c.suggestedAt }]),
    );
    this.overrides = new Map(
      aliases.filter((a) => a.source === 'override').map((a) => [a.clusterName, a.alias]),
    );
  }

  /** Re-reads the decisions about one server and its cluster. */
  async reload(key: InstanceKey, clusterName: string | undefined): Promise<void> {
    const id = instanceKeyId(key);
    const candidate = await this.store.candidates.get(key);
    if (candidate === undefined) this.candidates.delete(id);
    else this.candidates.set(id, { rule: candidate.promotionRule, at: candidate.suggestedAt });
    if (clusterName === undefined) return;
    const alias = await this.store.clusters.aliasOf(clusterName);
    if (alias.source === 'override') this.overrides.set(clusterName, alias.alias);
    else this.overrides.delete(clusterName);
  }

  promotionRule(key: InstanceKey): PromotionRule | undefined {
    return this.candidates.get(instanceKeyId(key))?.rule;
  }

  aliasOverride(clusterName: string): string | undefined {
    return this.overrides.get(clusterName);
  }

  /** Records what the probe of `instance` detected; writes run in the background. */
  noteProbe(instance: Instance, metadata: ProbeMetadata | undefined): void {
    const rule = metadata?.promotionRule;
    if (rule !== undefined) this.registerDetectedRule(instance.key, rule);

    const { cluster } = instance;
    if (cluster.name !== instanceKeyId(instance.key)) return;
    if (cluster.alias !== cluster.name && cluster.alias !== this.overrides.get(cluster.name)) {
      this.rewrite(`alias:${cluster.name}`, cluster.alias, () =>
        this.store.clusters.setDetectedAlias(cluster.name, cluster.alias),
      );
    }
    const domain = cluster.domain;
    if (domain !== undefined && domain !== '') {
      this.rewrite(`domain:${cluster.name}`, domain, () =>
        this.store.clusters.setDomain(cluster.name, domain),
      );
    }
  }

  private registerDetectedRule(key: InstanceKey, rule: PromotionRule): void {
    const id = instanceKeyId(key);
    const now = this.clock.now();
    const known = this.candidates.get(id);
    if (known?.rule === rule && now - known.at < this.candidateExpiryMs / 2) return;
    this.candidates.set(id, { rule, at: now });
    this.store.candidates
      .register({ key, promotionRule: rule, at: now })
      .catch((err: unknown) => this.onError('register detected promotion rule', err));
  }

  private rewrite(slot: string, value: string, write: () => Promise<void>): void {
    const now = this.clock.now();
    const last = this.written.get(slot);
    if (last?.value === value && now - last.at < REWRITE_MS) return;
    this.written.set(slot, { value, at: now });
    write().catch((err: unknown) => {
      this.written.delete(slot);
      this.onError(`write detected cluster ${slot.split(':')[0] ?? ''}`, err);
    });
  }
}
