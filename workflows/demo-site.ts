/**
 * One demonstration site: an agency's application for a year, screening, guidance every two
 * months, acceptance against the provincial standard, public notice with objections, the title,
 * and re-inspection every two years. A named site continues as new after each re-inspection, so
 * its history stays small however many decades it keeps the title.
 */
import type { UpdateDefinition } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
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
import { addMonths, previousDay, shanghaiDateOf } from '../domain/shanghai-time.js';
import { SA } from '../platform/search-attributes.js';
import { calendar } from './calendar.js';
import { deadlineTimers } from './deadline-timers.js';
import { refuse, requireBody } from './refuse.js';
import { refusalOf } from '../domain/procedure.js';
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
  type SiteActionName,
  type SiteDeadlineName,
  type SiteInput,
  type SiteStage,
  type SiteState,
} from './demo-site-messages.js';
import type { TimelineEntry } from './legal-review-messages.js';

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


export async function demoSiteWorkflow(input: SiteInput): Promise<SiteState> {
  const { policy, year } = input;
  const nowIso = () => new Date().toISOString();
  const today = () => shanghaiDateOf(Date.now());

  const state: SiteState = input.carried?.state ?? {
    siteId: input.siteId,
    agencyId: input.agencyId,
    agencyName: input.agencyName,
    year,
    application: input.application,
    appliedAt: nowIso(),
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
  };
  const timeline: TimelineEntry[] = input.carried?.timeline ?? [];
  let version = 0;

  const record = (by: Actor | 'system', action: string, summary: string, words?: string, data?: unknown) => {
    timeline.push({ at: nowIso(), by, action, summary, ...(words ? { words } : {}), ...(data === undefined ? {} : { data }) });
  };

  const stageReports: Promise<void>[] = [];
  const reportStage = async () => {
    // The campaign keeps the stages of its year's sites (for the 2-3 recommendation); once the
    // campaign's year is over it is gone, and the site simply stops reporting.
    try {
      await getExternalWorkflowHandle(input.campaignWorkflowId).signal(siteStageSignal, { agencyId: state.agencyId, stage: state.stage });
    } catch (err) {
      log.info('campaign did not take the stage report', { error: String(err) });
    }
  };

  const refreshIndex = () => {
    const open = state.deadlines.filter((d) => !d.met);
    state.overdue = open.some((d) => d.overdue);
    state.nextDueAt = open.map((d) => d.dueAt).sort()[0] ?? null;
    state.awaiting = AWAITING[state.stage];
    state.stageLabel = SITE_STAGES[state.stage];
    upsertSearchAttributes([
      { key: SA.stage, value: state.stage },
      { key: SA.awaiting, value: state.awaiting ?? 'none' },
      { key: SA.overdue, value: state.overdue },
      { key: SA.nextDueAt, value: state.nextDueAt ? new Date(state.nextDueAt) : null },
    ]);
    upsertMemo({ summary: siteSummary(state) });
    version++;
  };

  const timers = deadlineTimers<SiteDeadlineName>({
    get: () => state.deadlines,
    set: (deadlines) => {
      state.deadlines = deadlines;
    },
    policy,
    subjectRef: { type: 'demo-site', id: input.siteId },
    describe: () => `${state.agencyName} ${year}年示范点创建`,
    ownerName: state.agencyName,
    label: (name) => SITE_DEADLINE_LABELS[name],
    record: (action, summary, data) => record('system', action, summary, undefined, data),
    changed: () => refreshIndex(),
    onCalendarChanged: async (change) => {
      // The public notice's end is a period too: it moves with the calendar while it runs.
      const notice = state.notice;
      if (state.stage !== 'under-notice' || !notice?.startsOn || !notice.endsOn || Date.now() >= Date.parse(notice.endsAt)) return;
      const [due] = await calendar(policy).calendarReplan({ year: change.year, version: change.version, requests: [noticePeriod(notice.startsOn)] });
      if (due!.dueDate !== notice.endsOn) {
        record('system', 'deadlineMoved', `公示期因${change.year}年放假安排由${notice.endsOn}调整为${due!.dueDate}`, undefined, { from: notice.endsOn, to: due!.dueDate, notice: change.document });
      }
      Object.assign(notice, { endsOn: due!.dueDate, endsAt: due!.dueAt, provisional: due!.provisional });
    },
  });
  const office = { role: 'office' as const };
  const noticePeriod = (startsOn: string) => ({ from: startsOn, calendarDays: NOTICE_DAYS, reminderWorkingDaysBefore: 0, reminderHour: policy.reminderHour });

  const moveTo = (stage: SiteStage) => {
    state.stage = stage;
    // A stage's own deadlines end with it; met ones stay as the record.
    timers.retain(() => false);
    refreshIndex();
    stageReports.push(reportStage());
  };

  const openVisitPeriod = async () => {
    state.guidancePeriod += 1;
    const due = previousDay(addMonths(state.selectedOn!, GUIDANCE_EVERY_MONTHS * state.guidancePeriod));
    await timers.open('visit', office, due, { dueDate: due }, { escalationRepeatWorkingDays: 0 });
  };

  const openReinspection = async () => {
    const due = addMonths(state.awardedOn!, 12 * REINSPECTION_EVERY_YEARS * (state.cycle + 1));
    await timers.open('reinspection', office, due, { dueDate: due }, { reminderWorkingDaysBefore: 20 });
  };

  // ------------------------------------------------------------------------------------------

  // Validators: the procedure's table (domain/procedures/demo-site.ts) decides who may take an
  // action, in which stage and under which rules; the API checked the body's shape with the same
  // table's schemas (DEMO_SITE_BODIES). A refusal writes nothing to the history.
  const on = <B>(action: SiteActionName, handler: (actor: Actor, body: B) => Promise<void> | void) => {
    setHandler(
      siteActions[action] as unknown as UpdateDefinition<SiteState, [Actor, B]>,
      async (actor: Actor, body: B) => {
        await handler(actor, body);
        return state;
      },
      {
        validator: (actor: Actor, body: B) => {
          const refusal = refusalOf(DEMO_SITE, action, state, actor, body, today());
          if (refusal) refuse(refusal.type, refusal.message, refusal.details);
        },
      },
    );
  };

  on<z.output<typeof screeningSchema>>('screen', async (actor, body) => {
    state.screening = { ...body, at: nowIso(), by: actor };
    if (body.decision === 'reject') {
      moveTo('rejected');
      record(actor, 'screen', '未确定为培育对象', body.reason);
      return;
    }
    state.selectedOn = today();
    moveTo('cultivating');
    record(actor, 'screen', '确定为县级示范点培育对象', body.note || undefined);
    await openVisitPeriod();
    const window = acceptanceWindow(year);
    await timers.open('acceptance', office, window.closes, { dueDate: window.closes }, { reminderWorkingDaysBefore: 10, escalationRepeatWorkingDays: 5 });
  });

  on<z.output<typeof visitSchema>>(
    'recordVisit',
    async (actor, body) => {
      state.visits.push({ ...body, period: state.guidancePeriod, recordedAt: nowIso(), by: actor });
      const late = timers.meet('visit', body.visitedOn);
      record(actor, 'recordVisit', `第 ${state.guidancePeriod} 次调研指导${late ? '（逾期）' : ''}`, body.findings, { people: body.people, followUps: body.followUps });
      timers.retain((d) => d.name !== 'visit');
      await openVisitPeriod();
    },
  );

  on<z.output<typeof acceptanceSchema>>(
    'recordAcceptance',
    async (actor, body) => {
      // Scored in an activity: the standard is data that may change, and the record must keep the
      // score as it was given.
      const result = await scoreAcceptance({ sheet: body.scoreSheet, passMark: policy.passMark });
      const late = timers.meet('acceptance', body.acceptedOn);
      state.acceptance = { ...body, result, late, recordedAt: nowIso(), by: actor };
      const vetoes = result.vetoes.map((v: { label: string }) => v.label).join('；');
      const summary = result.vetoed
        ? `验收未达标：否决项 ${vetoes}`
        : `验收${result.passed ? '达标' : '未达标'}：一般标准 ${result.general} 分，加分 ${result.bonus} 分（达标线 ${result.passMark} 分）`;
      record(actor, 'recordAcceptance', `${summary}${late ? '（逾期验收）' : ''}`, body.methods.reportHeard, { result });
      if (result.passed) {
        moveTo('accepted');
        await timers.open('notice', office, today(), { workingDays: policy.officeWorkingDays });
      } else {
        moveTo('not-passed');
      }
    },
  );

  on<z.output<typeof startNoticeSchema>>(
    'startNotice',
    async (actor, body) => {
      const startsAt = nowIso();
      timers.meet('notice', today());
      if (patched('notice-period-by-calendar')) {
        const due = await calendar(policy).calendarDeadline(noticePeriod(today()));
        state.notice = { channel: body.channel, startsAt, endsAt: due.dueAt, startsOn: today(), endsOn: due.dueDate, provisional: due.provisional };
        moveTo('under-notice');
        record(actor, 'startNotice', `拟命名名单向社会公示（${body.channel}），公示期至 ${due.dueDate}${due.provisional ? '（节假日安排未公布，暂按法定节假日推算）' : ''}`);
      } else {
        const endsAt = new Date(Date.now() + NOTICE_DAYS * 86_400_000).toISOString();
        state.notice = { channel: body.channel, startsAt, endsAt };
        moveTo('under-notice');
        record(actor, 'startNotice', `拟命名名单向社会公示（${body.channel}），至 ${endsAt}`);
      }
    },
  );

  setHandler(
    objectUpdate,
    (body) => {
      const id = state.objections.length + 1;
      state.objections.push({ id, text: body.text, name: body.name, contact: body.contact, raisedAt: nowIso(), status: 'open' });
      record('system', 'objection', `收到公示异议（第 ${id} 件）`, body.text);
      refreshIndex();
      return { objectionId: id, noticeEndsAt: state.notice!.endsAt };
    },
    {
      validator: (body) => {
        if (state.stage !== 'under-notice' || !state.notice || Date.now() >= Date.parse(state.notice.endsAt)) {
          refuse('InvalidTransition', 'objections are taken only while the site is under public notice');
        }
        requireBody(body);
      },
    },
  );

  on<z.output<typeof objectionResolutionSchema> & { objectionId: number }>(
    'resolveObjection',
    (actor, body) => {
      const objection = state.objections.find((o) => o.id === body.objectionId)!;
      objection.status = body.outcome === 'uphold' ? 'upheld' : 'dismissed';
      objection.resolution = { reasons: body.reasons, at: nowIso(), by: actor };
      if (body.outcome === 'uphold') {
        moveTo('not-named');
        record(actor, 'resolveObjection', `公示异议（第 ${objection.id} 件）成立，不予命名`, body.reasons);
      } else {
        record(actor, 'resolveObjection', `公示异议（第 ${objection.id} 件）不成立`, body.reasons);
        refreshIndex();
      }
    },
  );

  on<z.output<typeof confirmationSchema>>(
    'confirm',
    async (actor, body) => {
      timers.meet('confirmation', today());
      state.title = SITE_TITLE;
      state.awardedOn = today();
      moveTo('named');
      record(actor, 'confirm', `确认命名“${SITE_TITLE}”并授牌`, body.note || undefined);
      await openReinspection();
    },
  );

  on<z.output<typeof reinspectionSchema>>(
    'reinspect',
    async (actor, body) => {
      const late = timers.meet('reinspection', body.inspectedOn);
      state.reinspections.push({ ...body, late, recordedAt: nowIso() });
      if (body.passed) {
        state.cycle += 1;
        record(actor, 'reinspect', `复核复查通过（第 ${state.cycle} 次${late ? '，逾期' : ''}）`, body.findings);
        timers.retain((d) => d.name !== 'reinspection');
        refreshIndex();
      } else {
        state.revocation = { ground: 'failed-reinspection', details: body.findings, groundLabel: REVOCATION_GROUNDS['failed-reinspection'], at: nowIso() };
        moveTo('revoked');
        record(actor, 'reinspect', '复核复查未通过，撤销示范点称号', body.findings);
      }
    },
  );

  on<z.output<typeof revocationSchema>>('revoke', (actor, body) => {
    state.revocation = { ...body, groundLabel: REVOCATION_GROUNDS[body.ground], at: nowIso() };
    moveTo('revoked');
    record(actor, 'revoke', `撤销示范点称号：${REVOCATION_GROUNDS[body.ground]}`, body.details);
  });

  on<z.output<typeof assessmentSchema>>('recordAssessment', (actor, body) => {
    state.assessments.push({ ...body, recordedAt: nowIso(), by: actor });
    record(actor, 'recordAssessment', `${body.assessmentYear}年度依法行政考核${body.effect === 'bonus' ? '加' : '扣'} ${body.points} 分`, body.reason);
    refreshIndex();
  });

  setHandler(recommendedSignal, ({ opinion, at }) => {
    state.recommendedToCity = { opinion, at };
    record('system', 'recommendedToCity', '推荐为市级示范点培育对象', opinion);
    refreshIndex();
  });
  setHandler(siteStateQuery, () => state);
  setHandler(siteTimelineQuery, () => timeline);

  // ------------------------------------------------------------------------------------------

  upsertSearchAttributes([
    { key: SA.kind, value: DEMO_SITE_KIND },
    { key: SA.agencyId, value: input.agencyId },
    { key: SA.year, value: year },
  ]);
  if (!input.carried) {
    record(input.appliedBy, 'apply', `申报 ${year} 年度行政执法责任制示范点`, input.application.unitOpinion);
    // The office screens the year's applications together, once they close at the end of May.
    const closes = applicationCloses(year);
    await timers.open('screening', office, today() > closes ? today() : closes, { workingDays: policy.officeWorkingDays });
  } else {
    await openReinspection();
  }
  refreshIndex();

  // A re-inspection cycle ends the run: the next cycle continues as new with the state carried.
  const cycleAtStart = state.cycle;
  while (!SITE_TERMINAL_STAGES.includes(state.stage) && state.cycle === cycleAtStart) {
    const seen = version;
    const wakeAt = nextWake();
    const changed = await condition(() => version !== seen, wakeAt === undefined ? undefined : Math.max(wakeAt - Date.now(), 1));
    if (changed) continue;
    await timers.fireDue();
    await afterTimers();
  }

  await timers.drain();
  await Promise.all(stageReports);
  await condition(allHandlersFinished);
  if (!SITE_TERMINAL_STAGES.includes(state.stage)) {
    await continueAsNew<typeof demoSiteWorkflow>({ ...input, carried: { state, timeline } });
  }
  return state;

  /** Timer instants of the deadlines, plus the end of the public notice. */
  function nextWake(): number | undefined {
    const times = [timers.nextWakeAt(), state.stage === 'under-notice' ? Date.parse(state.notice!.endsAt) : undefined].filter((t): t is number => t !== undefined);
    return times.length ? Math.min(...times) : undefined;
  }

  /** What the passing of time itself changes: a missed visit opens the next period; the notice ends. */
  async function afterTimers() {
    const visit = timers.get('visit');
    if (state.stage === 'cultivating' && visit?.overdue && !visit.met) {
      state.missedVisits.push({ period: state.guidancePeriod, dueDate: visit.dueDate });
      record('system', 'missedVisit', `第 ${state.guidancePeriod} 次调研指导未按期开展（应于 ${visit.dueDate} 前）`);
      timers.retain((d) => d.name !== 'visit');
      await openVisitPeriod();
    }
    if (state.stage === 'under-notice' && Date.now() >= Date.parse(state.notice!.endsAt)) {
      moveTo('awaiting-confirmation');
      record('system', 'noticeEnded', `公示期满（${state.objections.length} 件异议）`);
      await timers.open('confirmation', office, today(), { workingDays: policy.officeWorkingDays });
    }
  }
}
