/**
 * The agency's duties workflow: one per agency, one run per year (continue-as-new at the year's
 * end). It holds the yearly duties (statistics report, self-inspection, quarterly case-file
 * reviews) and the agency's ledger of legal-review outcomes that cases report to it, from which the
 * statistics report is drafted and the compliance overview is answered.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { z } from 'zod';
import type { CaseFileGrade, StatisticsFigures, caseFileReviewSchema, redraftSchema, selfInspectionSchema, statisticsSubmissionSchema } from '../domain/duties.js';
import type { Actor } from '../domain/roles.js';
import type { Deadline as TimerDeadline, TimerPolicy } from './deadline-timers.js';
import type { TimelineEntry } from './legal-review-messages.js';
import type { RecordsCarry } from './procedure.js';

export const DUTIES_KIND = 'agency-duties';

export const DUTY_LABELS = {
  'statistics-report': '上一年度行政执法统计报告',
  'self-inspection': '三项制度“回头看”自查报告',
  'case-file-review-1': '第一季度案卷评查',
  'case-file-review-2': '第二季度案卷评查',
  'case-file-review-3': '第三季度案卷评查',
  'case-file-review-4': '第四季度案卷评查',
} as const;
export type DutyName = keyof typeof DUTY_LABELS;

export interface DutyPolicy extends TimerPolicy {
  /** Score from which a case file is 优秀 (configurable; below 70 always fails). */
  excellentFrom: number;
}

/**
 * What a legal-review case reports to its agency's ledger (dates are Asia/Shanghai). `source` (the
 * case's workflow id) and `seq` (the case's count of its reports) name the event: the ledger counts
 * each (source, seq) once. Events reported before cases numbered them carry neither and are
 * deduplicated by their content, as they were then (caseEventKey).
 */
export type CaseEvent = CaseEventBody & { source?: string; seq?: number };
export type CaseEventBody =
  | { type: 'decided'; caseId: string; on: string; category: string; procedure: string; majorPenalty: boolean }
  | { type: 'opinion'; caseId: string; on: string; conclusion: string }
  | { type: 'disputed'; caseId: string; on: string }
  | { type: 'coordinated'; caseId: string; on: string; outcome: string }
  | { type: 'published'; caseId: string; on: string; late: boolean }
  | { type: 'filed'; caseId: string; on: string; late: boolean }
  | { type: 'duty-overdue'; caseId: string; on: string; duty: 'publication' | 'filing' }
  | { type: 'transferred'; caseId: string; on: string };

/** Post-decision duties of one case, kept until its decision year is two years past. */
export interface CaseDuties {
  decidedYear: number;
  publication: 'pending' | 'overdue' | 'on-time' | 'late';
  filing?: 'pending' | 'overdue' | 'on-time' | 'late';
}

export interface Ledger {
  /**
   * Figures per calendar year of the event. Publications and filings count by decision year from
   * caseDuties; once a decision year is two years past, its counts are frozen here.
   */
  years: Record<string, Omit<StatisticsFigures, 'publications' | 'filings'> & Partial<Pick<StatisticsFigures, 'publications' | 'filings'>>>;
  caseDuties: Record<string, CaseDuties>;
  /** Case events already counted (a retried report is counted once). */
  seen: string[];
}

export interface DutiesInput {
  agencyId: string;
  agencyName: string;
  year: number;
  policy: DutyPolicy;
  /** Carried from the previous year's run. */
  carried?: { ledger: Ledger; history: YearRecord[]; timeline: TimelineEntry[]; records?: RecordsCarry };
}

export interface CaseFileReviewRecord {
  quarter: 1 | 2 | 3 | 4;
  files: Array<{ ref: string; score: number; reviewer?: string; grade: CaseFileGrade }>;
  failing: string[];
  recordedAt: string;
  late: boolean;
  by: Actor;
}

export const DUTY_STATUS_LABELS = {
  'not-tracked': '不跟踪（系统启用前已到期）',
  open: '待完成',
  done: '已完成',
  missing: '未报送（缺失）',
} as const;
export type DutyStatus = keyof typeof DUTY_STATUS_LABELS;

export interface DutiesState {
  agencyId: string;
  agencyName: string;
  year: number;
  statisticsReport: {
    coversYear: number;
    status: DutyStatus;
    draft?: StatisticsFigures & { draftedAt: string };
    submitted?: { figures: StatisticsFigures; note: string; submittedAt: string; late: boolean; by: Actor };
  };
  selfInspection: { status: DutyStatus; submitted?: z.output<typeof selfInspectionSchema> & { submittedAt: string; late: boolean; by: Actor } };
  caseFileReviews: Record<'1' | '2' | '3' | '4', { status: DutyStatus; record?: CaseFileReviewRecord }>;
  deadlines: Array<TimerDeadline<DutyName>>;
  overdue: boolean;
  nextDueAt: string | null;
  /** Earlier years: what was submitted when, what went missing. */
  history: YearRecord[];
}

export interface YearRecord {
  year: number;
  statisticsReport: { status: DutyStatus; submittedAt?: string; late?: boolean; coversYear: number; figures?: StatisticsFigures };
  selfInspection: { status: DutyStatus; submittedAt?: string; late?: boolean };
  caseFileReviews: Array<{ quarter: number; status: DutyStatus; failing: number }>;
}

type Body<S extends z.ZodType> = z.output<S>;
export const dutyActions = {
  submitStatisticsReport: defineUpdate<DutiesState, [Actor, Body<typeof statisticsSubmissionSchema>]>('submitStatisticsReport'),
  submitSelfInspection: defineUpdate<DutiesState, [Actor, Body<typeof selfInspectionSchema>]>('submitSelfInspection'),
  recordCaseFileReview: defineUpdate<DutiesState, [Actor, Body<typeof caseFileReviewSchema>]>('recordCaseFileReview'),
  /** Sent with an empty body since the duties' table (domain/procedures/duties.ts); before, with the actor alone. */
  redraftStatisticsReport: defineUpdate<DutiesState, [Actor, Body<typeof redraftSchema>?]>('redraftStatisticsReport'),
};
/** The duties' actions: the rows of domain/procedures/duties.ts, each an Update of the same name. */
export type DutiesActionName = keyof typeof dutyActions;

export const caseEventSignal = defineSignal<[CaseEvent]>('caseEvent');
export const dutiesQuery = defineQuery<DutiesState>('duties');
export const ledgerQuery = defineQuery<{ figures: Record<string, StatisticsFigures> }, [{ years: number[] }]>('ledger');
export const dutiesTimelineQuery = defineQuery<TimelineEntry[]>('dutiesTimeline');
/** The whole ledger, for the records backfill (platform/records/backfill.ts). */
export const ledgerExportQuery = defineQuery<Ledger>('ledgerExport');

/**
 * The ledger's key of a case event: its source and sequence number when it has them, otherwise its
 * content (the key of events reported before cases numbered them; two disputes of one case on one
 * day shared it). Both keys have the event's date as their third '/'-segment, by which the ledger
 * drops the keys of past years (workflow ids and case numbers hold no '/').
 */
export function caseEventKey(event: CaseEvent): string {
  if (event.source !== undefined && event.seq !== undefined) return `${event.source}/#${event.seq}/${event.on}`;
  return `${event.caseId}/${event.type}/${event.on}/${'duty' in event ? event.duty : ''}${'conclusion' in event ? event.conclusion : ''}`;
}

export function dutiesWorkflowId(agencyId: string): string {
  return `${DUTIES_KIND}:${agencyId}`;
}

/** The figures of `year` from the ledger: counts of its events, and its decisions' duties. */
export function figuresFor(ledger: Ledger, year: number): StatisticsFigures {
  const base = ledger.years[String(year)] ?? {
    decisions: { total: 0, byCategory: {}, byProcedure: {} },
    legalReviews: { opinions: 0, byConclusion: {} },
    disputes: { total: 0, byOutcome: {} },
    transfers: 0,
  };
  const publications = { ...(base.publications ?? { onTime: 0, late: 0, missing: 0 }) };
  const filings = { ...(base.filings ?? { onTime: 0, late: 0, missing: 0 }) };
  const add = (to: typeof publications, status: CaseDuties['publication'] | undefined) => {
    if (status === 'on-time') to.onTime++;
    else if (status === 'late') to.late++;
    else if (status === 'overdue') to.missing++;
  };
  for (const duties of Object.values(ledger.caseDuties)) {
    if (duties.decidedYear !== year) continue;
    add(publications, duties.publication);
    add(filings, duties.filing);
  }
  return { decisions: base.decisions, legalReviews: base.legalReviews, disputes: base.disputes, transfers: base.transfers, publications, filings };
}

/** Figures with nothing counted yet. */
export function emptyFigures(): StatisticsFigures {
  return {
    decisions: { total: 0, byCategory: {}, byProcedure: {} },
    legalReviews: { opinions: 0, byConclusion: {} },
    disputes: { total: 0, byOutcome: {} },
    publications: { onTime: 0, late: 0, missing: 0 },
    filings: { onTime: 0, late: 0, missing: 0 },
    transfers: 0,
  };
}

/**
 * The sum of two counts of one year: the ledger's (cases that reported by signal) and the records
 * database's (cases that write their outcomes as rows). A case is counted by one of them only.
 */
export function addFigures(a: StatisticsFigures, b: StatisticsFigures): StatisticsFigures {
  const map = (x: Record<string, number>, y: Record<string, number>) => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  const timely = (x: StatisticsFigures['publications'], y: StatisticsFigures['publications']) => ({ onTime: x.onTime + y.onTime, late: x.late + y.late, missing: x.missing + y.missing });
  return {
    decisions: { total: a.decisions.total + b.decisions.total, byCategory: map(a.decisions.byCategory, b.decisions.byCategory), byProcedure: map(a.decisions.byProcedure, b.decisions.byProcedure) },
    legalReviews: { opinions: a.legalReviews.opinions + b.legalReviews.opinions, byConclusion: map(a.legalReviews.byConclusion, b.legalReviews.byConclusion) },
    disputes: { total: a.disputes.total + b.disputes.total, byOutcome: map(a.disputes.byOutcome, b.disputes.byOutcome) },
    publications: timely(a.publications, b.publications),
    filings: timely(a.filings, b.filings),
    transfers: a.transfers + b.transfers,
  };
}
