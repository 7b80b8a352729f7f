/**
 * The office's compliance overview and warning levels, computed from workflow state and visibility
 * on the real dev server (the time-skipping server has no visibility queries).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../api/app.js';
import { ensureAgencyDuties } from '../platform/duties.js';
import { legalReviewWorkflowId } from '../workflows/legal-review-messages.js';
import { createWorker } from '../worker/worker.js';
import { fileRecordsDb, agencies, bearer, devServerEnv, opinion, sampleSubmission, testConfig, uniqueTaskQueue, workflowBundle } from './helpers.js';

// Yellow within 10 working days: a new case's 5-day review is yellow, the year-end duty is not.
const config = testConfig(uniqueTaskQueue('compliance'), { WARNING_YELLOW_WORKING_DAYS: '10' });
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  env = await devServerEnv();
  worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', client: env.client, taskQueue: config.TEMPORAL_TASK_QUEUE, agencies, webhookSecret: config.WEBHOOK_SECRET, workflowBundle: await workflowBundle(), records: await fileRecordsDb() });
  running = worker.run();
  app = await buildApp({ config, temporal: env.client, agencies, records: await fileRecordsDb() });
  await ensureAgencyDuties(env.client, agencies, config);
}, 180_000);

afterAll(async () => {
  await app?.close();
  worker?.shutdown();
  await running;
  await env?.teardown();
});

/** Every call asks for fresh figures (`Cache-Control: no-cache`), as the UI's refresh button does. */
const call = async (method: 'GET' | 'POST', url: string, role: Parameters<typeof bearer>[1], payload?: object, headers: Record<string, string> = { 'cache-control': 'no-cache' }) => {
  const res = await app.inject({ method, url, headers: { ...bearer(config, role), ...headers }, payload });
  return { status: res.statusCode, body: res.body, json: () => res.json() };
};

describe('the compliance overview', () => {
  it('counts open items by warning level, publication and filing, per agency, as JSON and CSV', async () => {
    // One case through to publication and filing on time; one waiting for its review.
    const done = (await call('POST', '/api/decisions', 'agency', sampleSubmission({ majorPenalty: true }))).json();
    const url = `/api/decisions/${encodeURIComponent(done.caseId)}`;
    await call('POST', `${url}/opinion`, 'legal-review', opinion('pass'));
    await call('POST', `${url}/accept`, 'agency', {});
    const decided = (await call('POST', `${url}/decision`, 'agency-head', { decision: '罚款', documentNumber: 'D1' })).json();
    await call('POST', `${url}/publication`, 'agency', { publishedOn: decided.decision.decidedOn, channel: '县政府网站' });
    expect((await call('POST', `${url}/filing`, 'agency', { fileNumber: '备-1', filedOn: decided.decision.decidedOn })).json().stage).toBe('closed');
    const waiting = (await call('POST', '/api/decisions', 'agency', sampleSubmission())).json();

    const year = Number(decided.decision.decidedOn.slice(0, 4));
    let market: Record<string, any> = {};
    await vi.waitFor(
      async () => {
        const overview = (await call('GET', `/api/compliance?year=${year}`, 'office')).json();
        market = overview.agencies.find((r: { agencyId: string }) => r.agencyId === 'county-market');
        expect(market.publication).toEqual({ onTime: 1, late: 0, missing: 0, onTimeRate: 100 });
        expect(market.openItems).toEqual({ normal: 1, yellow: 1, red: 0 });
      },
      { timeout: 15_000, interval: 250 },
    );
    expect(market).toMatchObject({ filing: { onTime: 1, late: 0, missing: 0 }, reviewsOverdue: 0, demoSite: null, reports: { statistics: { status: 'not-tracked' } } });
    const ecology = (await call('GET', `/api/compliance?year=${year}`, 'office')).json().agencies.find((r: { agencyId: string }) => r.agencyId === 'county-ecology');
    expect(ecology.publication).toEqual({ onTime: 0, late: 0, missing: 0, onTimeRate: null });

    const yellow = (await call('GET', '/api/warnings?level=yellow&agencyId=county-market', 'office')).json();
    expect(yellow.items.map((i: { workflowId: string }) => i.workflowId)).toEqual([legalReviewWorkflowId(waiting.caseId)]);
    expect(yellow.items[0].level).toBe('yellow');

    const csv = await call('GET', `/api/compliance?year=${year}&format=csv`, 'office');
    expect(csv.status).toBe(200);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(agencies.list().length + 1);
    expect(lines[0]).toMatch(/^机构ID,机构,正常,黄色预警,红色预警,按时公开/);
    expect(lines.find((l: string) => l.startsWith('county-market,'))).toMatch(/^county-market,县市场监督管理局,1,1,0,1,0,0,100,1,0,0,0/);

    expect((await call('GET', '/api/compliance', 'agency')).status).toBe(403);
  });

  it('answers repeated requests from one computation for COMPLIANCE_CACHE_SECONDS, and afresh on no-cache', async () => {
    const overview = async (headers: Record<string, string> = {}) => {
      const res = await call('GET', '/api/compliance', 'office', undefined, headers);
      expect(res.status).toBe(200);
      return res.json() as { generatedAt: string; agencies: Array<{ agencyId: string; openItems: { normal: number; yellow: number; red: number } }> };
    };
    const open = (o: Awaited<ReturnType<typeof overview>>) => o.agencies.find((r) => r.agencyId === 'county-transport')!.openItems;
    const first = await overview();
    await new Promise((r) => setTimeout(r, 20));
    const [second, third] = await Promise.all([overview(), overview()]);
    expect(second.generatedAt).toBe(first.generatedAt);
    expect(third.generatedAt).toBe(first.generatedAt);

    // A new case of another agency: the cached figures do not show it, fresh ones do.
    const before = open(first);
    await call('POST', '/api/decisions', 'agency', sampleSubmission(), { authorization: bearer(config, 'agency', 'county-transport').authorization });
    await vi.waitFor(
      async () => {
        const fresh = await overview({ 'cache-control': 'no-cache' });
        expect(fresh.generatedAt > first.generatedAt).toBe(true);
        expect(open(fresh).normal + open(fresh).yellow + open(fresh).red).toBe(before.normal + before.yellow + before.red + 1);
      },
      { timeout: 15_000, interval: 250 },
    );
    expect(open(await overview())).not.toEqual(before);
  });
});

describe('the public list of published decisions', () => {
  it('shows a decision once its publication is recorded, with a person party as surname + 某 and no id number', async () => {
    const party = { type: 'person' as const, name: '王小明', idNumber: '410101199001011238' };
    const submitted = (await call('POST', '/api/decisions', 'agency', sampleSubmission({ party }))).json();
    const url = `/api/decisions/${encodeURIComponent(submitted.caseId)}`;
    await call('POST', `${url}/opinion`, 'legal-review', opinion('pass'));
    await call('POST', `${url}/accept`, 'agency', {});
    const decided = (await call('POST', `${url}/decision`, 'agency-head', { decision: '对王小明（410101199001011238）罚款三千元。', documentNumber: '市监罚决〔2026〕9号' })).json();
    const listed = async () => (await app.inject({ method: 'GET', url: '/api/public/decisions?agencyId=county-market&pageSize=50' })).json().items.filter((i: { caseId: string }) => i.caseId === submitted.caseId);
    expect(await listed()).toEqual([]);

    await call('POST', `${url}/publication`, 'agency', { publishedOn: decided.decision.decidedOn, channel: '县政府网站' });
    let items: Array<Record<string, any>> = [];
    await vi.waitFor(
      async () => {
        items = await listed();
        expect(items).toHaveLength(1);
      },
      { timeout: 15_000, interval: 250 },
    );
    expect(items[0]).toMatchObject({ party: '王某', decision: { text: '对王某（******************）罚款三千元。', documentNumber: '市监罚决〔2026〕9号' }, publication: { channel: '县政府网站' } });
    expect(JSON.stringify(items)).not.toMatch(/王小明|410101199001011238/);
  });

  it('shows the corrected version of a closed case’s decision, keeps both in the record, and drops it once taken down', async () => {
    const party = { type: 'person' as const, name: '李大伟', idNumber: '410101198502021237' };
    const submitted = (await call('POST', '/api/decisions', 'agency', sampleSubmission({ party }))).json();
    const url = `/api/decisions/${encodeURIComponent(submitted.caseId)}`;
    await call('POST', `${url}/opinion`, 'legal-review', opinion('pass'));
    await call('POST', `${url}/accept`, 'agency', {});
    const decided = (await call('POST', `${url}/decision`, 'agency-head', { decision: '对李大伟罚款五千元。', documentNumber: '市监罚决〔2026〕11号' })).json();
    const on = decided.decision.decidedOn;
    await call('POST', `${url}/publication`, 'agency', { publishedOn: on, channel: '县政府网站' });
    const closed = (await call('POST', `${url}/filing`, 'agency', { fileNumber: '备-11', filedOn: on })).json();
    expect(closed.stage).toBe('closed');
    expect(closed.allowedActions.map((a: { action: string }) => a.action)).toEqual(['correctPublication']);

    // Only the agency's own roles may correct, and only with a corrected text, channel or address.
    expect((await call('POST', `${url}/publication-correction`, 'legal-review', { kind: 'update', reason: '笔误', text: 'x' })).status).toBe(403);
    const empty = await call('POST', `${url}/publication-correction`, 'agency', { kind: 'update', reason: '笔误' });
    expect(empty.status).toBe(422);
    expect(empty.json().message).toContain('更正须给出更正后的公开内容');

    const corrected = await call('POST', `${url}/publication-correction`, 'agency', { kind: 'update', reason: '罚款金额笔误', text: '对李大伟罚款三千元。' });
    expect(corrected.status).toBe(200);
    expect(corrected.json().publication.versions.map((v: { version: number; text: string }) => [v.version, v.text])).toEqual([
      [1, '对李大伟罚款五千元。'],
      [2, '对李大伟罚款三千元。'],
    ]);
    const listed = async () => (await app.inject({ method: 'GET', url: '/api/public/decisions?agencyId=county-market&pageSize=50' })).json().items.filter((i: { caseId: string }) => i.caseId === submitted.caseId);
    await vi.waitFor(async () => expect(await listed()).toEqual([expect.objectContaining({ decision: expect.objectContaining({ text: '对李某罚款三千元。' }), publication: expect.objectContaining({ version: 2 }) })]), { timeout: 15_000, interval: 250 });

    const taken = await call('POST', `${url}/publication-correction`, 'agency', { kind: 'withdraw', reason: '该决定已被行政复议撤销' });
    expect(taken.status).toBe(200);
    await vi.waitFor(async () => expect(await listed()).toEqual([]), { timeout: 15_000, interval: 250 });
    const again = await call('POST', `${url}/publication-correction`, 'agency', { kind: 'update', reason: '再改', text: 'x' });
    expect(again.status).toBe(409);
    const record = (await call('GET', `${url}/timeline`, 'office')).json() as Array<{ action: string; summary: string; words?: string }>;
    expect(record.filter((e) => e.action === 'correctPublication').map((e) => [e.summary, e.words])).toEqual([
      ['更正公开信息：第 1 版改为第 2 版', '罚款金额笔误'],
      ['撤下公开信息（第 2 版）', '该决定已被行政复议撤销'],
    ]);
  });
});
