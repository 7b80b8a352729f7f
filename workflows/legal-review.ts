/**
 * One durable workflow per major enforcement decision (重大执法决定法制审核), from submission to
 * publication and filing. The state machine is the ACTIONS table below; every deadline comes from
 * the calendar activities (working days with holidays and 调休); every action, reminder and
 * escalation lands in the full-process record (全过程记录).
 */
import { condition, log, patched, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
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
  publicationCorrectionSchema,
} from '../domain/legal-review.js';
import { CONCLUSIONS, COORDINATION_OUTCOMES, FILING_CALENDAR_DAYS, publicationWorkingDays } from '../domain/legal-review-rules.js';
import type { Actor, Recipient, Role } from '../domain/roles.js';
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
import type { Deadline } from './deadline-timers.js';
import { ProcedureRuntime, procedureSearchAttributes, stageFields, type Transitions } from './procedure.js';
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


/**
 * The legal review's transitions, one method per action of its table (domain/procedures/legal-review.ts),
 * over the state the runtime keeps. The runtime validates each Update against the table and runs the
 * method of the same name; the workflow function below only starts the case and waits.
 */
export class LegalReview implements Transitions<typeof actions> {
  readonly rt: ProcedureRuntime<LegalReviewState, DeadlineName>;
  readonly state: LegalReviewState;
  /** Reports to the agency's ledger still being delivered (awaited before the workflow completes). */
  readonly reports = new Set<Promise<void>>();
  /** Outcomes go with the case's records (patch outcomes-in-records), decided once at the start. */
  private readonly outcomesInRecords: boolean;

  constructor(readonly input: LegalReviewInput) {
    const { policy, agencyId, submission } = input;
    // Before the runtime's own patch: a case keeps one way of reporting for all of its life.
    this.outcomesInRecords = patched('outcomes-in-records');
    this.rt = new ProcedureRuntime<LegalReviewState, DeadlineName>({
      kind: LEGAL_REVIEW_KIND,
      state: {
        caseId: input.caseId,
        agencyId,
        agencyName: input.agencyName,
        submission,
        submittedAt: new Date().toISOString(),
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
      },
      timers: {
        policy,
        subjectRef: { type: 'legal-review', id: input.caseId },
        describe: () => `${submission.title}（${submission.caseNumber}）`,
        ownerName: input.agencyName,
        label: (name) => DEADLINE_LABELS[name],
        onOverdue: (d) => {
          if (d.name === 'publication' || d.name === 'filing') this.report({ type: 'duty-overdue', caseId: input.caseId, on: this.rt.today(), duty: d.name });
        },
      },
      derive: stageFields(AWAITING, STAGES),
      index: (state) => ({
        searchAttributes: [
          ...procedureSearchAttributes(state.stage, state.awaiting ?? 'none', state),
          ...(state.decision
            ? [
                { key: SA.publication, value: this.dutyStatus('publication', state.publication) },
                ...(submission.majorPenalty ? [{ key: SA.filing, value: this.dutyStatus('filing', state.filing) }] : []),
              ]
            : []),
        ],
        memo: { summary: caseSummary(state) },
      }),
    });
    this.state = this.rt.state;
  }

  // ------------------------------------------------------------------------------------------
  // The transitions.

  async requestMaterial(actor: Actor, body: z.output<typeof requestMaterialSchema>) {
    const review = this.deadline('review');
    this.moveTo('awaiting-material');
    this.rt.record(actor, 'requestMaterial', '退回补充材料', body.note, { items: body.items });
    // The review clock stops while the agency gathers material (补充材料时间不计入审核期限).
    if (review) {
      const left = await calendar(this.input.policy).calendarWorkingDaysBetween({ from: this.today(), to: review.dueDate });
      this.state.pausedReviewWorkingDays = Math.max(left.workingDays, 1);
    }
    await this.open('material', 'agency', this.today(), { workingDays: this.input.policy.materialWorkingDays });
  }

  async supplyMaterial(actor: Actor, body: z.output<typeof supplyMaterialSchema>) {
    this.moveTo('under-review');
    this.rt.record(actor, 'supplyMaterial', '补充材料后重新送审', body.note, { documents: body.documents });
    const days = this.state.pausedReviewWorkingDays ?? this.input.policy.reviewWorkingDays;
    this.state.pausedReviewWorkingDays = undefined;
    await this.open('review', 'legal-review', this.today(), { workingDays: days });
  }

  async extendReview(actor: Actor, body: z.output<typeof extendReviewSchema>) {
    const review = this.deadline('review')!;
    this.state.extensionUsed = true;
    const due = await this.open('review', 'legal-review', review.dueDate, { workingDays: this.input.policy.extensionWorkingDays });
    this.rt.record(actor, 'extendReview', `审核期限延长至 ${due.dueDate}`, body.reason, { from: review.dueDate, to: due.dueDate });
  }

  async giveOpinion(actor: Actor, body: z.output<typeof opinionSchema>) {
    this.state.opinions.push({ ...body, round: this.state.round, givenAt: this.rt.nowIso(), by: actor });
    this.moveTo('awaiting-response');
    const failed = body.checks.filter((c) => !c.passed).map((c) => c.check);
    this.report({ type: 'opinion', caseId: this.input.caseId, on: this.today(), conclusion: body.conclusion });
    this.rt.record(actor, 'giveOpinion', `出具审核意见：${CONCLUSIONS[body.conclusion]}`, body.opinion, { conclusion: body.conclusion, failedChecks: failed, checks: body.checks });
    await this.open('response', 'agency', this.today(), { workingDays: this.input.policy.responseWorkingDays });
  }

  async acceptOpinion(actor: Actor, body: z.output<typeof acceptOpinionSchema>) {
    this.rt.record(actor, 'acceptOpinion', '承办机构采纳审核意见', [body.note, body.changesMade].filter(Boolean).join('\n'), body.changesMade ? { changesMade: body.changesMade } : undefined);
    await this.followOpinion('review-passed');
  }

  async disputeOpinion(actor: Actor, body: z.output<typeof disputeOpinionSchema>) {
    this.moveTo('in-coordination');
    this.report({ type: 'disputed', caseId: this.input.caseId, on: this.today() });
    this.rt.record(actor, 'disputeOpinion', '承办机构对审核意见有异议，提请协调', body.reasons);
    await this.open('coordination', 'agency-head', this.today(), { workingDays: this.input.policy.coordinationWorkingDays });
  }

  async coordinate(actor: Actor, body: z.output<typeof coordinationSchema>) {
    const disputes = this.rt.timeline.filter((e) => e.action === 'disputeOpinion');
    this.state.coordinations.push({ ...body, round: this.state.round, disputeReasons: disputes[disputes.length - 1]?.words ?? '', decidedAt: this.rt.nowIso(), by: actor });
    this.report({ type: 'coordinated', caseId: this.input.caseId, on: this.today(), outcome: body.outcome });
    this.rt.record(actor, 'coordinate', `协调结果：${COORDINATION_OUTCOMES[body.outcome]}`, body.reasons, { forum: body.forum, participants: body.participants, minutes: body.minutes });
    if (body.outcome === 'overrule') {
      this.state.decisionBasis = 'coordination-overruled';
      this.moveTo('awaiting-decision');
      await this.open('decision', 'agency-head', this.today(), { workingDays: this.input.policy.decisionWorkingDays });
    } else if (body.outcome === 'uphold') {
      await this.followOpinion('coordination-upheld-pass');
    } else {
      this.moveTo('awaiting-revision');
      await this.open('revision', 'agency', this.today(), { workingDays: this.input.policy.materialWorkingDays });
    }
  }

  async resubmit(actor: Actor, body: z.output<typeof resubmitSchema>) {
    this.state.round += 1;
    this.state.extensionUsed = false;
    this.moveTo('under-review');
    this.rt.record(actor, 'resubmit', `修改后重新送审（第 ${this.state.round} 轮审核）`, body.changes, { documents: body.documents });
    await this.open('review', 'legal-review', this.today(), { workingDays: this.input.policy.reviewWorkingDays });
  }

  async decide(actor: Actor, body: z.output<typeof decideSchema>) {
    const { submission } = this.input;
    const decidedOn = this.today();
    this.state.decision = { ...body, decidedOn, decidedAt: this.rt.nowIso(), by: actor };
    this.moveTo('decided');
    this.report({ type: 'decided', caseId: this.input.caseId, on: decidedOn, category: submission.category, procedure: submission.procedure, majorPenalty: submission.majorPenalty });
    this.rt.record(actor, 'decide', `作出执法决定 ${body.documentNumber}`, body.decision, { basis: this.state.decisionBasis });
    await this.open('publication', 'agency', decidedOn, { workingDays: publicationWorkingDays(submission.category) });
    if (submission.majorPenalty) {
      await this.open('filing', 'agency', decidedOn, { calendarDays: FILING_CALENDAR_DAYS });
    }
  }

  recordTransfer(actor: Actor, body: z.output<typeof transferRecordSchema>) {
    this.state.transfer = { ...body, recordedAt: this.rt.nowIso() };
    this.moveTo('transferred');
    this.report({ type: 'transferred', caseId: this.input.caseId, on: this.today() });
    this.rt.record(actor, 'recordTransfer', `移送${body.organ}（${body.letterNumber}），不作出行政决定`, undefined, body);
  }

  recordPublication(actor: Actor, body: z.output<typeof publicationSchema>) {
    const due = this.deadline('publication')!;
    const late = this.rt.timers.meet('publication', body.publishedOn);
    this.state.publication = { ...body, late, recordedAt: this.rt.nowIso() };
    this.report({ type: 'published', caseId: this.input.caseId, on: body.publishedOn, late });
    this.rt.record(actor, 'recordPublication', late ? `逾期公开（应于 ${due.dueDate} 前）` : '按时公开', undefined, body);
    this.closeIfDone();
  }

  recordFiling(actor: Actor, body: z.output<typeof filingSchema>) {
    const due = this.deadline('filing')!;
    const late = this.rt.timers.meet('filing', body.filedOn);
    this.state.filing = { ...body, late, recordedAt: this.rt.nowIso() };
    this.report({ type: 'filed', caseId: this.input.caseId, on: body.filedOn, late });
    this.rt.record(actor, 'recordFiling', late ? `逾期备案（应于 ${due.dueDate} 前）` : '按时备案', undefined, body);
    this.closeIfDone();
  }

  /** A corrected version of the published information, or its withdrawal; every version is kept. */
  correctPublication(actor: Actor, body: z.output<typeof publicationCorrectionSchema>) {
    const publication = this.state.publication!;
    const at = this.rt.nowIso();
    const versions = publication.versions ?? [
      { version: 1, text: this.state.decision!.decision, channel: publication.channel, ...(publication.url ? { url: publication.url } : {}), at: publication.recordedAt },
    ];
    const before = versions[versions.length - 1]!;
    if (body.kind === 'withdraw') {
      publication.withdrawn = { reason: body.reason, at, by: actor };
      publication.versions = versions;
      this.rt.record(actor, 'correctPublication', `撤下公开信息（第 ${before.version} 版）`, body.reason, { kind: 'withdraw', version: before.version });
    } else {
      const next = { version: before.version + 1, text: body.text ?? before.text, channel: body.channel ?? before.channel, ...((body.url ?? before.url) ? { url: body.url ?? before.url } : {}), at, by: actor, reason: body.reason };
      publication.versions = [...versions, next];
      this.rt.record(actor, 'correctPublication', `更正公开信息：第 ${before.version} 版改为第 ${next.version} 版`, body.reason, { kind: 'update', from: before, to: next });
    }
    this.rt.refresh();
  }

  withdraw(actor: Actor, body: z.output<typeof withdrawSchema>) {
    this.state.withdrawal = { reason: body.reason, at: this.rt.nowIso() };
    this.moveTo('withdrawn');
    this.rt.record(actor, 'withdraw', '承办机构撤回送审', body.reason);
  }

  // ------------------------------------------------------------------------------------------
  // What the transitions share.

  /** Opens the first review period (the case's start). */
  openReview() {
    return this.open('review', 'legal-review', this.today(), { workingDays: this.input.policy.reviewWorkingDays });
  }

  private today() {
    return this.rt.today();
  }

  private deadline(name: DeadlineName): Deadline<DeadlineName> | undefined {
    return this.rt.timers.get(name);
  }

  private open(name: DeadlineName, role: 'agency' | 'legal-review' | 'agency-head', from: string, length: Parameters<ProcedureRuntime<LegalReviewState, DeadlineName>['timers']['open']>[3]) {
    const to: Recipient = { role, agencyId: this.input.agencyId };
    return this.rt.timers.open(name, to, from, length);
  }

  private moveTo(stage: Stage) {
    this.state.stage = stage;
    // Leaving a stage ends its deadline; post-decision duties stay as the record of on-time or late.
    this.rt.timers.retain((d) => d.name === 'publication' || d.name === 'filing');
    this.rt.refresh();
  }

  /** A post-decision duty for the compliance overview: done on time or late, still open, or overdue. */
  private dutyStatus(name: 'publication' | 'filing', done?: { late: boolean }) {
    if (done) return done.late ? 'late' : 'on-time';
    return this.state.deadlines.find((d) => d.name === name)?.overdue ? 'overdue' : 'pending';
  }

  /**
   * Outcomes go to the agency's ledger (statistics report, compliance overview). Cases that started
   * before this existed keep their recorded histories: the patch marks where reporting begins. Cases
   * started since outcomes-in-records keep them in their state instead (above). Each
   * report is numbered by the case (state.reportSeq), so the ledger keys it by its source rather than
   * its content; reports recorded before the numbering keep their unnumbered input.
   */
  private report(event: CaseEventBody) {
    if (this.outcomesInRecords) {
      // Kept in the state and written with it (case_outcomes): no signal per event to any workflow,
      // so an agency's yearly ledger no longer meets Temporal's limit of 10,000 signals.
      this.state.reportSeq = (this.state.reportSeq ?? 0) + 1;
      (this.state.outcomes ??= []).push({ ...event, source: workflowInfo().workflowId, seq: this.state.reportSeq });
      return;
    }
    if (!patched('report-to-agency-ledger')) return;
    let numbered: CaseEvent = event;
    if (patched('ledger-event-source')) {
      this.state.reportSeq = (this.state.reportSeq ?? 0) + 1;
      numbered = { ...event, source: workflowInfo().workflowId, seq: this.state.reportSeq };
    }
    const sent = ledger.reportCaseEvent({ agencyId: this.input.agencyId, event: numbered }).finally(() => this.reports.delete(sent));
    this.reports.add(sent);
  }

  /** Where an opinion leads once it binds (accepted by the agency, or upheld in coordination). */
  private async followOpinion(how: 'review-passed' | 'coordination-upheld-pass') {
    const conclusion = this.state.opinions[this.state.opinions.length - 1]!.conclusion;
    if (conclusion === 'pass' || conclusion === 'pass-with-changes') {
      this.state.decisionBasis = how;
      this.moveTo('awaiting-decision');
      await this.open('decision', 'agency-head', this.today(), { workingDays: this.input.policy.decisionWorkingDays });
    } else if (conclusion === 'transfer') {
      this.moveTo('awaiting-transfer');
      await this.open('transfer', 'agency', this.today(), { workingDays: this.input.policy.responseWorkingDays });
    } else {
      this.moveTo('not-approved');
      this.rt.record('system', 'closed', '审核未通过，不得作出决定（未经法制审核或者审核未通过的，不得作出决定）');
    }
  }

  private closeIfDone() {
    const publicationDone = Boolean(this.state.publication);
    const filingDone = !this.input.submission.majorPenalty || Boolean(this.state.filing);
    if (publicationDone && filingDone) {
      this.moveTo('closed');
      this.rt.record('system', 'closed', '公开与备案均已完成，案件办结');
    } else {
      this.rt.refresh();
    }
  }
}

export async function legalReviewWorkflow(input: LegalReviewInput): Promise<LegalReviewState> {
  const review = new LegalReview(input);
  const { rt, state } = review;
  rt.register(LEGAL_REVIEW, actions, review);
  let opened = false;
  setHandler(submittedUpdate, async () => {
    await condition(() => opened);
    return state;
  });
  setHandler(stateQuery, () => state);
  setHandler(timelineQuery, () => rt.timeline);

  upsertSearchAttributes([
    { key: SA.kind, value: LEGAL_REVIEW_KIND },
    { key: SA.agencyId, value: input.agencyId },
  ]);
  const { submission } = input;
  rt.record(input.submittedBy, 'submit', `送审：${submission.title}（${submission.caseNumber}）`, submission.proposedDecision, { majorGrounds: submission.majorGrounds });
  await review.openReview();
  opened = true;

  await rt.run({ while: () => !TERMINAL_STAGES.includes(state.stage) });
  log.info('case closed', { caseId: input.caseId, stage: state.stage });
  await rt.settle(review.reports);
  // A closed case's published decision can still be corrected or taken down (002 §二(一)3(2)), so
  // the case stays open for that until it is taken down. Cases closed before this completed.
  if (state.stage === 'closed' && patched('closed-case-takes-corrections')) {
    await condition(() => Boolean(state.publication?.withdrawn));
    await rt.settle(review.reports);
  }
  await rt.finish(review.reports);
  return state;
}
