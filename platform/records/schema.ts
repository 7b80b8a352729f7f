/**
 * The records database's tables as the query layer sees them (kysely). The migrations
 * (./migrations.ts) create them; every row is written by the workflow that owns it, through the
 * records activity (activities/records.ts), and read by the API.
 */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** jsonb: read as the value, written as its JSON text (node-postgres would turn an array into a SQL array). */
type Json<T = unknown> = ColumnType<T, string, string>;

/** Columns every procedure's row has: who owns it, where it stands, its next deadline. */
interface ProcedureColumns {
  /** The Temporal workflow id that writes the row. */
  workflow_id: string;
  agency_id: string;
  agency_name: string;
  stage: string;
  stage_label: string;
  awaiting: string | null;
  overdue: boolean;
  next_due_at: Timestamp | null;
  /** The list row the API answers (the memo's summary before the records database). */
  summary: Json;
  /** The workflow's whole state as of `seq`. */
  state: Json;
  /** The write that left the row as it is: a later write replaces it, an earlier (retried) one never does. */
  seq: number;
  /** False once the workflow has ended (closed, withdrawn, transferred …). */
  running: boolean;
  updated_at: Timestamp;
}

export interface CasesTable extends ProcedureColumns {
  case_id: string;
  case_number: string;
  title: string;
  party_name: string;
  category: string;
  procedure: string;
  major_penalty: boolean;
  submitted_at: Timestamp;
  /** Asia/Shanghai date of the decision, once made. */
  decided_on: string | null;
}

export interface SitesTable extends ProcedureColumns {
  site_id: string;
  year: number;
}

export interface DutiesTable extends ProcedureColumns {
  year: number;
  /** The ledger of the cases that reported by signal (before outcomes were written as rows). */
  ledger: Json | null;
}

/** One outcome a case reported (the ledger's event), counted by the year of its date. */
export interface CaseOutcomesTable {
  workflow_id: string;
  /** The case's own number of the outcome. */
  seq: number;
  agency_id: string;
  type: string;
  on_date: string;
  category: string | null;
  procedure: string | null;
  major_penalty: boolean | null;
  conclusion: string | null;
  outcome: string | null;
  duty: string | null;
  late: boolean | null;
}

/** One entry of a full-process record (全过程记录), in the order it was made. */
export interface RecordEntriesTable {
  id: Generated<string>;
  workflow_id: string;
  /** The run and the entry's place in it: the key that makes a repeated write harmless. */
  run_id: string;
  position: number;
  at: Timestamp;
  by: Json;
  action: string;
  summary: string;
  words: string | null;
  data: Json | null;
}

/** The deadlines of every procedure as of its last write (met ones included, as the record of on time or late). */
export interface DeadlinesTable {
  workflow_id: string;
  name: string;
  kind: string;
  agency_id: string;
  responsible: Json;
  due_date: string;
  due_at: Timestamp;
  overdue: boolean;
  provisional: boolean;
  met_on: string | null;
  met_late: boolean | null;
}

/** Writes already applied, by workflow id and the workflow's own sequence number. */
export interface RecordWritesTable {
  workflow_id: string;
  seq: number;
  applied_at: Generated<Timestamp>;
}

/** A decision as the public sees it (publicDecisionView: a person as surname + 某, no id numbers), while published. */
export interface PublishedDecisionsTable {
  workflow_id: string;
  case_id: string;
  agency_id: string;
  published_on: string;
  decided_on: string;
  view: Json;
}

/** An agency's statistics report as it submitted it (counts only), one per year covered. */
export interface StatisticsReportsTable {
  agency_id: string;
  covers_year: number;
  agency_name: string;
  submitted_at: Timestamp;
  late: boolean;
  figures: Json;
}

export interface Database {
  cases: CasesTable;
  sites: SitesTable;
  duties: DutiesTable;
  record_entries: RecordEntriesTable;
  deadlines: DeadlinesTable;
  record_writes: RecordWritesTable;
  published_decisions: PublishedDecisionsTable;
  statistics_reports: StatisticsReportsTable;
  case_outcomes: CaseOutcomesTable;
}
