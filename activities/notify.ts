import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Notice } from '../domain/notices.js';
import type { AgencyDirectory } from '../platform/agencies.js';
import type { reminderInboxWorkflow } from '../workflows/inbox.js';
import { deliverNoticeSignal, inboxWorkflowId } from '../workflows/inbox-messages.js';

export interface NotifyDeps {
  /** To signal-with-start the recipients' inbox workflows. */
  client: Client;
  agencies: AgencyDirectory;
  /** Shared with the agencies' receivers, which check `x-signature` with it. */
  webhookSecret: string;
  /** Where the inbox workflows run. */
  taskQueue: string;
  /** The real fetch unless a test replaces it. */
  fetch?: typeof fetch;
}

export interface WebhookResult {
  delivered: boolean;
  status?: number;
}

const WEBHOOK_TIMEOUT_MS = 10_000;
/** A receiver asking us to wait longer than the retry policy's own ceiling is not obeyed beyond it. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;
const SIGNATURE_PREFIX = 'sha256=';

export function signWebhookBody(body: string, secret: string): string {
  return SIGNATURE_PREFIX + createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

/** For receivers (and tests): does `header` carry the HMAC of exactly this body? Constant-time. */
export function verifyWebhookSignature(body: string, header: string, secret: string): boolean {
  const expected = Buffer.from(signWebhookBody(body, secret), 'utf8');
  const given = Buffer.from(header.trim(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Retry-After as seconds or an HTTP date, in milliseconds; undefined when absent or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_RETRY_AFTER_MS) : undefined;
}

/**
 * The idempotency key as an HTTP header value. Headers carry visible ASCII only, and a key names its
 * case (legal-review:county-market:市监罚〔2026〕77号/…), so every other character, and '%', is
 * percent-encoded as UTF-8 the way a URI is: receivers decodeURIComponent it to get `key` back.
 */
export function idempotencyKeyHeader(key: string): string {
  return key.replace(/[^\x21-\x24\x26-\x7e]/gu, (ch) => [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}

export function createNotifyActivities(deps: NotifyDeps) {
  const { client, agencies, webhookSecret, taskQueue } = deps;
  const doFetch = deps.fetch ?? fetch;

  return {
    /**
     * Puts the notice in the recipient's inbox, starting the inbox on its first notice. Safe to
     * retry: the inbox drops a key it has already seen.
     */
    async deliverToInbox(notice: Notice): Promise<void> {
      await client.workflow.signalWithStart<typeof reminderInboxWorkflow, [typeof notice]>('reminderInboxWorkflow', {
        workflowId: inboxWorkflowId(notice.recipient),
        taskQueue,
        args: [{ recipient: notice.recipient }],
        signal: deliverNoticeSignal,
        signalArgs: [notice],
      });
    },

    /**
     * POSTs the notice to the agency's own system, if it registered a webhook. Failures throw so
     * Temporal retries with backoff; a receiver that rejects the request outright (4xx other than
     * 408/429) will not change its mind, so that one is not retried.
     */
    async postWebhook(notice: Notice): Promise<WebhookResult> {
      if (notice.recipient.role === 'office') return { delivered: false };
      const agency = agencies.get(notice.recipient.agencyId);
      if (!agency?.webhookUrl) return { delivered: false };

      const body = JSON.stringify({ ...notice, agency: { id: agency.id, name: agency.name } });
      const response = await doFetch(agency.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-signature': signWebhookBody(body, webhookSecret),
          // Lets the receiver drop the duplicates that at-least-once delivery will sometimes send.
          'idempotency-key': idempotencyKeyHeader(notice.key),
        },
        body,
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      // Only the status matters; release the connection.
      await response.body?.cancel().catch(() => undefined);

      if (response.ok) return { delivered: true, status: response.status };
      const message = `webhook of ${agency.id} answered HTTP ${response.status}`;
      if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
        throw ApplicationFailure.nonRetryable(message, 'WebhookRejected', { status: response.status });
      }
      throw ApplicationFailure.create({
        message,
        type: 'WebhookUnavailable',
        details: [{ status: response.status }],
        nextRetryDelay: retryAfterMs(response.headers.get('retry-after')),
      });
    },
  };
}

export type NotifyActivities = ReturnType<typeof createNotifyActivities>;
