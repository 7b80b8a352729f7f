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
