/**
 * The backfill writes what workflows that never wrote their records hold (cases that ended before
 * the records database, running ones that have not woken since, an agency's ledger), once: run
 * again it changes nothing, and the workflow's own later writes take over without a duplicate
 * entry. Real dev server (its visibility lists the workflows), workers and PostgreSQL.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLedgerActivities } from '../activities/ledger.js';
import { buildApp } from '../api/app.js';
import { backfillRecords } from '../platform/records/backfill.js';
import type { RecordsDb } from '../platform/records/database.js';
import { yearFigures } from '../platform/records/figures.js';
import { SA } from '../platform/search-attributes.js';
import { dutiesWorkflowId } from '../workflows/agency-duties-messages.js';
import { legalReviewWorkflowId } from '../workflows/legal-review-messages.js';
import { createWorker } from '../worker/worker.js';
import { agencies, bearer, devServerEnv, fileRecordsDb, opinion, sampleSubmission, testConfig, uniqueTaskQueue, workflowBundle } from './helpers.js';

const config = testConfig(uniqueTaskQueue('backfill'));
let env: TestWorkflowEnvironment;
let db: RecordsDb;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  env = await devServerEnv();
  db = (await fileRecordsDb())!;
  app = await buildApp({ config, temporal: env.client, agencies, records: db });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await env?.teardown();
});

/** A worker on the test's task queue; without `records`, as a worker before the records database. */
async function worker(records?: RecordsDb): Promise<{ worker: Worker; stop: () => Promise<void> }> {
  const w = await createWorker({ connection: env.nativeConnection, namespace: 'default', client: env.client, taskQueue: config.TEMPORAL_TASK_QUEUE, agencies, webhookSecret: config.WEBHOOK_SECRET, workflowBundle: await workflowBundle(), records });
  const running = w.run();
  return { worker: w, stop: async () => { w.shutdown(); await running; } };
}

const act = async (caseId: string, path: string, role: Parameters<typeof bearer>[1], payload: object) => {
  const res = await app.inject({ method: 'POST', url: `/api/decisions/${encodeURIComponent(caseId)}/${path}`, headers: bearer(config, role), payload });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

const count = async (table: 'cases' | 'duties' | 'record_entries') => Number((await db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

describe('the records backfill', () => {
  it('writes every workflow that never wrote once, and leaves the rest to the workflows themselves', async () => {
    const before = await worker(undefined);
    let ended: string;
    let open: string;
    try {
      const submit = async (caseNumber: string) => (await app.inject({ method: 'POST', url: '/api/decisions', headers: bearer(config, 'agency'), payload: sampleSubmission({ caseNumber }) })).json().caseId as string;
      ended = await submit('补录测试〔2026〕1号');
      await act(ended, 'opinion', 'legal-review', opinion('fail', ['facts-and-evidence']));
      await act(ended, 'accept', 'agency', {});
      open = await submit('补录测试〔2026〕2号');
      // An older case's outcome reaches the agency's ledger by signal, as cases did before.
      const ledger = createLedgerActivities({ client: env.client, agencies, taskQueue: config.TEMPORAL_TASK_QUEUE });
      await ledger.reportCaseEvent({ agencyId: 'county-market', event: { type: 'transferred', caseId: 'county-market:旧案', on: '2026-06-01', source: 'legal-review:county-market:旧案', seq: 1 } });
      await vi.waitFor(async () => expect((await env.client.workflow.getHandle(legalReviewWorkflowId(ended)).describe()).status.name).toBe('COMPLETED'), { timeout: 15_000 });
      // Nothing was written: the worker had no records database.
      expect(await count('cases')).toBe(0);
      // Visibility lists all three (it is eventually consistent).
      await vi.waitFor(async () => expect((await env.client.workflow.count(`${SA.kind.name} IN ('legal-review', 'agency-duties')`)).count).toBe(3), { timeout: 15_000 });

      // Queries of a closed case need a worker: the backfill runs beside the workers.
      const first = await backfillRecords(env.client, db);
      expect(first).toMatchObject({ written: 3, already: 0, failed: [] });
      const rows = await db.selectFrom('cases').select(['case_id', 'stage', 'running', 'seq']).orderBy('case_id').execute();
      expect(rows).toEqual([
        { case_id: ended, stage: 'not-approved', running: false, seq: 0 },
        { case_id: open, stage: 'under-review', running: true, seq: 0 },
      ]);
      const entries = await db.selectFrom('record_entries').select('action').where('workflow_id', '=', legalReviewWorkflowId(ended)).orderBy('position').execute();
      expect(entries.map((e) => e.action)).toEqual(['submit', 'giveOpinion', 'acceptOpinion', 'closed']);
      // The ledger's figures are in the database now, with the duties.
      expect((await yearFigures(db, 2026, 'county-market')).get('county-market')?.transfers).toBe(1);

      // Again: nothing changes.
      const entriesBefore = await count('record_entries');
      expect(await backfillRecords(env.client, db)).toMatchObject({ written: 0, already: 3, failed: [] });
      expect(await count('record_entries')).toBe(entriesBefore);
    } finally {
      await before.stop();
    }

    // The new worker writes: the open case takes over its row from its next step, with no entry twice.
    const after = await worker(db);
    try {
      await act(open!, 'opinion', 'legal-review', opinion('pass'));
      const row = await db.selectFrom('cases').select(['stage', 'seq']).where('case_id', '=', open!).executeTakeFirstOrThrow();
      expect(row.stage).toBe('awaiting-response');
      expect(row.seq).toBeGreaterThan(0);
      const entries = await db.selectFrom('record_entries').select(['action', 'position']).where('workflow_id', '=', legalReviewWorkflowId(open!)).orderBy('position').execute();
      expect(entries.map((e) => [e.position, e.action])).toEqual([[0, 'submit'], [1, 'giveOpinion']]);
      expect((await env.client.workflow.getHandle(dutiesWorkflowId('county-market')).describe()).status.name).toBe('RUNNING');
    } finally {
      await after.stop();
    }
  }, 120_000);
});
