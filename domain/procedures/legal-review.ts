/**
 * The legal-review procedure (重大执法决定法制审核) as one table: every action, who takes it, in which
 * stages, and the rules of 002 §二(三) and 行政处罚法 it must satisfy. The workflow's validators
 * (workflows/legal-review.ts), the API's routes (api/routes/decisions.ts) and the actions offered to
 * the caller (`allowedActions`) all read it. Each action's body schema is beside it, in
 * domain/legal-review.ts (LEGAL_REVIEW_BODIES); its transition is the handler of the same name in
 * the workflow.
 */
import type { LegalReviewState, Stage } from '../../workflows/legal-review-messages.js';
import { STAGES, type ActionName } from '../../workflows/legal-review-messages.js';
import { opinionProblems, TRANSFER_BINDS_MESSAGE } from '../legal-review-rules.js';
import type { Procedure, Refusal } from '../procedure.js';

const OPEN_BEFORE_DECISION: readonly Stage[] = ['under-review', 'awaiting-material', 'awaiting-response', 'in-coordination', 'awaiting-revision', 'awaiting-decision'];

const refusal = (type: Refusal['type'], message: string, details?: unknown): Refusal => ({ type, message, ...(details === undefined ? {} : { details }) });
const lastOpinion = (state: LegalReviewState) => state.opinions[state.opinions.length - 1];

/** A date recorded after the decision: not before it, not in the future. */
function afterDecision(state: LegalReviewState, field: string, label: string, date: unknown, today: string): Refusal | undefined {
  if (typeof date !== 'string') return undefined;
  if (state.decision && date < state.decision.decidedOn) return refusal('RuleViolation', `${label}（${field}）：不能早于决定日期 ${state.decision.decidedOn}`);
  if (date > today) return refusal('RuleViolation', `${label}（${field}）：不能晚于今天`);
  return undefined;
}

export const LEGAL_REVIEW: Procedure<ActionName, LegalReviewState, Stage> = {
  noun: '案件',
  stageLabels: STAGES,
  actions: {
    giveOpinion: {
      path: 'opinion',
      label: '出具审核意见',
      summary: 'Legal-review body records its opinion with the eight checks',
      roles: ['legal-review'],
      stages: ['under-review'],
      check: (_state, body) => {
        const problems = opinionProblems(body);
        return problems.length ? refusal('RuleViolation', problems.map((p) => p.message).join('；'), { problems }) : undefined;
      },
    },
    requestMaterial: {
      path: 'request-material',
      label: '退回补充材料',
      summary: 'Legal-review body returns the case for more material (the review clock pauses)',
      roles: ['legal-review'],
      stages: ['under-review'],
    },
    extendReview: {
      path: 'extend-review',
      label: '延长审核期限',
      summary: 'Legal-review body extends its time limit once, with a reason',
      roles: ['legal-review'],
      stages: ['under-review'],
      when: (state) => (state.extensionUsed ? refusal('InvalidTransition', '延长审核期限：本轮审核已延长过一次，不能再延长') : undefined),
    },
    supplyMaterial: {
      path: 'supply-material',
      label: '补充材料',
      summary: 'Agency supplies the material; the review clock resumes',
      roles: ['agency'],
      stages: ['awaiting-material'],
    },
    acceptOpinion: {
      path: 'accept',
      label: '采纳审核意见',
      summary: 'Agency accepts the opinion',
      roles: ['agency'],
      stages: ['awaiting-response'],
      check: (state, body) =>
        lastOpinion(state)?.conclusion === 'pass-with-changes' && !body.changesMade
          ? refusal('RuleViolation', '修改情况（changesMade）：审核意见要求修改，须说明如何修改')
          : undefined,
    },
    disputeOpinion: {
      path: 'dispute',
      label: '对审核意见提出异议',
      summary: 'Agency disputes the opinion: coordination opens',
      roles: ['agency'],
      stages: ['awaiting-response'],
      when: (state) => (lastOpinion(state)?.conclusion === 'pass' ? refusal('InvalidTransition', '提出异议：审核意见为通过，无异议可提') : undefined),
    },
    coordinate: {
      path: 'coordination',
      label: '记录协调结果',
      summary: 'Agency head (or the county office) records the coordination outcome and minutes',
      roles: ['agency-head', 'office'],
      stages: ['in-coordination'],
      check: (state, body, actor) => {
        if (body.forum === 'county-office' && actor.role !== 'office') return refusal('Forbidden', '记录协调结果：县司法局组织的协调由县领导小组办公室记录');
        if (body.outcome === 'overrule' && lastOpinion(state)?.conclusion === 'transfer') return refusal('RuleViolation', TRANSFER_BINDS_MESSAGE);
        return undefined;
      },
    },
    resubmit: {
      path: 'resubmit',
      label: '修改后重新送审',
      summary: 'Agency resubmits the revised case for a new review round',
      roles: ['agency'],
      stages: ['awaiting-revision'],
    },
    decide: {
      path: 'decision',
      label: '作出执法决定',
      summary: 'Agency head makes the decision (refused unless the review passed or coordination overruled a non-transfer opinion)',
      roles: ['agency-head'],
      stages: ['awaiting-decision'],
      // The hard rule (002 §二(三)): 未经法制审核或者审核未通过的，不得作出决定; and a transfer binds.
      when: (state) => {
        if (!state.decisionBasis) return refusal('InvalidTransition', '作出执法决定：法制审核未通过，不得作出决定');
        if (lastOpinion(state)?.conclusion === 'transfer') return refusal('RuleViolation', TRANSFER_BINDS_MESSAGE);
        return undefined;
      },
    },
    recordTransfer: {
      path: 'transfer',
      label: '记录移送司法机关',
      summary: 'Agency records the transfer to the judicial organs (suspected crime)',
      roles: ['agency'],
      stages: ['awaiting-transfer'],
      check: (_state, body, _actor, today) =>
        typeof body.transferredOn === 'string' && body.transferredOn > today ? refusal('RuleViolation', '移送日期（transferredOn）：不能晚于今天') : undefined,
    },
    recordPublication: {
      path: 'publication',
      label: '记录决定公开',
      summary: 'Agency records the publication of the decision (late ones are recorded as late)',
      roles: ['agency'],
      stages: ['decided'],
      when: (state) => (state.publication ? refusal('InvalidTransition', '记录决定公开：已记录公开') : undefined),
      check: (state, body, _actor, today) => afterDecision(state, 'publishedOn', '公开日期', body.publishedOn, today),
    },
    recordFiling: {
      path: 'filing',
      label: '记录重大行政处罚备案',
      summary: 'Agency records the filing of a major administrative penalty (late ones are recorded as late)',
      roles: ['agency'],
      stages: ['decided'],
      when: (state) => {
        if (!state.submission.majorPenalty) return refusal('InvalidTransition', '记录备案：只有重大行政处罚需要备案');
        if (state.filing) return refusal('InvalidTransition', '记录备案：已记录备案');
        return undefined;
      },
      check: (state, body, _actor, today) => afterDecision(state, 'filedOn', '备案日期', body.filedOn, today),
    },
    correctPublication: {
      path: 'publication-correction',
      label: '更正或撤下公开信息',
      summary: 'Agency publishes a corrected version of the published decision, or takes it down (002 §二(一)3(2)); every version stays in the record',
      roles: ['agency'],
      stages: ['decided', 'closed'],
      when: (state) => {
        if (!state.publication) return refusal('InvalidTransition', '更正或撤下公开信息：决定尚未公开');
        if (state.publication.withdrawn) return refusal('InvalidTransition', '更正或撤下公开信息：公开信息已撤下');
        return undefined;
      },
      check: (_state, body) =>
        body.kind === 'update' && !body.text && !body.channel && !body.url
          ? refusal('RuleViolation', '更正内容（text）：更正须给出更正后的公开内容、渠道或网址')
          : undefined,
    },
    withdraw: {
      path: 'withdraw',
      label: '撤回送审',
      summary: 'Agency withdraws the case before the decision',
      roles: ['agency'],
      stages: OPEN_BEFORE_DECISION,
    },
  },
};
