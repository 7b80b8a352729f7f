/**
 * Demonstration sites (示范点创建): the request bodies as zod schemas, built on the rules of
 * domain/demo-site-rules.ts, which this module re-exports so callers find both here.
 */
import { z } from 'zod';
import './zod-locale.js';
import { isIsoDate } from './shanghai-time.js';
import { scoreSheetSchema } from './demo-site-scoring.js';
import { REVOCATION_GROUNDS } from './demo-site-rules.js';
import type { SiteActionName } from '../workflows/demo-site-messages.js';

export * from './demo-site-rules.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDate = z
  .string()
  .refine(isIsoDate, '须为 YYYY-MM-DD 格式的日期')
  // The calendar's years (GET /api/calendar/{year}): a record dated outside them is a typing error.
  .refine((date) => date >= '2000-01-01' && date <= '2100-12-31', '须在日历的年份范围（2000年至2100年）之内');

/** 附件1 舞阳县行政执法责任制示范点申报表, plus the creation plan and progress ledger. */
export const applicationSchema = z.object({
  unitName: text(200).describe('申报单位名称'),
  unitLevel: text(50).describe('申报单位级别：如 正科级'),
  address: text(300).describe('申报单位地址'),
  pastThreeYearsWork: text(20_000).describe('近三年行政执法责任制工作情况'),
  unitOpinion: text(5_000).describe('申报单位意见'),
  creationPlan: text(2_000).describe('创建方案：文件名或正文'),
  progressLedger: text(2_000).describe('工作推进台账：文件名或正文'),
});

export const screeningSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('target').describe('筛选结论：target 列为创建对象'), note: z.string().trim().max(5_000).default('').describe('说明') }),
  z.object({ decision: z.literal('reject').describe('筛选结论：reject 不列为创建对象'), reason: text(5_000).describe('不列入的理由') }),
]);

export const recommendationSchema = z.object({
  agencyIds: z.array(z.string().min(1)).min(1).max(10).describe('推荐单位：向市级推荐的2至3个创建对象'),
  opinion: text(5_000).describe('推荐单位意见：附件2'),
});

export const visitSchema = z.object({
  visitedOn: isoDate.describe('指导日期'),
  people: z.array(text(100)).min(1).max(30).describe('指导人员'),
  findings: text(10_000).describe('指导情况'),
  followUps: z.string().trim().max(10_000).default('').describe('整改跟进'),
});

export const acceptanceMethodsSchema = z.object({
  reportHeard: text(5_000).describe('听取汇报：验收方法1'),
  materialsRead: text(5_000).describe('查阅资料：验收方法2'),
  siteVisit: text(5_000).describe('实地察看：验收方法5，含暗访'),
  partyCallBacks: z.array(text(500)).max(50).default([]).describe('回访行政相对人：不记录联系方式'),
});

export const noticeSchema = z.object({
  agencyIds: z.array(z.string().min(1)).min(1).max(50).describe('公示单位'),
  channel: text(200).describe('公示渠道：如 县政府门户网站'),
});

export const objectionSchema = z.object({
  text: text(5_000).describe('异议内容'),
  name: z.string().trim().max(100).optional().describe('异议人：愿意留名时填写'),
  contact: z.string().trim().max(100).optional().describe('联系方式：电话或电子邮箱，仅县领导小组办公室可见，不公开'),
});

export const objectionResolutionSchema = z.object({
  outcome: z.enum(['uphold', 'dismiss']).describe('处理结果：uphold 异议成立，dismiss 异议不成立'),
  reasons: text(5_000).describe('处理理由'),
});

/** The same, addressed to one objection (the API takes its number from the path). */
export const resolveObjectionSchema = objectionResolutionSchema.extend({ objectionId: z.number().int().min(1).describe('异议编号') });

/** One site's part of the published list. */
export const startNoticeSchema = z.object({ channel: text(200).describe('公示渠道') });

export const confirmationSchema = z.object({ note: z.string().trim().max(2_000).default('').describe('说明') });

export const reinspectionSchema = z.object({
  inspectedOn: isoDate.describe('复查日期'),
  passed: z.boolean().describe('是否通过复查'),
  findings: text(10_000).describe('复查情况'),
});

export const revocationSchema = z.object({
  ground: z.enum(Object.keys(REVOCATION_GROUNDS) as [keyof typeof REVOCATION_GROUNDS, ...(keyof typeof REVOCATION_GROUNDS)[]]).describe('撤销情形'),
  details: text(10_000).describe('撤销情况'),
});

/** 纳入年度依法行政考核: the office records the effect on the agency's annual assessment. */
export const assessmentSchema = z.object({
  assessmentYear: z.number().int().min(2000).max(2100).describe('考核年度'),
  effect: z.enum(['bonus', 'deduction']).describe('加减分：bonus 加分，deduction 扣分'),
  points: z.number().min(0).max(100).describe('分值'),
  reason: text(2_000).describe('理由'),
});

export { scoreSheetSchema } from './demo-site-scoring.js';

/** 组织验收: the five methods' record and the score sheet against the provincial standard. */
export const acceptanceSchema = z.object({
  acceptedOn: isoDate.describe('验收日期：实地验收之日'),
  methods: acceptanceMethodsSchema.describe('验收方法'),
  scoreSheet: scoreSheetSchema.describe('评分表'),
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
