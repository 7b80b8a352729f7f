import { describe, expect, it } from 'vitest';
import { CURRENT_STANDARD_ID, STANDARDS, standardFor, type StandardVersion } from '../domain/demo-site-standard.js';
import { DEFAULT_PASS_MARK, scoreSheet, scoreSheetSchema, type ScoreSheet } from '../domain/demo-site-scoring.js';

const HENAN = STANDARDS['henan-2022']!;

/** A clean acceptance: one good case file, five officers passing the law test, nothing found. */
function sheet(overrides: Partial<ScoreSheet> = {}): ScoreSheet {
  return {
    standardId: 'henan-2022',
    vetoes: [],
    deductions: [],
    bonuses: [],
    caseFiles: [{ ref: '市监罚〔2022〕12号', score: 88 }],
    lawTests: ['张三', '李四', '王五', '赵六', '钱七'].map((officer) => ({ officer, score: 80 })),
    ...overrides,
  };
}

const deduct = (itemId: string, ruleId: string, occurrences = 1) => ({ itemId, ruleId, occurrences, note: '验收发现' });
const score = (s: ScoreSheet, passMark?: number) => scoreSheet(scoreSheetSchema.parse(s), passMark === undefined ? {} : { passMark });
const messages = (input: unknown) => {
  const r = scoreSheetSchema.safeParse(input);
  expect(r.success).toBe(false);
  return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
};

describe('the henan-2022 standard data', () => {
  it('adds up: items to their section, sections to 100', () => {
    for (const section of HENAN.general) {
      expect(section.items.reduce((n, it) => n + it.max, 0), section.id).toBe(section.points);
    }
    expect(HENAN.general.map((s) => [s.id, s.points])).toEqual([
      ['clarify-responsibility', 10],
      ['regulate-enforcement', 64],
      ['supervision', 16],
      ['accountability', 10],
    ]);
    expect(HENAN.general.reduce((n, s) => n + s.points, 0)).toBe(HENAN.generalTotal);
    expect(HENAN.generalTotal).toBe(100);
    expect(HENAN.bonusCap).toBe(6);
    expect(HENAN.basic.every((b) => b.deduction === 100)).toBe(true);
  });

  it('has unique ids and rules no larger than their item', () => {
    const items = HENAN.general.flatMap((s) => s.items);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    expect(new Set(HENAN.basic.map((b) => b.id)).size).toBe(HENAN.basic.length);
    for (const item of items) {
      expect(new Set(item.rules.map((r) => r.id)).size, item.id).toBe(item.rules.length);
      for (const rule of item.rules) expect(rule.points, `${item.id}/${rule.id}`).toBeLessThanOrEqual(item.max);
    }
  });

  it('is plain JSON data, frozen, and every year maps to the current version', () => {
    expect(JSON.parse(JSON.stringify(STANDARDS))).toEqual(STANDARDS);
    expect(Object.isFrozen(HENAN.general[0]!.items[0]!.rules)).toBe(true);
    expect(CURRENT_STANDARD_ID).toBe('henan-2022');
    expect(standardFor(2022).id).toBe('henan-2022');
    expect(standardFor(2031).id).toBe('henan-2022');
  });
});

describe('scoreSheet', () => {
  it('scores a clean sheet 100 and passes it', () => {
    const r = score(sheet());
    expect(r).toMatchObject({ standardId: 'henan-2022', vetoes: [], general: 100, bonus: 0, total: 100, vetoed: false, passed: true });
    expect(r.passMark).toBe(DEFAULT_PASS_MARK);
    expect(r.sections.map((s) => s.score)).toEqual([10, 64, 16, 10]);
  });

  it('caps deductions at the item max', () => {
    // 应备案未备案 2 × 3 = 6 → capped at the item's 3; 未追究 10 + 未建台账 2 = 12 → capped at 10.
    const r = score(
      sheet({
        deductions: [
          deduct('major-penalty-filing', 'not-filed', 2),
          deduct('accountability', 'not-pursued'),
          deduct('accountability', 'no-ledger'),
        ],
      }),
    );
    const supervision = r.sections.find((s) => s.id === 'supervision')!;
    expect(supervision.items.find((i) => i.id === 'major-penalty-filing')).toMatchObject({ max: 3, deducted: 3, score: 0 });
    expect(supervision).toMatchObject({ deducted: 3, score: 13 });
    expect(r.sections.find((s) => s.id === 'accountability')).toMatchObject({ deducted: 10, score: 0 });
    expect(r.general).toBe(87);
  });

  it('sums occurrences over separate entries of a per-occurrence rule', () => {
    // 超期备案 1 + 1 = 2 points; 培训考试材料缺一年 2.
    const r = score(sheet({ deductions: [deduct('major-penalty-filing', 'late-filing'), deduct('major-penalty-filing', 'late-filing'), deduct('legal-training', 'missing-year')] }));
    expect(r.general).toBe(96);
  });

  it('deducts half a point for a late statistics report', () => {
    const r = score(sheet({ deductions: [deduct('statistics-report', 'late')] }));
    expect(r.general).toBe(99.5);
    expect(r.total).toBe(99.5);
    expect(r.sections.find((s) => s.id === 'supervision')).toMatchObject({ deducted: 0.5, score: 15.5 });
  });

  it.each(HENAN.basic.map((b) => [b.id, b] as const))('vetoes on %s', (id, basic) => {
    const s =
      basic.derivedFrom === 'case-files'
        ? sheet({ caseFiles: [{ ref: 'A', score: 69 }] })
        : sheet({ vetoes: [{ basicId: id, note: '纪检监察部门材料' }] });
    const r = score(s);
    expect(r.vetoed).toBe(true);
    expect(r.passed).toBe(false);
    expect(r.vetoes.map((v) => v.basicId)).toEqual([id]);
    expect(r.general).toBe(100);
    expect(r.total).toBe(100 - 100);
  });

  it('adds −100 per distinct veto', () => {
    const r = score(
      sheet({
        vetoes: [
          { basicId: 'uncertified-officer', note: '一名执法人员无证' },
          { basicId: 'officer-sanctioned', note: '2021年一人受处分' },
        ],
        caseFiles: [{ ref: 'A', score: 50 }],
      }),
    );
    expect(r.vetoes.map((v) => [v.basicId, v.source])).toEqual([
      ['uncertified-officer', 'recorded'],
      ['case-file-below-70', 'case-file-below-70'],
      ['officer-sanctioned', 'recorded'],
    ]);
    expect(r.total).toBe(-200);
  });

  it('vetoes a case file at 69 but not at 70, once whatever the number of failing files', () => {
    expect(score(sheet({ caseFiles: [{ ref: 'A', score: 70 }] })).vetoed).toBe(false);
    const r = score(sheet({ caseFiles: [{ ref: 'A', score: 69 }, { ref: 'B', score: 40 }, { ref: 'C', score: 95 }] }));
    expect(r.vetoes).toHaveLength(1);
    expect(r.vetoes[0]).toMatchObject({ basicId: 'case-file-below-70', source: 'case-file-below-70' });
    expect(r.vetoes[0]!.note).toContain('A（69分）');
    expect(r.vetoes[0]!.note).toContain('B（40分）');
    expect(r.total).toBe(0);
  });

  it('deducts 20 once when officers fail the law test, none at 60', () => {
    const tests = (scores: number[]) => scores.map((s, i) => ({ officer: `执法人员${i + 1}`, score: s }));
    expect(score(sheet({ lawTests: tests([60, 60, 90, 90, 90]) })).general).toBe(100);
    const one = score(sheet({ lawTests: tests([59, 80, 90, 90, 90]) }));
    const two = score(sheet({ lawTests: tests([59, 30, 90, 90, 90]) }));
    expect(one.general).toBe(80);
    expect(two.general).toBe(80);
    const item = two.sections.find((s) => s.id === 'regulate-enforcement')!.items.find((i) => i.id === 'qualification-exam');
    expect(item).toMatchObject({ max: 20, deducted: 20, score: 0 });
  });

  it('adds the confirmed bonus, within the item and the cap of 6', () => {
    const r = score(sheet({ bonuses: [{ bonusId: 'demonstration-lead', points: 2, note: '省司法厅通报表扬' }] }));
    expect(r.bonus).toBe(2);
    expect(r.total).toBe(102);

    // henan-2022 lists only 2 legible bonus points, so the cap is shown with a draft version.
    const draft: StandardVersion = {
      ...HENAN,
      id: 'draft',
      bonus: ['a', 'b', 'c'].map((id) => ({ id, group: '加分', label: id, method: '查看材料', max: 3 })),
    };
    const bonuses = ['a', 'b', 'c'].map((bonusId) => ({ bonusId, points: 3, note: '经确认' }));
    const capped = scoreSheet({ ...sheet(), standardId: 'draft', bonuses }, { standard: draft });
    expect(capped).toMatchObject({ standardId: 'draft', general: 100, bonus: 6, total: 106, passed: true });
  });

  it('passes exactly at the pass mark and fails half a point below', () => {
    const bonuses = [{ bonusId: 'demonstration-lead', points: 2, note: '省级媒体报道' }];
    const at = sheet({ bonuses, deductions: [deduct('accountability', 'not-pursued'), deduct('legal-training', 'missing-year')] });
    expect(score(at)).toMatchObject({ general: 88, bonus: 2, total: 90, passed: true });
    const below = { ...at, deductions: [...at.deductions, deduct('statistics-report', 'late')] };
    expect(score(below)).toMatchObject({ general: 87.5, total: 89.5, passed: false });
    expect(score(below, 89.5)).toMatchObject({ passMark: 89.5, passed: true });
  });

  it('refuses a pass mark out of range', () => {
    expect(() => score(sheet(), 107)).toThrow(/passMark/);
  });
});

describe('scoreSheetSchema', () => {
  it('refuses an unknown itemId, naming the path and the id', () => {
    const m = messages(sheet({ deductions: [deduct('no-such-item', 'x')] }));
    expect(m).toContain('deductions.0.itemId');
    expect(m).toContain("unknown item 'no-such-item'");
  });

  it('refuses unknown rule, basic, bonus and standard ids', () => {
    expect(messages(sheet({ deductions: [deduct('statistics-report', 'lost')] }))).toContain("unknown rule 'lost'");
    expect(messages(sheet({ vetoes: [{ basicId: 'bribery', note: 'x' }] }))).toContain("unknown basic standard 'bribery'");
    expect(messages(sheet({ bonuses: [{ bonusId: 'award', points: 1, note: 'x' }] }))).toContain("unknown bonus item 'award'");
    expect(messages(sheet({ standardId: 'henan-1999' }))).toContain("standardId: unknown standard 'henan-1999'");
  });

  it('refuses recording what the scoring derives, and repeating a once-only rule', () => {
    expect(messages(sheet({ deductions: [deduct('qualification-exam', 'law-test-below-60')] }))).toContain('follows from lawTests');
    expect(messages(sheet({ vetoes: [{ basicId: 'case-file-below-70', note: 'x' }] }))).toContain('follows from caseFiles');
    expect(messages(sheet({ deductions: [deduct('statistics-report', 'late', 2)] }))).toContain('applies once');
    expect(messages(sheet({ bonuses: [{ bonusId: 'demonstration-lead', points: 3, note: 'x' }] }))).toContain('at most 2');
  });

  it('refuses four law tests', () => {
    expect(messages(sheet({ lawTests: sheet().lawTests.slice(0, 4) }))).toContain('lawTests: record exactly five officers');
  });

  it('refuses a score of 101 and no case file', () => {
    expect(messages(sheet({ caseFiles: [{ ref: 'A', score: 101 }] }))).toContain('caseFiles[].score: at most 100');
    const tests = sheet().lawTests.map((t, i) => (i === 0 ? { ...t, score: 101 } : t));
    expect(messages(sheet({ lawTests: tests }))).toContain('lawTests.0.score: lawTests[].score: at most 100');
    expect(messages(sheet({ caseFiles: [] }))).toContain('caseFiles: record at least one sampled case file');
  });

  it('refuses zero occurrences and an empty note', () => {
    const m = messages(sheet({ deductions: [{ itemId: 'legal-training', ruleId: 'missing-year', occurrences: 0, note: ' ' }] }));
    expect(m).toContain('deductions[].occurrences: at least 1');
    expect(m).toContain('deductions[].note: say what was found');
  });
});
