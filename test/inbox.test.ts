import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode, makeTelemetryFilterString, type WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifyActivities, verifyWebhookSignature } from '../activities/notify.js';
import type { Notice } from '../domain/notices.js';
import type { Recipient } from '../domain/roles.js';
import { AgencyDirectory } from '../platform/agencies.js';
import { temporalTestServer } from '../platform/temporal-binaries.js';
import type { reminderInboxWorkflow } from '../workflows/inbox.js';
import { inboxQuery, inboxWorkflowId, markReadUpdate } from '../workflows/inbox-messages.js';
import type { notify } from '../workflows/notify.js';

const WEBHOOK_SECRET = 'test-webhook-secret';

let testEnv: TestWorkflowEnvironment;
// Two bundles, two task queues: the inbox alone (as the worker registers it), and notify() as a
// workflow of its own, which is how these tests drive the activities through Temporal's retries.
let inboxBundle: WorkflowBundle;
let notifyBundle: WorkflowBundle;

beforeAll(async () => {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
  });
  [testEnv, inboxBundle, notifyBundle] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: temporalTestServer() } }),
    bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('../workflows/inbox.ts', import.meta.url)), logger: new DefaultLogger('ERROR') }),
    bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('../workflows/notify.ts', import.meta.url)), logger: new DefaultLogger('ERROR') }),
  ]);
}, 180_000);

afterAll(async () => {
  await testEnv?.teardown();
});

/** A fresh agency per test, so workflow ids (one inbox per recipient) never collide between tests. */
function freshAgency(webhookUrl: string | null = null) {
  const id = `agency-${randomUUID().slice(0, 8)}`;
  const agencies = new AgencyDirectory([{ id, name: '县市场监督管理局', level: 'county', webhookUrl }]);
  const recipient: Recipient = { role: 'agency', agencyId: id };
  return { id, agencies, recipient };
}

function noticeFor(recipient: Recipient, n: number, overrides: Partial<Notice> = {}): Notice {
  return {
    key: `review-2025-001:material-due:${n}`,
    kind: 'reminder',
    recipient,
    subject: `补充材料即将到期 #${n}`,
    body: '请于明日前补充案件材料。',
    subjectRef: { type: 'legal-review', id: 'review-2025-001' },
    dueAt: '2025-03-05T09:00:00.000Z',
    issuedAt: '2025-03-04T01:00:00.000Z',
    ...overrides,
  };
}

/**
 * Runs `body` while an inbox worker and a notify worker poll their own fresh task queues; the
 * activities signal-with-start inboxes on the inbox queue, as the production worker does.
 */
async function withWorkers<T>(
  agencies: AgencyDirectory,
  body: (ctx: { activities: ReturnType<typeof createNotifyActivities>; inboxQueue: string; notifyQueue: string }) => Promise<T>,
): Promise<T> {
  const inboxQueue = `inbox-${randomUUID()}`;
  const notifyQueue = `notify-${randomUUID()}`;
  const activities = createNotifyActivities({ client: testEnv.client, agencies, webhookSecret: WEBHOOK_SECRET, taskQueue: inboxQueue });
  const inboxWorker = await Worker.create({
    connection: testEnv.nativeConnection,
    taskQueue: inboxQueue,
    workflowBundle: inboxBundle,
  });
  const notifyWorker = await Worker.create({
    connection: testEnv.nativeConnection,
    taskQueue: notifyQueue,
    workflowBundle: notifyBundle,
    activities,
  });
  return inboxWorker.runUntil(notifyWorker.runUntil(body({ activities, inboxQueue, notifyQueue })));
}

function inboxOf(recipient: Recipient) {
  return testEnv.client.workflow.getHandle<typeof reminderInboxWorkflow>(inboxWorkflowId(recipient));
}

/** Polls until `done` holds; for effects that happen outside the awaited call (a worker, a receiver). */
async function waitFor(done: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on a free local port; `statusFor(n)` answers the n-th request (1-based). */
async function startReceiver(statusFor: (n: number) => number) {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(statusFor(received.length), { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/reminders`,
    received,
    async close() {
      // fetch keeps connections alive; without this close() waits for them to time out.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('reminder inbox', { timeout: 60_000 }, () => {
  it('shows a notice delivered twice only once', async () => {
    const { agencies, recipient } = freshAgency();
    await withWorkers(agencies, async ({ activities }) => {
      const notice = noticeFor(recipient, 1);
      await activities.deliverToInbox(notice);
      // A retried delivery, even with a re-rendered text, is the same notice.
      await activities.deliverToInbox({ ...notice, body: '重发' });

      const page = await inboxOf(recipient).query(inboxQuery);
      expect(page.total).toBe(1);
      expect(page.unread).toBe(1);
      expect(page.items).toEqual([{ ...notice, read: false }]);
    });
  });

  it('lists newest first, pages, and marks read by key or all', async () => {
    const { agencies, recipient } = freshAgency();
    await withWorkers(agencies, async ({ activities }) => {
      for (const n of [1, 2, 3]) await activities.deliverToInbox(noticeFor(recipient, n));
      const inbox = inboxOf(recipient);
      const [first, second, third] = [1, 2, 3].map((n) => noticeFor(recipient, n).key);

      const all = await inbox.query(inboxQuery);
      expect(all.items.map((item) => item.key)).toEqual([third, second, first]);
      const secondPage = await inbox.query(inboxQuery, { limit: 2, offset: 2 });
      expect(secondPage.items.map((item) => item.key)).toEqual([first]);
      expect(secondPage.total).toBe(3);

      expect(await inbox.executeUpdate(markReadUpdate, { args: [{ keys: [second!] }] })).toEqual({ marked: 1 });
      // Marking a read notice again changes nothing and says so.
      expect(await inbox.executeUpdate(markReadUpdate, { args: [{ keys: [second!, 'no-such-key'] }] })).toEqual({ marked: 0 });
      const unread = await inbox.query(inboxQuery, { unreadOnly: true });
      expect(unread).toMatchObject({ unread: 2, total: 2 });
      expect(unread.items.map((item) => item.key)).toEqual([third, first]);

      expect(await inbox.executeUpdate(markReadUpdate, { args: [{ all: true }] })).toEqual({ marked: 2 });
      expect(await inbox.query(inboxQuery)).toMatchObject({ unread: 0, total: 3 });
      expect(await inbox.query(inboxQuery, { unreadOnly: true })).toEqual({ items: [], unread: 0, total: 0 });
    });
  });

  it('refuses a markRead that names nothing', async () => {
    const { agencies, recipient } = freshAgency();
    await withWorkers(agencies, async ({ activities }) => {
      await activities.deliverToInbox(noticeFor(recipient, 1));
      const inbox = inboxOf(recipient);

      for (const request of [{}, { keys: [] }, { all: false }]) {
        const refusal = await inbox.executeUpdate(markReadUpdate, { args: [request] }).then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
        const cause = (refusal as WorkflowUpdateFailedError).cause;
        expect(cause).toBeInstanceOf(ApplicationFailure);
        expect((cause as ApplicationFailure).type).toBe('InvalidTransition');
      }
      expect(await inbox.query(inboxQuery)).toMatchObject({ unread: 1, total: 1 });

      // A validator's refusal is not written to history, so refusals cannot grow it.
      const history = await inbox.fetchHistory();
      expect(history.events?.some((event) => event.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);
    });
  });

  it('keeps only the newest notices and still drops a late retry of an evicted one', async () => {
    const { agencies, recipient } = freshAgency();
    await withWorkers(agencies, async ({ activities, inboxQueue }) => {
      await testEnv.client.workflow.start<typeof reminderInboxWorkflow>('reminderInboxWorkflow', {
        workflowId: inboxWorkflowId(recipient),
        taskQueue: inboxQueue,
        args: [{ recipient, limits: { maxItems: 3 } }],
      });
      for (const n of [1, 2, 3, 4, 5]) await activities.deliverToInbox(noticeFor(recipient, n));
      await activities.deliverToInbox(noticeFor(recipient, 1));

      const page = await inboxOf(recipient).query(inboxQuery);
      expect(page.items.map((item) => item.key)).toEqual([5, 4, 3].map((n) => noticeFor(recipient, n).key));
      expect(page.total).toBe(3);
    });
  });

  it('continues as new carrying its notices, read marks and seen keys', async () => {
    const { agencies, recipient } = freshAgency();
    await withWorkers(agencies, async ({ activities, inboxQueue }) => {
      const started = await testEnv.client.workflow.start<typeof reminderInboxWorkflow>('reminderInboxWorkflow', {
        workflowId: inboxWorkflowId(recipient),
        taskQueue: inboxQueue,
        args: [{ recipient, limits: { continueAsNewAfterEvents: 30 } }],
      });
      const inbox = inboxOf(recipient);
      for (let n = 1; n <= 5; n++) await activities.deliverToInbox(noticeFor(recipient, n));
      await inbox.executeUpdate(markReadUpdate, { args: [{ keys: [noticeFor(recipient, 1).key, noticeFor(recipient, 2).key] }] });
      for (let n = 6; n <= 40; n++) await activities.deliverToInbox(noticeFor(recipient, n));

      // The run that decided to continue as new may have its task retried while signals keep arriving.
      await waitFor(async () => (await inbox.describe()).runId !== started.firstExecutionRunId);
      expect((await inbox.describe()).status.name).toBe('RUNNING');
      expect(await inbox.query(inboxQuery)).toMatchObject({ total: 40, unread: 38 });

      // Keys seen by an earlier run are still recognised after the boundary.
      for (let n = 1; n <= 5; n++) await activities.deliverToInbox(noticeFor(recipient, n));
      const page = await inbox.query(inboxQuery);
      expect(page).toMatchObject({ total: 40, unread: 38 });
      expect(new Set(page.items.map((item) => item.key)).size).toBe(40);
      expect(page.items[0]!.key).toBe(noticeFor(recipient, 40).key);
    });
  });
});

describe('notify() and the agency webhook', { timeout: 60_000 }, () => {
  it('posts a signed notice with its idempotency key and fills the inbox', async () => {
    const receiver = await startReceiver(() => 204);
    try {
      const { id, agencies, recipient } = freshAgency(receiver.url);
      await withWorkers(agencies, async ({ notifyQueue }) => {
        const notice = noticeFor(recipient, 1);
        await testEnv.client.workflow.execute<typeof notify>('notify', {
          workflowId: `notify-${randomUUID()}`,
          taskQueue: notifyQueue,
          args: [notice],
        });

        expect(receiver.received).toHaveLength(1);
        const [request] = receiver.received;
        expect(request!.headers['content-type']).toBe('application/json');
        expect(request!.headers['idempotency-key']).toBe(notice.key);
        expect(verifyWebhookSignature(request!.body, String(request!.headers['x-signature']), WEBHOOK_SECRET)).toBe(true);
        expect(verifyWebhookSignature(request!.body, String(request!.headers['x-signature']), 'another-secret')).toBe(false);
        expect(verifyWebhookSignature(`${request!.body} `, String(request!.headers['x-signature']), WEBHOOK_SECRET)).toBe(false);
        expect(JSON.parse(request!.body)).toEqual({ ...notice, agency: { id, name: '县市场监督管理局' } });

        expect(await inboxOf(recipient).query(inboxQuery)).toMatchObject({ total: 1, unread: 1 });
      });
    } finally {
      await receiver.close();
    }
  });

  it('retries a failing receiver with backoff until it accepts', async () => {
    const receiver = await startReceiver((n) => (n <= 2 ? 500 : 200));
    try {
      const { agencies, recipient } = freshAgency(receiver.url);
      await withWorkers(agencies, async ({ notifyQueue }) => {
        const notice = noticeFor(recipient, 1);
        const handle = await testEnv.client.workflow.start<typeof notify>('notify', {
          workflowId: `notify-${randomUUID()}`,
          taskQueue: notifyQueue,
          args: [notice],
        });
        // Time skips by itself only while nothing is in flight; here the retry timers are skipped explicitly.
        await waitFor(() => receiver.received.length === 1);
        await testEnv.sleep('5s');
        await waitFor(() => receiver.received.length === 2);
        await testEnv.sleep('10s');
        await handle.result();

        expect(receiver.received).toHaveLength(3);
        // Every attempt is the same signed request, so the receiver can deduplicate by key.
        expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
        expect(receiver.received.map((r) => r.headers['idempotency-key'])).toEqual([notice.key, notice.key, notice.key]);

        const history = await handle.fetchHistory();
        const attempts = history.events?.flatMap((event) => event.activityTaskStartedEventAttributes?.attempt ?? []);
        expect(attempts).toContain(3);
        expect(await inboxOf(recipient).query(inboxQuery)).toMatchObject({ total: 1 });
      });
    } finally {
      await receiver.close();
    }
  });

  it('gives up at once on a receiver that rejects the request, without failing the caller', async () => {
    const receiver = await startReceiver(() => 400);
    try {
      const { agencies, recipient } = freshAgency(receiver.url);
      await withWorkers(agencies, async ({ notifyQueue }) => {
        const notice = noticeFor(recipient, 1);
        await testEnv.client.workflow.execute<typeof notify>('notify', {
          workflowId: `notify-${randomUUID()}`,
          taskQueue: notifyQueue,
          args: [notice],
        });
        expect(receiver.received).toHaveLength(1);
        expect(await inboxOf(recipient).query(inboxQuery)).toMatchObject({ total: 1, unread: 1 });
      });
    } finally {
      await receiver.close();
    }
  });

  it('skips the webhook for the office and for agencies without one', async () => {
    const { agencies, recipient } = freshAgency(null);
    const activities = createNotifyActivities({ client: testEnv.client, agencies, webhookSecret: WEBHOOK_SECRET, taskQueue: 'unused' });
    await expect(activities.postWebhook(noticeFor(recipient, 1))).resolves.toEqual({ delivered: false });
    await expect(activities.postWebhook(noticeFor({ role: 'office' }, 1, { kind: 'escalation' }))).resolves.toEqual({ delivered: false });
  });
});
