/**
 * The system as `npm start` runs it: a real Temporal dev server with a SQLite file, a worker, and
 * the API listening on a real port, spoken to over HTTP. Visibility (listing by search attributes),
 * worker restarts and server restarts are exercised here, where they behave as in production.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../api/app.js';
import { createWorker } from '../worker/worker.js';
import { fileRecordsDb, agencies, bearer, devServerEnv, opinion, sampleSubmission, testConfig, uniqueTaskQueue, workflowBundle } from './helpers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'es-system-'));
const dbFilename = join(dataDir, 'temporal.sqlite');
const taskQueue = uniqueTaskQueue('system');
const config = testConfig(taskQueue);

let env: TestWorkflowEnvironment;

/** Worker and API on `env`, the API listening on an ephemeral port; returns its base URL and a stop(). */
async function startSystem(environment: TestWorkflowEnvironment) {
  const worker = await createWorker({
    connection: environment.nativeConnection,
    namespace: 'default',
    client: environment.client,
    taskQueue,
    agencies,
    webhookSecret: config.WEBHOOK_SECRET,
    workflowBundle: await workflowBundle(),
    records: await fileRecordsDb(),
  });
  const running = worker.run();
  const app = await buildApp({ config, temporal: environment.client, agencies, records: await fileRecordsDb() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    base,
    async stopWorker() {
      worker.shutdown();
      await running;
    },
    async stop() {
      await app.close();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}

async function http(base: string, method: string, path: string, role: Parameters<typeof bearer>[1], body?: unknown, agencyId?: string) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...bearer(config, role, agencyId), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

beforeAll(async () => {
  env = await devServerEnv(dbFilename);
}, 180_000);

afterAll(async () => {
  await env?.teardown();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the whole system on the dev server, over HTTP', () => {
  const submission = sampleSubmission();
  const caseId = `county-market:${submission.caseNumber}`;
  const casePath = `/api/decisions/${encodeURIComponent(caseId)}`;

  it('answers health, submits a case and lists it from the records database', async () => {
    const system = await startSystem(env);
    try {
      const health = await fetch(`${system.base}/health`);
      expect(health.status).toBe(200);

      const created = await http(system.base, 'POST', '/api/decisions', 'agency', submission);
      expect(created.status).toBe(201);
      expect(created.body.stage).toBe('under-review');

      // A second case of another agency, to see the filters work.
      await http(system.base, 'POST', '/api/decisions', 'agency', sampleSubmission(), 'county-ecology');

      await vi.waitFor(
        async () => {
          const mine = await http(system.base, 'GET', '/api/decisions?awaiting=legal-review', 'agency');
          expect(mine.body.items.map((i: { caseId: string }) => i.caseId)).toEqual([caseId]);
        },
        { timeout: 15_000, interval: 250 },
      );
      const office = await http(system.base, 'GET', '/api/decisions?stage=under-review', 'office');
      expect(office.body.items).toHaveLength(2);
      const filtered = await http(system.base, 'GET', '/api/decisions?agencyId=county-ecology', 'office');
      expect(filtered.body.items.map((i: { agencyId: string }) => i.agencyId)).toEqual(['county-ecology']);
      // An agency cannot widen its view with the agencyId filter: asking for another agency is refused.
      const widened = await http(system.base, 'GET', '/api/decisions?agencyId=county-ecology', 'agency');
      expect(widened.status).toBe(403);
      expect(widened.body.items).toBeUndefined();
    } finally {
      await system.stop();
    }
  });

  it('continues a case after its worker was stopped and a new one started', async () => {
    const first = await startSystem(env);
    await http(first.base, 'POST', `${casePath}/request-material`, 'legal-review', { items: ['证据原件'] });
    await first.stop();

    const second = await startSystem(env);
    try {
      const supplied = await http(second.base, 'POST', `${casePath}/supply-material`, 'agency', { note: '已补充证据原件' });
      expect(supplied.status).toBe(200);
      expect(supplied.body.stage).toBe('under-review');
      const reviewed = await http(second.base, 'POST', `${casePath}/opinion`, 'legal-review', opinion('pass'));
      expect(reviewed.body.stage).toBe('awaiting-response');
    } finally {
      await second.stop();
    }
  });

  it('finds every case again after the Temporal server itself restarts on the same SQLite file', async () => {
    await env.teardown();
    env = await devServerEnv(dbFilename);
    const system = await startSystem(env);
    try {
      const again = await http(system.base, 'GET', casePath, 'agency');
      expect(again.status).toBe(200);
      expect(again.body.stage).toBe('awaiting-response');
      const timeline = await http(system.base, 'GET', `${casePath}/timeline`, 'office');
      expect((timeline.body as unknown as Array<{ action: string }>).map((e) => e.action)).toEqual(['submit', 'requestMaterial', 'supplyMaterial', 'giveOpinion']);
      const accepted = await http(system.base, 'POST', `${casePath}/accept`, 'agency', {});
      expect(accepted.body.stage).toBe('awaiting-decision');
    } finally {
      await system.stop();
    }
  });
});
