/**
 * Recurring duties: the request bodies as zod schemas, built on the rules of
 * domain/duties-rules.ts, which this module re-exports so callers find both here.
 */
import { z } from 'zod';
import './zod-locale.js';
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

const count = (label: string) => z.number().int('须为整数').min(0, '不能为负数').describe(label);
const countMap = (label: string) => z.record(z.string().max(50), z.number().int('须为整数').min(0, '不能为负数')).describe(label);
const timeliness = (label: string) =>
  z.object({ onTime: count('按时'), late: count('逾期'), missing: count('未办') }).describe(label);
export const statisticsFiguresSchema = z.object({
  decisions: z.object({ total: count('合计'), byCategory: countMap('按执法类别'), byProcedure: countMap('按执法程序') }).describe('执法决定'),
  legalReviews: z.object({ opinions: count('审核意见数'), byConclusion: countMap('按审核结论') }).describe('法制审核'),
  disputes: z.object({ total: count('合计'), byOutcome: countMap('按协调结果') }).describe('意见分歧协调'),
  publications: timeliness('执法决定公开'),
  filings: timeliness('重大行政处罚备案'),
  transfers: count('移送司法机关'),
});

export const statisticsSubmissionSchema = z.object({
  /** The figures as submitted: the draft, or the agency's corrections of it. */
  figures: statisticsFiguresSchema.optional().describe('统计数据：不填则按系统草拟的数据报送'),
  note: z.string().trim().max(5_000).default('').describe('说明'),
});

export const selfInspectionSchema = z.object({
  summary: text(20_000).describe('自查情况：对执法公示、执法全过程记录、重大执法决定法制审核制度的“回头看”'),
  problems: z.array(text(1_000)).max(100).default([]).describe('存在问题'),
  measures: z.array(text(1_000)).max(100).default([]).describe('整改措施'),
});

export const caseFileReviewSchema = z.object({
  quarter: z.number().int().min(1, '须为1至4').max(4, '须为1至4').describe('季度'),
  files: z
    .array(
      z.object({
        ref: text(200).describe('案卷'),
        score: z.number().min(0, '须在0至100之间').max(100, '须在0至100之间').describe('得分'),
        reviewer: z.string().trim().max(100).optional().describe('评查人'),
      }),
    )
    .min(1, '至少录入一份案卷')
    .max(500)
    .describe('评查案卷'),
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
