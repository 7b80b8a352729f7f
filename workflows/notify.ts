import { log, proxyActivities } from '@temporalio/workflow';
import type { Notice } from '../domain/notices.js';
import type { createNotifyActivities } from '../activities/notify.js';

type NotifyActivities = ReturnType<typeof createNotifyActivities>;

// The inbox is the notice of record: keep trying until it is there, however long the outage.
const { deliverToInbox } = proxyActivities<NotifyActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

// An agency's own system is a courtesy copy: about an hour of retries, then give up.
const { postWebhook } = proxyActivities<NotifyActivities>({
  startToCloseTimeout: '30s',
  retry: {
    initialInterval: '5s',
    backoffCoefficient: 2,
    maximumInterval: '10m',
    maximumAttempts: 12,
    nonRetryableErrorTypes: ['WebhookRejected'],
  },
});

/**
 * Sends a reminder or escalation from inside a workflow: to the recipient's inbox and, for an
 * agency with a webhook, to its own system, both at once. Resolves once the inbox has it and the
 * webhook has succeeded or given up, which can take as long as the webhook's retries (about an hour):
 * a workflow that must not stall on it should run it alongside its own work rather than before it.
 */
export async function notify(notice: Notice): Promise<void> {
  await Promise.all([
    deliverToInbox(notice),
    postWebhook(notice).catch((err: unknown) => {
      // A reminder that reached the inbox must not fail the case because an agency's server is down.
      const reason = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      log.warn('webhook delivery gave up', { key: notice.key, reason });
    }),
  ]);
}
