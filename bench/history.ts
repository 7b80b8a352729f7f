/**
 * Scenario 8, history growth: a demonstration site named and re-inspected every two years for twenty
 * simulated years on the time-skipping test server (the approach of test/demo-site.test.ts "a named
 * site over twenty years"), recording how many events each run's history holds when it continues as new.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { buildApp } from '../api/app.js';
import { shanghaiInstant } from '../domain/calendar.js';
import type { Role } from '../domain/roles.js';
import { shanghaiDateOf } from '../domain/shanghai-time.js';
import type { AgencyDirectory } from '../platform/agencies.js';
import { loadConfig } from '../platform/config.js';
import { openRecords } from '../platform/records/database.js';
import { temporalTestServer } from '../platform/temporal-binaries.js';
import { acceptanceMethods, sampleScoreSheet } from '../test/fixtures.js';
import { bundleWorkflows, createWorker } from '../worker/worker.js';
import { campaignWorkflowId, siteWorkflowId } from '../workflows/demo-site-messages.js';
import { Tokens } from './lib/cases.js';
import { waitUntil } from './lib/load.js';
import { registerSearchAttributes } from './lib/temporal.js';

export interface RunRecord {
  run: number;
  runId: string;
  /** how the run ended: CONTINUED_AS_NEW, or RUNNING for the last one */
  status: string;
  /** events in the run's history (describe().historyLength) */
  events: number;
  /** simulated date (Asia/Shanghai) at which it was measured */
  measuredOn: string;
}

export interface HistoryResult {
  cycles: number;
  years: number;
  runs: RunRecord[];
  awardedOn: string;
  wallSeconds: number;
}

const CYCLES = 10;

function application() {
  return {
    unitName: '县生态环境分局',
    unitLevel: '正科级',
    address: '县城人民路1号',
    pastThreeYearsWork: '近三年全面落实行政执法责任制，建立权责清单，案卷评查合格率100%。',
    unitOpinion: '同意申报。',
    creationPlan: '创建方案.pdf',
    progressLedger: '工作推进台账.xlsx',
  };
}

/**
 * Runs the twenty years, the workflows writing their records into `databaseUrl` (the worker and the
 * API both use it, as the processes do); `onCleanup` receives what must run if the benchmark is
 * interrupted. `maxMs` bounds the whole scenario.
 */
export async function historyGrowth(agencies: AgencyDirectory, databaseUrl: string, onCleanup: (fn: () => Promise<void>) => void, maxMs: number): Promise<HistoryResult> {
  const started = Date.now();
  const deadline = started + maxMs;
  const left = () => Math.max(1_000, Math.min(60_000, deadline - Date.now()));
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: temporalTestServer() } });
  let tornDown = false;
  const teardown = async () => {
    if (tornDown) return;
    tornDown = true;
    await env.teardown();
  };
  onCleanup(teardown);
  try {
    await registerSearchAttributes(env.connection);
    const taskQueue = `bench-history-${process.pid}-${Date.now()}`;
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', TEMPORAL_TASK_QUEUE: taskQueue });
    const tokens = new Tokens(config.JWT_SECRET);
    const records = await openRecords(databaseUrl);
    onCleanup(() => records.destroy());
    const worker = await createWorker({
      records,
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      client: env.client,
      taskQueue,
      agencies,
      webhookSecret: config.WEBHOOK_SECRET,
      workflowBundle: await bundleWorkflows(),
    });
    let running: Promise<unknown> | undefined;
    onCleanup(async () => {
      // Interrupted: stop the worker and wait (bounded) until it let go of the connection.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      if (running) await Promise.race([running.catch(() => undefined), sleep(20_000)]);
    });
    const app = await buildApp({ config, temporal: env.client, agencies, records });
    onCleanup(() => app.close());

    const call = async (method: 'GET' | 'POST', url: string, role: Role, payload?: object, agencyId?: string) => {
      const res = await app.inject({ method, url, headers: tokens.headers(role, agencyId), payload });
      return { status: res.statusCode, body: res.json() };
    };
    const must = async (what: string, p: Promise<{ status: number; body: any }>, ok = [200, 201]) => {
      const res = await p;
      if (!ok.includes(res.status)) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      return res.body;
    };
    const skipTo = async (date: string, hour = 10) => {
      const target = Date.parse(shanghaiInstant(date, hour));
      const now = await env.currentTimeMs();
      if (target > now) await env.sleep(target - now);
    };

    const id = 'county-ecology';
    if (!agencies.has(id)) throw new Error(`the agency directory has no ${id}`);
    const year = Number(shanghaiDateOf(await env.currentTimeMs()).slice(0, 4)) + 1;
    const workflowId = siteWorkflowId(id, year);
    const site = `/api/sites/${encodeURIComponent(workflowId)}`;
    const office = (action: string, payload: object) => must(action, call('POST', `${site}/${action}`, 'office', payload));
    const state = async () => must('state', call('GET', site, 'office'));
    const timeline = async () => (await must('timeline', call('GET', `${site}/timeline`, 'office'))) as Array<{ action: string; summary: string }>;
    const describe = (runId?: string) => env.client.workflow.getHandle(workflowId, runId).describe();

    const runs: RunRecord[] = [];
    let awardedOn = '';
    running = worker.runUntil(async () => {
      await must('apply', call('POST', `/api/site-campaigns/${year}/applications`, 'agency', application(), id));
      await office('screening', { decision: 'target' });
      await skipTo(`${year}-08-03`);
      await office('acceptance', { acceptedOn: `${year}-08-03`, methods: acceptanceMethods(), scoreSheet: sampleScoreSheet() });
      await must('notice', call('POST', `/api/site-campaigns/${year}/notice`, 'office', { agencyIds: [id], channel: '县政府门户网站' }));
      await skipTo(`${year}-08-11`);
      if (!(await waitUntil(async () => (await state()).stage === 'awaiting-confirmation', left()))) throw new Error('the site never reached awaiting-confirmation');
      awardedOn = (await office('confirmation', {})).awardedOn;

      for (let cycle = 1; cycle <= CYCLES; cycle++) {
        if (Date.now() > deadline) throw new Error(`time limit reached after ${cycle - 1} re-inspections`);
        const s = await state();
        const due = s.deadlines.find((d: { name: string; met?: unknown }) => d.name === 'reinspection' && !d.met);
        if (!due) throw new Error(`cycle ${cycle}: no open re-inspection deadline`);
        const before = await describe();
        // Past the reminder (09:00, one working day ahead): the office re-inspects that day.
        await env.sleep(Math.max(1, Date.parse(due.remindAt) - (await env.currentTimeMs()) + 60_000));
        const reminded = await waitUntil(async () => (await timeline()).filter((e) => e.action === 'reminder' && e.summary.includes('两年复核复查')).length >= cycle, left());
        if (!reminded) throw new Error(`cycle ${cycle}: the re-inspection reminder never came`);
        const inspectedOn = shanghaiDateOf(await env.currentTimeMs());
        await office('reinspection', { inspectedOn, passed: true, findings: `第${cycle}次复核：示范带动作用明显` });
        if (!(await waitUntil(async () => (await state()).cycle === cycle && (await describe()).runId !== before.runId, left()))) {
          throw new Error(`cycle ${cycle}: the site did not continue as new`);
        }
        const closed = await describe(before.runId);
        runs.push({ run: cycle, runId: before.runId, status: closed.status.name, events: closed.historyLength, measuredOn: inspectedOn });
      }
      const last = await describe();
      runs.push({ run: CYCLES + 1, runId: last.runId, status: last.status.name, events: last.historyLength, measuredOn: shanghaiDateOf(await env.currentTimeMs()) });
      // End what this scenario started, while the worker still runs.
      for (const wf of [workflowId, campaignWorkflowId(year)]) await env.client.workflow.getHandle(wf).terminate('benchmark finished').catch(() => undefined);
    });
    await running;
    return { cycles: CYCLES, years: 2 * CYCLES, runs, awardedOn, wallSeconds: (Date.now() - started) / 1000 };
  } finally {
    await teardown();
  }
}
