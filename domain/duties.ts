/**
 * Recurring duties: the request bodies as zod schemas, built on the rules of
 * domain/duties-rules.ts, which this module re-exports so callers find both here.
 */
import { z } from 'zod';
import type { DutiesActionName } from '../workflows/agency-duties-messages.js';

export * from './duties-rules.js';

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

/** Drafting the report again takes no fields (a client may send none at all). */
export const redraftSchema = z.object({}).optional();

/** Each duty action's body, beside its row of the table (domain/procedures/duties.ts). */
export const DUTIES_BODIES: Record<DutiesActionName, z.ZodType> = {
  submitStatisticsReport: statisticsSubmissionSchema,
  submitSelfInspection: selfInspectionSchema,
  recordCaseFileReview: caseFileReviewSchema,
  redraftStatisticsReport: redraftSchema,
};
