/**
 * One durable workflow per major enforcement decision (重大执法决定法制审核), from submission to
 * publication and filing. The state machine is the ACTIONS table below; every deadline comes from
 * the calendar activities (working days with holidays and 调休); every action, reminder and
 * escalation lands in the full-process record (全过程记录).
 */
import type { UpdateDefinition } from '@temporalio/common';
import { allHandlersFinished, condition, log, patched, proxyActivities, setHandler, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { CaseEvent, CaseEventBody } from './agency-duties-messages.js';
import type { z } from 'zod';
import type { Activities } from '../activities/index.js';
import type {
  acceptOpinionSchema,
  coordinationSchema,
  decideSchema,
  disputeOpinionSchema,
  extendReviewSchema,
  filingSchema,
  opinionSchema,
  publicationSchema,
  requestMaterialSchema,
  resubmitSchema,
  supplyMaterialSchema,
  transferRecordSchema,
  withdrawSchema,
} from '../domain/legal-review.js';
import { CONCLUSIONS, COORDINATION_OUTCOMES, FILING_CALENDAR_DAYS, publicationWorkingDays } from '../domain/legal-review-rules.js';
import type { Actor, Recipient, Role } from '../domain/roles.js';
import { shanghaiDateOf } from '../domain/shanghai-time.js';
import { SA } from '../platform/search-attributes.js';
import {
  actions,
  DEADLINE_LABELS,
  LEGAL_REVIEW_KIND,
  STAGES,
  stateQuery,
  submittedUpdate,
  TERMINAL_STAGES,
  timelineQuery,
  type ActionName,
  type DeadlineName,
  type LegalReviewInput,
  type LegalReviewState,
  type Stage,
  type TimelineEntry,
  caseSummary,
} from './legal-review-messages.js';
import { calendar } from './calendar.js';
import { deadlineTimers } from './deadline-timers.js';
import { refuse } from './refuse.js';
import { refusalOf } from '../domain/procedure.js';
import { LEGAL_REVIEW } from '../domain/procedures/legal-review.js';

const ledger = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

/** Who must act in each open stage (the search attribute EsAwaiting). */
const AWAITING: Record<Stage, Role | null> = {
  'under-review': 'legal-review',
  'awaiting-material': 'agency',
  'awaiting-response': 'agency',
  'in-coordination': 'agency-head',
  'awaiting-revision': 'agency',
  'awaiting-decision': 'agency-head',
  'awaiting-transfer': 'agency',
  decided: 'agency',
  closed: null,
  'not-approved': null,
  transferred: null,
  withdrawn: null,
};


export async function legalReviewWorkflow(input: LegalReviewInput): Promise<LegalReviewState> {
  const { policy, agencyId, submission } = input;
  const nowIso = () => new Date().toISOString();
  const today = () => shanghaiDateOf(Date.now());
  const agencyRecipient = (role: 'agency' | 'legal-review' | 'agency-head'): Recipient => ({ role, agencyId });

  const state: LegalReviewState = {
    caseId: input.caseId,
    agencyId,
    agencyName: input.agencyName,
    submission,
    submittedAt: nowIso(),
    stage: 'under-review',
    stageLabel: STAGES['under-review'],
    awaiting: 'legal-review',
    round: 1,
    extensionUsed: false,
    opinions: [],
    coordinations: [],
    deadlines: [],
    overdue: false,
    nextDueAt: null,
  };
  const timeline: TimelineEntry[] = [];
  /** Bumped by every change so the main loop re-plans its timers. */
  let version = 0;

  const record = (by: Actor | 'system', action: string, summary: string, words?: string, data?: unknown) => {
    timeline.push({ at: nowIso(), by, action, summary, ...(words ? { words } : {}), ...(data === undefined ? {} : { data }) });
  };

  /** A post-decision duty for the compliance overview: done on time or late, still open, or overdue. */
  const dutyStatus = (name: 'publication' | 'filing', done?: { late: boolean }) => {
    if (done) return done.late ? 'late' : 'on-time';
    return state.deadlines.find((d) => d.name === name)?.overdue ? 'overdue' : 'pending';
  };

  const refreshIndex = () => {
    const open = state.deadlines.filter((d) => !d.met);
    state.overdue = open.some((d) => d.overdue);
    state.nextDueAt = open.map((d) => d.dueAt).sort()[0] ?? null;
    state.awaiting = AWAITING[state.stage];
    state.stageLabel = STAGES[state.stage];
    upsertSearchAttributes([
      { key: SA.stage, value: state.stage },
      { key: SA.awaiting, value: state.awaiting ?? 'none' },
      { key: SA.overdue, value: state.overdue },
      { key: SA.nextDueAt, value: state.nextDueAt ? new Date(state.nextDueAt) : null },
      ...(state.decision
        ? [
            { key: SA.publication, value: dutyStatus('publication', state.publication) },
            ...(submission.majorPenalty ? [{ key: SA.filing, value: dutyStatus('filing', state.filing) }] : []),
          ]
        : []),
    ]);
    upsertMemo({ summary: caseSummary(state) });
    version++;
  };

  const moveTo = (stage: Stage) => {
    state.stage = stage;
    // Leaving a stage ends its deadline; post-decision duties stay as the record of on-time or late.
    timers.retain((d) => d.name === 'publication' || d.name === 'filing');
    refreshIndex();
  };

  const timers = deadlineTimers<DeadlineName>({
    get: () => state.deadlines,
    set: (deadlines) => {
      state.deadlines = deadlines;
    },
    policy,
    subjectRef: { type: 'legal-review', id: input.caseId },
    describe: () => `${submission.title}（${submission.caseNumber}）`,
    ownerName: input.agencyName,
    label: (name) => DEADLINE_LABELS[name],
    record: (action, summary, data) => record('system', action, summary, undefined, data),
    changed: () => refreshIndex(),
    onOverdue: (d) => {
      if (d.name === 'publication' || d.name === 'filing') report({ type: 'duty-overdue', caseId: input.caseId, on: today(), duty: d.name });
    },
  });
  const openDeadline = timers.open;

  // Outcomes go to the agency's ledger (statistics report, compliance overview). Cases that started
  // before this existed keep their recorded histories: the patch marks where reporting begins.
  const reports = new Set<Promise<void>>();
  // Each report is numbered by the case (state.reportSeq), so the ledger keys it by its source
  // rather than its content; reports recorded before the numbering keep their unnumbered input.
  const report = (event: CaseEventBody) => {
    if (!patched('report-to-agency-ledger')) return;
    let numbered: CaseEvent = event;
    if (patched('ledger-event-source')) {
      state.reportSeq = (state.reportSeq ?? 0) + 1;
      numbered = { ...event, source: workflowInfo().workflowId, seq: state.reportSeq };
    }
    const sent = ledger.reportCaseEvent({ agencyId, event: numbered }).finally(() => reports.delete(sent));
    reports.add(sent);
  };
  const deadline = timers.get;


  // ------------------------------------------------------------------------------------------
  // Validators: the procedure's table (domain/procedures/legal-review.ts) decides who may take an
  // action, in which stage and under which rules; the API checked the body's shape with the same
  // table's schemas. A refusal writes nothing to the history.

  const on = <B>(action: ActionName, handler: (actor: Actor, body: B) => Promise<void> | void) => {
    setHandler(
      actions[action] as unknown as UpdateDefinition<LegalReviewState, [Actor, B]>,
      async (actor: Actor, body: B) => {
        await handler(actor, body);
        return state;
      },
      {
        validator: (actor: Actor, body: B) => {
          const refusal = refusalOf(LEGAL_REVIEW, action, state, actor, body, today());
          if (refusal) refuse(refusal.type, refusal.message, refusal.details);
        },
      },
    );
  };

  // ------------------------------------------------------------------------------------------
  // The procedure.

  on<z.output<typeof requestMaterialSchema>>('requestMaterial', async (actor, body) => {
    const review = deadline('review');
    moveTo('awaiting-material');
    record(actor, 'requestMaterial', '退回补充材料', body.note, { items: body.items });
    // The review clock stops while the agency gathers material (补充材料时间不计入审核期限).
    if (review) {
      const left = await calendar(input.policy).calendarWorkingDaysBetween({ from: today(), to: review.dueDate });
      state.pausedReviewWorkingDays = Math.max(left.workingDays, 1);
    }
    await openDeadline('material', agencyRecipient('agency'), today(), { workingDays: policy.materialWorkingDays });
  });

  on<z.output<typeof supplyMaterialSchema>>('supplyMaterial', async (actor, body) => {
    moveTo('under-review');
    record(actor, 'supplyMaterial', '补充材料后重新送审', body.note, { documents: body.documents });
    const days = state.pausedReviewWorkingDays ?? policy.reviewWorkingDays;
    state.pausedReviewWorkingDays = undefined;
    await openDeadline('review', agencyRecipient('legal-review'), today(), { workingDays: days });
  });

  on<z.output<typeof extendReviewSchema>>(
    'extendReview',
    async (actor, body) => {
      const review = deadline('review')!;
      state.extensionUsed = true;
      const due = await openDeadline('review', agencyRecipient('legal-review'), review.dueDate, { workingDays: policy.extensionWorkingDays });
      record(actor, 'extendReview', `审核期限延长至 ${due.dueDate}`, body.reason, { from: review.dueDate, to: due.dueDate });
    },
  );

  on<z.output<typeof opinionSchema>>(
    'giveOpinion',
    async (actor, body) => {
      state.opinions.push({ ...body, round: state.round, givenAt: nowIso(), by: actor });
      moveTo('awaiting-response');
      const failed = body.checks.filter((c) => !c.passed).map((c) => c.check);
      report({ type: 'opinion', caseId: input.caseId, on: today(), conclusion: body.conclusion });
      record(actor, 'giveOpinion', `出具审核意见：${CONCLUSIONS[body.conclusion]}`, body.opinion, { conclusion: body.conclusion, failedChecks: failed, checks: body.checks });
      await openDeadline('response', agencyRecipient('agency'), today(), { workingDays: policy.responseWorkingDays });
    },
  );

  const lastOpinion = () => state.opinions[state.opinions.length - 1]!;

  /** Where an opinion leads once it binds (accepted by the agency, or upheld in coordination). */
  const followOpinion = async (how: 'review-passed' | 'coordination-upheld-pass') => {
    const conclusion = lastOpinion().conclusion;
    if (conclusion === 'pass' || conclusion === 'pass-with-changes') {
      state.decisionBasis = how;
      moveTo('awaiting-decision');
      await openDeadline('decision', agencyRecipient('agency-head'), today(), { workingDays: policy.decisionWorkingDays });
    } else if (conclusion === 'transfer') {
      moveTo('awaiting-transfer');
      await openDeadline('transfer', agencyRecipient('agency'), today(), { workingDays: policy.responseWorkingDays });
    } else {
      moveTo('not-approved');
      record('system', 'closed', '审核未通过，不得作出决定（未经法制审核或者审核未通过的，不得作出决定）');
    }
  };

  on<z.output<typeof acceptOpinionSchema>>(
    'acceptOpinion',
    async (actor, body) => {
      record(actor, 'acceptOpinion', '承办机构采纳审核意见', [body.note, body.changesMade].filter(Boolean).join('\n'), body.changesMade ? { changesMade: body.changesMade } : undefined);
      await followOpinion('review-passed');
    },
  );

  on<z.output<typeof disputeOpinionSchema>>(
    'disputeOpinion',
    async (actor, body) => {
      moveTo('in-coordination');
      report({ type: 'disputed', caseId: input.caseId, on: today() });
      record(actor, 'disputeOpinion', '承办机构对审核意见有异议，提请协调', body.reasons);
      await openDeadline('coordination', agencyRecipient('agency-head'), today(), { workingDays: policy.coordinationWorkingDays });
    },
  );

  on<z.output<typeof coordinationSchema>>(
    'coordinate',
    async (actor, body) => {
      const disputes = timeline.filter((e) => e.action === 'disputeOpinion');
      state.coordinations.push({ ...body, round: state.round, disputeReasons: disputes[disputes.length - 1]?.words ?? '', decidedAt: nowIso(), by: actor });
      report({ type: 'coordinated', caseId: input.caseId, on: today(), outcome: body.outcome });
      record(actor, 'coordinate', `协调结果：${COORDINATION_OUTCOMES[body.outcome]}`, body.reasons, { forum: body.forum, participants: body.participants, minutes: body.minutes });
      if (body.outcome === 'overrule') {
        state.decisionBasis = 'coordination-overruled';
        moveTo('awaiting-decision');
        await openDeadline('decision', agencyRecipient('agency-head'), today(), { workingDays: policy.decisionWorkingDays });
      } else if (body.outcome === 'uphold') {
        await followOpinion('coordination-upheld-pass');
      } else {
        moveTo('awaiting-revision');
        await openDeadline('revision', agencyRecipient('agency'), today(), { workingDays: policy.materialWorkingDays });
      }
    },
  );

  on<z.output<typeof resubmitSchema>>('resubmit', async (actor, body) => {
    state.round += 1;
    state.extensionUsed = false;
    moveTo('under-review');
    record(actor, 'resubmit', `修改后重新送审（第 ${state.round} 轮审核）`, body.changes, { documents: body.documents });
    await openDeadline('review', agencyRecipient('legal-review'), today(), { workingDays: policy.reviewWorkingDays });
  });

  on<z.output<typeof decideSchema>>(
    'decide',
    async (actor, body) => {
      const decidedOn = today();
      state.decision = { ...body, decidedOn, decidedAt: nowIso(), by: actor };
      moveTo('decided');
      report({ type: 'decided', caseId: input.caseId, on: decidedOn, category: submission.category, procedure: submission.procedure, majorPenalty: submission.majorPenalty });
      record(actor, 'decide', `作出执法决定 ${body.documentNumber}`, body.decision, { basis: state.decisionBasis });
      await openDeadline('publication', agencyRecipient('agency'), decidedOn, { workingDays: publicationWorkingDays(submission.category) });
      if (submission.majorPenalty) {
        await openDeadline('filing', agencyRecipient('agency'), decidedOn, { calendarDays: FILING_CALENDAR_DAYS });
      }
    },
  );

  on<z.output<typeof transferRecordSchema>>(
    'recordTransfer',
    (actor, body) => {
      state.transfer = { ...body, recordedAt: nowIso() };
      moveTo('transferred');
      report({ type: 'transferred', caseId: input.caseId, on: today() });
      record(actor, 'recordTransfer', `移送${body.organ}（${body.letterNumber}），不作出行政决定`, undefined, body);
    },
  );

  const closeIfDone = () => {
    const publicationDone = Boolean(state.publication);
    const filingDone = !submission.majorPenalty || Boolean(state.filing);
    if (publicationDone && filingDone) {
      moveTo('closed');
      record('system', 'closed', '公开与备案均已完成，案件办结');
    } else {
      refreshIndex();
    }
  };

  on<z.output<typeof publicationSchema>>(
    'recordPublication',
    (actor, body) => {
      const due = deadline('publication')!;
      const late = timers.meet('publication', body.publishedOn);
      state.publication = { ...body, late, recordedAt: nowIso() };
      report({ type: 'published', caseId: input.caseId, on: body.publishedOn, late });
      record(actor, 'recordPublication', late ? `逾期公开（应于 ${due.dueDate} 前）` : '按时公开', undefined, body);
      closeIfDone();
    },
  );

  on<z.output<typeof filingSchema>>(
    'recordFiling',
    (actor, body) => {
      const due = deadline('filing')!;
      const late = timers.meet('filing', body.filedOn);
      state.filing = { ...body, late, recordedAt: nowIso() };
      report({ type: 'filed', caseId: input.caseId, on: body.filedOn, late });
      record(actor, 'recordFiling', late ? `逾期备案（应于 ${due.dueDate} 前）` : '按时备案', undefined, body);
      closeIfDone();
    },
  );

  on<z.output<typeof withdrawSchema>>('withdraw', (actor, body) => {
    state.withdrawal = { reason: body.reason, at: nowIso() };
    moveTo('withdrawn');
    record(actor, 'withdraw', '承办机构撤回送审', body.reason);
  });

  let opened = false;
  setHandler(submittedUpdate, async () => {
    await condition(() => opened);
    return state;
  });
  setHandler(stateQuery, () => state);
  setHandler(timelineQuery, () => timeline);

  // ------------------------------------------------------------------------------------------

  upsertSearchAttributes([
    { key: SA.kind, value: LEGAL_REVIEW_KIND },
    { key: SA.agencyId, value: agencyId },
  ]);
  record(input.submittedBy, 'submit', `送审：${submission.title}（${submission.caseNumber}）`, submission.proposedDecision, { majorGrounds: submission.majorGrounds });
  await openDeadline('review', agencyRecipient('legal-review'), today(), { workingDays: policy.reviewWorkingDays });
  opened = true;

  while (!TERMINAL_STAGES.includes(state.stage)) {
    const seen = version;
    const wakeAt = timers.nextWakeAt();
    const changed = await condition(() => version !== seen, wakeAt === undefined ? undefined : Math.max(wakeAt - Date.now(), 1));
    if (!changed) await timers.fireDue();
  }
  log.info('case closed', { caseId: input.caseId, stage: state.stage });
  await timers.drain();
  await Promise.all(reports);
  await condition(allHandlersFinished);
  return state;
}
