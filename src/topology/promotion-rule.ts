import { OrcError } from '../common/errors.js';

/**
 * orchestrator's promotion rules, best first: how willing an operator is to see a server
 * promoted in a failover. Values and spelling match orchestrator's API and backend.
 */
export const PROMOTION_RULES = ['must', 'prefer', 'neutral', 'prefer_not', 'must_not'] as const;

export type PromotionRule = (typeof PROMOTION_RULES)[number];

/** The rule of a server nobody registered a rule for. */
export const DEFAULT_PROMOTION_RULE: PromotionRule = 'neutral';

/** True when `text` is exactly one of the rules. */
export function isPromotionRule(text: string): text is PromotionRule {
  return (PROMOTION_RULES as readonly string[]).includes(text);
}

/**
 * Reads a rule, ignoring case and surrounding whitespace, accepting `-` for `_`
 * (`Prefer-Not` → `prefer_not`). Throws `INVALID_PROMOTION_RULE` naming the accepted values.
 */
export function parsePromotionRule(text: string): PromotionRule {
  const value = text.trim().toLowerCase().replaceAll('-', '_');
  if (isPromotionRule(value)) return value;
  throw new OrcError(
    'INVALID_PROMOTION_RULE',
    `invalid promotion rule "${text}": expected one of ${PROMOTION_RULES.join(', ')}`,
    { context: { value: text } },
  );
}

/** 0 for `must` up to 4 for `must_not`: lower is more promotable. */
export function promotionRulePriority(rule: PromotionRule): number {
  return PROMOTION_RULES.indexOf(rule);
}

/** Negative when `a` is the better rule, zero when equal: sorts candidates best first. */
export function comparePromotionRules(a: PromotionRule, b: PromotionRule): number {
  return promotionRulePriority(a) - promotionRulePriority(b);
}

/** True when `a` is strictly better than `b` (orchestrator's `BetterThan`). */
export function isBetterPromotionRule(a: PromotionRule, b: PromotionRule): boolean {
  return comparePromotionRules(a, b) < 0;
}

/** True when a rule forbids promotion altogether (`must_not`). */
export function isPromotionBanned(rule: PromotionRule): boolean {
  return rule === 'must_not';
}

/** True for the rules orchestrator reports as `IsCandidate` (`must`, `prefer`). */
export function isCandidateRule(rule: PromotionRule): boolean {
  return rule === 'must' || rule === 'prefer';
}
