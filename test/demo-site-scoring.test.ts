import { describe, expect, it } from 'vitest';
import { labelledIssues } from '../api/schemas.js';
import { CURRENT_STANDARD_ID, STANDARDS, standardFor, type StandardVersion } from '../domain/demo-site-standard.js';
import { DEFAULT_PASS_MARK, lawTestPoints, scoreSheet, scoreSheetSchema, type ScoreSheet } from '../domain/demo-site-scoring.js';

const HENAN = STANDARDS['henan-2022-v2']!;
const HENAN_2022 = STANDARDS['henan-2022']!;

const tests = (scores: number[]) => scores.map((score, i) => ({ officer: `执法人员${i + 1}`, score }));

/** A clean acceptance: one good case file, five officers with full marks in the law test, nothing found. */
function sheet(overrides: Partial<ScoreSheet> = {}): ScoreSheet {
  return {
    standardId: 'henan-2022-v2',
    vetoes: [],
    deductions: [],
    bonuses: [],
    caseFiles: [{ ref: '市监罚〔2022〕12号', score: 88 }],
    lawTests: tests([100, 100, 100, 100, 100]),
    ...overrides,
  };
}

const deduct = (itemId: string, ruleId: string, occurrences = 1) => ({ itemId, ruleId, occurrences, note: '验收发现' });
const score = (s: ScoreSheet, passMark?: number) => scoreSheet(scoreSheetSchema.parse(s), passMark === undefined ? {} : { passMark });
const messages = (input: unknown) => {
  const r = scoreSheetSchema.safeParse(input);
  expect(r.success).toBe(false);
  // As the API says them: in Chinese, each after its field's label (api/schemas.ts), with the path.
  return labelledIssues(scoreSheetSchema, r.error!.issues, undefined, input)
    .map((i) => `${i.path.join('.')}: ${i.message}`)
    .join('\n');
};

describe.each([['henan-2022-v2', HENAN] as const, ['henan-2022', HENAN_2022] as const])('the %s standard data', (_id, HENAN) => {
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
    // The seed's law-test item: 20 points (扣20分 takes all of it).
    const exam = HENAN.general.flatMap((s) => s.items).find((it) => it.id === 'qualification-exam')!;
    expect(exam.max).toBe(20);
    expect(exam.rules).toEqual([expect.objectContaining({ id: 'law-test-below-60', points: 20, derivedFrom: 'law-tests' })]);
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

});

describe('the versions', () => {
  it('are plain JSON data, frozen, and every year maps to the current version', () => {
    expect(JSON.parse(JSON.stringify(STANDARDS))).toEqual(STANDARDS);
    expect(Object.isFrozen(HENAN.general[0]!.items[0]!.rules)).toBe(true);
    expect(Object.isFrozen(HENAN.bonus[0])).toBe(true);
    expect(CURRENT_STANDARD_ID).toBe('henan-2022-v2');
    expect(standardFor(2022).id).toBe('henan-2022-v2');
    expect(standardFor(2031).id).toBe('henan-2022-v2');
  });

  it('keep henan-2022 as it was, superseded by henan-2022-v2 in the three readings only', () => {
    expect(HENAN_2022).toMatchObject({ supersededBy: 'henan-2022-v2', caseFilePassMark: 70 });
    expect(HENAN_2022.bonus).toEqual([expect.objectContaining({ id: 'demonstration-lead', max: 2 })]);
    expect(HENAN.supersededBy).toBeUndefined();
    expect(HENAN).toMatchObject({ caseFileFailsAtOrBelow: 70, lawTestPassMark: 60, bonusCap: 6 });
    expect(HENAN.caseFilePassMark).toBeUndefined();
    expect(HENAN.bonus).toEqual([expect.objectContaining({ id: 'demonstration-lead', points: 2 })]);
    expect(HENAN.bonus[0]!.max).toBeUndefined();
    const itemsOf = (s: StandardVersion) => s.general.flatMap((section) => section.items);
    const changed = itemsOf(HENAN).filter((item, i) => item !== itemsOf(HENAN_2022)[i]).map((item) => item.id);
    expect(changed).toEqual(['qualification-exam']);
    expect(HENAN.basic.map((b) => b.id)).toEqual(HENAN_2022.basic.map((b) => (b.id === 'case-file-below-70' ? 'failing-case-file' : b.id)));
  });
});

describe('scoreSheet', () => {
  it('scores a clean sheet 100 and passes it', () => {
    const r = score(sheet());
    expect(r).toMatchObject({ standardId: 'henan-2022-v2', vetoes: [], general: 100, bonus: 0, total: 100, vetoed: false, passed: true });
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
        ? sheet({ caseFiles: [{ ref: 'A', score: 70 }] })
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
      ['failing-case-file', 'case-files'],
      ['officer-sanctioned', 'recorded'],
    ]);
    expect(r.total).toBe(-200);
  });

  it('vetoes a case file at 70 (70分以下 includes 70) but not at 70.5, once whatever the number of failing files', () => {
    expect(score(sheet({ caseFiles: [{ ref: 'A', score: 70.5 }] })).vetoed).toBe(false);
    const at70 = score(sheet({ caseFiles: [{ ref: 'A', score: 70 }, { ref: 'B', score: 95 }] }));
    expect(at70).toMatchObject({ vetoed: true, passed: false, general: 100, total: 0 });
    expect(at70.vetoes).toEqual([expect.objectContaining({ basicId: 'failing-case-file', source: 'case-files', note: '不合格案卷：A（70分）' })]);
    const r = score(sheet({ caseFiles: [{ ref: 'A', score: 69 }, { ref: 'B', score: 40 }, { ref: 'C', score: 95 }] }));
    expect(r.vetoes).toHaveLength(1);
    expect(r.vetoes[0]!.note).toContain('A（69分）');
    expect(r.vetoes[0]!.note).toContain('B（40分）');
    expect(r.total).toBe(0);
  });

  const exam = (r: ReturnType<typeof score>) => r.sections.find((s) => s.id === 'regulate-enforcement')!.items.find((i) => i.id === 'qualification-exam')!;

  it('converts the law-test item from the five scores: 20 × mean ÷ 100, to one decimal', () => {
    // 90, 85, 80, 75, 70: mean 80, 20 × 80 ÷ 100 = 16.0; 4 off the general standard.
    const r = score(sheet({ lawTests: tests([90, 85, 80, 75, 70]) }));
    expect(exam(r)).toMatchObject({ max: 20, deducted: 4, score: 16 });
    expect(r).toMatchObject({ general: 96, total: 96, passed: true });
    expect(r.sections.find((s) => s.id === 'regulate-enforcement')).toMatchObject({ deducted: 4, score: 60 });
    // Sum 401: mean 80.2, 20 × 80.2 ÷ 100 = 16.04 → 16.0. Sum 404: 16.16 → 16.2. Sum 403: 16.12 → 16.1.
    expect(exam(score(sheet({ lawTests: tests([81, 85, 80, 75, 80]) })))).toMatchObject({ score: 16 });
    expect(exam(score(sheet({ lawTests: tests([84, 85, 80, 75, 80]) })))).toMatchObject({ score: 16.2, deducted: 3.8 });
    expect(score(sheet({ lawTests: tests([83, 85, 80, 75, 80]) }))).toMatchObject({ general: 96.1 });
    // Everyone at the pass mark: 12 of 20, nothing deducted for failing.
    expect(exam(score(sheet({ lawTests: tests([60, 60, 60, 60, 60]) })))).toMatchObject({ score: 12, deducted: 8 });
    expect(exam(score(sheet()))).toMatchObject({ score: 20, deducted: 0 });
    expect(lawTestPoints({ max: 20 }, [100, 0, 100, 0, 100])).toBe(12);
  });

  it('deducts the item (扣20分, so 0) when any officer is under 60, whatever the others scored', () => {
    // 59, 90, 90, 90, 90: converted 20 × 83.8 ÷ 100 = 16.8, then −20 → 0 (an item never goes below 0).
    const one = score(sheet({ lawTests: tests([59, 90, 90, 90, 90]) }));
    expect(exam(one)).toMatchObject({ max: 20, deducted: 20, score: 0 });
    expect(one.general).toBe(80);
    const two = score(sheet({ lawTests: tests([59, 30, 100, 100, 100]) }));
    expect(exam(two)).toMatchObject({ deducted: 20, score: 0 });
    expect(two.general).toBe(80);
    // 59.5 is under 60 as well; 60 is not.
    expect(exam(score(sheet({ lawTests: tests([59.5, 100, 100, 100, 100]) })))).toMatchObject({ score: 0 });
    expect(exam(score(sheet({ lawTests: tests([60, 100, 100, 100, 100]) })))).toMatchObject({ score: 18.4 });
  });

  it('adds exactly 2 for the confirmed bonus item, and caps the bonus at 6', () => {
    const r = score(sheet({ bonuses: [{ bonusId: 'demonstration-lead', note: '省司法厅通报表扬' }] }));
    expect(r.bonus).toBe(2);
    expect(r.total).toBe(102);
    expect(score(sheet()).bonus).toBe(0);

    // henan-2022-v2 lists only 2 legible bonus points, so the cap is shown with a draft version.
    const draft: StandardVersion = {
      ...HENAN,
      id: 'draft',
      bonus: ['a', 'b', 'c', 'd'].map((id) => ({ id, group: '加分', label: id, method: '查看材料', points: 2 })),
    };
    const bonuses = ['a', 'b', 'c', 'd'].map((bonusId) => ({ bonusId, note: '经确认' }));
    const capped = scoreSheet({ ...sheet(), standardId: 'draft', bonuses }, { standard: draft });
    expect(capped).toMatchObject({ standardId: 'draft', general: 100, bonus: 6, total: 106, passed: true });
  });

  it('re-scores a henan-2022 sheet by henan-2022’s own readings, as it was recorded', () => {
    // The sheet as the API took it before henan-2022-v2: bonus points given, officers at 88.
    const old = {
      ...sheet(),
      standardId: 'henan-2022',
      bonuses: [{ bonusId: 'demonstration-lead', points: 1.5, note: '市级媒体报道' }],
      caseFiles: [{ ref: 'A', score: 70 }],
      lawTests: tests([88, 88, 88, 88, 88]),
    };
    expect(scoreSheet(old)).toMatchObject({ standardId: 'henan-2022', vetoed: false, general: 100, bonus: 1.5, total: 101.5, passed: true });
    expect(scoreSheet({ ...old, caseFiles: [{ ref: 'A', score: 69 }] }).vetoes).toEqual([expect.objectContaining({ basicId: 'case-file-below-70', source: 'case-files' })]);
    expect(scoreSheet({ ...old, lawTests: tests([59, 88, 88, 88, 88]) }).general).toBe(80);
    // The schema takes no new sheet against it.
    expect(messages(old)).toContain('standardId: 评分标准：henan-2022 已由 henan-2022-v2 取代');
  });

  it('passes exactly at the pass mark and fails half a point below', () => {
    const bonuses = [{ bonusId: 'demonstration-lead', note: '省级媒体报道' }];
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
    expect(m).toContain('扣分第1项·评分项目：评分标准 henan-2022-v2 中没有评分项目“no-such-item”');
  });

  it('refuses unknown rule, basic, bonus and standard ids', () => {
    expect(messages(sheet({ deductions: [deduct('statistics-report', 'lost')] }))).toMatch(/扣分第1项·扣分规则：评分项目“statistics-report”没有扣分规则“lost”（可用：.+、.+）/);
    expect(messages(sheet({ vetoes: [{ basicId: 'bribery', note: 'x' }] }))).toContain('一票否决第1项·基础标准：评分标准 henan-2022-v2 中没有基础标准“bribery”');
    expect(messages(sheet({ bonuses: [{ bonusId: 'award', note: 'x' }] }))).toContain('加分事项第1项·加分事项：评分标准 henan-2022-v2 中没有加分事项“award”');
    expect(messages(sheet({ standardId: 'henan-1999' }))).toMatch(/standardId: 评分标准：没有评分标准“henan-1999”（可用：henan-2022、/);
  });

  it('refuses recording what the scoring derives, and repeating a once-only rule', () => {
    expect(messages(sheet({ deductions: [deduct('qualification-exam', 'law-test-below-60')] }))).toContain('扣分第1项·扣分规则：“law-test-below-60”由法律知识测试成绩得出，不在此记录');
    expect(messages(sheet({ vetoes: [{ basicId: 'failing-case-file', note: 'x' }] }))).toContain('一票否决第1项·基础标准：“failing-case-file”由案卷评查得分得出，请在案卷评查中录入该案卷');
    expect(messages(sheet({ deductions: [deduct('statistics-report', 'late', 2)] }))).toContain('扣分第1项·次数：扣分规则“statistics-report/late”只扣一次，请只记录一次、次数为1');
  });

  it('takes a bonus item as a confirmation: no points, not twice', () => {
    expect(scoreSheetSchema.safeParse(sheet({ bonuses: [{ bonusId: 'demonstration-lead', note: '省级媒体报道' }] })).success).toBe(true);
    for (const points of [1, 2, 3]) {
      const m = messages(sheet({ bonuses: [{ bonusId: 'demonstration-lead', points, note: 'x' }] }));
      expect(m).toContain('bonuses.0.points: 加分事项第1项·分值：加分事项“demonstration-lead”经确认即加2分，只需确认，不填分值');
    }
    const twice = [{ bonusId: 'demonstration-lead', note: 'x' }, { bonusId: 'demonstration-lead', note: 'y' }];
    expect(messages(sheet({ bonuses: twice }))).toContain('bonuses.1.bonusId: 加分事项第2项·加分事项：“demonstration-lead”重复加分');
  });

  it('requires exactly five law tests, each 0..100, of five different officers', () => {
    for (const n of [0, 4, 6]) {
      const lawTests = tests(Array.from({ length: n }, () => 80));
      expect(messages(sheet({ lawTests }))).toContain(`lawTests: 法律知识测试：须录入恰好5名执法人员的测试成绩（从申领执法证件名单中随机抽取5人，本项得分据此换算），现录入${n}名`);
      expect(() => scoreSheet(sheet({ lawTests }))).toThrow(/须录入恰好5名/);
    }
    expect(messages(sheet({ lawTests: tests([80, 80, 80, 80, -1]) }))).toContain('lawTests.4.score: 法律知识测试第5项·成绩：须在0至100之间');
    const same = tests([80, 80, 80, 80, 80]).map((t, i) => (i === 4 ? { ...t, officer: '执法人员1' } : t));
    expect(messages(sheet({ lawTests: same }))).toContain('lawTests.4.officer: 法律知识测试第5项·执法人员：“执法人员1”重复测试；请抽取五名不同的执法人员');
  });

  it('refuses a score of 101 and no case file', () => {
    expect(messages(sheet({ caseFiles: [{ ref: 'A', score: 101 }] }))).toContain('caseFiles.0.score: 案卷评查第1项·得分：须在0至100之间');
    const tests = sheet().lawTests.map((t, i) => (i === 0 ? { ...t, score: 101 } : t));
    expect(messages(sheet({ lawTests: tests }))).toContain('lawTests.0.score: 法律知识测试第1项·成绩：须在0至100之间');
    expect(messages(sheet({ caseFiles: [] }))).toContain('caseFiles: 案卷评查：至少录入一份抽查的案卷');
  });

  it('refuses zero occurrences and an empty note', () => {
    const m = messages(sheet({ deductions: [{ itemId: 'legal-training', ruleId: 'missing-year', occurrences: 0, note: ' ' }] }));
    expect(m).toContain('deductions.0.occurrences: 扣分第1项·次数：至少1次');
    expect(m).toContain('deductions.0.note: 扣分第1项·说明：须写明发现的情况');
  });
});
