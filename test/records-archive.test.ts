/**
 * The records outlive Temporal's retention: once a namespace has deleted a case's workflow (as its
 * retention period does, here by the same DeleteWorkflowExecution call the server makes), the API
 * still answers the case, its full-process record and its published decision from PostgreSQL.
 * Real dev server, worker, API and PostgreSQL.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../api/app.js';
import { legalReviewWorkflowId } from '../workflows/legal-review-messages.js';
import { createWorker } from '../worker/worker.js';
import { agencies, bearer, devServerEnv, fileRecordsDb, opinion, sampleSubmission, testConfig, uniqueTaskQueue, workflowBundle } from './helpers.js';

const config = testConfig(uniqueTaskQueue('archive'));
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  env = await devServerEnv();
  const records = await fileRecordsDb();
  worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', client: env.client, taskQueue: config.TEMPORAL_TASK_QUEUE, agencies, webhookSecret: config.WEBHOOK_SECRET, workflowBundle: await workflowBundle(), records });
  running = worker.run();
  app = await buildApp({ config, temporal: env.client, agencies, records });
}, 180_000);

afterAll(async () => {
  await app?.close();
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const call = async (method: 'GET' | 'POST', url: string, role: Parameters<typeof bearer>[1] | null, payload?: object) => {
  const res = await app.inject({ method, url, headers: role ? bearer(config, role) : {}, payload });
  return { status: res.statusCode, json: () => res.json() };
};

/** What retention does once its period has passed: the workflow and its history are gone. */
async function forget(workflowId: string) {
  const { runId } = await env.client.workflow.getHandle(workflowId).describe();
  await env.client.workflowService.deleteWorkflowExecution({ namespace: 'default', workflowExecution: { workflowId, runId } });
  await vi.waitFor(
    async () => {
      // The dev server deletes in the background, some 30 s later.
      const found = await env.client.workflow.getHandle(workflowId).describe().then((x) => x.status.name, (e: Error) => e.name);
      expect(found).toBe('WorkflowNotFoundError');
    },
    { timeout: 60_000, interval: 1000 },
  );
}

describe('the archive outlives the namespace’s retention', () => {
  it('answers a case, its record and its published decision after Temporal has deleted the workflow', async () => {
    const party = { type: 'person' as const, name: '李明', idNumber: '110101199001011237' };
    const caseId: string = (await call('POST', '/api/decisions', 'agency', sampleSubmission({ caseNumber: '归档测试〔2026〕1号', party, majorPenalty: false }))).json().caseId;
    const url = `/api/decisions/${encodeURIComponent(caseId)}`;
    await call('POST', `${url}/opinion`, 'legal-review', opinion('pass'));
    await call('POST', `${url}/accept`, 'agency', {});
    const decided = (await call('POST', `${url}/decision`, 'agency-head', { decision: '对李明罚款五千元', documentNumber: '市监罚决〔2026〕31号' })).json();
    const closed = await call('POST', `${url}/publication`, 'agency', { publishedOn: decided.decision.decidedOn, channel: '县政府门户网站' });
    expect(closed.json()).toMatchObject({ stage: 'closed' });
    const before = (await call('GET', `${url}/timeline`, 'office')).json() as Array<{ action: string }>;
    const published = async () => (await call('GET', '/api/public/decisions?agencyId=county-market', null)).json().items.filter((i: { caseId: string }) => i.caseId === caseId);
    await vi.waitFor(async () => expect(await published()).toHaveLength(1), { timeout: 10_000 });
    await vi.waitFor(async () => expect((await call('GET', '/api/decisions?q=归档测试', 'office')).json().items).toHaveLength(1), { timeout: 10_000 });

    // The closed case waits for corrections of its publication; the retention of a finished one
    // passes: ended by the operator here, then deleted as retention deletes it.
    const workflowId = legalReviewWorkflowId(caseId);
    await env.client.workflow.getHandle(workflowId).terminate('archived for the test');
    await forget(workflowId);

    const state = await call('GET', url, 'agency');
    expect(state.status).toBe(200);
    expect(state.json()).toMatchObject({ caseId, stage: 'closed', decision: { documentNumber: '市监罚决〔2026〕31号' } });
    const record = await call('GET', `${url}/timeline`, 'agency');
    expect(record.status).toBe(200);
    expect((record.json() as Array<{ action: string }>).map((e) => e.action)).toEqual(before.map((e) => e.action));
    // Still listed, and still published (a person as surname + 某).
    expect((await call('GET', '/api/decisions?q=归档测试', 'office')).json().items.map((i: { caseId: string }) => i.caseId)).toEqual([caseId]);
    expect(await published()).toEqual([expect.objectContaining({ caseId, party: '李某', decision: expect.objectContaining({ text: '对李某罚款五千元' }) })]);
    // Another agency still cannot see it, and an action on it says it is closed.
    expect((await app.inject({ method: 'GET', url, headers: bearer(config, 'agency', 'county-ecology') })).statusCode).toBe(404);
    const late = await call('POST', `${url}/publication`, 'agency', { publishedOn: decided.decision.decidedOn, channel: '县政府门户网站' });
    expect(late.status).toBe(409);
    expect(late.json().message).toContain('已办结');
  });
});
