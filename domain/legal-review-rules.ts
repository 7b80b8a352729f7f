/**
 * Legal review of major enforcement decisions (重大执法决定法制审核): the rules of the seeds in one
 * place: categories, major grounds, the eight checks, conclusions, coordination, time limits.
 * Sources: seed 002 §二(三), 000 §二(二) and §三(一), 003 item 33, 004 attachment 3 (see ../shared/domain.md).
 * Free of zod, so the workflow imports it without building schemas (the request bodies are
 * domain/legal-review.ts, which re-exports everything here).
 */
/** 执法类别. Publication time limits depend on it (000 §三(一)). */
export const CATEGORIES = {
  penalty: '行政处罚',
  licence: '行政许可',
  coercion: '行政强制',
  levy: '行政征收征用',
  inspection: '行政检查',
  other: '其他行政执法行为',
} as const;
export type Category = keyof typeof CATEGORIES;

/** 执法程序. Every penalty under the general or hearing procedure needs legal review (000). */
export const PROCEDURES = {
  general: '一般程序',
  hearing: '听证程序',
  simplified: '简易程序',
  other: '其他程序',
} as const;

/** What makes a decision major (002 §二(三)2): one or more of the five. */
export const MAJOR_GROUNDS = {
  'public-interest': '涉及重大公共利益',
  'social-impact': '可能造成重大社会影响或引发社会风险',
  'major-rights': '直接关系行政管理相对人或者第三人重大权益',
  hearing: '经过听证程序作出',
  complex: '案件情况疑难复杂、涉及多个法律关系',
} as const;

/** The eight checks of the review (审核内容), in the seed's order. */
export const CHECKS = {
  'lawful-body': '执法主体是否合法',
  'officer-qualification': '执法人员是否具备执法资格',
  'lawful-procedure': '执法程序是否合法',
  'facts-and-evidence': '案件事实是否清楚，证据是否合法充分',
  'law-and-discretion': '适用法律、法规、规章是否准确，裁量基准运用是否适当',
  'within-authority': '执法是否超越执法机关法定权限',
  'documents-complete': '执法文书是否完备、规范',
  'no-suspected-crime': '违法行为是否涉嫌犯罪、需要移送司法机关',
} as const;
export type CheckId = keyof typeof CHECKS;
export const CHECK_IDS = Object.keys(CHECKS) as CheckId[];

export const CONCLUSIONS = {
  pass: '同意（审核通过）',
  'pass-with-changes': '修改后同意',
  fail: '不同意（审核未通过）',
  transfer: '涉嫌犯罪，移送司法机关',
} as const;
export type Conclusion = keyof typeof CONCLUSIONS;

export const COORDINATION_OUTCOMES = {
  uphold: '维持审核意见',
  overrule: '不采纳审核意见',
  revise: '退回修改后重新审核',
} as const;
export type CoordinationOutcome = keyof typeof COORDINATION_OUTCOMES;

/** Who coordinates a dispute (002 §二(三)1): the head, a collective discussion, or the county office. */
export const COORDINATION_FORUMS = {
  'agency-head': '主要负责人协调',
  collective: '集体讨论',
  'county-office': '县司法局会同法律顾问、公职律师协调',
} as const;

/**
 * Publication: licence and penalty decisions within 7 working days, others within 20 working days
 * of the decision (000 §三(一) 执法决定信息公开).
 */
export function publicationWorkingDays(category: Category): number {
  return category === 'licence' || category === 'penalty' ? 7 : 20;
}

/** Filing of a major administrative penalty with the county judicial bureau: within 15 days (004 att. 3). */
export const FILING_CALENDAR_DAYS = 15;

// ---------------------------------------------------------------------------------------------
// The opinion's legal consistency: one pure function, called by the API's schema (opinionSchema)
// and by the giveOpinion Update validator alike, so a client that talks to Temporal directly meets
// the same rules as one that goes through the API.

/** One thing wrong with an opinion: where (a path into the body) and why, in Chinese. */
export interface OpinionProblem {
  path: Array<string | number>;
  message: string;
}

const checkLabel = (id: CheckId) => `第${CHECK_IDS.indexOf(id) + 1}项（${CHECKS[id]}）`;
const isBlank = (s: unknown) => typeof s !== 'string' || !s.trim();

/**
 * What is wrong with an opinion (审核意见), empty when it may be recorded:
 * - all eight checks are recorded, each once;
 * - a failed check says why (a note);
 * - a suspected crime (check 8 failed) is a transfer, and a transfer needs check 8 failed
 *   (行政处罚法第二十七条: 不得以行政处罚代替移送);
 * - a pass has no failed check; a fail names at least one;
 * - a pass with changes says which changes.
 * Takes the body as sent (unknown): a malformed one gets a problem, never an exception.
 */
export function opinionProblems(input: unknown): OpinionProblem[] {
  const problems: OpinionProblem[] = [];
  const add = (path: OpinionProblem['path'], message: string) => problems.push({ path, message });
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return [{ path: [], message: '审核意见：须为对象' }];
  const o = input as { checks?: unknown; conclusion?: unknown; opinion?: unknown; requiredChanges?: unknown };

  if (typeof o.conclusion !== 'string' || !(o.conclusion in CONCLUSIONS)) {
    add(['conclusion'], `结论：须为 ${Object.keys(CONCLUSIONS).join('、')} 之一`);
  }
  if (isBlank(o.opinion)) add(['opinion'], '审核意见书：不能为空');
  if (!Array.isArray(o.checks)) {
    add(['checks'], '审核项：须逐项记录八项审核内容');
    return problems;
  }

  const seen = new Set<CheckId>();
  const failed: CheckId[] = [];
  o.checks.forEach((c: unknown, i) => {
    const item = c as { check?: unknown; passed?: unknown; note?: unknown } | null;
    if (typeof item !== 'object' || item === null || typeof item.check !== 'string' || !(item.check in CHECKS) || typeof item.passed !== 'boolean') {
      add(['checks', i], `审核项第${i + 1}条：须含审核项（check，八项之一）和是否通过（passed）`);
      return;
    }
    const id = item.check as CheckId;
    if (seen.has(id)) add(['checks', i, 'check'], `审核项：${checkLabel(id)}重复记录`);
    seen.add(id);
    if (!item.passed) {
      failed.push(id);
      if (isBlank(item.note)) add(['checks', i, 'note'], `审核项：${checkLabel(id)}未通过，须写明理由`);
    }
  });
  const missing = CHECK_IDS.filter((id) => !seen.has(id));
  if (missing.length) add(['checks'], `审核项：缺少${missing.map(checkLabel).join('、')}，八项审核内容须逐项记录`);

  const crime = failed.includes('no-suspected-crime');
  const failedLabels = () => failed.map((id) => `第${CHECK_IDS.indexOf(id) + 1}项`).join('、');
  switch (o.conclusion as Conclusion) {
    case 'transfer':
      if (!crime) add(['conclusion'], '结论：移送司法机关须第8项（违法行为是否涉嫌犯罪、需要移送司法机关）未通过');
      break;
    case 'pass':
      if (crime) add(['conclusion'], '结论：涉嫌犯罪（第8项未通过）须移送司法机关');
      else if (failed.length) add(['conclusion'], `结论：审核通过不得有未通过的审核项（${failedLabels()}未通过）`);
      break;
    case 'pass-with-changes':
    case 'fail':
      if (crime) add(['conclusion'], '结论：涉嫌犯罪（第8项未通过）须移送司法机关');
      else if (o.conclusion === 'fail' && !failed.length) add(['conclusion'], '结论：审核未通过须指出至少一项未通过的审核项');
      if (o.conclusion === 'pass-with-changes' && isBlank(o.requiredChanges)) add(['requiredChanges'], '修改要求：修改后同意须写明需要修改的内容');
      break;
  }
  return problems;
}

/**
 * 行政处罚法第二十七条: a suspected crime is transferred, never fined instead. Once the binding
 * opinion (the last one given) is a transfer, no coordination may overrule it into a decision and no
 * decision may be made; only a new review round (revise → resubmit → a new opinion) changes it.
 */
export const TRANSFER_BINDS_MESSAGE =
  '审核意见为涉嫌犯罪、移送司法机关：依照《中华人民共和国行政处罚法》第二十七条，不得以行政处罚代替移送，协调不得不采纳该意见而作出决定；如认为意见有误，只能退回修改后重新审核';
