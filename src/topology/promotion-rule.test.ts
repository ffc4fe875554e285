import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../common/errors.js';
import {
  comparePromotionRules,
  DEFAULT_PROMOTION_RULE,
  isBetterPromotionRule,
  isCandidateRule,
  isPromotionBanned,
  parsePromotionRule,
  PROMOTION_RULES,
  promotionRulePriority,
  type PromotionRule,
} from './promotion-rule.js';

void test('promotion-rule: parse accepts orchestrator names in any case, with - or _', () => {
  const cases: [string, PromotionRule][] = [
    ['must', 'must'],
    ['prefer', 'prefer'],
    ['neutral', 'neutral'],
    ['prefer_not', 'prefer_not'],
    ['must_not', 'must_not'],
    [' Prefer-Not ', 'prefer_not'],
    ['MUST_NOT', 'must_not'],
  ];
  for (const [text, rule] of cases) assert.equal(parsePromotionRule(text), rule, text);
});

void test('promotion-rule: unknown rules are refused naming the accepted ones', () => {
  for (const text of ['', 'candidate', 'preferred', 'must not']) {
    assert.throws(
      () => parsePromotionRule(text),
      (err: unknown) =>
        hasCode(err, 'INVALID_PROMOTION_RULE') &&
        err.message.includes(`"${text}"`) &&
        err.message.includes('must, prefer, neutral, prefer_not, must_not'),
      text,
    );
  }
});

void test('promotion-rule: best first; must_not banned; must and prefer are candidates', () => {
  assert.deepEqual(PROMOTION_RULES.map(promotionRulePriority), [0, 1, 2, 3, 4]);
  const shuffled: PromotionRule[] = ['neutral', 'must_not', 'prefer', 'must', 'prefer_not'];
  assert.deepEqual([...shuffled].sort(comparePromotionRules), [...PROMOTION_RULES]);
  assert.ok(isBetterPromotionRule('prefer', 'neutral'));
  assert.ok(!isBetterPromotionRule('neutral', 'neutral'));
  assert.deepEqual(PROMOTION_RULES.filter(isPromotionBanned), ['must_not']);
  assert.deepEqual(PROMOTION_RULES.filter(isCandidateRule), ['must', 'prefer']);
  assert.equal(DEFAULT_PROMOTION_RULE, 'neutral');
});
