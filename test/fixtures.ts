/**
 * Request bodies of the domain, shared by the tests and the benchmark. Plain data and no test
 * runner, so a script outside vitest can import it.
 */
import type { CalendarNoticeBody } from '../domain/calendar-notice.js';
import type { Submission } from '../domain/legal-review.js';

export function sampleSubmission(overrides: Partial<Submission> = {}): Submission {
  return {
    caseNumber: `市监罚〔2026〕${Math.floor(Math.random() * 1e6)}号`,
    title: '某食品公司销售过期食品案',
    category: 'penalty',
    procedure: 'general',
    majorGrounds: ['major-rights'],
    majorPenalty: true,
    party: { type: 'organisation', name: '某食品有限公司', creditCode: '91330000MA00000007' },
    facts: '2026年11月，执法人员在检查中发现当事人销售超过保质期的食品共计120件。',
    evidence: ['现场检查笔录', '询问笔录', '抽样检验报告'],
    legalBasis: '《中华人民共和国食品安全法》第三十四条、第一百二十四条',
    discretionBenchmark: '县市场监管行政处罚裁量基准 第12项 一般情节',
    proposedDecision: '没收违法所得，并处罚款人民币十万元。',
    officers: [
      { name: '张三', certificateNumber: 'ZJ-33000001' },
      { name: '李四', certificateNumber: 'ZJ-33000002' },
    ],
    ...overrides,
  };
}

/** An opinion with all eight checks; failing ones get a note. */
export function opinion(conclusion: 'pass' | 'pass-with-changes' | 'fail' | 'transfer', failed: string[] = []) {
  const ids = ['lawful-body', 'officer-qualification', 'lawful-procedure', 'facts-and-evidence', 'law-and-discretion', 'within-authority', 'documents-complete', 'no-suspected-crime'];
  return {
    checks: ids.map((check) => ({ check, passed: !failed.includes(check), note: failed.includes(check) ? `${check} 存在问题` : '' })),
    conclusion,
    opinion: `审核意见：${conclusion}`,
    ...(conclusion === 'pass-with-changes' ? { requiredChanges: '补充说明裁量理由' } : {}),
  };
}

/** An application with the fields of the county form (附件1). */
export function sampleApplication(unitName = '县市场监督管理局') {
  return {
    unitName,
    unitLevel: '正科级',
    address: '县城人民路1号',
    pastThreeYearsWork: '近三年全面落实行政执法责任制，建立权责清单，案卷评查合格率100%。',
    unitOpinion: '同意申报。',
    creationPlan: '创建方案（2027）.pdf',
    progressLedger: '工作推进台账（2027）.xlsx',
  };
}

/**
 * A score sheet of the provincial standard: clean unless told otherwise. The five officers score full
 * marks, so the law-test item, converted from their scores, keeps its 20 points.
 */
export function sampleScoreSheet(overrides: Record<string, unknown> = {}) {
  return {
    standardId: 'henan-2022-v2',
    vetoes: [],
    deductions: [],
    bonuses: [],
    caseFiles: [
      { ref: '案卷-1', score: 92 },
      { ref: '案卷-2', score: 85 },
    ],
    lawTests: ['甲', '乙', '丙', '丁', '戊'].map((officer) => ({ officer, score: 100 })),
    ...overrides,
  };
}

/** The record of acceptance's five methods (the score sheet is separate). */
export function acceptanceMethods() {
  return {
    reportHeard: '听取了创建工作汇报',
    materialsRead: '查阅了工作方案、台账、制度',
    siteVisit: '实地察看许可窗口，暗访执法现场',
    partyCallBacks: ['回访当事人3名，满意'],
  };
}

/** A plausible 2027 notice: the statutory days, weekdays in lieu, one bridging day and make-up weekends. */
export const NOTICE_2027: CalendarNoticeBody = {
  document: '国办发明电〔2026〕9号',
  festivals: [
    { name: '元旦', holidays: { from: '2027-01-01', to: '2027-01-03' }, makeupWorkdays: [] },
    { name: '春节', holidays: { from: '2027-02-05', to: '2027-02-11' }, makeupWorkdays: ['2027-02-20'] },
    { name: '清明节', holidays: { from: '2027-04-03', to: '2027-04-05' }, makeupWorkdays: [] },
    { name: '劳动节', holidays: { from: '2027-05-01', to: '2027-05-05' }, makeupWorkdays: ['2027-04-25', '2027-05-08'] },
    { name: '端午节', holidays: { from: '2027-06-09', to: '2027-06-09' }, makeupWorkdays: [] },
    { name: '中秋节', holidays: { from: '2027-09-15', to: '2027-09-15' }, makeupWorkdays: [] },
    { name: '国庆节', holidays: { from: '2027-10-01', to: '2027-10-07' }, makeupWorkdays: ['2027-09-26', '2027-10-09'] },
  ],
};

