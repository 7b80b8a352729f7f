/**
 * What each kind of workflow's state becomes in the records database: its row and its deadlines.
 * Pure functions of the state, run in the records activity (not in workflow code), so a new column
 * needs no change to running workflows: the next write fills it.
 */
import { DUTIES_KIND, type DutiesState } from '../../workflows/agency-duties-messages.js';
import { DEMO_SITE_KIND, siteSummary, type SiteState } from '../../workflows/demo-site-messages.js';
import { caseSummary, LEGAL_REVIEW_KIND, publicDecisionView, type LegalReviewState } from '../../workflows/legal-review-messages.js';
import type { Deadline } from '../../workflows/deadline-timers.js';
import type { CaseOutcomesTable, CasesTable, DeadlinesTable, DutiesTable, PublishedDecisionsTable, SitesTable, StatisticsReportsTable } from './schema.js';
import type { Insertable } from 'kysely';

export const RECORDED_KINDS = [LEGAL_REVIEW_KIND, DEMO_SITE_KIND, DUTIES_KIND] as const;
export type RecordedKind = (typeof RECORDED_KINDS)[number];

/** One write of a workflow: its state as of the write and the record entries made since the last one. */
export interface RecordsChange {
  kind: RecordedKind;
  workflowId: string;
  runId: string;
  /** The workflow's count of its writes (carried across continue-as-new): the write's key with workflowId. */
  seq: number;
  running: boolean;
  state: unknown;
  entries: Array<{ position: number; entry: { at: string; by: unknown; action: string; summary: string; words?: string; data?: unknown } }>;
  /** An agency's duties: the ledger of the cases that reported to it by signal. */
  ledger?: unknown;
}

type Common = 'workflow_id' | 'seq' | 'running' | 'updated_at';
const json = (value: unknown) => JSON.stringify(value ?? null);

function procedure(state: { agencyId: string; agencyName: string; overdue: boolean; nextDueAt: string | null }, stage: string, stageLabel: string, awaiting: string | null, summary: unknown) {
  return {
    agency_id: state.agencyId,
    agency_name: state.agencyName,
    stage,
    stage_label: stageLabel,
    awaiting,
    overdue: state.overdue,
    next_due_at: state.nextDueAt,
    summary: json(summary),
    state: json(state),
  };
}

export function caseRow(state: LegalReviewState): Omit<Insertable<CasesTable>, Common> {
  const { submission } = state;
  return {
    ...procedure(state, state.stage, state.stageLabel, state.awaiting, caseSummary(state)),
    case_id: state.caseId,
    case_number: submission.caseNumber,
    title: submission.title,
    party_name: submission.party.name,
    category: submission.category,
    procedure: submission.procedure,
    major_penalty: submission.majorPenalty,
    submitted_at: state.submittedAt,
    decided_on: state.decision?.decidedOn ?? null,
  };
}

export function siteRow(state: SiteState): Omit<Insertable<SitesTable>, Common> {
  return { ...procedure(state, state.stage, state.stageLabel, state.awaiting, siteSummary(state)), site_id: state.siteId, year: state.year };
}

export function dutiesRow(state: DutiesState, ledger: unknown): Omit<Insertable<DutiesTable>, Common> {
  const summary = { agencyId: state.agencyId, agencyName: state.agencyName, year: state.year, overdue: state.overdue, nextDueAt: state.nextDueAt };
  return { ...procedure(state, 'open', '年度职责', null, summary), year: state.year, ledger: ledger === undefined ? null : json(ledger) };
}

/** The outcomes a case reported, as rows (cases that began before outcomes were rows reported them to the ledger). */
export function caseOutcomeRows(workflowId: string, state: LegalReviewState): Array<Insertable<CaseOutcomesTable>> {
  return (state.outcomes ?? []).map((o, i) => ({
    workflow_id: workflowId,
    seq: o.seq ?? i + 1,
    agency_id: state.agencyId,
    type: o.type,
    on_date: o.on,
    category: 'category' in o ? o.category : null,
    procedure: 'procedure' in o ? o.procedure : null,
    major_penalty: 'majorPenalty' in o ? o.majorPenalty : null,
    conclusion: 'conclusion' in o ? o.conclusion : null,
    outcome: 'outcome' in o ? o.outcome : null,
    duty: 'duty' in o ? o.duty : null,
    late: 'late' in o ? o.late : null,
  }));
}

export function deadlineRows(kind: RecordedKind, workflowId: string, agencyId: string, deadlines: Deadline[]): Array<Insertable<DeadlinesTable>> {
  return deadlines.map((d) => ({
    workflow_id: workflowId,
    name: d.name,
    kind,
    agency_id: agencyId,
    responsible: json(d.responsible),
    due_date: d.dueDate,
    due_at: d.dueAt,
    overdue: d.overdue,
    provisional: d.provisional,
    met_on: d.met?.on ?? null,
    met_late: d.met?.late ?? null,
  }));
}

/** The case's decision as published, while it is (undefined before publication and once taken down). */
export function publishedDecisionRow(workflowId: string, state: LegalReviewState): Insertable<PublishedDecisionsTable> | undefined {
  const view = publicDecisionView(state);
  if (!view) return undefined;
  return { workflow_id: workflowId, case_id: view.caseId, agency_id: view.agencyId, published_on: view.publication.publishedOn, decided_on: view.decision.decidedOn, view: json(view) };
}

/** Every statistics report the agency has submitted: this year's and those of earlier years it keeps. */
export function statisticsReportRows(state: DutiesState): Array<Insertable<StatisticsReportsTable>> {
  const rows: Array<Insertable<StatisticsReportsTable>> = [];
  const current = state.statisticsReport.submitted;
  if (current) rows.push({ agency_id: state.agencyId, covers_year: state.statisticsReport.coversYear, agency_name: state.agencyName, submitted_at: current.submittedAt, late: current.late, figures: json(current.figures) });
  for (const past of state.history) {
    const report = past.statisticsReport;
    if (!report.figures || !report.submittedAt || rows.some((r) => r.covers_year === report.coversYear)) continue;
    rows.push({ agency_id: state.agencyId, covers_year: report.coversYear, agency_name: state.agencyName, submitted_at: report.submittedAt, late: report.late ?? false, figures: json(report.figures) });
  }
  return rows;
}
