/**
 * Legal review of major enforcement decisions (重大执法决定法制审核): the request bodies as zod
 * schemas (API validation, TypeScript types, OpenAPI), built on the rules of
 * domain/legal-review-rules.ts, which this module re-exports so callers find both here.
 * The API validates every body with these before it reaches the workflow; the workflow's Update
 * validators check what only the workflow knows (role, agency, stage, state-dependent rules).
 */
import { z } from 'zod';
import './zod-locale.js';
import { creditCodeProblem, idNumberProblem } from './identifiers.js';
import { isIsoDate } from './shanghai-time.js';
import type { ActionName } from '../workflows/legal-review-messages.js';
import { CATEGORIES, PROCEDURES, MAJOR_GROUNDS, CHECK_IDS, CONCLUSIONS, COORDINATION_OUTCOMES, COORDINATION_FORUMS, type Category, opinionProblems, type CheckId, type Conclusion, type CoordinationOutcome } from './legal-review-rules.js';

export * from './legal-review-rules.js';

// ---------------------------------------------------------------------------------------------
// Request bodies. One zod schema each: API validation, TypeScript type and OpenAPI document.

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDate = z
  .string()
  .refine(isIsoDate, '须为 YYYY-MM-DD 格式的日期')
  // The calendar's years (GET /api/calendar/{year}): a record dated outside them is a typing error.
  .refine((date) => date >= '2000-01-01' && date <= '2100-12-31', '须在日历的年份范围（2000年至2100年）之内');

/** A string checked by one of domain/identifiers.ts's checks, whose message the field's label precedes. */
const identifier = (problem: (value: string) => string | undefined) =>
  z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const found = problem(value);
      if (found) ctx.addIssue({ code: 'custom', message: found });
    });

export const partySchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('person').describe('类型：person 公民'),
    name: text(100).describe('姓名'),
    /** Kept in the case, never shown to the public. */
    idNumber: identifier(idNumberProblem).describe('居民身份证号码：18位，校验码与出生日期按 GB 11643-1999 核验'),
  }),
  z.object({
    type: z.literal('organisation').describe('类型：organisation 法人或其他组织'),
    name: text(200).describe('名称'),
    creditCode: identifier(creditCodeProblem).describe('统一社会信用代码：18位，校验码按 GB 32100-2015 核验'),
    legalRepresentative: text(100).optional().describe('法定代表人'),
  }),
]);

export const officerSchema = z.object({
  name: text(50).describe('姓名'),
  certificateNumber: text(40).describe('行政执法证件号'),
});

export const submissionSchema = z
  .object({
    caseNumber: z
      .string()
      .trim()
      .min(1)
      .max(80)
      .regex(/^[^/\\?#%]+$/, '不得含有 / \\ ? # % 字符')
      .describe('案件编号：本单位内唯一，如 市监罚〔2026〕12号'),
    title: text(200).describe('案件名称'),
    category: z.enum(Object.keys(CATEGORIES) as [Category, ...Category[]]).describe('执法类别'),
    procedure: z.enum(Object.keys(PROCEDURES) as [keyof typeof PROCEDURES, ...(keyof typeof PROCEDURES)[]]).describe('执法程序'),
    majorGrounds: z
      .array(z.enum(Object.keys(MAJOR_GROUNDS) as [keyof typeof MAJOR_GROUNDS, ...(keyof typeof MAJOR_GROUNDS)[]]))
      .min(1, '至少选择一项构成重大执法决定的情形')
      .refine((a) => new Set(a).size === a.length, '情形不得重复')
      .describe('重大执法决定情形'),
    majorPenalty: z.boolean().describe('是否重大行政处罚：是则须在决定后15日内备案'),
    party: partySchema.describe('当事人'),
    facts: text(20_000).describe('案件事实'),
    evidence: z.array(text(500)).min(1).max(500).describe('证据清单'),
    legalBasis: text(5_000).describe('法律依据'),
    discretionBenchmark: text(2_000).describe('适用的裁量基准'),
    proposedDecision: text(5_000).describe('拟作出的执法决定'),
    officers: z.array(officerSchema).min(2, '至少两名').max(20).describe('执法人员：承办案件的执法人员及其执法证件号'),
  })
  .superRefine((s, ctx) => {
    if (s.majorPenalty && s.category !== 'penalty') {
      ctx.addIssue({ code: 'custom', path: ['majorPenalty'], message: '只有行政处罚才能是重大行政处罚' });
    }
    if (s.procedure === 'hearing' && !s.majorGrounds.includes('hearing')) {
      ctx.addIssue({ code: 'custom', path: ['majorGrounds'], message: '经过听证程序作出的决定须选择“经过听证程序作出”（hearing）情形' });
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
        party: { type: 'organisation', name: '某超市有限公司', creditCode: '91330000MA00000007' },
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
  check: z.enum(CHECK_IDS as [CheckId, ...CheckId[]]).describe('审核项'),
  passed: z.boolean().describe('是否通过'),
  note: z.string().trim().max(2_000).default('').describe('说明'),
});

export const opinionSchema = z
  .object({
    checks: z.array(checkResultSchema).length(8, '须逐项记录八项审核内容').describe('审核项'),
    conclusion: z.enum(Object.keys(CONCLUSIONS) as [Conclusion, ...Conclusion[]]).describe('结论'),
    opinion: text(10_000).describe('审核意见书'),
    requiredChanges: z.string().trim().max(5_000).optional().describe('修改要求：结论为修改后同意（pass-with-changes）时必填'),
  })
  // The legal consistency of the opinion: the same pure function the giveOpinion validator calls.
  .superRefine((o, ctx) => {
    for (const problem of opinionProblems(o)) ctx.addIssue({ code: 'custom', ...problem });
  });
export type Opinion = z.output<typeof opinionSchema>;

export const requestMaterialSchema = z.object({
  items: z.array(text(500)).min(1).max(50).describe('补充材料清单'),
  note: z.string().trim().max(2_000).default('').describe('说明'),
});
export const supplyMaterialSchema = z.object({
  note: text(5_000).describe('补充说明'),
  documents: z.array(text(500)).max(200).default([]).describe('补充的材料'),
});
export const extendReviewSchema = z.object({ reason: text(2_000).describe('延长理由') });
export const acceptOpinionSchema = z.object({
  note: z.string().trim().max(5_000).default('').describe('说明'),
  changesMade: z.string().trim().max(5_000).optional().describe('修改情况：审核意见要求修改时，说明如何修改'),
});
export const disputeOpinionSchema = z.object({ reasons: text(10_000).describe('异议理由') });
export const coordinationSchema = z.object({
  outcome: z.enum(Object.keys(COORDINATION_OUTCOMES) as [CoordinationOutcome, ...CoordinationOutcome[]]).describe('协调结果'),
  forum: z.enum(Object.keys(COORDINATION_FORUMS) as [keyof typeof COORDINATION_FORUMS, ...(keyof typeof COORDINATION_FORUMS)[]]).describe('协调方式'),
  participants: z.array(text(100)).min(1).max(50).describe('参加人员：含法律顾问、公职律师'),
  minutes: text(20_000).describe('会议纪要'),
  reasons: text(10_000).describe('协调理由'),
});
export const resubmitSchema = z.object({
  changes: text(10_000).describe('修改内容'),
  documents: z.array(text(500)).max(200).default([]).describe('修改后的材料'),
});
export const decideSchema = z.object({
  decision: text(10_000).describe('执法决定：作出的决定内容'),
  documentNumber: text(80).describe('决定书文号'),
});
export const publicationSchema = z.object({
  publishedOn: isoDate.describe('公示日期：北京时间'),
  channel: text(200).describe('公示渠道：如 县政府门户网站 行政执法公示专栏'),
  url: z.url().optional().describe('公示网址'),
});
export const filingSchema = z.object({
  fileNumber: text(80).describe('备案号'),
  filedOn: isoDate.describe('备案日期：报县司法局备案之日'),
});
export const withdrawSchema = z.object({ reason: text(2_000).describe('撤回理由') });
/**
 * Published information is updated or taken down (002 §二(一)3(2)): a corrected text of the decision
 * as published, or its withdrawal (e.g. after the decision was revoked), with the reason.
 */
export const publicationCorrectionSchema = z.object({
  kind: z.enum(['update', 'withdraw']).describe('更正方式：update 公示更正后的内容，withdraw 撤下'),
  reason: text(2_000).describe('理由：更正或撤下的理由'),
  text: z.string().trim().min(1).max(10_000).optional().describe('更正后的公示内容：更正（update）时填写'),
  channel: z.string().trim().min(1).max(200).optional().describe('公示渠道'),
  url: z.url().optional().describe('公示网址'),
});
export const transferRecordSchema = z.object({
  organ: text(200).describe('接收移送的司法机关'),
  transferredOn: isoDate.describe('移送日期'),
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
