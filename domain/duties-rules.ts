/**
 * Recurring duties of every enforcement agency (see "Recurring duties and deadlines" in
 * ../shared/domain.md): the annual statistics report, the self-inspection report of the three
 * systems, and the quarterly case-file reviews. Free of zod, so the workflow imports it without
 * building schemas (the request bodies are domain/duties.ts, which re-exports everything here).
 */
/** 002 §二(一)3(3): the previous year's enforcement statistics, by January 31. */
export const statisticsReportDue = (year: number) => `${year}-01-31`;

/** 002 §三(二): the self-inspection ("回头看") of the three systems, by April 30. */
export const selfInspectionDue = (year: number) => `${year}-04-30`;

/** 003: case files are reviewed every quarter per department; due at the quarter's end. */
export const QUARTER_ENDS = ['03-31', '06-30', '09-30', '12-31'] as const;
export const caseFileReviewDue = (year: number, quarter: 1 | 2 | 3 | 4) => `${year}-${QUARTER_ENDS[quarter - 1]}`;

/**
 * A case file of 70 points or less is 不合格. The seeds on the yearly and quarterly reviews (000 §三(二),
 * 001 §十一, 003 item 12) name the grades 优秀/合格/不合格 but give no points; the 70 is the provincial
 * mark of a 不合格案卷 (004 附件3: 70分以下), and 以下 includes 70 (民法典 art. 1259), read the same as in
 * the demonstration-site standard (henan-2022-v2), so one file cannot pass the quarterly review and
 * veto an acceptance. The threshold of 优秀 is configurable.
 *
 * Reviews recorded before this reading keep the grades they were given: the workflow passes
 * `seventyFails: false` for them (patch case-file-70-fails).
 */
export const CASE_FILE_FAILS_AT_OR_BELOW = 70;

export type CaseFileGrade = '优秀' | '合格' | '不合格';

export function gradeCaseFile(score: number, excellentFrom: number, { seventyFails = true } = {}): CaseFileGrade {
  if (seventyFails ? score <= CASE_FILE_FAILS_AT_OR_BELOW : score < CASE_FILE_FAILS_AT_OR_BELOW) return '不合格';
  return score >= excellentFrom ? '优秀' : '合格';
}
