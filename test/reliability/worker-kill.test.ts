/**
 * Faults survived, nothing lost (1/4): the worker process is SIGKILLed in the middle of a legal
 * review, of a demonstration-site acceptance, and while a reminder delivery is retrying; a new
 * worker process finishes every case, with the same outcome as an undisturbed run on its own task
 * queue. Real dev server, workers as separate OS processes, the real API (app.inject).
 *
 * "In the middle" is pinned down, not left to timing: the worker is frozen (SIGSTOP) with its long
 * polls outstanding, the next actions are sent, the server hands their workflow tasks to the frozen
 * process, and only then is it SIGKILLed, so those tasks die with it. The history shows it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import type { Role } from '../../domain/roles.js';
import { inboxQuery, inboxWorkflowId } from '../../workflows/inbox-messages.js';
import { legalReviewWorkflowId, stateQuery, timelineQuery } from '../../workflows/legal-review-messages.js';
import { siteStateQuery, siteTimelineQuery } from '../../workflows/demo-site-messages.js';
import { fileRecordsDb, agencies, bearer, sampleSubmission, testConfig, uniqueTaskQueue } from '../helpers.js';
import {
  acceptanceBody,
  acceptanceYearAndDay,
  LEGAL_REVIEW_SCENARIOS,
  legalReviewOutcome,
  scenarioSubmission,
  siteOutcome,
  startSiteOfYear,
} from './scenarios.js';
import { eventually, freePort, printFigures, sleep, spawnWorker, startDevServer, writeAgenciesFile, writeWorkflowBundle, type ChildHandle } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'es-worker-kill-'));
let env: TestWorkflowEnvironment;
let bundlePath: string;
const children = new Set<ChildHandle>();
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  [env, bundlePath] = await Promise.all([startDevServer(), writeWorkflowBundle(dir)]);
}, 180_000);

afterAll(async () => {
  await Promise.all([...children].map((c) => c.kill()));
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
  printFigures('worker SIGKILL', figures);
});

async function worker(taskQueue: string, agenciesFile?: string) {
  const child = await spawnWorker({ address: env.address, taskQueue, bundlePath, agenciesFile });
  children.add(child);
  return child;
}

async function api(taskQueue: string, overrides: Record<string, string> = {}) {
  const config = testConfig(taskQueue, overrides);
  const app = await buildApp({ config, temporal: env.client, agencies, records: await fileRecordsDb() });
  const call = async (method: 'GET' | 'POST', url: string, role: Role, payload?: object, agencyId?: string) => {
    const res = await app.inject({ method, url, headers: bearer(config, role, agencyId), payload });
    return { status: res.statusCode, body: res.json() };
  };
  return { app, config, call };
}

/**
 * Freezes the worker, starts `send` (requests whose workflow tasks the frozen worker will be handed),
 * then SIGKILLs it and starts a new one. Returns what `send` answered and how long recovery took.
 */
async function killMidTask<T>(victim: ChildHandle, send: () => Promise<T>, restart: () => Promise<ChildHandle>) {
  victim.process.kill('SIGSTOP');
  const answer = send();
  await sleep(1500);
  const killedAt = Date.now();
  await victim.kill('SIGKILL');
  await sleep(500);
  const replacement = await restart();
  const result = await answer;
  return { result, recoveryMs: Date.now() - killedAt, replacement };
}

/** How many workflow tasks of this workflow were lost with a worker (timed out or failed). */
async function lostTasks(workflowId: string): Promise<number> {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowTaskTimedOutEventAttributes || e.workflowTaskFailedEventAttributes).length;
}

describe('the worker process is SIGKILLed', () => {
  it('in the middle of legal reviews: a new worker finishes every case with the outcome of an undisturbed run', async () => {
    const names = Object.keys(LEGAL_REVIEW_SCENARIOS);
    const run = async (taskQueue: string, disturb?: { atStep: number; victim: ChildHandle }) => {
      const { call } = await api(taskQueue);
      const urls = new Map<string, string>();
      for (const name of names) {
        const created = await call('POST', '/api/decisions', 'agency', scenarioSubmission(name));
        expect(created.status).toBe(201);
        urls.set(name, `/api/decisions/${encodeURIComponent(created.body.caseId)}`);
      }
      const statuses: number[] = [];
      let recovery: { recoveryMs: number; lost: number } | undefined;
      const steps = Math.max(...names.map((n) => LEGAL_REVIEW_SCENARIOS[n]!.length));
      for (let i = 0; i < steps; i++) {
        const send = () =>
          Promise.all(
            names
              .filter((n) => LEGAL_REVIEW_SCENARIOS[n]![i])
              .map(async (n) => {
                const step = LEGAL_REVIEW_SCENARIOS[n]![i]!;
                return call('POST', `${urls.get(n)}/${step.path}`, step.role, step.body());
              }),
          );
        if (disturb && i === disturb.atStep) {
          const { result, recoveryMs } = await killMidTask(disturb.victim, send, () => worker(taskQueue));
          const lost = (await Promise.all([...urls.values()].map((u) => lostTasks(legalReviewWorkflowId(decodeURIComponent(u.split('/').pop()!)))))).reduce((a, b) => a + b, 0);
          recovery = { recoveryMs, lost };
          statuses.push(...result.map((r) => r.status));
        } else {
          statuses.push(...(await send()).map((r) => r.status));
        }
      }
      const outcomes: Record<string, string> = {};
      for (const name of names) {
        const state = (await call('GET', urls.get(name)!, 'office')).body;
        const timeline = (await call('GET', `${urls.get(name)}/timeline`, 'office')).body;
        outcomes[name] = legalReviewOutcome(state, timeline);
      }
      return { outcomes, statuses, recovery };
    };

    const baselineQueue = uniqueTaskQueue('undisturbed');
    const disturbedQueue = uniqueTaskQueue('disturbed');
    const [baselineWorker, victim] = await Promise.all([worker(baselineQueue), worker(disturbedQueue)]);
    const [baseline, disturbed] = await Promise.all([run(baselineQueue), run(disturbedQueue, { atStep: 2, victim })]);
    await baselineWorker.kill();

    expect(disturbed.statuses.every((s) => s === 200)).toBe(true);
    expect(baseline.statuses.every((s) => s === 200)).toBe(true);
    // The kill took workflow tasks with it: the server timed them out and a new worker redid them.
    expect(disturbed.recovery!.lost).toBeGreaterThan(0);
    for (const name of names) expect(disturbed.outcomes[name], name).toBe(baseline.outcomes[name]);
    expect(JSON.parse(disturbed.outcomes['pass, publish, file']!).stage).toBe('closed');
    figures.legalReview = { cases: names.length, actions: disturbed.statuses.length, killedAtStep: 2 + 1, tasksLostWithWorker: disturbed.recovery!.lost, recoveryMs: disturbed.recovery!.recoveryMs };
  }, 120_000);

  it('in the middle of a demonstration-site acceptance: the new worker records it, scored as undisturbed', async () => {
    const { year, acceptedOn } = acceptanceYearAndDay();
    const run = async (taskQueue: string, agencyId: string, victim?: ChildHandle) => {
      const { call } = await api(taskQueue);
      const agencyName = agencies.get(agencyId)!.name;
      const siteId = await startSiteOfYear(env.client, taskQueue, agencyId, agencyName, year);
      const url = `/api/sites/${encodeURIComponent(siteId)}`;
      await eventually(async () => expect((await call('GET', url, 'office')).body.stage).toBe('applied'));
      expect((await call('POST', `${url}/screening`, 'office', { decision: 'target' })).status).toBe(200);
      // The acceptance window of a past year has closed: its deadline is escalated at once. Let that
      // settle first, so both runs record it in the same place.
      await eventually(async () => expect((await call('GET', `${url}/timeline`, 'office')).body.map((e: { action: string }) => e.action)).toContain('escalation'));
      const accept = () => call('POST', `${url}/acceptance`, 'office', acceptanceBody(acceptedOn));
      let recovery: { recoveryMs: number; lost: number } | undefined;
      let accepted;
      if (victim) {
        const r = await killMidTask(victim, accept, () => worker(taskQueue));
        accepted = r.result;
        recovery = { recoveryMs: r.recoveryMs, lost: await lostTasks(siteId) };
      } else {
        accepted = await accept();
      }
      expect(accepted.status).toBe(200);
      const noticed = await call('POST', `/api/site-campaigns/${year}/notice`, 'office', { agencyIds: [agencyId], channel: '县政府门户网站' });
      const handle = env.client.workflow.getHandle(siteId);
      const outcome = siteOutcome(await handle.query(siteStateQuery), await handle.query(siteTimelineQuery));
      await handle.terminate('test finished');
      return { outcome, accepted: accepted.body, recovery, noticeStatus: noticed.status };
    };
    const baselineQueue = uniqueTaskQueue('undisturbed');
    const disturbedQueue = uniqueTaskQueue('disturbed');
    const [baselineWorker, victim] = await Promise.all([worker(baselineQueue), worker(disturbedQueue)]);
    const [baseline, disturbed] = await Promise.all([run(baselineQueue, 'county-transport'), run(disturbedQueue, 'county-health', victim)]);
    await baselineWorker.kill();

    expect(disturbed.recovery!.lost).toBeGreaterThan(0);
    expect(disturbed.accepted).toMatchObject({ stage: 'accepted', acceptance: { result: { general: 100, bonus: 2, passed: true } } });
    expect(disturbed.outcome).toBe(baseline.outcome);
    expect(disturbed.noticeStatus).toBe(baseline.noticeStatus);
    figures.siteAcceptance = { year, acceptedOn, tasksLostWithWorker: disturbed.recovery!.lost, recoveryMs: disturbed.recovery!.recoveryMs };
  }, 120_000);

  it('while a reminder delivery is retrying: delivered once to the inbox, the webhook retried with the same key', async () => {
    // Reminder due at once: a review of 1 working day, reminded 1 working day ahead at 00:00, is
    // reminded at the start of the last working day before it, which is never later than today.
    const immediateReminder = { REVIEW_WORKING_DAYS: '1', REMINDER_WORKING_DAYS_BEFORE: '1', REMINDER_HOUR: '0' };
    type Received = { headers: IncomingHttpHeaders; body: string; at: number };
    const receivers: Array<{ server: Server; requests: Received[] }> = [];
    const receiver = async (statusFor: (n: number) => number) => {
      const port = await freePort();
      const requests: Received[] = [];
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
          res.writeHead(statusFor(requests.length)).end();
        });
      });
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      receivers.push({ server, requests });
      return { url: `http://127.0.0.1:${port}/hooks`, requests };
    };

    const run = async (agencyId: string, statusFor: (n: number) => number, kill: boolean) => {
      const hook = await receiver(statusFor);
      const taskQueue = uniqueTaskQueue(kill ? 'disturbed' : 'undisturbed');
      const agenciesFile = writeAgenciesFile(dir, agencies.list().map((a) => (a.id === agencyId ? { ...a, webhookUrl: hook.url } : a)));
      let current = await worker(taskQueue, agenciesFile);
      const { call } = await api(taskQueue, immediateReminder);
      const submitted = await call('POST', '/api/decisions', 'agency', sampleSubmission(), agencyId);
      expect(submitted.status).toBe(201);
      let killedAt: number | undefined;
      if (kill) {
        // The first attempts fail; kill the worker during the backoff after the second one.
        await eventually(() => hook.requests.length >= 2, { timeout: 30_000 });
        await sleep(300);
        killedAt = Date.now();
        await current.kill('SIGKILL');
        await sleep(1000);
        current = await worker(taskQueue, agenciesFile);
      }
      await eventually(() => hook.requests.some((_, i) => statusFor(i + 1) < 300), { timeout: 60_000 });
      const inbox = env.client.workflow.getHandle(inboxWorkflowId({ role: 'legal-review', agencyId }));
      const page = await eventually(async () => {
        const p = await inbox.query(inboxQuery);
        expect(p.items.filter((i) => i.subjectRef?.id === submitted.body.caseId)).toHaveLength(1);
        return p;
      });
      const caseHandle = env.client.workflow.getHandle(legalReviewWorkflowId(submitted.body.caseId));
      const outcome = legalReviewOutcome(await caseHandle.query(stateQuery), await caseHandle.query(timelineQuery));
      await caseHandle.terminate('test finished');
      await current.kill();
      return { hook, page, outcome, killedAt, caseId: submitted.body.caseId as string };
    };

    try {
      const [baseline, disturbed] = await Promise.all([
        run('county-transport', () => 200, false),
        run('town-chengguan', (n) => (n <= 2 ? 500 : 200), true),
      ]);
      expect(baseline.hook.requests).toHaveLength(1);
      expect(disturbed.hook.requests.length).toBeGreaterThanOrEqual(3);
      // Every attempt carries the notice's key (percent-encoded: it names a Chinese case number).
      const keys = new Set(disturbed.hook.requests.map((r) => decodeURIComponent(String(r.headers['idempotency-key']))));
      expect(keys.size).toBe(1);
      expect([...keys][0]).toBe(JSON.parse(disturbed.hook.requests[0]!.body).key);
      expect([...keys][0]).toContain(disturbed.caseId);
      expect(disturbed.page.items.find((i) => i.subjectRef?.id === disturbed.caseId)!.key).toBe([...keys][0]);
      // The attempt after the kill was made by the new worker, after the retry's backoff.
      expect(disturbed.hook.requests[2]!.at).toBeGreaterThan(disturbed.killedAt!);
      expect(disturbed.outcome.replaceAll('town-chengguan', 'X').replaceAll('城关镇人民政府', 'Y')).toBe(baseline.outcome.replaceAll('county-transport', 'X').replaceAll('县交通运输局', 'Y'));
      figures.reminderRetry = {
        webhookAttempts: disturbed.hook.requests.length,
        gapsMs: disturbed.hook.requests.slice(1).map((r, i) => r.at - disturbed.hook.requests[i]!.at),
        inboxCopies: disturbed.page.items.filter((i) => i.subjectRef?.id === disturbed.caseId).length,
      };
    } finally {
      for (const r of receivers) {
        r.server.closeAllConnections();
        r.server.close();
      }
    }
  }, 150_000);
});
