/**
 * Faults survived, nothing lost (2/4): the Temporal dev server is stopped and started again on its
 * SQLite file (same address) while cases are open. Every case, its full-process record, its pending
 * deadlines and the reminders already delivered are intact afterwards; the worker processes and the
 * API ride through the outage; and timers that fell due while the server was down fire once.
 *
 * Product deadlines are whole working days and cannot be configured shorter, so the timers that fall
 * due during the outage belong to cases run by a worker whose calendar activity answers with
 * compressed instants (test/reliability/worker-process.ts, COMPRESS_DEADLINES): the workflow code and
 * its timers are the product's; only the calendar's reminder and due instants are seconds away.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import type { Role } from '../../domain/roles.js';
import { siteStateQuery, siteTimelineQuery } from '../../workflows/demo-site-messages.js';
import { inboxQuery, inboxWorkflowId } from '../../workflows/inbox-messages.js';
import { legalReviewWorkflowId } from '../../workflows/legal-review-messages.js';
import { fileRecordsDb, agencies, bearer, opinion, sampleSubmission, testConfig, uniqueTaskQueue } from '../helpers.js';
import { acceptanceYearAndDay, startSiteOfYear } from './scenarios.js';
import { eventually, freePort, printFigures, sleep, spawnWorker, startDevServer, writeWorkflowBundle, type ChildHandle } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'es-server-restart-'));
const dbFilename = join(dir, 'temporal.sqlite');
let port: number;
let env: TestWorkflowEnvironment | undefined;
let bundlePath: string;
const children: ChildHandle[] = [];
let connection: Connection | undefined;

beforeAll(async () => {
  port = await freePort();
  [env, bundlePath] = await Promise.all([startDevServer({ dbFilename, port }), writeWorkflowBundle(dir)]);
}, 180_000);

afterAll(async () => {
  await Promise.all(children.map((c) => c.kill()));
  await connection?.close();
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

describe('the Temporal server restarts on its SQLite file while cases are open', () => {
  it('keeps every case, record, pending deadline and reminder; timers due during the outage fire once', async () => {
    const address = `127.0.0.1:${port}`;
    const queue = uniqueTaskQueue('restart');
    const compressedQueue = uniqueTaskQueue('restart-compressed');
    // Reminder 6 s after the deadline opens (while the server is down), due 22 s after (once it is back).
    const spawned = await Promise.all([
      spawnWorker({ address, taskQueue: queue, bundlePath }),
      spawnWorker({ address, taskQueue: compressedQueue, bundlePath, compressDeadlines: '6,22' }),
    ]);
    children.push(...spawned);

    // The API's own connection, kept across the restart as a running API process keeps it.
    connection = await Connection.connect({ address });
    const temporal = new Client({ connection });
    const apiFor = async (taskQueue: string, overrides: Record<string, string> = {}) => {
      const config = testConfig(taskQueue, overrides);
      const app = await buildApp({ config, temporal, agencies, records: await fileRecordsDb() });
      return async (method: 'GET' | 'POST', url: string, role: Role, payload?: object, agencyId?: string) => {
        const res = await app.inject({ method, url, headers: bearer(config, role, agencyId), payload });
        return { status: res.statusCode, body: res.json() };
      };
    };
    const call = await apiFor(queue);
    const callImmediate = await apiFor(queue, { REVIEW_WORKING_DAYS: '1', REMINDER_WORKING_DAYS_BEFORE: '1', REMINDER_HOUR: '0' });
    const callCompressed = await apiFor(compressedQueue);

    // Open cases in several stages, each with pending deadlines.
    const submit = async (c: typeof call, agencyId = 'county-market') => {
      const res = await c('POST', '/api/decisions', 'agency', sampleSubmission(), agencyId);
      expect(res.status).toBe(201);
      return `/api/decisions/${encodeURIComponent(res.body.caseId)}`;
    };
    const underReview = await submit(call);
    const awaitingMaterial = await submit(call);
    expect((await call('POST', `${awaitingMaterial}/request-material`, 'legal-review', { items: ['听证笔录'] })).status).toBe(200);
    const decided = await submit(call);
    await call('POST', `${decided}/opinion`, 'legal-review', opinion('pass'));
    await call('POST', `${decided}/accept`, 'agency', {});
    expect((await call('POST', `${decided}/decision`, 'agency-head', { decision: '罚款', documentNumber: '决〔2026〕9号' })).body.stage).toBe('decided');
    // A case reminded at once: its reminder is in the review body's inbox before the outage.
    const reminded = await submit(callImmediate, 'county-transport');
    const transportInbox = temporal.workflow.getHandle(inboxWorkflowId({ role: 'legal-review', agencyId: 'county-transport' }));
    await eventually(async () => expect((await transportInbox.query(inboxQuery)).total).toBe(1));
    // A demonstration site under cultivation, its overdue acceptance escalated to the office.
    const { year } = acceptanceYearAndDay();
    const siteId = await startSiteOfYear(temporal, queue, 'county-health', agencies.get('county-health')!.name, year);
    const siteUrl = `/api/sites/${encodeURIComponent(siteId)}`;
    await eventually(async () => expect((await call('GET', siteUrl, 'office')).status).toBe(200));
    expect((await call('POST', `${siteUrl}/screening`, 'office', { decision: 'target' })).status).toBe(200);
    const officeInbox = temporal.workflow.getHandle(inboxWorkflowId({ role: 'office' }));
    await eventually(async () => expect((await officeInbox.query(inboxQuery)).items.filter((i) => i.subjectRef?.id === siteId)).toHaveLength(1));

    // The case whose reminder will fall due while the server is down.
    const compressed = await submit(callCompressed, 'county-ecology');
    const compressedCaseId = decodeURIComponent(compressed.split('/').pop()!);
    const compressedDeadline = (await callCompressed('GET', compressed, 'office')).body.deadlines[0];
    const ecologyInbox = temporal.workflow.getHandle(inboxWorkflowId({ role: 'legal-review', agencyId: 'county-ecology' }));

    const caseUrls = [underReview, awaitingMaterial, decided, reminded];
    const snapshot = async () => ({
      cases: await Promise.all(caseUrls.map(async (u) => ({ state: (await call('GET', u, 'office')).body, timeline: (await call('GET', `${u}/timeline`, 'office')).body }))),
      site: { state: (await call('GET', siteUrl, 'office')).body, timeline: (await call('GET', `${siteUrl}/timeline`, 'office')).body },
      inboxes: { transport: await transportInbox.query(inboxQuery), office: await officeInbox.query(inboxQuery) },
      compressed: (await callCompressed('GET', compressed, 'office')).body,
    });
    const before = await snapshot();
    expect(before.compressed.deadlines[0]).toMatchObject({ reminded: false, overdue: false });

    // Stop the server; the reminder instant passes while it is down.
    const stoppedAt = Date.now();
    await env!.teardown();
    env = undefined;
    const downUntil = Date.parse(compressedDeadline.remindAt) + 4000;
    await sleep(Math.max(downUntil - Date.now(), 0));
    const restartingAt = Date.now();
    env = await startDevServer({ dbFilename, port });
    const downMs = Date.now() - stoppedAt;
    const restartMs = Date.now() - restartingAt;

    // Everything is there again, exactly as it was.
    const after = await eventually(() => snapshot(), { timeout: 30_000 });
    expect(after.cases).toEqual(before.cases);
    expect(after.site).toEqual(before.site);
    expect(after.inboxes).toEqual(before.inboxes);
    for (const c of after.cases) expect(c.state.deadlines.length).toBeGreaterThan(0);
    // Listing by search attributes still finds every case.
    const listed = await eventually(async () => {
      const list = await call('GET', '/api/decisions?pageSize=50', 'office');
      expect(list.body.items.length).toBeGreaterThanOrEqual(caseUrls.length);
      return list.body.items;
    });
    const listedIds = new Set(listed.map((i: { caseId: string }) => i.caseId));
    for (const u of caseUrls) expect(listedIds).toContain(decodeURIComponent(u.split('/').pop()!));

    // The timer that fell due during the outage fires, once; the worker processes rode it out.
    const firedAfterMs = await eventually(
      async () => {
        const timeline = (await callCompressed('GET', `${compressed}/timeline`, 'office')).body;
        expect(timeline.filter((e: { action: string }) => e.action === 'reminder')).toHaveLength(1);
        return Date.now() - restartingAt;
      },
      { timeout: 30_000 },
    );
    // And the next one, due after the restart, fires on time, once.
    await sleep(Math.max(Date.parse(compressedDeadline.dueAt) - Date.now(), 0) + 3000);
    const timeline = (await callCompressed('GET', `${compressed}/timeline`, 'office')).body as Array<{ action: string }>;
    expect(timeline.map((e) => e.action)).toEqual(['submit', 'reminder', 'escalation']);
    const ecology = await ecologyInbox.query(inboxQuery);
    expect(ecology.items.filter((i) => i.subjectRef?.id === compressedCaseId && i.kind === 'reminder')).toHaveLength(1);
    expect((await officeInbox.query(inboxQuery)).items.filter((i) => i.subjectRef?.id === compressedCaseId && i.kind === 'escalation')).toHaveLength(1);
    for (const worker of spawned) expect(worker.process.exitCode).toBeNull();

    // The open cases go on.
    expect((await call('POST', `${underReview}/opinion`, 'legal-review', opinion('pass'))).body.stage).toBe('awaiting-response');
    expect((await call('POST', `${awaitingMaterial}/supply-material`, 'agency', { note: '已补充' })).body.stage).toBe('under-review');
    const today = after.cases[2]!.state.decision.decidedOn;
    expect((await call('POST', `${decided}/publication`, 'agency', { publishedOn: today, channel: '县政府门户网站' })).status).toBe(200);
    expect((await call('POST', `${siteUrl}/visits`, 'office', { visitedOn: today, people: ['王科长'], findings: '台账完整' })).status).toBe(200);
    const site = temporal.workflow.getHandle(siteId);
    expect((await site.query(siteTimelineQuery)).map((e) => e.action)).toContain('recordVisit');
    expect((await site.query(siteStateQuery)).visits).toHaveLength(1);
    const history = await temporal.workflow.getHandle(legalReviewWorkflowId(compressedCaseId)).fetchHistory();
    const timersFired = (history.events ?? []).filter((e) => e.timerFiredEventAttributes).length;

    printFigures('Temporal server restart', {
      openCasesChecked: caseUrls.length + 1,
      serverDownMs: downMs,
      serverStartMs: restartMs,
      reminderFiredAfterRestartMs: firedAfterMs,
      timersFiredInCompressedCase: timersFired,
      workersSurvived: spawned.every((w) => w.process.exitCode === null),
    });
  }, 150_000);
});
