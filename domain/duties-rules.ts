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

/** Below 70 points a case file fails (000, 003); the threshold of 优秀 is configurable. */
export const CASE_FILE_PASS_MARK = 70;

export type CaseFileGrade = '优秀' | '合格' | '不合格';

export function gradeCaseFile(score: number, excellentFrom: number): CaseFileGrade {
  if (score < CASE_FILE_PASS_MARK) return '不合格';
  return score >= excellentFrom ? '优秀' : '合格';
}
