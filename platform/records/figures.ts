/**
 * The statistics of a year counted in SQL from the outcomes the cases wrote (case_outcomes), with
 * the ledger's rules (workflows/agency-duties.ts takeCaseEvent): events count in the calendar year
 * of their date; publication and filing count by the year of the decision, as on time, late, or
 * missing once overdue and still not done.
 */
import { sql } from 'kysely';
import type { StatisticsFigures } from '../../domain/duties.js';
import { emptyFigures, figuresFor, addFigures, type Ledger } from '../../workflows/agency-duties-messages.js';
import type { RecordsDb } from './database.js';

const bump = (map: Record<string, number>, key: string | null, n: number) => {
  if (key !== null) map[key] = (map[key] ?? 0) + n;
};

/** Each agency's figures of `year` from the outcome rows (agencies with none are absent). */
export async function recordedFigures(db: RecordsDb, year: number, agencyId?: string): Promise<Map<string, StatisticsFigures>> {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const byAgency = new Map<string, StatisticsFigures>();
  const of = (id: string) => {
    let figures = byAgency.get(id);
    if (!figures) byAgency.set(id, (figures = emptyFigures()));
    return figures;
  };

  let events = db
    .selectFrom('case_outcomes')
    .select(['agency_id', 'type', 'category', 'procedure', 'conclusion', 'outcome', sql<number>`count(*)::int`.as('n')])
    .where('on_date', '>=', from)
    .where('on_date', '<=', to)
    .where('type', 'in', ['decided', 'opinion', 'disputed', 'coordinated', 'transferred'])
    .groupBy(['agency_id', 'type', 'category', 'procedure', 'conclusion', 'outcome']);
  if (agencyId) events = events.where('agency_id', '=', agencyId);
  for (const row of await events.execute()) {
    const figures = of(row.agency_id);
    switch (row.type) {
      case 'decided':
        figures.decisions.total += row.n;
        bump(figures.decisions.byCategory, row.category, row.n);
        bump(figures.decisions.byProcedure, row.procedure, row.n);
        break;
      case 'opinion':
        figures.legalReviews.opinions += row.n;
        bump(figures.legalReviews.byConclusion, row.conclusion, row.n);
        break;
      case 'disputed':
        figures.disputes.total += row.n;
        break;
      case 'coordinated':
        bump(figures.disputes.byOutcome, row.outcome, row.n);
        break;
      case 'transferred':
        figures.transfers += row.n;
        break;
    }
  }

  // The duties after each decision of the year: done on time, late, or missing once overdue.
  const duties = await sql<{ agency_id: string; pub_on_time: number; pub_late: number; pub_missing: number; fil_on_time: number; fil_late: number; fil_missing: number }>`
    WITH decided AS (
      SELECT workflow_id, agency_id, coalesce(major_penalty, false) AS major_penalty FROM case_outcomes
      WHERE type = 'decided' AND on_date BETWEEN ${from}::date AND ${to}::date ${agencyId ? sql`AND agency_id = ${agencyId}` : sql``}
    ), status AS (
      SELECT d.workflow_id, d.agency_id, d.major_penalty,
        bool_or(o.type = 'published') AS published, bool_or(o.type = 'published' AND o.late) AS published_late,
        bool_or(o.type = 'duty-overdue' AND o.duty = 'publication') AS publication_overdue,
        bool_or(o.type = 'filed') AS filed, bool_or(o.type = 'filed' AND o.late) AS filed_late,
        bool_or(o.type = 'duty-overdue' AND o.duty = 'filing') AS filing_overdue
      FROM decided d JOIN case_outcomes o USING (workflow_id)
      GROUP BY d.workflow_id, d.agency_id, d.major_penalty
    )
    SELECT agency_id,
      count(*) FILTER (WHERE published AND NOT published_late)::int AS pub_on_time,
      count(*) FILTER (WHERE published AND published_late)::int AS pub_late,
      count(*) FILTER (WHERE NOT published AND publication_overdue)::int AS pub_missing,
      count(*) FILTER (WHERE major_penalty AND filed AND NOT filed_late)::int AS fil_on_time,
      count(*) FILTER (WHERE major_penalty AND filed AND filed_late)::int AS fil_late,
      count(*) FILTER (WHERE major_penalty AND NOT filed AND filing_overdue)::int AS fil_missing
    FROM status GROUP BY agency_id`.execute(db);
  for (const row of duties.rows) {
    const figures = of(row.agency_id);
    figures.publications = { onTime: row.pub_on_time, late: row.pub_late, missing: row.pub_missing };
    figures.filings = { onTime: row.fil_on_time, late: row.fil_late, missing: row.fil_missing };
  }
  return byAgency;
}

/**
 * Each agency's figures of `year`, whole: what its ledger counted of the cases that reported by
 * signal (as its duties workflow last wrote the ledger) plus the outcome rows of the others.
 */
export async function yearFigures(db: RecordsDb, year: number, agencyId?: string): Promise<Map<string, StatisticsFigures>> {
  let ledgers = db.selectFrom('duties').select(['agency_id', 'ledger']).where('ledger', 'is not', null);
  if (agencyId) ledgers = ledgers.where('agency_id', '=', agencyId);
  const [recorded, rows] = await Promise.all([recordedFigures(db, year, agencyId), ledgers.execute()]);
  const out = new Map(recorded);
  for (const row of rows) {
    const fromLedger = figuresFor(row.ledger as Ledger, year);
    out.set(row.agency_id, addFigures(fromLedger, out.get(row.agency_id) ?? emptyFigures()));
  }
  return out;
}
