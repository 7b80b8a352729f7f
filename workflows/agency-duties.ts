/**
 * One workflow per agency for its recurring duties and its ledger, one run per calendar year.
 * Why one long-lived workflow rather than Schedules: the duties of a year share state (the ledger
 * drafts the report; a late report is still the same duty), late and missing submissions must be
 * recorded against the right year, and deadlines use the same reminder/escalation timers as the
 * procedures. Continue-as-new at each year's end keeps every run's history to one year.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { continueAsNew, patched, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { z } from 'zod';
import type { caseFileReviewSchema, selfInspectionSchema, statisticsSubmissionSchema, StatisticsFigures } from '../domain/duties.js';
import { caseFileReviewDue, gradeCaseFile, selfInspectionDue, statisticsReportDue } from '../domain/duties-rules.js';
import type { Actor } from '../domain/roles.js';
import { endOfShanghaiDay } from '../domain/shanghai-time.js';
import { SA } from '../platform/search-attributes.js';
import {
  caseEventKey,
  caseEventSignal,
  DUTIES_KIND,
  dutiesQuery,
  dutiesTimelineQuery,
  dutyActions,
  DUTY_LABELS,
  addFigures,
  figuresFor,
  ledgerExportQuery,
  ledgerQuery,
  type CaseEvent,
  type DutiesInput,
  type DutiesActionName,
  type DutiesState,
  type DutyName,
  type Ledger,
  type YearRecord,
} from './agency-duties-messages.js';
import { DUTIES, dutiesSubject } from '../domain/procedures/duties.js';
import { ProcedureRuntime, procedureSearchAttributes } from './procedure.js';


const QUARTERS = [1, 2, 3, 4] as const;
const figuresActivities = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '1 second', maximumInterval: '1 minute' } });
/** Years of history a run carries: enough for any assessment that looks back. */
const HISTORY_YEARS = 10;

type Submission<K extends keyof typeof dutyActions> = (typeof dutyActions)[K] extends UpdateDefinition<DutiesState, infer A> ? A : never;

/**
 * An agency's year of duties and its ledger: the duties' transitions and validators, what cases
 * report, and the year's close, over the state the runtime keeps.
 */
export class AgencyDuties {
  readonly rt: ProcedureRuntime<DutiesState, DutyName>;
  readonly state: DutiesState;
  readonly ledger: Ledger;
  private readonly seen: Set<string>;
  private readonly startedOn: string;

  constructor(readonly input: DutiesInput) {
    const { agencyId, year, policy } = input;
    this.ledger = input.carried?.ledger ?? { years: {}, caseDuties: {}, seen: [] };
    this.seen = new Set(this.ledger.seen);
    this.rt = new ProcedureRuntime<DutiesState, DutyName>({
      kind: DUTIES_KIND,
      carriedRecords: input.carried?.records,
      recordsExtra: () => ({ ledger: this.ledger }),
      state: {
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
      },
      timeline: input.carried?.timeline,
      timers: {
        policy,
        subjectRef: { type: 'duty', id: `${DUTIES_KIND}:${agencyId}:${year}` },
        describe: () => `${input.agencyName} ${year}年度`,
        ownerName: input.agencyName,
        label: (name) => DUTY_LABELS[name],
      },
      index: (state) => {
        const open = state.deadlines.filter((d) => !d.met).length > 0;
        return {
          searchAttributes: [
            ...procedureSearchAttributes(open ? 'open' : 'all-done', open ? 'agency' : 'none', state),
            { key: SA.year, value: year },
          ],
          memo: { summary: { agencyId, agencyName: input.agencyName, year, overdue: state.overdue, nextDueAt: state.nextDueAt } },
        };
      },
    });
    this.state = this.rt.state;
    this.startedOn = this.rt.today();
  }

  // ------------------------------------------------------------------------------------------
  // The ledger: what cases report, counted once each.

  takeCaseEvent(event: CaseEvent) {
    const { ledger } = this;
    const key = caseEventKey(event);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    ledger.seen.push(key);
    const y = Number(event.on.slice(0, 4));
    const figures = this.yearFigures(y);
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
  }

  // ------------------------------------------------------------------------------------------
  // The duties' transitions; who may take them and when is the table's (domain/procedures/duties.ts).

  async redraftStatisticsReport() {
    this.state.statisticsReport.draft = await this.draft();
  }

  async submitStatisticsReport(...[actor, body]: Submission<'submitStatisticsReport'>) {
    const { rt, state } = this;
    const figures = body.figures ?? state.statisticsReport.draft ?? (await this.draft());
    const late = rt.today() > (rt.timers.get('statistics-report')?.dueDate ?? statisticsReportDue(this.input.year));
    const { draftedAt: _drafted, ...clean } = figures as StatisticsFigures & { draftedAt?: string };
    state.statisticsReport.submitted = { figures: clean, note: body.note, submittedAt: rt.nowIso(), late, by: actor };
    state.statisticsReport.status = 'done';
    if (rt.timers.get('statistics-report')) rt.timers.meet('statistics-report', rt.today());
    rt.record(actor, 'submitStatisticsReport', `报送${this.input.year - 1}年度行政执法统计报告${late ? '（逾期）' : ''}`, body.note || undefined, { figures: clean, edited: Boolean(body.figures) });
  }

  submitSelfInspection(...[actor, body]: Submission<'submitSelfInspection'>) {
    const { rt } = this;
    const late = rt.today() > (rt.timers.get('self-inspection')?.dueDate ?? selfInspectionDue(this.input.year));
    this.state.selfInspection = { status: 'done', submitted: { ...body, submittedAt: rt.nowIso(), late, by: actor } };
    if (rt.timers.get('self-inspection')) rt.timers.meet('self-inspection', rt.today());
    rt.record(actor, 'submitSelfInspection', `报送${this.input.year}年度三项制度“回头看”自查报告${late ? '（逾期）' : ''}`, body.summary);
  }

  recordCaseFileReview(...[actor, body]: Submission<'recordCaseFileReview'>) {
    const { rt } = this;
    const quarter = body.quarter as 1 | 2 | 3 | 4;
    // Reviews recorded before 70 itself failed keep the grades they were given.
    const seventyFails = patched('case-file-70-fails');
    const files = body.files.map((f) => ({ ...f, grade: gradeCaseFile(f.score, this.input.policy.excellentFrom, { seventyFails }) }));
    const failing = files.filter((f) => f.grade === '不合格').map((f) => f.ref);
    const late = rt.today() > (rt.timers.get(`case-file-review-${quarter}`)?.dueDate ?? caseFileReviewDue(this.input.year, quarter));
    this.state.caseFileReviews[String(quarter) as '1'] = { status: 'done', record: { quarter, files, failing, recordedAt: rt.nowIso(), late, by: actor } };
    const name = `case-file-review-${quarter}` as DutyName;
    if (rt.timers.get(name)) rt.timers.meet(name, rt.today());
    rt.record(actor, 'recordCaseFileReview', `第${quarter}季度案卷评查：${files.length} 卷，不合格 ${failing.length} 卷${late ? '（逾期）' : ''}`, undefined, { failing });
  }

  // ------------------------------------------------------------------------------------------
  // The year's end.

  /** The year is over: what was never submitted is recorded as missing, never dropped. Returns what the next run carries. */
  closeYear(): NonNullable<DutiesInput['carried']> {
    const { state, ledger, rt } = this;
    const { year } = this.input;
    const close = (status: { status: string }, label: string) => {
      if (status.status === 'open') {
        status.status = 'missing';
        rt.record('system', 'missing', `${label}未报送（缺失）`);
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
      const figures = this.yearFigures(duties.decidedYear);
      const frozen = figuresFor({ years: {}, caseDuties: { [caseId]: duties }, seen: [] }, duties.decidedYear);
      figures.publications = sum(figures.publications, frozen.publications);
      figures.filings = sum(figures.filings, frozen.filings);
      delete ledger.caseDuties[caseId];
    }
    // A report is retried within minutes, never across a year: keys of earlier years can go.
    ledger.seen = ledger.seen.filter((key) => Number(key.split('/')[2]?.slice(0, 4)) >= year);
    const records = rt.recordsCarry();
    return { ledger, history: [summary, ...state.history].slice(0, HISTORY_YEARS), timeline: rt.timeline.slice(-200), ...(records ? { records } : {}) };
  }

  // ------------------------------------------------------------------------------------------

  /**
   * The statistics report's figures of last year: what the ledger counted of the cases that reported
   * by signal, plus (patch figures-from-records) the outcome rows the other cases wrote, counted in
   * SQL by an activity. Drafts made before the patch came from the ledger alone and replay so.
   */
  async draft(): Promise<StatisticsFigures & { draftedAt: string }> {
    const year = this.input.year - 1;
    const ledger = figuresFor(this.ledger, year);
    const figures = patched('figures-from-records') ? addFigures(ledger, await figuresActivities.recordedFigures({ agencyId: this.input.agencyId, year })) : ledger;
    return { ...figures, draftedAt: this.rt.nowIso() };
  }

  private yearFigures(y: number) {
    return (this.ledger.years[String(y)] ??= {
      decisions: { total: 0, byCategory: {}, byProcedure: {} },
      legalReviews: { opinions: 0, byConclusion: {} },
      disputes: { total: 0, byOutcome: {} },
      transfers: 0,
    });
  }

  /** Opens a duty of the year, unless it fell due before the system started. */
  async open(name: DutyName, due: string, mark: () => unknown) {
    if (due < this.startedOn && !this.input.carried) return;
    const marking = mark();
    if (marking instanceof Promise) await marking;
    // "1月31日前" ends a period: on a day off it ends on the next working day (民法典 art. 203).
    const agency = { role: 'agency' as const, agencyId: this.input.agencyId };
    await this.rt.timers.open(name, agency, due, { dueDate: due, ...(patched('duty-due-dates-end-on-working-day') ? { endsOnWorkingDay: true } : {}) });
  }
}

export async function agencyDutiesWorkflow(input: DutiesInput): Promise<never> {
  const duties = new AgencyDuties(input);
  const { rt, state } = duties;
  setHandler(caseEventSignal, (event: CaseEvent) => {
    duties.takeCaseEvent(event);
    // The ledger goes to the records database with the duties (only cases that began before
    // outcomes were rows still signal, so these writes end with them).
    rt.recordsChanged();
  });
  // Each duty is one Update, validated by its row of the table; the index is refreshed after it.
  // (Registered by hand rather than by rt.register, so each handler runs step for step as before.)
  const act = <A extends unknown[]>(name: DutiesActionName, handler: (...args: A) => void) => {
    const update = dutyActions[name] as unknown as UpdateDefinition<DutiesState, A>;
    const validator = rt.validatorOf(DUTIES, name, dutiesSubject) as unknown as (...args: A) => void;
    rt.handle(update, validator, async (...args: A) => {
      await handler(...args);
      rt.refresh();
      return state;
    });
  };
  act('redraftStatisticsReport', () => duties.redraftStatisticsReport());
  act('submitStatisticsReport', (...args: Submission<'submitStatisticsReport'>) => duties.submitStatisticsReport(...args));
  act('submitSelfInspection', (...args: Submission<'submitSelfInspection'>) => duties.submitSelfInspection(...args));
  act('recordCaseFileReview', (...args: Submission<'recordCaseFileReview'>) => duties.recordCaseFileReview(...args));
  setHandler(dutiesQuery, () => state);
  setHandler(dutiesTimelineQuery, () => rt.timeline);
  setHandler(ledgerExportQuery, () => duties.ledger);
  setHandler(ledgerQuery, ({ years }) => ({ figures: Object.fromEntries(years.map((y) => [String(y), figuresFor(duties.ledger, y)])) }));

  upsertSearchAttributes([
    { key: SA.kind, value: DUTIES_KIND },
    { key: SA.agencyId, value: input.agencyId },
  ]);
  // The year: open what is still ahead (duties due before the system started are not tracked).
  rt.hold();
  await duties.open('statistics-report', statisticsReportDue(input.year), async () => {
    state.statisticsReport.status = 'open';
    state.statisticsReport.draft = await duties.draft();
  });
  await duties.open('self-inspection', selfInspectionDue(input.year), () => (state.selfInspection.status = 'open'));
  for (const q of QUARTERS) {
    await duties.open(`case-file-review-${q}`, caseFileReviewDue(input.year, q), () => (state.caseFileReviews[String(q) as '1'].status = 'open'));
  }
  rt.refresh();
  rt.release();

  const yearEnds = endOfShanghaiDay(`${input.year}-12-31`);
  await rt.run({ while: () => Date.now() < yearEnds, wakeAt: () => Math.min(rt.timers.nextWakeAt() ?? yearEnds, yearEnds) });

  const carried = duties.closeYear();
  await rt.settle();
  return continueAsNew<typeof agencyDutiesWorkflow>({ ...input, year: input.year + 1, carried });
}

function bump(map: Record<string, number>, key: string) {
  map[key] = (map[key] ?? 0) + 1;
}

function sum(a: { onTime: number; late: number; missing: number } | undefined, b: { onTime: number; late: number; missing: number }) {
  return { onTime: (a?.onTime ?? 0) + b.onTime, late: (a?.late ?? 0) + b.late, missing: (a?.missing ?? 0) + b.missing };
}
