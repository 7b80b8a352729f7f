/**
 * Legal review of major enforcement decisions (重大执法决定法制审核): the request bodies as zod
 * schemas (API validation, TypeScript types, OpenAPI), built on the rules of
 * domain/legal-review-rules.ts, which this module re-exports so callers find both here.
 * The API validates every body with these before it reaches the workflow; the workflow's Update
 * validators check what only the workflow knows (role, agency, stage, state-dependent rules).
 */
import { z } from 'zod';
import { isIsoDate } from './shanghai-time.js';
import type { ActionName } from '../workflows/legal-review-messages.js';
import { CATEGORIES, PROCEDURES, MAJOR_GROUNDS, CHECK_IDS, CONCLUSIONS, COORDINATION_OUTCOMES, COORDINATION_FORUMS, type Category, opinionProblems, type CheckId, type Conclusion, type CoordinationOutcome } from './legal-review-rules.js';

export * from './legal-review-rules.js';

// ---------------------------------------------------------------------------------------------
// Request bodies. One zod schema each: API validation, TypeScript type and OpenAPI document.

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDate = z
  .string()
  .refine(isIsoDate, 'must be a date YYYY-MM-DD')
  // The calendar's years (GET /api/calendar/{year}): a record dated outside them is a typing error.
  .refine((date) => date >= '2000-01-01' && date <= '2100-12-31', 'must lie in the calendar’s years 2000..2100');

export const partySchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('person'),
    name: text(100),
    /** 居民身份证号码 or other id: kept in the case, never shown to the public. */
    idNumber: text(40),
  }),
  z.object({
    type: z.literal('organisation'),
    name: text(200),
    /** 统一社会信用代码. */
    creditCode: text(40),
    legalRepresentative: text(100).optional(),
  }),
]);

export const officerSchema = z.object({
  name: text(50),
  /** 行政执法证件号. */
  certificateNumber: text(40),
});

export const submissionSchema = z
  .object({
    caseNumber: z
      .string()
      .trim()
      .min(1)
      .max(80)
      .regex(/^[^/\\?#%]+$/, 'must not contain / \\ ? # %')
      .describe('案件编号, unique within the agency, e.g. 市监罚〔2026〕12号'),
    title: text(200).describe('案件名称'),
    category: z.enum(Object.keys(CATEGORIES) as [Category, ...Category[]]).describe('执法类别'),
    procedure: z.enum(Object.keys(PROCEDURES) as [keyof typeof PROCEDURES, ...(keyof typeof PROCEDURES)[]]).describe('执法程序'),
    majorGrounds: z
      .array(z.enum(Object.keys(MAJOR_GROUNDS) as [keyof typeof MAJOR_GROUNDS, ...(keyof typeof MAJOR_GROUNDS)[]]))
      .min(1, 'name at least one ground that makes the decision major')
      .refine((a) => new Set(a).size === a.length, 'grounds must not repeat')
      .describe('重大执法决定情形'),
    majorPenalty: z.boolean().describe('是否重大行政处罚 (then it must be filed within 15 days of the decision)'),
    party: partySchema.describe('当事人'),
    facts: text(20_000).describe('案件事实'),
    evidence: z.array(text(500)).min(1).max(500).describe('证据清单'),
    legalBasis: text(5_000).describe('法律依据'),
    discretionBenchmark: text(2_000).describe('适用的裁量基准'),
    proposedDecision: text(5_000).describe('拟作出的执法决定'),
    officers: z.array(officerSchema).min(2, 'at least two enforcement officers').max(20).describe('承办执法人员及执法证号'),
  })
  .superRefine((s, ctx) => {
    if (s.majorPenalty && s.category !== 'penalty') {
      ctx.addIssue({ code: 'custom', path: ['majorPenalty'], message: 'only a penalty can be a major administrative penalty' });
    }
    if (s.procedure === 'hearing' && !s.majorGrounds.includes('hearing')) {
      ctx.addIssue({ code: 'custom', path: ['majorGrounds'], message: "a decision after a hearing has the ground 'hearing'" });
    }
  })
  .meta({
    examples: [
      {
        caseNumber: '市监罚〔2026〕77号',
        title: '某超市销售过期食品案',
        category: 'penalty',
        procedure: 'general',
        majorGrounds: ['major-rights'],
        majorPenalty: true,
        party: { type: 'organisation', name: '某超市有限公司', creditCode: '91330000MA00000001' },
        facts: '2026年11月3日，执法人员检查发现当事人销售超过保质期的食品共计120件。',
        evidence: ['现场检查笔录', '询问笔录', '抽样检验报告'],
        legalBasis: '《中华人民共和国食品安全法》第三十四条、第一百二十四条',
        discretionBenchmark: '县市场监管行政处罚裁量基准第12项（一般情节）',
        proposedDecision: '没收违法所得，并处罚款人民币五万元。',
        officers: [
          { name: '张三', certificateNumber: 'ZJ-33000001' },
          { name: '李四', certificateNumber: 'ZJ-33000002' },
        ],
      },
    ],
  });
export type Submission = z.output<typeof submissionSchema>;

export const checkResultSchema = z.object({
  check: z.enum(CHECK_IDS as [CheckId, ...CheckId[]]),
  passed: z.boolean(),
  note: z.string().trim().max(2_000).default(''),
});

export const opinionSchema = z
  .object({
    checks: z.array(checkResultSchema).length(8, 'record all eight checks'),
    conclusion: z.enum(Object.keys(CONCLUSIONS) as [Conclusion, ...Conclusion[]]),
    opinion: text(10_000).describe('审核意见书 text'),
    requiredChanges: z.string().trim().max(5_000).optional().describe('required when the conclusion is pass-with-changes'),
  })
  // The legal consistency of the opinion: the same pure function the giveOpinion validator calls.
  .superRefine((o, ctx) => {
    for (const problem of opinionProblems(o)) ctx.addIssue({ code: 'custom', ...problem });
  });
export type Opinion = z.output<typeof opinionSchema>;

export const requestMaterialSchema = z.object({
  items: z.array(text(500)).min(1).max(50).describe('补充材料清单'),
  note: z.string().trim().max(2_000).default(''),
});
export const supplyMaterialSchema = z.object({
  note: text(5_000),
  documents: z.array(text(500)).max(200).default([]),
});
export const extendReviewSchema = z.object({ reason: text(2_000) });
export const acceptOpinionSchema = z.object({
  note: z.string().trim().max(5_000).default(''),
  /** When the opinion required changes: how they were made. */
  changesMade: z.string().trim().max(5_000).optional(),
});
export const disputeOpinionSchema = z.object({ reasons: text(10_000) });
export const coordinationSchema = z.object({
  outcome: z.enum(Object.keys(COORDINATION_OUTCOMES) as [CoordinationOutcome, ...CoordinationOutcome[]]),
  forum: z.enum(Object.keys(COORDINATION_FORUMS) as [keyof typeof COORDINATION_FORUMS, ...(keyof typeof COORDINATION_FORUMS)[]]),
  participants: z.array(text(100)).min(1).max(50).describe('参加人员, including legal advisers / public-sector lawyers'),
  minutes: text(20_000).describe('会议纪要'),
  reasons: text(10_000),
});
export const resubmitSchema = z.object({
  changes: text(10_000).describe('what was revised'),
  documents: z.array(text(500)).max(200).default([]),
});
export const decideSchema = z.object({
  decision: text(10_000).describe('执法决定 as made'),
  documentNumber: text(80).describe('决定书文号'),
});
export const publicationSchema = z.object({
  publishedOn: isoDate.describe('date of publication (Asia/Shanghai)'),
  channel: text(200).describe('where: e.g. 县政府门户网站 行政执法公示专栏'),
  url: z.url().optional(),
});
export const filingSchema = z.object({
  fileNumber: text(80).describe('备案号'),
  filedOn: isoDate.describe('date filed with the county judicial bureau'),
});
export const withdrawSchema = z.object({ reason: text(2_000) });
/**
 * Published information is updated or taken down (002 §二(一)3(2)): a corrected text of the decision
 * as published, or its withdrawal (e.g. after the decision was revoked), with the reason.
 */
export const publicationCorrectionSchema = z.object({
  kind: z.enum(['update', 'withdraw']).describe('update: publish a corrected version; withdraw: take it down'),
  reason: text(2_000).describe('why (更正或撤下的理由)'),
  text: z.string().trim().min(1).max(10_000).optional().describe('the corrected text as published (update)'),
  channel: z.string().trim().min(1).max(200).optional(),
  url: z.url().optional(),
});
export const transferRecordSchema = z.object({
  organ: text(200).describe('接收移送的司法机关'),
  transferredOn: isoDate,
  letterNumber: text(80).describe('移送函文号'),
});

/**
 * Each action's body, beside its row of the procedure's table (domain/procedures/legal-review.ts):
 * the API validates with it and documents it. Keyed by the action, so a row without a body fails to compile.
 */
export const LEGAL_REVIEW_BODIES: Record<ActionName, z.ZodType> = {
  giveOpinion: opinionSchema,
  requestMaterial: requestMaterialSchema,
  extendReview: extendReviewSchema,
  supplyMaterial: supplyMaterialSchema,
  acceptOpinion: acceptOpinionSchema,
  disputeOpinion: disputeOpinionSchema,
  coordinate: coordinationSchema,
  resubmit: resubmitSchema,
  decide: decideSchema,
  recordTransfer: transferRecordSchema,
  recordPublication: publicationSchema,
  recordFiling: filingSchema,
  withdraw: withdrawSchema,
  correctPublication: publicationCorrectionSchema,
};
