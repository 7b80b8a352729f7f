/**
 * The score sheet page's live total (ui/js/scoring.js, plain JS for the browser) against the scoring
 * the API records (domain/demo-site-scoring.ts), on generated sheets: the page must never show a
 * total or a veto the record would not. Every version is checked, the superseded henan-2022 too,
 * since both read their readings from the same data.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STANDARDS, type StandardVersion } from '../../domain/demo-site-standard.js';
import { scoreSheet, type ScoreSheet } from '../../domain/demo-site-scoring.js';
// @ts-expect-error plain JS served to the browser as is; it has no type declarations
import { previewScore } from '../../ui/js/scoring.js';

/** Valid sheets: distinct rules (once-rules once), bonuses as the version takes them, five officers. */
function sheetsFor(standard: StandardVersion): fc.Arbitrary<ScoreSheet> {
  const recordable = standard.general.flatMap((s) => s.items.flatMap((item) => item.rules.filter((r) => !r.derivedFrom).map((rule) => ({ item, rule }))));
  return fc.record({
    standardId: fc.constant(standard.id),
    vetoes: fc.subarray(standard.basic.filter((b) => !b.derivedFrom)).map((list) => list.map((b) => ({ basicId: b.id, note: '发现' }))),
    deductions: fc.subarray(recordable).chain((list) =>
      fc.tuple(...list.map(({ item, rule }) => (rule.perOccurrence ? fc.integer({ min: 1, max: 30 }) : fc.constant(1)).map((occurrences) => ({ itemId: item.id, ruleId: rule.id, occurrences, note: '发现' })))),
    ),
    bonuses: fc.subarray(standard.bonus).chain((list) =>
      fc.tuple(
        ...list.map((b) =>
          b.max === undefined ? fc.constant({ bonusId: b.id, note: '确认' }) : fc.integer({ min: 1, max: b.max * 2 }).map((n) => ({ bonusId: b.id, points: n / 2, note: '确认' })),
        ),
      ),
    ),
    // Whole and half points, around the case-file mark of 70 as often as away from it.
    caseFiles: fc
      .array(fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(69, 69.5, 70, 70.5, 71)), { minLength: 1, maxLength: 6 })
      .map((scores) => scores.map((score, i) => ({ ref: `案卷-${i + 1}`, score }))),
    lawTests: fc
      .array(fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 110, max: 200 }).map((n) => n / 2), fc.constantFrom(59, 59.5, 60)), { minLength: 5, maxLength: 5 })
      .map((scores) => scores.map((score, i) => ({ officer: `执法人员${i}`, score }))),
  });
}

describe.each(Object.values(STANDARDS).map((s) => [s.id, s] as const))('the score sheet page’s live total under %s', (_id, standard) => {
  it('equals the recorded scoring on any valid sheet', () => {
    fc.assert(
      fc.property(sheetsFor(standard), (sheet) => {
        const recorded = scoreSheet(sheet);
        const preview = previewScore(standard, sheet);
        expect({ general: preview.general, bonus: preview.bonus, total: preview.total, vetoed: preview.vetoed }).toEqual({
          general: recorded.general,
          bonus: recorded.bonus,
          total: recorded.total,
          vetoed: recorded.vetoed,
        });
        expect(preview.vetoes.map((v: { basicId: string; source: string }) => [v.basicId, v.source])).toEqual(recorded.vetoes.map((v) => [v.basicId, v.source]));
        expect(preview.sections.map((s: { items: { score: number }[] }) => s.items.map((it) => it.score))).toEqual(recorded.sections.map((s) => s.items.map((it) => it.score)));
        expect(preview.sections.map((s: { score: number }) => s.score)).toEqual(recorded.sections.map((s) => s.score));
      }),
      { numRuns: 300 },
    );
  });
});

describe('the page’s hand-worked cases', () => {
  const standard = STANDARDS['henan-2022-v2']!;
  const base = { vetoes: [], deductions: [], bonuses: [], caseFiles: [{ ref: 'A', score: 88 }] };
  const lawTests = (scores: number[]) => scores.map((score, i) => ({ officer: `执法人员${i}`, score }));

  it('converts 90, 85, 80, 75, 70 to 16, takes the item for one 59, vetoes a 70 and adds exactly 2 for a confirmed bonus', () => {
    expect(previewScore(standard, { ...base, lawTests: lawTests([90, 85, 80, 75, 70]) })).toMatchObject({ general: 96, vetoed: false });
    expect(previewScore(standard, { ...base, lawTests: lawTests([59, 90, 90, 90, 90]) })).toMatchObject({ general: 80 });
    expect(previewScore(standard, { ...base, caseFiles: [{ ref: 'A', score: 70 }], lawTests: lawTests([100, 100, 100, 100, 100]) })).toMatchObject({ vetoed: true, total: 0 });
    expect(previewScore(standard, { ...base, bonuses: [{ bonusId: 'demonstration-lead', note: '确认' }], lawTests: lawTests([100, 100, 100, 100, 100]) })).toMatchObject({ bonus: 2, total: 102 });
  });

  it('shows the item whole until all five scores are typed, but a typed score under 60 at once', () => {
    const partial = [{ officer: '甲', score: 80 }, ...lawTests([NaN, NaN, NaN, NaN])];
    expect(previewScore(standard, { ...base, lawTests: partial }).general).toBe(100);
    expect(previewScore(standard, { ...base, lawTests: [{ officer: '甲', score: 50 }, ...lawTests([NaN, NaN, NaN, NaN])] }).general).toBe(80);
  });
});
