/**
 * Faults survived, nothing lost (4/4): the API process (api/server.ts, as `npm run api` runs it) is
 * SIGKILLed during a load of submissions and started again on the same port. Clients get a clear
 * error (the connection refused or cut) or a success, never a 5xx; and Temporal holds exactly one
 * case per business key that answered 201/200, each with its full submission, and no half-made
 * case for any request that failed: a case either exists complete or not at all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legalReviewWorkflowId, stateQuery, timelineQuery } from '../../workflows/legal-review-messages.js';
import { sampleSubmission, uniqueTaskQueue } from '../helpers.js';
import { eventually, freePort, sleep, histogram, percentiles, pool, printFigures, spawnApi, spawnWorker, startDevServer, tokenHeader, writeWorkflowBundle, type ChildHandle } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'es-api-restart-'));
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

const SUBMISSIONS = 400;
const CLIENTS = 50;
const KILL_AFTER = 120;

type Outcome = { status: number; ms: number } | { error: string; ms: number };

describe('the API process restarts during load', () => {
  it('answers every client with a success or a clear error, and leaves no half-made case', async () => {
    const taskQueue = uniqueTaskQueue('api-restart');
    const port = await freePort();
    const worker = await spawnWorker({ address: env.address, taskQueue, bundlePath });
    children.push(worker);
    let api = await spawnApi({ address: env.address, taskQueue, port });
    children.push(api);
    const base = `http://127.0.0.1:${port}`;
    const headers = { ...tokenHeader('agency', 'county-market'), 'content-type': 'application/json' };

    const bodies = Array.from({ length: SUBMISSIONS }, (_, i) => sampleSubmission({ caseNumber: `市监罚〔2026〕R${i}号` }));
    const submit = async (i: number): Promise<Outcome> => {
      const started = performance.now();
      try {
        const res = await fetch(`${base}/api/decisions`, { method: 'POST', headers, body: JSON.stringify(bodies[i]) });
        await res.arrayBuffer();
        return { status: res.status, ms: performance.now() - started };
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        return { error: cause?.code ?? cause?.message ?? (err as Error).message, ms: performance.now() - started };
      }
    };

    let done = 0;
    let restart: Promise<void> | undefined;
    let killedAt = 0;
    let backAt = 0;
    const startedAt = performance.now();
    const outcomes = await pool(SUBMISSIONS, CLIENTS, async (i) => {
      const outcome = await submit(i);
      done += 1;
      // A client whose connection failed pauses a moment before its next submission.
      if ('error' in outcome) await sleep(1000);
      if (done === KILL_AFTER && !restart) {
        restart = (async () => {
          killedAt = performance.now();
          await api.kill('SIGKILL');
          api = await spawnApi({ address: env.address, taskQueue, port });
          children.push(api);
          backAt = performance.now();
        })();
      }
      return outcome;
    });
    await restart;
    const loadMs = performance.now() - startedAt;

    const statuses = outcomes.map((o) => ('status' in o ? o.status : `error:${o.error}`));
    // Never a 5xx (nor any other refusal): a success, or the connection refused or cut.
    for (const s of statuses) expect(String(s)).toMatch(/^(201|error:(ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET|other side closed|fetch failed))$/);
    const failed = outcomes.flatMap((o, i) => ('error' in o ? [i] : []));
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(SUBMISSIONS);

    // Temporal: every case that answered 201 exists once, with its whole submission; a failed
    // request's case either exists just as complete, or does not exist at all.
    const existing: number[] = [];
    const absent: number[] = [];
    await pool(SUBMISSIONS, 20, async (i) => {
      const handle = env.client.workflow.getHandle(legalReviewWorkflowId(`county-market:${bodies[i]!.caseNumber}`));
      let state;
      try {
        state = await handle.query(stateQuery);
      } catch (err) {
        if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
        expect(failed).toContain(i);
        absent.push(i);
        return;
      }
      existing.push(i);
      // The whole submission, recorded once; and the case goes on by itself to open its review
      // deadline, even when the request that started it was cut off.
      expect(state.submission).toEqual(bodies[i]);
      const timeline = await handle.query(timelineQuery);
      expect(timeline.filter((e) => e.action === 'submit')).toHaveLength(1);
      await eventually(async () => {
        const settled = await handle.query(stateQuery);
        expect(settled.stage).toBe('under-review');
        expect(settled.deadlines.map((d) => d.name)).toEqual(['review']);
      });
    });
    // One workflow per business key, none besides.
    const count = await eventually(async () => {
      const { count: n } = await env.client.workflow.count(`EsKind = 'legal-review' AND TaskQueue = '${taskQueue}'`);
      expect(n).toBe(existing.length);
      return n;
    });

    // The failed clients try again once the API is back: the same body finds its case (200) or makes it (201).
    const retried = await pool(failed.length, CLIENTS, (k) => submit(failed[k]!));
    const retryStatuses = retried.map((o) => ('status' in o ? o.status : `error:${o.error}`));
    for (const s of retryStatuses) expect([200, 201]).toContain(s);
    const createdByFailedRequest = failed.filter((i) => existing.includes(i));
    for (const [k, i] of failed.entries()) expect(retryStatuses[k]).toBe(createdByFailedRequest.includes(i) ? 200 : 201);
    expect((await env.client.workflow.count(`EsKind = 'legal-review' AND TaskQueue = '${taskQueue}'`)).count).toBeLessThanOrEqual(SUBMISSIONS);
    await eventually(async () => expect((await env.client.workflow.count(`EsKind = 'legal-review' AND TaskQueue = '${taskQueue}'`)).count).toBe(SUBMISSIONS));

    printFigures('API process restart during load', {
      submissions: SUBMISSIONS,
      clients: CLIENTS,
      killedAfterResponses: KILL_AFTER,
      apiDownMs: Math.round(backAt - killedAt),
      loadMs: Math.round(loadMs),
      statuses: histogram(statuses),
      latencyMs: percentiles(outcomes.map((o) => o.ms)),
      casesAfterLoad: count,
      failedRequestsWhoseCaseExistedComplete: createdByFailedRequest.length,
      failedRequestsWithNoCase: absent.length,
      halfMadeCases: 0,
      retryStatuses: histogram(retryStatuses),
    });
  }, 180_000);
});
