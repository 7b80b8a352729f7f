/**
 * One workflow per agency for its recurring duties and its ledger, one run per calendar year.
 * Why one long-lived workflow rather than Schedules: the duties of a year share state (the ledger
 * drafts the report; a late report is still the same duty), late and missing submissions must be
 * recorded against the right year, and deadlines use the same reminder/escalation timers as the
 * procedures. Continue-as-new at each year's end keeps every run's history to one year.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { allHandlersFinished, condition, continueAsNew, patched, setHandler, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import type { z } from 'zod';
import type { caseFileReviewSchema, selfInspectionSchema, statisticsSubmissionSchema, StatisticsFigures } from '../domain/duties.js';
import { caseFileReviewDue, gradeCaseFile, selfInspectionDue, statisticsReportDue } from '../domain/duties-rules.js';
import type { Actor } from '../domain/roles.js';
import { endOfShanghaiDay, shanghaiDateOf } from '../domain/shanghai-time.js';
import { SA } from '../platform/search-attributes.js';
import {
  caseEventKey,
  caseEventSignal,
  DUTIES_KIND,
  dutiesQuery,
  dutiesTimelineQuery,
  dutyActions,
  DUTY_LABELS,
  figuresFor,
  ledgerQuery,
  type CaseEvent,
  type DutiesInput,
  type DutiesState,
  type DutyName,
  type Ledger,
  type YearRecord,
} from './agency-duties-messages.js';
import { deadlineTimers } from './deadline-timers.js';
import { refuse, requireBody } from './refuse.js';
import type { TimelineEntry } from './legal-review-messages.js';


const QUARTERS = [1, 2, 3, 4] as const;
/** Years of history a run carries: enough for any assessment that looks back. */
const HISTORY_YEARS = 10;

export async function agencyDutiesWorkflow(input: DutiesInput): Promise<never> {
  const { agencyId, year, policy } = input;
  const nowIso = () => new Date().toISOString();
  const today = () => shanghaiDateOf(Date.now());
  const startedOn = today();

  const ledger: Ledger = input.carried?.ledger ?? { years: {}, caseDuties: {}, seen: [] };
  const seen = new Set(ledger.seen);
  const timeline: TimelineEntry[] = input.carried?.timeline ?? [];
  const record = (by: Actor | 'system', action: string, summary: string, words?: string, data?: unknown) => {
    timeline.push({ at: nowIso(), by, action, summary, ...(words ? { words } : {}), ...(data === undefined ? {} : { data }) });
  };

  const state: DutiesState = {
    agencyId,
    agencyName: input.agencyName,
    year,
    statisticsReport: { coversYear: year - 1, status: 'not-tracked' },
    selfInspection: { status: 'not-tracked' },
    caseFileReviews: { 1: { status: 'not-tracked' }, 2: { status: 'not-tracked' }, 3: { status: 'not-tracked' }, 4: { status: 'not-tracked' } },
    deadlines: [],
    overdue: false,
    nextDueAt: null,
    history: input.carried?.history ?? [],
  };
  let version = 0;

  const refreshIndex = () => {
    const open = state.deadlines.filter((d) => !d.met);
    state.overdue = open.some((d) => d.overdue);
    state.nextDueAt = open.map((d) => d.dueAt).sort()[0] ?? null;
    upsertSearchAttributes([
      { key: SA.stage, value: open.length ? 'open' : 'all-done' },
      { key: SA.awaiting, value: open.length ? 'agency' : 'none' },
      { key: SA.overdue, value: state.overdue },
      { key: SA.nextDueAt, value: state.nextDueAt ? new Date(state.nextDueAt) : null },
      { key: SA.year, value: year },
    ]);
    upsertMemo({ summary: { agencyId, agencyName: input.agencyName, year, overdue: state.overdue, nextDueAt: state.nextDueAt } });
    version++;
  };

  const agency = { role: 'agency' as const, agencyId };
  const timers = deadlineTimers<DutyName>({
    get: () => state.deadlines,
    set: (deadlines) => {
      state.deadlines = deadlines;
    },
    policy,
    subjectRef: { type: 'duty', id: `${DUTIES_KIND}:${agencyId}:${year}` },
    describe: () => `${input.agencyName} ${year}年度`,
    ownerName: input.agencyName,
    label: (name) => DUTY_LABELS[name],
    record: (action, summary, data) => record('system', action, summary, undefined, data),
    changed: () => refreshIndex(),
  });

  // ------------------------------------------------------------------------------------------
  // The ledger: what cases report, counted once each.

  const yearFigures = (y: number) =>
    (ledger.years[String(y)] ??= {
      decisions: { total: 0, byCategory: {}, byProcedure: {} },
      legalReviews: { opinions: 0, byConclusion: {} },
      disputes: { total: 0, byOutcome: {} },
      transfers: 0,
    });
  const bump = (map: Record<string, number>, key: string) => {
    map[key] = (map[key] ?? 0) + 1;
  };

  setHandler(caseEventSignal, (event: CaseEvent) => {
    const key = caseEventKey(event);
    if (seen.has(key)) return;
    seen.add(key);
    ledger.seen.push(key);
    const y = Number(event.on.slice(0, 4));
    const figures = yearFigures(y);
    switch (event.type) {
      case 'decided':
        figures.decisions.total++;
        bump(figures.decisions.byCategory, event.category);
        bump(figures.decisions.byProcedure, event.procedure);
        ledger.caseDuties[event.caseId] = { decidedYear: y, publication: 'pending', ...(event.majorPenalty ? { filing: 'pending' as const } : {}) };
        break;
      case 'opinion':
        figures.legalReviews.opinions++;
        bump(figures.legalReviews.byConclusion, event.conclusion);
        break;
      case 'disputed':
        figures.disputes.total++;
        break;
      case 'coordinated':
        bump(figures.disputes.byOutcome, event.outcome);
        break;
      case 'transferred':
        figures.transfers++;
        break;
      case 'published':
      case 'filed': {
        const duties = ledger.caseDuties[event.caseId];
        const field = event.type === 'published' ? 'publication' : 'filing';
        if (duties) duties[field] = event.late ? 'late' : 'on-time';
        break;
      }
      case 'duty-overdue': {
        const duties = ledger.caseDuties[event.caseId];
        if (duties && duties[event.duty] === 'pending') duties[event.duty] = 'overdue';
        break;
      }
    }
  });

  // ------------------------------------------------------------------------------------------
  // The duties.

  const guard = (actor: Actor) => {
    if (actor.role !== 'agency') refuse('Forbidden', `duties are submitted by the agency, not ${actor.role}`);
    if (actor.agencyId !== agencyId) refuse('Forbidden', `these are the duties of ${agencyId}`);
  };
  const onAction = <A extends unknown[]>(def: UpdateDefinition<DutiesState, A>, validator: (...args: A) => void, handler: (...args: A) => void | Promise<void>) =>
    setHandler(def, async (...args: A) => {
      await handler(...args);
      refreshIndex();
      return state;
    }, { validator });

  const draft = (): StatisticsFigures & { draftedAt: string } => ({ ...figuresFor(ledger, year - 1), draftedAt: nowIso() });

  onAction<[Actor]>(
    dutyActions.redraftStatisticsReport,
    (actor) => {
      guard(actor);
      if (state.statisticsReport.submitted) refuse('InvalidTransition', `the ${year - 1} statistics report is already submitted`);
    },
    () => {
      state.statisticsReport.draft = draft();
    },
  );

  onAction(
    dutyActions.submitStatisticsReport,
    (actor, body) => {
      guard(actor);
      requireBody(body);
      if (state.statisticsReport.submitted) refuse('InvalidTransition', `the ${year - 1} statistics report is already submitted`);
    },
    (actor, body) => {
      const figures = body.figures ?? state.statisticsReport.draft ?? draft();
      const late = today() > (timers.get('statistics-report')?.dueDate ?? statisticsReportDue(year));
      const { draftedAt: _drafted, ...clean } = figures as StatisticsFigures & { draftedAt?: string };
      state.statisticsReport.submitted = { figures: clean, note: body.note, submittedAt: nowIso(), late, by: actor };
      state.statisticsReport.status = 'done';
      if (timers.get('statistics-report')) timers.meet('statistics-report', today());
      record(actor, 'submitStatisticsReport', `报送${year - 1}年度行政执法统计报告${late ? '（逾期）' : ''}`, body.note || undefined, { figures: clean, edited: Boolean(body.figures) });
    },
  );

  onAction(
    dutyActions.submitSelfInspection,
    (actor, body) => {
      guard(actor);
      requireBody(body);
      if (state.selfInspection.submitted) refuse('InvalidTransition', `the ${year} self-inspection report is already submitted`);
    },
    (actor, body) => {
      const late = today() > (timers.get('self-inspection')?.dueDate ?? selfInspectionDue(year));
      state.selfInspection = { status: 'done', submitted: { ...body, submittedAt: nowIso(), late, by: actor } };
      if (timers.get('self-inspection')) timers.meet('self-inspection', today());
      record(actor, 'submitSelfInspection', `报送${year}年度三项制度“回头看”自查报告${late ? '（逾期）' : ''}`, body.summary);
    },
  );

  onAction(
    dutyActions.recordCaseFileReview,
    (actor, body) => {
      guard(actor);
      requireBody(body);
      if (state.caseFileReviews[String(body.quarter) as '1']!.record) refuse('InvalidTransition', `the case-file review of quarter ${body.quarter} is already recorded`);
    },
    (actor, body) => {
      const quarter = body.quarter as 1 | 2 | 3 | 4;
      // Reviews recorded before 70 itself failed keep the grades they were given.
      const seventyFails = patched('case-file-70-fails');
      const files = body.files.map((f) => ({ ...f, grade: gradeCaseFile(f.score, policy.excellentFrom, { seventyFails }) }));
      const failing = files.filter((f) => f.grade === '不合格').map((f) => f.ref);
      const late = today() > (timers.get(`case-file-review-${quarter}`)?.dueDate ?? caseFileReviewDue(year, quarter));
      state.caseFileReviews[String(quarter) as '1'] = { status: 'done', record: { quarter, files, failing, recordedAt: nowIso(), late, by: actor } };
      const name = `case-file-review-${quarter}` as DutyName;
      if (timers.get(name)) timers.meet(name, today());
      record(actor, 'recordCaseFileReview', `第${quarter}季度案卷评查：${files.length} 卷，不合格 ${failing.length} 卷${late ? '（逾期）' : ''}`, undefined, { failing });
    },
  );

  setHandler(dutiesQuery, () => state);
  setHandler(dutiesTimelineQuery, () => timeline);
  setHandler(ledgerQuery, ({ years }) => ({ figures: Object.fromEntries(years.map((y) => [String(y), figuresFor(ledger, y)])) }));

  // ------------------------------------------------------------------------------------------
  // The year: open what is still ahead (duties due before the system started are not tracked).

  upsertSearchAttributes([
    { key: SA.kind, value: DUTIES_KIND },
    { key: SA.agencyId, value: agencyId },
  ]);
  const open = async (name: DutyName, due: string, mark: () => void) => {
    if (due < startedOn && !input.carried) return;
    mark();
    // "1月31日前" ends a period: on a day off it ends on the next working day (民法典 art. 203).
    await timers.open(name, agency, due, { dueDate: due, ...(patched('duty-due-dates-end-on-working-day') ? { endsOnWorkingDay: true } : {}) });
  };
  await open('statistics-report', statisticsReportDue(year), () => {
    state.statisticsReport.status = 'open';
    state.statisticsReport.draft = draft();
  });
  await open('self-inspection', selfInspectionDue(year), () => (state.selfInspection.status = 'open'));
  for (const q of QUARTERS) {
    await open(`case-file-review-${q}`, caseFileReviewDue(year, q), () => (state.caseFileReviews[String(q) as '1'].status = 'open'));
  }
  refreshIndex();

  const yearEnds = endOfShanghaiDay(`${year}-12-31`);
  while (Date.now() < yearEnds) {
    const seenVersion = version;
    const wakeAt = Math.min(timers.nextWakeAt() ?? yearEnds, yearEnds);
    const changed = await condition(() => version !== seenVersion, Math.max(wakeAt - Date.now(), 1));
    if (!changed) await timers.fireDue();
  }

  // The year is over: what was never submitted is recorded as missing, never dropped.
  const close = (status: { status: string }, label: string) => {
    if (status.status === 'open') {
      status.status = 'missing';
      record('system', 'missing', `${label}未报送（缺失）`);
    }
  };
  close(state.statisticsReport, DUTY_LABELS['statistics-report']);
  close(state.selfInspection, DUTY_LABELS['self-inspection']);
  for (const q of QUARTERS) close(state.caseFileReviews[String(q) as '1'], DUTY_LABELS[`case-file-review-${q}`]);

  const summary: YearRecord = {
    year,
    statisticsReport: {
      status: state.statisticsReport.status,
      coversYear: year - 1,
      submittedAt: state.statisticsReport.submitted?.submittedAt,
      late: state.statisticsReport.submitted?.late,
      figures: state.statisticsReport.submitted?.figures,
    },
    selfInspection: { status: state.selfInspection.status, submittedAt: state.selfInspection.submitted?.submittedAt, late: state.selfInspection.submitted?.late },
    caseFileReviews: QUARTERS.map((q) => ({ quarter: q, status: state.caseFileReviews[String(q) as '1'].status, failing: state.caseFileReviews[String(q) as '1'].record?.failing.length ?? 0 })),
  };
  // Freeze the duties of decisions two years past, so the ledger carried on stays small.
  for (const [caseId, duties] of Object.entries(ledger.caseDuties)) {
    if (duties.decidedYear > year - 1) continue;
    const figures = yearFigures(duties.decidedYear);
    const frozen = figuresFor({ years: {}, caseDuties: { [caseId]: duties }, seen: [] }, duties.decidedYear);
    figures.publications = sum(figures.publications, frozen.publications);
    figures.filings = sum(figures.filings, frozen.filings);
    delete ledger.caseDuties[caseId];
  }
  // A report is retried within minutes, never across a year: keys of earlier years can go.
  ledger.seen = ledger.seen.filter((key) => Number(key.split('/')[2]?.slice(0, 4)) >= year);
  await timers.drain();
  await condition(allHandlersFinished);
  return continueAsNew<typeof agencyDutiesWorkflow>({
    ...input,
    year: year + 1,
    carried: { ledger, history: [summary, ...state.history].slice(0, HISTORY_YEARS), timeline: timeline.slice(-200) },
  });
}

function sum(a: { onTime: number; late: number; missing: number } | undefined, b: { onTime: number; late: number; missing: number }) {
  return { onTime: (a?.onTime ?? 0) + b.onTime, late: (a?.late ?? 0) + b.late, missing: (a?.missing ?? 0) + b.missing };
}
