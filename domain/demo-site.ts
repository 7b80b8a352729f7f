/**
 * Demonstration sites (示范点创建): the request bodies as zod schemas, built on the rules of
 * domain/demo-site-rules.ts, which this module re-exports so callers find both here.
 */
import { z } from 'zod';
import { isIsoDate } from './shanghai-time.js';
import { scoreSheetSchema } from './demo-site-scoring.js';
import { REVOCATION_GROUNDS } from './demo-site-rules.js';
import type { SiteActionName } from '../workflows/demo-site-messages.js';

export * from './demo-site-rules.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDate = z
  .string()
  .refine(isIsoDate, 'must be a date YYYY-MM-DD')
  // The calendar's years (GET /api/calendar/{year}): a record dated outside them is a typing error.
  .refine((date) => date >= '2000-01-01' && date <= '2100-12-31', 'must lie in the calendar’s years 2000..2100');

/** 附件1 舞阳县行政执法责任制示范点申报表, plus the creation plan and progress ledger. */
export const applicationSchema = z.object({
  unitName: text(200).describe('申报单位名称'),
  unitLevel: text(50).describe('申报单位级别, e.g. 正科级'),
  address: text(300).describe('申报单位地址'),
  pastThreeYearsWork: text(20_000).describe('近三年行政执法责任制工作情况'),
  unitOpinion: text(5_000).describe('申报单位意见'),
  creationPlan: text(2_000).describe('创建方案: a document reference or the text'),
  progressLedger: text(2_000).describe('工作推进台账: a document reference or the text'),
});

export const screeningSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('target'), note: z.string().trim().max(5_000).default('') }),
  z.object({ decision: z.literal('reject'), reason: text(5_000) }),
]);

export const recommendationSchema = z.object({
  agencyIds: z.array(z.string().min(1)).min(1).max(10).describe('the 2-3 targets recommended to the city office'),
  opinion: text(5_000).describe('推荐单位意见 (附件2)'),
});

export const visitSchema = z.object({
  visitedOn: isoDate,
  people: z.array(text(100)).min(1).max(30),
  findings: text(10_000),
  followUps: z.string().trim().max(10_000).default(''),
});

export const acceptanceMethodsSchema = z.object({
  reportHeard: text(5_000).describe('1 听取汇报'),
  materialsRead: text(5_000).describe('2 查阅资料'),
  siteVisit: text(5_000).describe('5 实地察看, including unannounced visits'),
  partyCallBacks: z.array(text(500)).max(50).default([]).describe('回访行政相对人 (no contact details)'),
});

export const noticeSchema = z.object({
  agencyIds: z.array(z.string().min(1)).min(1).max(50),
  channel: text(200).describe('where the list is published, e.g. 县政府门户网站'),
});

export const objectionSchema = z.object({
  text: text(5_000).describe('the objection'),
  name: z.string().trim().max(100).optional().describe('the objector, if they give it'),
  contact: z.string().trim().max(100).optional().describe('phone or e-mail: seen by the office only, never published'),
});

export const objectionResolutionSchema = z.object({
  outcome: z.enum(['uphold', 'dismiss']),
  reasons: text(5_000),
});

/** The same, addressed to one objection (the API takes its number from the path). */
export const resolveObjectionSchema = objectionResolutionSchema.extend({ objectionId: z.number().int().min(1) });

/** One site's part of the published list. */
export const startNoticeSchema = z.object({ channel: text(200) });

export const confirmationSchema = z.object({ note: z.string().trim().max(2_000).default('') });

export const reinspectionSchema = z.object({
  inspectedOn: isoDate,
  passed: z.boolean(),
  findings: text(10_000),
});

export const revocationSchema = z.object({
  ground: z.enum(Object.keys(REVOCATION_GROUNDS) as [keyof typeof REVOCATION_GROUNDS, ...(keyof typeof REVOCATION_GROUNDS)[]]),
  details: text(10_000),
});

/** 纳入年度依法行政考核: the office records the effect on the agency's annual assessment. */
export const assessmentSchema = z.object({
  assessmentYear: z.number().int().min(2000).max(2100),
  effect: z.enum(['bonus', 'deduction']),
  points: z.number().min(0).max(100),
  reason: text(2_000),
});

export { scoreSheetSchema } from './demo-site-scoring.js';

/** 组织验收: the five methods' record and the score sheet against the provincial standard. */
export const acceptanceSchema = z.object({
  acceptedOn: isoDate.describe('the day of the acceptance visit'),
  methods: acceptanceMethodsSchema,
  scoreSheet: scoreSheetSchema,
});

/**
 * Each site action's body, beside its row of the procedure's table (domain/procedures/demo-site.ts):
 * the API validates with it and documents it. Keyed by the action, so a row without a body fails to
 * compile. resolveObjection's body is the resolution; the objection's number is the path's.
 */
export const DEMO_SITE_BODIES: Record<SiteActionName, z.ZodType> = {
  screen: screeningSchema,
  recordVisit: visitSchema,
  recordAcceptance: acceptanceSchema,
  startNotice: startNoticeSchema,
  resolveObjection: objectionResolutionSchema,
  confirm: confirmationSchema,
  reinspect: reinspectionSchema,
  revoke: revocationSchema,
  recordAssessment: assessmentSchema,
};
