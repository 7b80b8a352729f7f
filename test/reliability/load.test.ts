/**
 * Load held: 1,000 submissions from 50 concurrent clients over real HTTP to the API process, a
 * tenth of them duplicates of others: exactly one case per business key, none lost, no 5xx. Then
 * every case is driven through review to decision concurrently, and every full-process record is
 * complete and in order. Real dev server, worker and API as their own processes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../domain/roles.js';
import { legalReviewWorkflowId, stateQuery } from '../../workflows/legal-review-messages.js';
import { opinion, sampleSubmission, uniqueTaskQueue } from '../helpers.js';
import { eventually, freePort, histogram, percentiles, pool, printFigures, spawnApi, spawnWorker, startDevServer, tokenHeader, writeWorkflowBundle, type ChildHandle } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'es-load-'));
let env: TestWorkflowEnvironment;
let bundlePath: string;
const children: ChildHandle[] = [];

beforeAll(async () => {
  [env, bundlePath] = await Promise.all([startDevServer(), writeWorkflowBundle(dir)]);
}, 180_000);

afterAll(async () => {
  await Promise.all(children.map((c) => c.kill()));
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

const SUBMISSIONS = 1000;
const DUPLICATES = 100;
const CLIENTS = 50;
const AGENCIES = ['county-market', 'county-ecology', 'county-transport', 'town-chengguan'];

/** A seeded shuffle, so a failing order can be reproduced. */
function shuffle<T>(items: T[], seed: number): T[] {
  const a = [...items];
  let x = seed;
  for (let i = a.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const j = x % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

describe('load', () => {
  it('1,000 submissions from 50 clients (a tenth duplicates), then every case reviewed and decided concurrently', async () => {
    const taskQueue = uniqueTaskQueue('load');
    const port = await freePort();
    const [worker, api] = await Promise.all([spawnWorker({ address: env.address, taskQueue, bundlePath }), spawnApi({ address: env.address, taskQueue, port })]);
    children.push(worker, api);
    const base = `http://127.0.0.1:${port}`;
    const headersFor = Object.fromEntries(
      AGENCIES.flatMap((agencyId) => (['agency', 'legal-review', 'agency-head'] as Role[]).map((role) => [`${role}@${agencyId}`, { ...tokenHeader(role, agencyId), 'content-type': 'application/json' }])),
    );
    const seed = Number(process.env.LOAD_SEED ?? Date.now() % 100_000);

    // 900 distinct cases over four agencies, and 100 repeats of some of them, in a shuffled order.
    const unique = Array.from({ length: SUBMISSIONS - DUPLICATES }, (_, i) => ({
      agencyId: AGENCIES[i % AGENCIES.length]!,
      body: sampleSubmission({ caseNumber: `罚〔2026〕L${i}号`, title: `负载测试案件 ${i}` }),
    }));
    const repeats = shuffle(unique, seed).slice(0, DUPLICATES);
    const sequence = shuffle([...unique, ...repeats], seed + 1);
    const keyOf = (s: (typeof unique)[number]) => `${s.agencyId}:${s.body.caseNumber}`;

    const post = async (path: string, headers: Record<string, string>, body: unknown) => {
      const started = performance.now();
      try {
        const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
        const json = (await res.json()) as Record<string, any>;
        return { status: res.status, body: json, ms: performance.now() - started };
      } catch (err) {
        return { status: 0, body: { error: String((err as { cause?: unknown }).cause ?? err) }, ms: performance.now() - started };
      }
    };

    const submitStarted = performance.now();
    const submitted = await pool(sequence.length, CLIENTS, async (i) => {
      const s = sequence[i]!;
      return { key: keyOf(s), ...(await post('/api/decisions', headersFor[`agency@${s.agencyId}`]!, s.body)) };
    });
    const submitMs = performance.now() - submitStarted;

    const statuses = histogram(submitted.map((r) => r.status));
    expect(submitted.filter((r) => r.status >= 500 || r.status === 0)).toEqual([]);
    expect(statuses).toEqual({ 201: SUBMISSIONS - DUPLICATES, 200: DUPLICATES });
    // Exactly one 201 per business key; every answer names its own case.
    const created = new Map<string, number>();
    for (const r of submitted) {
      expect(r.body.caseId).toBe(r.key);
      if (r.status === 201) created.set(r.key, (created.get(r.key) ?? 0) + 1);
    }
    expect(created.size).toBe(unique.length);
    expect([...created.values()].every((n) => n === 1)).toBe(true);

    // Temporal holds exactly the 900 cases, each with the submission that was sent: none lost.
    const count = await eventually(async () => {
      const { count: n } = await env.client.workflow.count(`EsKind = 'legal-review' AND TaskQueue = '${taskQueue}'`);
      expect(n).toBe(unique.length);
      return n;
    });
    await pool(unique.length, 25, async (i) => {
      const state = await env.client.workflow.getHandle(legalReviewWorkflowId(keyOf(unique[i]!))).query(stateQuery);
      expect(state.submission).toEqual(unique[i]!.body);
    });

    // Every case through review to decision, 50 cases at a time.
    const actionMs: Record<string, number[]> = { opinion: [], accept: [], decision: [] };
    const actionStatuses: number[] = [];
    const driveStarted = performance.now();
    await pool(unique.length, CLIENTS, async (i) => {
      const { agencyId } = unique[i]!;
      const url = `/api/decisions/${encodeURIComponent(keyOf(unique[i]!))}`;
      const steps: Array<[string, Role, object]> = [
        ['opinion', 'legal-review', opinion('pass')],
        ['accept', 'agency', { note: '同意' }],
        ['decision', 'agency-head', { decision: `罚款${i}元`, documentNumber: `决〔2026〕L${i}号` }],
      ];
      for (const [path, role, body] of steps) {
        const res = await post(`${url}/${path}`, headersFor[`${role}@${agencyId}`]!, body);
        actionStatuses.push(res.status);
        actionMs[path]!.push(res.ms);
        expect(res.status, `${path} of ${url}: ${JSON.stringify(res.body)}`).toBe(200);
      }
    });
    const driveMs = performance.now() - driveStarted;

    // Every full-process record: complete and in order.
    const expected = ['submit', 'giveOpinion', 'acceptOpinion', 'decide'];
    const timelineMs: number[] = [];
    await pool(unique.length, CLIENTS, async (i) => {
      const started = performance.now();
      const res = await fetch(`${base}/api/decisions/${encodeURIComponent(keyOf(unique[i]!))}/timeline`, { headers: tokenHeader('office') });
      timelineMs.push(performance.now() - started);
      expect(res.status).toBe(200);
      const timeline = (await res.json()) as Array<{ action: string; at: string; by: { role: string } }>;
      expect(timeline.map((e) => e.action)).toEqual(expected);
      expect(timeline.map((e) => e.by.role)).toEqual(['agency', 'legal-review', 'agency', 'agency-head']);
      const at = timeline.map((e) => Date.parse(e.at));
      expect(at).toEqual([...at].sort((a, b) => a - b));
    });
    const { count: decided } = await eventually(async () => {
      const c = await env.client.workflow.count(`EsKind = 'legal-review' AND TaskQueue = '${taskQueue}' AND EsStage = 'decided'`);
      expect(c.count).toBe(unique.length);
      return c;
    });

    printFigures('load', {
      seed,
      submissions: SUBMISSIONS,
      duplicates: DUPLICATES,
      clients: CLIENTS,
      submitStatuses: statuses,
      submitSeconds: +(submitMs / 1000).toFixed(1),
      submitsPerSecond: Math.round(SUBMISSIONS / (submitMs / 1000)),
      submitLatencyMs: percentiles(submitted.map((r) => r.ms)),
      casesInTemporal: count,
      lost: unique.length - count,
      actions: actionStatuses.length,
      actionStatuses: histogram(actionStatuses),
      driveSeconds: +(driveMs / 1000).toFixed(1),
      actionsPerSecond: Math.round(actionStatuses.length / (driveMs / 1000)),
      actionLatencyMs: Object.fromEntries(Object.entries(actionMs).map(([k, v]) => [k, percentiles(v)])),
      timelineLatencyMs: percentiles(timelineMs),
      timelinesCompleteAndInOrder: unique.length,
      decidedInVisibility: decided,
    });
  }, 480_000);
});
