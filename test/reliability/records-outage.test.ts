/**
 * PostgreSQL stops in the middle of a case: the actions still complete in Temporal, and once the
 * server is back the records catch up with nothing missing and nothing twice. A real server of the
 * test's own (stopped and started for real), the real API and worker, and the dev server: real
 * time, so the writes' retries wait as long as they would in production.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openRecords, type RecordsDb } from '../../platform/records/database.js';
import { startPostgresServer, type PostgresServer } from '../../platform/records/postgres-server.js';
import { legalReviewWorkflowId } from '../../workflows/legal-review-messages.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bearer, cleanUpHarnesses, devServerEnv, harness, opinion, sampleSubmission, workflowBundle } from '../helpers.js';
import { freePort } from './support.js';

let env: TestWorkflowEnvironment;
let dataDir: string;
let server: PostgresServer;
let db: RecordsDb;

beforeAll(async () => {
  env = await devServerEnv();
  await workflowBundle();
  // Under the system's temporary folder: the server's user (postgres, under root) must reach it.
  dataDir = mkdtempSync(join(tmpdir(), 'records-outage-'));
  server = await startPostgresServer({ dataDir, port: await freePort() });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query('CREATE DATABASE records');
  await admin.end();
  db = await openRecords(server.urlOf('records'), { max: 4 });
}, 120_000);

afterAll(async () => {
  await cleanUpHarnesses();
  await env?.teardown();
  await db?.destroy();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('PostgreSQL stopped mid-flow', () => {
  it('lets the actions complete, then writes every change once when it returns', async () => {
    const h = await harness(env, {}, undefined, { records: db });
    await h.run(async () => {
      const submitted = await h.app.inject({ method: 'POST', url: '/api/decisions', headers: bearer(h.config, 'agency'), payload: sampleSubmission({ caseNumber: '停库测试〔2026〕1号' }) });
      expect(submitted.statusCode).toBe(201);
      const caseId: string = submitted.json().caseId;
      const workflowId = legalReviewWorkflowId(caseId);
      const row = () => db.selectFrom('cases').select(['stage', 'seq']).where('workflow_id', '=', workflowId).executeTakeFirst();
      await vi.waitFor(async () => expect(await row()).toMatchObject({ stage: 'under-review' }), { timeout: 10_000 });

      await server.stop();
      const act = async (path: string, role: Parameters<typeof bearer>[1], payload: object) => {
        const started = Date.now();
        const res = await h.app.inject({ method: 'POST', url: `/api/decisions/${encodeURIComponent(caseId)}/${path}`, headers: bearer(h.config, role), payload });
        return { status: res.statusCode, body: res.json(), ms: Date.now() - started };
      };
      // The case moves on in Temporal while its writes wait for the database.
      const opinionGiven = await act('opinion', 'legal-review', opinion('pass'));
      expect(opinionGiven.status).toBe(200);
      expect(opinionGiven.body.stage).toBe('awaiting-response');
      const accepted = await act('accept', 'agency', { note: '同意' });
      expect(accepted.status).toBe(200);
      expect(accepted.body.stage).toBe('awaiting-decision');
      // Answered at once while the database is down: the write waits for its next attempt on a timer.
      expect(opinionGiven.ms).toBeLessThan(3_000);
      expect(accepted.ms).toBeLessThan(3_000);
      // The list reads the database: it says so meanwhile (503 with Retry-After), never answers wrong.
      const listed = await h.app.inject({ method: 'GET', url: '/api/decisions', headers: bearer(h.config, 'office') });
      expect(listed.statusCode).toBe(503);
      expect(listed.headers['retry-after']).toBe('10');
      expect(listed.json()).toMatchObject({ error: 'Service Unavailable', message: expect.stringContaining('记录数据库暂时不可用') });
      // Health says which part is down: Temporal is up, the records are not.
      const health = await h.app.inject({ method: 'GET', url: '/health' });
      expect(health.json()).toMatchObject({ status: 'ok', temporal: { reachable: true }, records: { reachable: false } });

      await server.start();
      await vi.waitFor(async () => expect(await row()).toMatchObject({ stage: 'awaiting-decision' }), { timeout: 70_000, interval: 500 });
      const entries = await db.selectFrom('record_entries').select(['action', 'position']).where('workflow_id', '=', workflowId).orderBy('position').execute();
      expect(entries.map((e) => e.action)).toEqual(['submit', 'giveOpinion', 'acceptOpinion']);
      expect(entries.map((e) => e.position)).toEqual([0, 1, 2]);
      const listedAgain = await h.app.inject({ method: 'GET', url: '/api/decisions', headers: bearer(h.config, 'office') });
      expect(listedAgain.json().items.map((i: { caseId: string; stage: string }) => [i.caseId, i.stage])).toEqual([[caseId, 'awaiting-decision']]);
    });
  }, 180_000);
});
