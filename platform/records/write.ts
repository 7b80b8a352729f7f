/**
 * The one way rows enter the records database: a workflow's write (RecordsChange), applied once.
 *
 * - The write's key is (workflow id, seq). A retried activity, a replayed workflow or an attempt
 *   that timed out but committed later finds its key taken and changes nothing.
 * - A row keeps the highest seq written: a late write never puts an older state back.
 * - Record entries are keyed by (workflow id, run id, position), so an entry is stored once
 *   whichever write (or the backfill) brings it.
 */
import { sql, type Insertable, type Transaction } from 'kysely';
import type { CasesTable, Database } from './schema.js';
import type { RecordsDb } from './database.js';
import { caseOutcomeRows, caseRow, deadlineRows, dutiesRow, publishedDecisionRow, siteRow, statisticsReportRows, type RecordsChange } from './projections.js';
import type { DutiesState } from '../../workflows/agency-duties-messages.js';
import type { SiteState } from '../../workflows/demo-site-messages.js';
import type { LegalReviewState } from '../../workflows/legal-review-messages.js';

export type WriteOutcome = 'applied' | 'already-applied';

const json = (value: unknown) => JSON.stringify(value ?? null);

export async function applyChange(db: RecordsDb, change: RecordsChange): Promise<WriteOutcome> {
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('record_writes')
      .values({ workflow_id: change.workflowId, seq: change.seq })
      .onConflict((oc) => oc.doNothing())
      .returning('seq')
      .executeTakeFirst();
    if (!claimed) return 'already-applied';

    const common = { workflow_id: change.workflowId, seq: change.seq, running: change.running, updated_at: new Date() };
    const newer = await upsertRow(trx, change, common);
    if (newer) {
      const state = change.state as { agencyId: string; deadlines: Parameters<typeof deadlineRows>[3] };
      await trx.deleteFrom('deadlines').where('workflow_id', '=', change.workflowId).execute();
      const rows = deadlineRows(change.kind, change.workflowId, state.agencyId, state.deadlines ?? []);
      if (rows.length) await trx.insertInto('deadlines').values(rows).execute();
      await writePublished(trx, change);
    }

    if (change.entries.length) {
      await trx
        .insertInto('record_entries')
        .values(
          change.entries.map(({ position, entry }) => ({
            workflow_id: change.workflowId,
            run_id: change.runId,
            position,
            at: entry.at,
            by: json(entry.by),
            action: entry.action,
            summary: entry.summary,
            words: entry.words ?? null,
            data: entry.data === undefined ? null : json(entry.data),
          })),
        )
        .onConflict((oc) => oc.constraint('record_entries_once').doNothing())
        .execute();
    }
    return 'applied';
  });
}

type Trx = Transaction<Database>;

/** What the public reads, from the state just written: the published decision, the submitted reports. */
async function writePublished(trx: Trx, change: RecordsChange): Promise<void> {
  if (change.kind === 'legal-review') {
    const outcomes = caseOutcomeRows(change.workflowId, change.state as LegalReviewState);
    // An outcome, once reported, never changes: the first write of it stands.
    if (outcomes.length) await trx.insertInto('case_outcomes').values(outcomes).onConflict((oc) => oc.columns(['workflow_id', 'seq']).doNothing()).execute();
    const row = publishedDecisionRow(change.workflowId, change.state as LegalReviewState);
    if (!row) {
      await trx.deleteFrom('published_decisions').where('workflow_id', '=', change.workflowId).execute();
      return;
    }
    await trx
      .insertInto('published_decisions')
      .values(row)
      .onConflict((oc) => oc.column('workflow_id').doUpdateSet({ published_on: row.published_on, decided_on: row.decided_on, view: row.view }))
      .execute();
  } else if (change.kind === 'agency-duties') {
    for (const row of statisticsReportRows(change.state as DutiesState)) {
      await trx
        .insertInto('statistics_reports')
        .values(row)
        .onConflict((oc) => oc.columns(['agency_id', 'covers_year']).doUpdateSet({ agency_name: row.agency_name, submitted_at: row.submitted_at, late: row.late, figures: row.figures }))
        .execute();
    }
  }
}

/** Inserts or replaces the workflow's row unless a later write is already there; true when it wrote. */
async function upsertRow(trx: Trx, change: RecordsChange, common: { workflow_id: string; seq: number; running: boolean; updated_at: Date }): Promise<boolean> {
  const { table, row } = rowOf(change, common);
  // Every column but the key takes the new value, and only when this write is the later one.
  const replaceAll = Object.fromEntries(Object.keys(row).filter((k) => k !== 'workflow_id').map((k) => [k, sql.ref(`excluded.${k}`)]));
  const done = await (trx as unknown as Transaction<Pick<Database, 'cases'>>)
    .insertInto(table as 'cases')
    .values(row as Insertable<CasesTable>)
    .onConflict((oc) => oc.column('workflow_id').doUpdateSet(replaceAll).where(sql<boolean>`${sql.ref(`${table}.seq`)} < excluded.seq`))
    .returning('workflow_id')
    .executeTakeFirst();
  return Boolean(done);
}

/** The procedure's table and the row its state becomes there. */
function rowOf(change: RecordsChange, common: object): { table: 'cases' | 'sites' | 'duties'; row: object } {
  switch (change.kind) {
    case 'legal-review':
      return { table: 'cases', row: { ...caseRow(change.state as LegalReviewState), ...common } };
    case 'demo-site':
      return { table: 'sites', row: { ...siteRow(change.state as SiteState), ...common } };
    case 'agency-duties':
      return { table: 'duties', row: { ...dutiesRow(change.state as DutiesState, change.ledger), ...common } };
  }
}
