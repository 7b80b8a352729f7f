/**
 * The records database's versioned migrations, applied in order at start (npm start, the worker,
 * the API, the tests) by kysely's migrator, which records each one it applied and takes a lock so
 * two processes starting together apply each once. A migration, once released, is never edited:
 * a change is a new one.
 */
import { sql, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';

/** Columns of every procedure's table (see schema.ts ProcedureColumns). */
function procedureColumns(table: CreateTableBuilder<string, never>): CreateTableBuilder<string, string> {
  return table
    .addColumn('workflow_id', 'text', (c) => c.primaryKey())
    .addColumn('agency_id', 'text', (c) => c.notNull())
    .addColumn('agency_name', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('stage_label', 'text', (c) => c.notNull())
    .addColumn('awaiting', 'text')
    .addColumn('overdue', 'boolean', (c) => c.notNull())
    .addColumn('next_due_at', 'timestamptz')
    .addColumn('summary', 'jsonb', (c) => c.notNull())
    .addColumn('state', 'jsonb', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('running', 'boolean', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull());
}

export const MIGRATIONS: Record<string, Migration> = {
  '0001-records': {
    async up(db: Kysely<unknown>) {
      await procedureColumns(db.schema.createTable('cases'))
        .addColumn('case_id', 'text', (c) => c.notNull().unique())
        .addColumn('case_number', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('party_name', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('procedure', 'text', (c) => c.notNull())
        .addColumn('major_penalty', 'boolean', (c) => c.notNull())
        .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
        .addColumn('decided_on', 'date')
        .execute();
      await db.schema.createIndex('cases_agency_submitted').on('cases').columns(['agency_id', 'submitted_at']).execute();
      await db.schema.createIndex('cases_next_due').on('cases').column('next_due_at').where(sql.ref('next_due_at'), 'is not', null).execute();
      await db.schema.createIndex('cases_decided').on('cases').columns(['agency_id', 'decided_on']).execute();

      await procedureColumns(db.schema.createTable('sites'))
        .addColumn('site_id', 'text', (c) => c.notNull().unique())
        .addColumn('year', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sites_agency_year').on('sites').columns(['agency_id', 'year']).execute();

      await procedureColumns(db.schema.createTable('duties')).addColumn('year', 'integer', (c) => c.notNull()).execute();

      await db.schema
        .createTable('record_entries')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('workflow_id', 'text', (c) => c.notNull())
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('by', 'jsonb', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('words', 'text')
        .addColumn('data', 'jsonb')
        .addUniqueConstraint('record_entries_once', ['workflow_id', 'run_id', 'position'])
        .execute();
      await db.schema.createIndex('record_entries_workflow').on('record_entries').columns(['workflow_id', 'at', 'id']).execute();

      await db.schema
        .createTable('deadlines')
        .addColumn('workflow_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('agency_id', 'text', (c) => c.notNull())
        .addColumn('responsible', 'jsonb', (c) => c.notNull())
        .addColumn('due_date', 'date', (c) => c.notNull())
        .addColumn('due_at', 'timestamptz', (c) => c.notNull())
        .addColumn('overdue', 'boolean', (c) => c.notNull())
        .addColumn('provisional', 'boolean', (c) => c.notNull())
        .addColumn('met_on', 'date')
        .addColumn('met_late', 'boolean')
        .addPrimaryKeyConstraint('deadlines_pk', ['workflow_id', 'name'])
        .execute();
      await db.schema.createIndex('deadlines_open').on('deadlines').columns(['due_at']).where(sql.ref('met_on'), 'is', null).execute();

      await db.schema
        .createTable('record_writes')
        .addColumn('workflow_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('applied_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('record_writes_pk', ['workflow_id', 'seq'])
        .execute();
    },
  },
  '0002-published': {
    async up(db: Kysely<unknown>) {
      // What the public side reads: the decisions as published (masked, platform/records/projections.ts)
      // and the statistics reports as submitted. Never the cases' own rows.
      await db.schema
        .createTable('published_decisions')
        .addColumn('workflow_id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('agency_id', 'text', (c) => c.notNull())
        .addColumn('published_on', 'date', (c) => c.notNull())
        .addColumn('decided_on', 'date', (c) => c.notNull())
        .addColumn('view', 'jsonb', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('published_decisions_order').on('published_decisions').columns(['published_on', 'workflow_id']).execute();
      await db.schema.createIndex('published_decisions_agency').on('published_decisions').columns(['agency_id', 'published_on']).execute();

      await db.schema
        .createTable('statistics_reports')
        .addColumn('agency_id', 'text', (c) => c.notNull())
        .addColumn('covers_year', 'integer', (c) => c.notNull())
        .addColumn('agency_name', 'text', (c) => c.notNull())
        .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
        .addColumn('late', 'boolean', (c) => c.notNull())
        .addColumn('figures', 'jsonb', (c) => c.notNull())
        .addPrimaryKeyConstraint('statistics_reports_pk', ['agency_id', 'covers_year'])
        .execute();
    },
  },
  '0003-outcomes': {
    async up(db: Kysely<unknown>) {
      // What each case reports (opinions, disputes, decisions, publication, filing …): the statistics
      // report and the compliance overview count these rows, as the agency's ledger counted its signals.
      await db.schema
        .createTable('case_outcomes')
        .addColumn('workflow_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('agency_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('on_date', 'date', (c) => c.notNull())
        .addColumn('category', 'text')
        .addColumn('procedure', 'text')
        .addColumn('major_penalty', 'boolean')
        .addColumn('conclusion', 'text')
        .addColumn('outcome', 'text')
        .addColumn('duty', 'text')
        .addColumn('late', 'boolean')
        .addPrimaryKeyConstraint('case_outcomes_pk', ['workflow_id', 'seq'])
        .execute();
      await db.schema.createIndex('case_outcomes_agency_on').on('case_outcomes').columns(['agency_id', 'on_date']).execute();
      // The ledger each agency's duties workflow kept of the cases that reported to it by signal.
      await db.schema.alterTable('duties').addColumn('ledger', 'jsonb').execute();
    },
  },
};
