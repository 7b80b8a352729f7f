/**
 * One demonstration site: an agency's application for a year, screening, guidance every two
 * months, acceptance against the provincial standard, public notice with objections, the title,
 * and re-inspection every two years. A named site continues as new after each re-inspection, so
 * its history stays small however many decades it keeps the title.
 */
import { continueAsNew, getExternalWorkflowHandle, log, patched, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { z } from 'zod';
import type { Activities } from '../activities/index.js';
import type {
  acceptanceSchema,
  assessmentSchema,
  confirmationSchema,
  objectionResolutionSchema,
  objectionSchema,
  resolveObjectionSchema,
  startNoticeSchema,
  reinspectionSchema,
  revocationSchema,
  screeningSchema,
  visitSchema,
} from '../domain/demo-site.js';
import { acceptanceWindow, applicationCloses, GUIDANCE_EVERY_MONTHS, NOTICE_DAYS, REINSPECTION_EVERY_YEARS, REVOCATION_GROUNDS, SITE_TITLE } from '../domain/demo-site-rules.js';
import type { Actor, Role } from '../domain/roles.js';
import { addMonths, previousDay } from '../domain/shanghai-time.js';
import { SA } from '../platform/search-attributes.js';
import { calendar } from './calendar.js';
import { refuse, requireBody } from './refuse.js';
import { ProcedureRuntime, procedureSearchAttributes, stageFields, type Transitions } from './procedure.js';
import { DEMO_SITE } from '../domain/procedures/demo-site.js';
import {
  DEMO_SITE_KIND,
  objectUpdate,
  recommendedSignal,
  siteActions,
  SITE_DEADLINE_LABELS,
  SITE_STAGES,
  SITE_TERMINAL_STAGES,
  siteStageSignal,
  siteStateQuery,
  siteSummary,
  siteTimelineQuery,
  type SiteDeadlineName,
  type SiteInput,
  type SiteStage,
  type SiteState,
} from './demo-site-messages.js';

const { scoreAcceptance } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['RuleViolation'] },
});

const AWAITING: Record<SiteStage, Role | null> = {
  applied: 'office',
  rejected: null,
  cultivating: 'office',
  accepted: 'office',
  'not-passed': null,
  'under-notice': null,
  'awaiting-confirmation': 'office',
  named: 'office',
  'not-named': null,
  revoked: null,
};


const office = { role: 'office' as const };

/**
 * A site's transitions, one method per action of its table (domain/procedures/demo-site.ts), and
 * what the passing of time changes (missed visits, the notice's end), over the state the runtime keeps.
 */
export class DemoSite implements Transitions<typeof siteActions> {
  readonly rt: ProcedureRuntime<SiteState, SiteDeadlineName>;
  readonly state: SiteState;
  /** Stage reports to the campaign still being sent (awaited before the run ends). */
  readonly stageReports: Promise<void>[] = [];

  constructor(readonly input: SiteInput) {
    const { policy, year } = input;
    this.rt = new ProcedureRuntime<SiteState, SiteDeadlineName>({
      kind: DEMO_SITE_KIND,
      carriedRecords: input.carried?.records,
      state: input.carried?.state ?? {
        siteId: input.siteId,
        agencyId: input.agencyId,
        agencyName: input.agencyName,
        year,
        application: input.application,
        appliedAt: new Date().toISOString(),
        stage: 'applied',
        stageLabel: SITE_STAGES.applied,
        awaiting: 'office',
        guidancePeriod: 0,
        visits: [],
        missedVisits: [],
        objections: [],
        cycle: 0,
        reinspections: [],
        assessments: [],
        deadlines: [],
        overdue: false,
        nextDueAt: null,
      },
      timeline: input.carried?.timeline,
      timers: {
        policy,
        subjectRef: { type: 'demo-site', id: input.siteId },
        describe: () => `${this.state.agencyName} ${year}年示范点创建`,
        ownerName: input.carried?.state.agencyName ?? input.agencyName,
        label: (name) => SITE_DEADLINE_LABELS[name],
        onCalendarChanged: async (change) => {
          // The public notice's end is a period too: it moves with the calendar while it runs.
          const notice = this.state.notice;
          if (this.state.stage !== 'under-notice' || !notice?.startsOn || !notice.endsOn || Date.now() >= Date.parse(notice.endsAt)) return;
          const [due] = await calendar(policy).calendarReplan({ year: change.year, version: change.version, requests: [this.noticePeriod(notice.startsOn)] });
          if (due!.dueDate !== notice.endsOn) {
            this.rt.record('system', 'deadlineMoved', `公示期因${change.year}年放假安排由${notice.endsOn}调整为${due!.dueDate}`, undefined, { from: notice.endsOn, to: due!.dueDate, notice: change.document });
          }
          Object.assign(notice, { endsOn: due!.dueDate, endsAt: due!.dueAt, provisional: due!.provisional });
        },
      },
      derive: stageFields(AWAITING, SITE_STAGES),
      index: (state) => ({
        searchAttributes: [
          ...procedureSearchAttributes(state.stage, state.awaiting ?? 'none', state),
        ],
        memo: { summary: siteSummary(state) },
      }),
    });
    this.state = this.rt.state;
  }

  // ------------------------------------------------------------------------------------------
  // The transitions.

  async screen(actor: Actor, body: z.output<typeof screeningSchema>) {
    const { rt, state } = this;
    state.screening = { ...body, at: rt.nowIso(), by: actor };
    if (body.decision === 'reject') {
      this.moveTo('rejected');
      rt.record(actor, 'screen', '未确定为培育对象', body.reason);
      return;
    }
    state.selectedOn = rt.today();
    this.moveTo('cultivating');
    rt.record(actor, 'screen', '确定为县级示范点培育对象', body.note || undefined);
    await this.openVisitPeriod();
    const window = acceptanceWindow(this.input.year);
    await rt.timers.open('acceptance', office, window.closes, { dueDate: window.closes }, { reminderWorkingDaysBefore: 10, escalationRepeatWorkingDays: 5 });
  }

  async recordVisit(actor: Actor, body: z.output<typeof visitSchema>) {
    const { rt, state } = this;
    state.visits.push({ ...body, period: state.guidancePeriod, recordedAt: rt.nowIso(), by: actor });
    const late = rt.timers.meet('visit', body.visitedOn);
    rt.record(actor, 'recordVisit', `第 ${state.guidancePeriod} 次调研指导${late ? '（逾期）' : ''}`, body.findings, { people: body.people, followUps: body.followUps });
    rt.timers.retain((d) => d.name !== 'visit');
    await this.openVisitPeriod();
  }

  async recordAcceptance(actor: Actor, body: z.output<typeof acceptanceSchema>) {
    const { rt, state } = this;
    // Scored in an activity: the standard is data that may change, and the record must keep the
    // score as it was given.
    const result = await scoreAcceptance({ sheet: body.scoreSheet, passMark: this.input.policy.passMark });
    const late = rt.timers.meet('acceptance', body.acceptedOn);
    state.acceptance = { ...body, result, late, recordedAt: rt.nowIso(), by: actor };
    const vetoes = result.vetoes.map((v: { label: string }) => v.label).join('；');
    const summary = result.vetoed
      ? `验收未达标：否决项 ${vetoes}`
      : `验收${result.passed ? '达标' : '未达标'}：一般标准 ${result.general} 分，加分 ${result.bonus} 分（达标线 ${result.passMark} 分）`;
    rt.record(actor, 'recordAcceptance', `${summary}${late ? '（逾期验收）' : ''}`, body.methods.reportHeard, { result });
    if (result.passed) {
      this.moveTo('accepted');
      await rt.timers.open('notice', office, rt.today(), { workingDays: this.input.policy.officeWorkingDays });
    } else {
      this.moveTo('not-passed');
    }
  }

  async startNotice(actor: Actor, body: z.output<typeof startNoticeSchema>) {
    const { rt, state } = this;
    const startsAt = rt.nowIso();
    rt.timers.meet('notice', rt.today());
    if (patched('notice-period-by-calendar')) {
      const due = await calendar(this.input.policy).calendarDeadline(this.noticePeriod(rt.today()));
      state.notice = { channel: body.channel, startsAt, endsAt: due.dueAt, startsOn: rt.today(), endsOn: due.dueDate, provisional: due.provisional };
      this.moveTo('under-notice');
      rt.record(actor, 'startNotice', `拟命名名单向社会公示（${body.channel}），公示期至 ${due.dueDate}${due.provisional ? '（节假日安排未公布，暂按法定节假日推算）' : ''}`);
    } else {
      const endsAt = new Date(Date.now() + NOTICE_DAYS * 86_400_000).toISOString();
      state.notice = { channel: body.channel, startsAt, endsAt };
      this.moveTo('under-notice');
      rt.record(actor, 'startNotice', `拟命名名单向社会公示（${body.channel}），至 ${endsAt}`);
    }
  }

  resolveObjection(actor: Actor, body: z.output<typeof objectionResolutionSchema> & { objectionId: number }) {
    const { rt, state } = this;
    const objection = state.objections.find((o) => o.id === body.objectionId)!;
    objection.status = body.outcome === 'uphold' ? 'upheld' : 'dismissed';
    objection.resolution = { reasons: body.reasons, at: rt.nowIso(), by: actor };
    if (body.outcome === 'uphold') {
      this.moveTo('not-named');
      rt.record(actor, 'resolveObjection', `公示异议（第 ${objection.id} 件）成立，不予命名`, body.reasons);
    } else {
      rt.record(actor, 'resolveObjection', `公示异议（第 ${objection.id} 件）不成立`, body.reasons);
      rt.refresh();
    }
  }

  async confirm(actor: Actor, body: z.output<typeof confirmationSchema>) {
    const { rt, state } = this;
    rt.timers.meet('confirmation', rt.today());
    state.title = SITE_TITLE;
    state.awardedOn = rt.today();
    this.moveTo('named');
    rt.record(actor, 'confirm', `确认命名“${SITE_TITLE}”并授牌`, body.note || undefined);
    await this.openReinspection();
  }

  reinspect(actor: Actor, body: z.output<typeof reinspectionSchema>) {
    const { rt, state } = this;
    const late = rt.timers.meet('reinspection', body.inspectedOn);
    state.reinspections.push({ ...body, late, recordedAt: rt.nowIso() });
    if (body.passed) {
      state.cycle += 1;
      rt.record(actor, 'reinspect', `复核复查通过（第 ${state.cycle} 次${late ? '，逾期' : ''}）`, body.findings);
      rt.timers.retain((d) => d.name !== 'reinspection');
      rt.refresh();
    } else {
      state.revocation = { ground: 'failed-reinspection', details: body.findings, groundLabel: REVOCATION_GROUNDS['failed-reinspection'], at: rt.nowIso() };
      this.moveTo('revoked');
      rt.record(actor, 'reinspect', '复核复查未通过，撤销示范点称号', body.findings);
    }
  }

  revoke(actor: Actor, body: z.output<typeof revocationSchema>) {
    this.state.revocation = { ...body, groundLabel: REVOCATION_GROUNDS[body.ground], at: this.rt.nowIso() };
    this.moveTo('revoked');
    this.rt.record(actor, 'revoke', `撤销示范点称号：${REVOCATION_GROUNDS[body.ground]}`, body.details);
  }

  recordAssessment(actor: Actor, body: z.output<typeof assessmentSchema>) {
    this.state.assessments.push({ ...body, recordedAt: this.rt.nowIso(), by: actor });
    this.rt.record(actor, 'recordAssessment', `${body.assessmentYear}年度依法行政考核${body.effect === 'bonus' ? '加' : '扣'} ${body.points} 分`, body.reason);
    this.rt.refresh();
  }

  /** A member of the public objects while the site is under notice (not an action of the table). */
  object(body: z.output<typeof objectionSchema>) {
    const { rt, state } = this;
    const id = state.objections.length + 1;
    state.objections.push({ id, text: body.text, name: body.name, contact: body.contact, raisedAt: rt.nowIso(), status: 'open' });
    rt.record('system', 'objection', `收到公示异议（第 ${id} 件）`, body.text);
    rt.refresh();
    return { objectionId: id, noticeEndsAt: state.notice!.endsAt };
  }

  validateObjection(body: unknown) {
    const { state } = this;
    if (state.stage !== 'under-notice' || !state.notice || Date.now() >= Date.parse(state.notice.endsAt)) {
      refuse('InvalidTransition', '提出异议：仅在公示期内受理');
    }
    requireBody(body);
  }

  /** The campaign recommended the site to the city office. */
  recommended({ opinion, at }: { opinion: string; at: string }) {
    this.state.recommendedToCity = { opinion, at };
    this.rt.record('system', 'recommendedToCity', '推荐为市级示范点培育对象', opinion);
    this.rt.refresh();
  }

  // ------------------------------------------------------------------------------------------
  // Time.

  /** Timer instants of the deadlines, plus the end of the public notice. */
  nextWake(): number | undefined {
    const times = [this.rt.timers.nextWakeAt(), this.state.stage === 'under-notice' ? Date.parse(this.state.notice!.endsAt) : undefined].filter((t): t is number => t !== undefined);
    return times.length ? Math.min(...times) : undefined;
  }

  /** What the passing of time itself changes: a missed visit opens the next period; the notice ends. */
  async afterTimers() {
    const { rt, state } = this;
    const visit = rt.timers.get('visit');
    if (state.stage === 'cultivating' && visit?.overdue && !visit.met) {
      state.missedVisits.push({ period: state.guidancePeriod, dueDate: visit.dueDate });
      rt.record('system', 'missedVisit', `第 ${state.guidancePeriod} 次调研指导未按期开展（应于 ${visit.dueDate} 前）`);
      rt.timers.retain((d) => d.name !== 'visit');
      await this.openVisitPeriod();
    }
    if (state.stage === 'under-notice' && Date.now() >= Date.parse(state.notice!.endsAt)) {
      this.moveTo('awaiting-confirmation');
      rt.record('system', 'noticeEnded', `公示期满（${state.objections.length} 件异议）`);
      await rt.timers.open('confirmation', office, rt.today(), { workingDays: this.input.policy.officeWorkingDays });
    }
  }

  // ------------------------------------------------------------------------------------------
  // What the transitions share.

  async openVisitPeriod() {
    this.state.guidancePeriod += 1;
    const due = previousDay(addMonths(this.state.selectedOn!, GUIDANCE_EVERY_MONTHS * this.state.guidancePeriod));
    await this.rt.timers.open('visit', office, due, { dueDate: due }, { escalationRepeatWorkingDays: 0 });
  }

  async openReinspection() {
    const due = addMonths(this.state.awardedOn!, 12 * REINSPECTION_EVERY_YEARS * (this.state.cycle + 1));
    await this.rt.timers.open('reinspection', office, due, { dueDate: due }, { reminderWorkingDaysBefore: 20 });
  }

  private noticePeriod(startsOn: string) {
    return { from: startsOn, calendarDays: NOTICE_DAYS, reminderWorkingDaysBefore: 0, reminderHour: this.input.policy.reminderHour };
  }

  private moveTo(stage: SiteStage) {
    this.state.stage = stage;
    // A stage's own deadlines end with it; met ones stay as the record.
    this.rt.timers.retain(() => false);
    this.rt.refresh();
    this.stageReports.push(this.reportStage());
  }

  private async reportStage() {
    // The campaign keeps the stages of its year's sites (for the 2-3 recommendation); once the
    // campaign's year is over it is gone, and the site simply stops reporting.
    try {
      await getExternalWorkflowHandle(this.input.campaignWorkflowId).signal(siteStageSignal, { agencyId: this.state.agencyId, stage: this.state.stage });
    } catch (err) {
      log.info('campaign did not take the stage report', { error: String(err) });
    }
  }
}

export async function demoSiteWorkflow(input: SiteInput): Promise<SiteState> {
  const site = new DemoSite(input);
  const { rt, state } = site;
  rt.register(DEMO_SITE, siteActions, site);
  rt.handle(objectUpdate, (body) => site.validateObjection(body), (body) => site.object(body));
  setHandler(recommendedSignal, (recommendation) => rt.batch(() => site.recommended(recommendation)));
  setHandler(siteStateQuery, () => state);
  setHandler(siteTimelineQuery, () => rt.timeline);

  upsertSearchAttributes([
    { key: SA.kind, value: DEMO_SITE_KIND },
    { key: SA.agencyId, value: input.agencyId },
    { key: SA.year, value: input.year },
  ]);
  rt.hold();
  if (!input.carried) {
    rt.record(input.appliedBy, 'apply', `申报 ${input.year} 年度行政执法责任制示范点`, input.application.unitOpinion);
    // The office screens the year's applications together, once they close at the end of May.
    const closes = applicationCloses(input.year);
    await rt.timers.open('screening', office, rt.today() > closes ? rt.today() : closes, { workingDays: input.policy.officeWorkingDays });
  } else {
    await site.openReinspection();
  }
  rt.refresh();
  rt.release();

  // A re-inspection cycle ends the run: the next cycle continues as new with the state carried.
  const cycleAtStart = state.cycle;
  await rt.run({
    while: () => !SITE_TERMINAL_STAGES.includes(state.stage) && state.cycle === cycleAtStart,
    wakeAt: () => site.nextWake(),
    afterTimers: () => site.afterTimers(),
  });

  await rt.settle(site.stageReports);
  if (!SITE_TERMINAL_STAGES.includes(state.stage)) {
    await continueAsNew<typeof demoSiteWorkflow>({ ...input, carried: { state, timeline: rt.timeline, records: rt.recordsCarry() } });
  }
  await rt.finish(site.stageReports);
  return state;
}
