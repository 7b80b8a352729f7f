/**
 * Faults survived, nothing lost (3/4): an agency's webhook receiver is down for a while. A real
 * local HTTP server that first refuses connections (nothing listens on its port), then answers 500,
 * then recovers. Deliveries retry with backoff; each reminder arrives exactly once in the inbox and
 * at least once at the webhook, every attempt with the same idempotency key, body and signature.
 * Real dev server, a worker process, the real API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../activities/notify.js';
import { buildApp } from '../../api/app.js';
import { inboxQuery, inboxWorkflowId } from '../../workflows/inbox-messages.js';
import { legalReviewWorkflowId } from '../../workflows/legal-review-messages.js';
import { fileRecordsDb, agencies, bearer, sampleSubmission, testConfig, uniqueTaskQueue } from '../helpers.js';
import { eventually, freePort, printFigures, sleep, spawnWorker, startDevServer, WEBHOOK_SECRET, writeAgenciesFile, writeWorkflowBundle, type ChildHandle } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'es-webhook-'));
let env: TestWorkflowEnvironment;
let bundlePath: string;
let worker: ChildHandle | undefined;
let server: Server | undefined;

beforeAll(async () => {
  [env, bundlePath] = await Promise.all([startDevServer(), writeWorkflowBundle(dir)]);
}, 180_000);

afterAll(async () => {
  await worker?.kill();
  server?.closeAllConnections();
  server?.close();
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

interface Received {
  key: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  at: number;
}

describe("an agency's webhook receiver is down for a while", () => {
  it('refuses, then answers 500, then recovers: each reminder once in the inbox, at least once at the webhook, one key', async () => {
    const agencyId = 'county-market';
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/hooks/reminders`;
    const taskQueue = uniqueTaskQueue('webhook');
    const agenciesFile = writeAgenciesFile(dir, agencies.list().map((a) => (a.id === agencyId ? { ...a, webhookUrl: url } : a)));
    worker = await spawnWorker({ address: env.address, taskQueue, bundlePath, agenciesFile });

    // A review of one working day, reminded one working day ahead at 00:00: reminded at once.
    const config = testConfig(taskQueue, { REVIEW_WORKING_DAYS: '1', REMINDER_WORKING_DAYS_BEFORE: '1', REMINDER_HOUR: '0' });
    const app = await buildApp({ config, temporal: env.client, agencies, records: await fileRecordsDb() });

    let mode: 'error' | 'ok' = 'error';
    const received: Received[] = [];
    const startedAt = Date.now();
    const caseIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({ method: 'POST', url: '/api/decisions', headers: bearer(config, 'agency', agencyId), payload: sampleSubmission() });
      expect(res.statusCode).toBe(201);
      caseIds.push(res.json().caseId);
    }

    // Phase 1: nothing listens, the first attempts are refused. Phase 2: the receiver answers 500.
    await sleep(2500);
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const status = mode === 'ok' ? 200 : 500;
        received.push({ key: decodeURIComponent(String(req.headers['idempotency-key'])), headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status, at: Date.now() });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    const listeningAt = Date.now();
    // Phase 3: once every reminder has met a 500, the receiver recovers.
    await eventually(() => new Set(received.map((r) => r.key)).size === caseIds.length, { timeout: 30_000 });
    mode = 'ok';
    const recoveredAt = Date.now();
    await eventually(() => caseIds.every((id) => received.some((r) => r.status === 200 && r.key.startsWith(`${id}/`))), { timeout: 60_000 });

    // Each reminder: exactly once in the inbox.
    const inbox = env.client.workflow.getHandle(inboxWorkflowId({ role: 'legal-review', agencyId }));
    const page = await inbox.query(inboxQuery);
    const perCase = caseIds.map((id) => page.items.filter((i) => i.subjectRef?.id === id));
    for (const items of perCase) expect(items).toHaveLength(1);

    const attemptsPerCase: number[] = [];
    const gaps: number[][] = [];
    for (const [i, id] of caseIds.entries()) {
      const notice = perCase[i]![0]!;
      const attempts = received.filter((r) => r.key.startsWith(`${id}/`));
      // At least once at the webhook, every attempt the same signed request with the inbox's key.
      expect(attempts.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
      expect(new Set(attempts.map((r) => r.key))).toEqual(new Set([notice.key]));
      expect(new Set(attempts.map((r) => r.body)).size).toBe(1);
      for (const a of attempts) expect(verifyWebhookSignature(a.body, String(a.headers['x-signature']), WEBHOOK_SECRET)).toBe(true);
      expect(JSON.parse(attempts[0]!.body)).toMatchObject({ key: notice.key, kind: 'reminder', agency: { id: agencyId } });
      // The refused first attempt left no request, only its place in the retry count.
      const history = await env.client.workflow.getHandle(legalReviewWorkflowId(id)).fetchHistory();
      const events = history.events ?? [];
      const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'postWebhook')!;
      const started = events.find((e) => String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(scheduled.eventId))!;
      const lastAttempt = started.activityTaskStartedEventAttributes!.attempt!;
      expect(lastAttempt).toBe(attempts.length + 1);
      attemptsPerCase.push(lastAttempt);
      // Backoff: 5 s after the refused attempt, then 10 s after the 500 (initial 5 s, coefficient 2).
      const times = attempts.map((a) => a.at);
      gaps.push(times.slice(1).map((t, k) => t - times[k]!));
      for (const gap of gaps.at(-1)!) expect(gap).toBeGreaterThanOrEqual(9_000);
    }

    printFigures('webhook receiver outage', {
      reminders: caseIds.length,
      refusedForMs: listeningAt - startedAt,
      answered500ForMs: recoveredAt - listeningAt,
      attemptsPerReminder: attemptsPerCase,
      requestsSeenByReceiver: received.length,
      statusesSeen: received.map((r) => r.status),
      gapsBetweenRequestsMs: gaps,
      inboxCopiesPerReminder: perCase.map((items) => items.length),
      recoveredAfterOutageMs: Math.max(...received.filter((r) => r.status === 200).map((r) => r.at)) - startedAt,
    });
  }, 120_000);
});
