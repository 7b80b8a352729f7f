/**
 * The API's reads from the records database (platform/records/): the lists, the warnings, what the
 * public sees and the record of a case that may be long gone from Temporal.
 *
 * Scoping lives here, in the one place every read passes: an agency's roles read their own agency's
 * rows only, and asking for another agency is refused (403) rather than answered with their own; the
 * office reads every agency's, or one agency's when it asks.
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../domain/roles.js';
import type { RecordsDb } from '../platform/records/database.js';
import type { Database } from '../platform/records/schema.js';
import type { DutiesState } from '../workflows/agency-duties-messages.js';
import type { SiteSummary } from '../workflows/demo-site-messages.js';
import type { CaseSummary, PublicDecisionView, TimelineEntry } from '../workflows/legal-review-messages.js';
import { HttpError } from './plugins/errors.js';

/** The agency whose rows the caller reads: undefined for the office reading every agency. */
export function agencyScope(actor: Actor, requested: string | undefined): string | undefined {
  if (actor.role === 'office') return requested;
  if (requested !== undefined && requested !== actor.agencyId) {
    const message = `agencyId：只能查看本单位（${actor.agencyId}）的记录，不能查看其他单位的`;
    throw new HttpError(403, message, [{ in: 'querystring', path: '/agencyId', message }]);
  }
  return actor.agencyId;
}

export function recordsOf(db: RecordsDb | undefined): RecordsDb {
  if (!db) throw new HttpError(503, '记录数据库未连接');
  return db;
}

// ----------------------------------------------------------------------------------------------
// Keyset pages: a cursor is the last row's sort key and workflow id, so a page never repeats or
// skips a row when others are added meanwhile.

const cursorSchema = z.tuple([z.string().nullable(), z.string().min(1)]);
type Cursor = z.output<typeof cursorSchema>;

function readCursor(cursor: string | undefined): Cursor | undefined {
  if (!cursor) return undefined;
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new HttpError(400, 'cursor：不是本列表给出的翻页标记，请原样传回上一页的 nextCursor', [{ path: 'querystring.cursor', message: 'invalid cursor' }]);
  }
}

function writeCursor(key: string | null, workflowId: string): string {
  return Buffer.from(JSON.stringify([key, workflowId])).toString('base64url');
}

type Page<T> = { items: T[]; nextCursor: string | null };

/** Rows of `pageSize + 1` → a page and the cursor of its last row when there are more. */
function page<R extends { workflow_id: string }, T>(rows: R[], pageSize: number, keyOf: (row: R) => string | null, item: (row: R) => T): Page<T> {
  const more = rows.length > pageSize;
  const shown = more ? rows.slice(0, pageSize) : rows;
  const last = shown.at(-1);
  return { items: shown.map(item), nextCursor: more && last ? writeCursor(keyOf(last), last.workflow_id) : null };
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

/** A text search over several columns: every word must appear in one of them (case-insensitive, literal). */
function searchClause(columns: string[], q: string) {
  const words = q.trim().split(/\s+/).filter(Boolean).slice(0, 5);
  return words.map((word) => {
    const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return sql<boolean>`(${sql.join(columns.map((c) => sql`${sql.ref(c)} ILIKE ${pattern}`), sql` OR `)})`;
  });
}

// ----------------------------------------------------------------------------------------------
// Cases.

export interface CaseListFilters {
  agencyId?: string;
  stage?: string;
  awaiting?: string;
  overdue?: boolean;
  /** Words to find in the case number, title or party. */
  q?: string;
  /** Newest first (default), or the soonest deadline first. */
  sort?: 'submitted' | 'due';
}

export async function listCases(db: RecordsDb, actor: Actor, filters: CaseListFilters, pageSize: number, cursor?: string): Promise<Page<CaseSummary & { workflowId: string }>> {
  const agencyId = agencyScope(actor, filters.agencyId);
  const after = readCursor(cursor);
  let query = db.selectFrom('cases').select(['workflow_id', 'summary', 'submitted_at', 'next_due_at']);
  if (agencyId) query = query.where('agency_id', '=', agencyId);
  if (filters.stage) query = query.where('stage', '=', filters.stage);
  if (filters.awaiting === 'none') query = query.where('awaiting', 'is', null);
  else if (filters.awaiting) query = query.where('awaiting', '=', filters.awaiting);
  if (filters.overdue !== undefined) query = query.where('overdue', '=', filters.overdue);
  for (const clause of filters.q ? searchClause(['case_number', 'title', 'party_name'], filters.q) : []) query = query.where(clause);

  if (filters.sort === 'due') {
    query = dueOrder(query, after);
    const rows = await query.limit(pageSize + 1).execute();
    return page(rows, pageSize, (r) => iso(r.next_due_at), (r) => ({ workflowId: r.workflow_id, ...(r.summary as CaseSummary) }));
  }
  if (after) {
    const [at, id] = after;
    const when = new Date(at ?? 0);
    query = query.where((eb) => eb.or([eb('submitted_at', '<', when), eb.and([eb('submitted_at', '=', when), eb('workflow_id', '<', id)])]));
  }
  const rows = await query.orderBy('submitted_at', 'desc').orderBy('workflow_id', 'desc').limit(pageSize + 1).execute();
  return page(rows, pageSize, (r) => iso(r.submitted_at), (r) => ({ workflowId: r.workflow_id, ...(r.summary as CaseSummary) }));
}

/** Soonest deadline first, rows without one last; each in workflow-id order. */
function dueOrder<DB extends Database, T extends keyof DB & ('cases' | 'sites' | 'duties'), O>(query: SelectQueryBuilder<DB, T, O>, after: Cursor | undefined) {
  let q = query as unknown as SelectQueryBuilder<Database, 'cases', O>;
  if (after) {
    const [due, id] = after;
    q =
      due === null
        ? q.where((eb) => eb.and([eb('next_due_at', 'is', null), eb('workflow_id', '>', id)]))
        : q.where((eb) => eb.or([eb('next_due_at', '>', new Date(due)), eb.and([eb('next_due_at', '=', new Date(due)), eb('workflow_id', '>', id)]), eb('next_due_at', 'is', null)]));
  }
  return q.orderBy(sql`next_due_at asc nulls last`).orderBy('workflow_id', 'asc');
}

// ----------------------------------------------------------------------------------------------
// Warnings: everything running with an open deadline, soonest first, across the three kinds.

export type WarningLevel = 'normal' | 'yellow' | 'red';

export async function listWarnings(
  db: RecordsDb,
  actor: Actor,
  filters: { agencyId?: string; level?: WarningLevel; yellowUntil: string },
  pageSize: number,
  cursor?: string,
): Promise<Page<Record<string, unknown> & { workflowId: string; nextDueAt: string | null; overdue: boolean; level: WarningLevel }>> {
  const agencyId = agencyScope(actor, filters.agencyId);
  const after = readCursor(cursor);
  const open = (table: 'cases' | 'sites' | 'duties') => {
    let q = db.selectFrom(table).select(['workflow_id', 'summary', 'next_due_at', 'overdue']).where('running', '=', true).where('next_due_at', 'is not', null);
    if (agencyId) q = q.where('agency_id', '=', agencyId);
    if (filters.level === 'red') q = q.where('overdue', '=', true);
    else if (filters.level === 'yellow') q = q.where('overdue', '=', false).where('next_due_at', '<=', new Date(filters.yellowUntil));
    else if (filters.level === 'normal') q = q.where('overdue', '=', false).where('next_due_at', '>', new Date(filters.yellowUntil));
    return q;
  };
  let query = db.selectFrom(open('cases').unionAll(open('sites')).unionAll(open('duties')).as('open')).selectAll();
  if (after) {
    const due = new Date(after[0] ?? 0);
    const id = after[1];
    query = query.where((eb) => eb.or([eb('next_due_at', '>', due), eb.and([eb('next_due_at', '=', due), eb('workflow_id', '>', id)])]));
  }
  const rows = await query.orderBy('next_due_at', 'asc').orderBy('workflow_id', 'asc').limit(pageSize + 1).execute();
  const level = (row: { overdue: boolean; next_due_at: Date | string | null }): WarningLevel =>
    row.overdue ? 'red' : row.next_due_at !== null && iso(row.next_due_at)! <= filters.yellowUntil ? 'yellow' : 'normal';
  return page(rows, pageSize, (r) => iso(r.next_due_at), (r) => ({
    workflowId: r.workflow_id,
    ...(r.summary as object),
    nextDueAt: iso(r.next_due_at),
    overdue: r.overdue,
    level: level(r),
  }));
}

// ----------------------------------------------------------------------------------------------
// Sites.

export async function listSites(
  db: RecordsDb,
  actor: Actor,
  filters: { agencyId?: string; year?: number; stage?: string; overdue?: boolean },
  pageSize: number,
  cursor?: string,
): Promise<Page<SiteSummary & { workflowId: string }>> {
  const agencyId = agencyScope(actor, filters.agencyId);
  const after = readCursor(cursor);
  let query = db.selectFrom('sites').select(['workflow_id', 'summary']);
  if (agencyId) query = query.where('agency_id', '=', agencyId);
  if (filters.year !== undefined) query = query.where('year', '=', filters.year);
  if (filters.stage) query = query.where('stage', '=', filters.stage);
  if (filters.overdue !== undefined) query = query.where('overdue', '=', filters.overdue);
  if (after) query = query.where('workflow_id', '>', after[1]);
  const rows = await query.orderBy('workflow_id').limit(pageSize + 1).execute();
  return page(rows, pageSize, () => null, (r) => ({ workflowId: r.workflow_id, ...(r.summary as SiteSummary) }));
}

/** Sites under public notice now: anyone may see them. */
export async function sitesUnderNotice(db: RecordsDb): Promise<SiteSummary[]> {
  const rows = await db.selectFrom('sites').select('summary').where('stage', '=', 'under-notice').where('running', '=', true).orderBy('workflow_id').limit(200).execute();
  return rows.map((r) => r.summary as SiteSummary);
}

// ----------------------------------------------------------------------------------------------
// The public side: published decisions and submitted reports, never the cases' own rows.

export async function listPublishedDecisions(db: RecordsDb, filters: { agencyId?: string }, pageSize: number, cursor?: string): Promise<Page<PublicDecisionView>> {
  const after = readCursor(cursor);
  let query = db.selectFrom('published_decisions').select(['workflow_id', 'view', 'published_on']);
  if (filters.agencyId) query = query.where('agency_id', '=', filters.agencyId);
  if (after) {
    const [on, id] = after;
    query = query.where((eb) => eb.or([eb('published_on', '<', on ?? ''), eb.and([eb('published_on', '=', on ?? ''), eb('workflow_id', '<', id)])]));
  }
  const rows = await query.orderBy('published_on', 'desc').orderBy('workflow_id', 'desc').limit(pageSize + 1).execute();
  return page(rows, pageSize, (r) => r.published_on, (r) => r.view as PublicDecisionView);
}

export async function statisticsReports(db: RecordsDb, coversYear: number) {
  const rows = await db.selectFrom('statistics_reports').selectAll().where('covers_year', '=', coversYear).orderBy('agency_id').execute();
  return rows.map((r) => ({ agencyId: r.agency_id, agencyName: r.agency_name, submittedAt: iso(r.submitted_at)!, late: r.late, figures: r.figures }));
}

// ----------------------------------------------------------------------------------------------
// The full-process record of one workflow, from every run, in the order it was made.

export async function recordOf(db: RecordsDb, workflowId: string): Promise<TimelineEntry[] | undefined> {
  const rows = await db.selectFrom('record_entries').selectAll().where('workflow_id', '=', workflowId).orderBy('at').orderBy('id').execute();
  if (!rows.length) return undefined;
  return rows.map((r) => ({
    at: iso(r.at)!,
    by: r.by as TimelineEntry['by'],
    action: r.action,
    summary: r.summary,
    ...(r.words === null ? {} : { words: r.words }),
    ...(r.data === null ? {} : { data: r.data }),
  }));
}

/** The state of a workflow as last written (a case or site whose workflow is gone from Temporal). */
export async function lastStateOf(db: RecordsDb, table: 'cases' | 'sites', workflowId: string): Promise<unknown> {
  const row = await db.selectFrom(table).select('state').where('workflow_id', '=', workflowId).executeTakeFirst();
  return row?.state;
}

// ----------------------------------------------------------------------------------------------
// The office's compliance overview: counts per agency over all three kinds, in a few queries
// whatever the number of cases (the indexes on agency and next deadline answer them).

export interface AgencyCounts {
  normal: number;
  yellow: number;
  red: number;
  reviewsOverdue: number;
}

export async function openItemCounts(db: RecordsDb, yellowUntil: string): Promise<Map<string, AgencyCounts>> {
  const until = new Date(yellowUntil);
  const open = (table: 'cases' | 'sites' | 'duties') =>
    db
      .selectFrom(table)
      .select([
        'agency_id',
        sql<number>`count(*) FILTER (WHERE overdue)::int`.as('red'),
        sql<number>`count(*) FILTER (WHERE NOT overdue AND next_due_at <= ${until})::int`.as('yellow'),
        sql<number>`count(*) FILTER (WHERE NOT overdue AND next_due_at > ${until})::int`.as('normal'),
        (table === 'cases' ? sql<number>`count(*) FILTER (WHERE stage = 'under-review' AND overdue)::int` : sql<number>`0`).as('reviews_overdue'),
      ])
      .where('running', '=', true)
      .where('next_due_at', 'is not', null)
      .groupBy('agency_id');
  const rows = (await Promise.all([open('cases').execute(), open('sites').execute(), open('duties').execute()])).flat();
  const counts = new Map<string, AgencyCounts>();
  for (const row of rows) {
    const c = counts.get(row.agency_id) ?? { normal: 0, yellow: 0, red: 0, reviewsOverdue: 0 };
    counts.set(row.agency_id, { normal: c.normal + row.normal, yellow: c.yellow + row.yellow, red: c.red + row.red, reviewsOverdue: c.reviewsOverdue + row.reviews_overdue });
  }
  return counts;
}

/** Each agency's duties as last written, and its demonstration site of `year`. */
export async function dutiesAndSites(db: RecordsDb, year: number) {
  const [duties, sites] = await Promise.all([
    db.selectFrom('duties').select(['agency_id', 'state']).execute(),
    db.selectFrom('sites').select(['agency_id', 'summary']).where('year', '=', year).execute(),
  ]);
  return {
    duties: new Map(duties.map((d) => [d.agency_id, d.state as DutiesState])),
    sites: new Map(sites.map((s) => [s.agency_id, s.summary as SiteSummary])),
  };
}
