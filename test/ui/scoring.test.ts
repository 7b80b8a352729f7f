/**
 * The score sheet page's live total (ui/js/scoring.js, plain JS for the browser) against the scoring
 * the API records (domain/demo-site-scoring.ts), on generated sheets: the page must never show a
 * total or a veto the record would not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STANDARDS } from '../../domain/demo-site-standard.js';
import { scoreSheet, type ScoreSheet } from '../../domain/demo-site-scoring.js';
// @ts-expect-error plain JS served to the browser as is; it has no type declarations
import { previewScore } from '../../ui/js/scoring.js';

const standard = STANDARDS['henan-2022']!;
const recordable = standard.general.flatMap((s) => s.items.flatMap((item) => item.rules.filter((r) => !r.derivedFrom).map((rule) => ({ item, rule }))));

/** Valid sheets: distinct rules (once-rules once), bonuses within their maximum, five officers. */
const sheets: fc.Arbitrary<ScoreSheet> = fc.record({
  standardId: fc.constant(standard.id),
  vetoes: fc.subarray(standard.basic.filter((b) => !b.derivedFrom)).map((list) => list.map((b) => ({ basicId: b.id, note: '发现' }))),
  deductions: fc.subarray(recordable).chain((list) =>
    fc.tuple(...list.map(({ item, rule }) => (rule.perOccurrence ? fc.integer({ min: 1, max: 30 }) : fc.constant(1)).map((occurrences) => ({ itemId: item.id, ruleId: rule.id, occurrences, note: '发现' })))),
  ),
  bonuses: fc.subarray(standard.bonus).chain((list) => fc.tuple(...list.map((b) => fc.integer({ min: 1, max: b.max * 2 }).map((n) => ({ bonusId: b.id, points: n / 2, note: '确认' }))))),
  caseFiles: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 6 }).map((scores) => scores.map((score, i) => ({ ref: `案卷-${i + 1}`, score }))),
  lawTests: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 5, maxLength: 5 }).map((scores) => scores.map((score, i) => ({ officer: `执法人员${i}`, score }))),
});

describe('the score sheet page’s live total', () => {
  it('equals the recorded scoring on any valid sheet', () => {
    fc.assert(
      fc.property(sheets, (sheet) => {
        const recorded = scoreSheet(sheet);
        const preview = previewScore(standard, sheet);
        expect({ general: preview.general, bonus: preview.bonus, total: preview.total, vetoed: preview.vetoed }).toEqual({
          general: recorded.general,
          bonus: recorded.bonus,
          total: recorded.total,
          vetoed: recorded.vetoed,
        });
        expect(preview.vetoes.map((v: { basicId: string }) => v.basicId)).toEqual(recorded.vetoes.map((v) => v.basicId));
        expect(preview.sections.map((s: { score: number }) => s.score)).toEqual(recorded.sections.map((s) => s.score));
      }),
      { numRuns: 300 },
    );
  });
});
