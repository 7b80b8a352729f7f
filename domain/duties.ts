/**
 * Recurring duties of every enforcement agency (see "Recurring duties and deadlines" in
 * ../shared/domain.md): the annual statistics report, the self-inspection report of the three
 * systems, and the quarterly case-file reviews.
 */
import { z } from 'zod';

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

const text = (max: number) => z.string().trim().min(1).max(max);

/** What the system drafts from its own records; the agency reviews it and may correct it. */
export interface StatisticsFigures {
  decisions: { total: number; byCategory: Record<string, number>; byProcedure: Record<string, number> };
  legalReviews: { opinions: number; byConclusion: Record<string, number> };
  disputes: { total: number; byOutcome: Record<string, number> };
  publications: { onTime: number; late: number; missing: number };
  filings: { onTime: number; late: number; missing: number };
  transfers: number;
}

const countMap = z.record(z.string().max(50), z.number().int().min(0));
export const statisticsFiguresSchema = z.object({
  decisions: z.object({ total: z.number().int().min(0), byCategory: countMap, byProcedure: countMap }),
  legalReviews: z.object({ opinions: z.number().int().min(0), byConclusion: countMap }),
  disputes: z.object({ total: z.number().int().min(0), byOutcome: countMap }),
  publications: z.object({ onTime: z.number().int().min(0), late: z.number().int().min(0), missing: z.number().int().min(0) }),
  filings: z.object({ onTime: z.number().int().min(0), late: z.number().int().min(0), missing: z.number().int().min(0) }),
  transfers: z.number().int().min(0),
});

export const statisticsSubmissionSchema = z.object({
  /** The figures as submitted: the draft, or the agency's corrections of it. */
  figures: statisticsFiguresSchema.optional().describe('omit to submit the draft as drafted'),
  note: z.string().trim().max(5_000).default(''),
});

export const selfInspectionSchema = z.object({
  summary: text(20_000).describe('回头看 findings on the publication, full-process recording and legal-review systems'),
  problems: z.array(text(1_000)).max(100).default([]),
  measures: z.array(text(1_000)).max(100).default([]),
});

export const caseFileReviewSchema = z.object({
  quarter: z.number().int().min(1).max(4),
  files: z
    .array(z.object({ ref: text(200), score: z.number().min(0).max(100), reviewer: z.string().trim().max(100).optional() }))
    .min(1)
    .max(500),
});
