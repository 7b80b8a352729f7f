/**
 * What the benchmark submits and does to a case: the same bodies the tests use, tokens minted with
 * the API's secret, and the floor's update-with-start built exactly as POST /api/decisions builds it.
 */
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { submissionSchema, type Submission } from '../../domain/legal-review.js';
import type { Actor, Role } from '../../domain/roles.js';
import type { Agency } from '../../platform/agencies.js';
import type { Config } from '../../platform/config.js';
import { SA } from '../../platform/search-attributes.js';
import { mintToken } from '../../platform/tokens.js';
import { caseIdOf, LEGAL_REVIEW_KIND, legalReviewWorkflowId, submittedUpdate, type LegalReviewInput, type LegalReviewState } from '../../workflows/legal-review-messages.js';

/** A submission like the tests' sample, with a case number unique to this run. */
export function submission(caseNumber: string): Submission {
  return {
    caseNumber,
    title: '某食品公司销售过期食品案',
    category: 'penalty',
    procedure: 'general',
    majorGrounds: ['major-rights'],
    majorPenalty: true,
    party: { type: 'organisation', name: '某食品有限公司', creditCode: '91330000MA00000000' },
    facts: '2026年11月，执法人员在检查中发现当事人销售超过保质期的食品共计120件。',
    evidence: ['现场检查笔录', '询问笔录', '抽样检验报告'],
    legalBasis: '《中华人民共和国食品安全法》第三十四条、第一百二十四条',
    discretionBenchmark: '县市场监管行政处罚裁量基准 第12项 一般情节',
    proposedDecision: '没收违法所得，并处罚款人民币十万元。',
    officers: [
      { name: '张三', certificateNumber: 'ZJ-33000001' },
      { name: '李四', certificateNumber: 'ZJ-33000002' },
    ],
  };
}

/** A passing opinion with all eight checks. */
export function passingOpinion() {
  const ids = ['lawful-body', 'officer-qualification', 'lawful-procedure', 'facts-and-evidence', 'law-and-discretion', 'within-authority', 'documents-complete', 'no-suspected-crime'];
  return { checks: ids.map((check) => ({ check, passed: true, note: '' })), conclusion: 'pass', opinion: '审核意见：同意' };
}

export const casePath = (caseId: string) => `/api/decisions/${encodeURIComponent(caseId)}`;

/** Bearer headers per role and agency, minted once. */
export class Tokens {
  private readonly cache = new Map<string, Record<string, string>>();
  constructor(private readonly secret: string) {}

  headers(role: Role, agencyId?: string): Record<string, string> {
    const key = `${role}:${agencyId ?? ''}`;
    let h = this.cache.get(key);
    if (!h) {
      const token = mintToken({ secret: this.secret, role, agencyId: role === 'office' ? undefined : agencyId, name: `压测${role}`, expiresIn: '12h' });
      h = { authorization: `Bearer ${token}` };
      this.cache.set(key, h);
    }
    return h;
  }

  /** The actor the API derives from the same token (api/plugins/auth.ts). */
  actor(role: Role, agencyId?: string): Actor {
    return { role, agencyId: role === 'office' ? undefined : agencyId, name: `压测${role}` };
  }
}

/**
 * The floor: the same update-with-start POST /api/decisions sends (same workflow, options, search
 * attributes and input), from the Temporal client directly, without HTTP, JWT or zod in between.
 */
export async function startCaseDirectly(client: Client, config: Config, tokens: Tokens, agency: Agency, caseNumber: string): Promise<LegalReviewState> {
  const body = submissionSchema.parse(submission(caseNumber));
  const caseId = caseIdOf(agency.id, body.caseNumber);
  const input: LegalReviewInput = {
    caseId,
    agencyId: agency.id,
    agencyName: agency.name,
    submission: body,
    submittedBy: tokens.actor('agency', agency.id),
    policy: {
      reviewWorkingDays: config.REVIEW_WORKING_DAYS,
      extensionWorkingDays: config.REVIEW_EXTENSION_WORKING_DAYS,
      materialWorkingDays: config.MATERIAL_WORKING_DAYS,
      responseWorkingDays: config.RESPONSE_WORKING_DAYS,
      coordinationWorkingDays: config.COORDINATION_WORKING_DAYS,
      decisionWorkingDays: config.DECISION_WORKING_DAYS,
      reminderWorkingDaysBefore: config.REMINDER_WORKING_DAYS_BEFORE,
      reminderHour: config.REMINDER_HOUR,
      escalationRepeatWorkingDays: config.ESCALATION_REPEAT_WORKING_DAYS,
    },
  };
  return client.workflow.executeUpdateWithStart(submittedUpdate, {
    startWorkflowOperation: new WithStartWorkflowOperation('legalReviewWorkflow', {
      workflowId: legalReviewWorkflowId(caseId),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
      typedSearchAttributes: [
        { key: SA.kind, value: LEGAL_REVIEW_KIND },
        { key: SA.agencyId, value: agency.id },
        { key: SA.stage, value: 'under-review' },
        { key: SA.awaiting, value: 'legal-review' },
        { key: SA.overdue, value: false },
      ],
    }),
  });
}
