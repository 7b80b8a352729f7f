import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { InboxItem } from '../domain/notices.js';
import { recipientKey, type Recipient } from '../domain/roles.js';
import { deliverNoticeSignal, inboxQuery, markReadUpdate, type InboxPage, type InboxQueryOptions } from './inbox-messages.js';

export interface InboxLimits {
  /** Older notices fall off the end; the inbox is a reminder feed, not the record of the case. */
  maxItems: number;
  /**
   * Continue-as-new once the history is this long, well before Temporal's own limits, so the
   * replay after a worker restart stays cheap for an entity that lives for years.
   */
  continueAsNewAfterEvents: number;
}

export const DEFAULT_INBOX_LIMITS: InboxLimits = { maxItems: 1000, continueAsNewAfterEvents: 2000 };

/** What one run hands to the next when it continues as new. */
export interface InboxState {
  /** Newest first. */
  items: InboxItem[];
  /**
   * Idempotency keys already delivered, oldest first. Kept for twice as many notices as the inbox
   * shows, so a delivery retried late (after its notice was evicted) still does not resurface.
   */
  seenKeys: string[];
}

export interface ReminderInboxInput {
  recipient: Recipient;
  carried?: InboxState;
  /** Defaults to DEFAULT_INBOX_LIMITS; tests lower them to cross a continue-as-new boundary quickly. */
  limits?: Partial<InboxLimits>;
}

/**
 * The durable inbox of one recipient (an agency role, or the office). Deadline workflows deliver
 * reminders and escalations to it by signal-with-start; the API reads it by query and marks notices
 * read by update. It never completes: it continues as new, carrying its notices, to keep its history short.
 */
export async function reminderInboxWorkflow(input: ReminderInboxInput): Promise<never> {
  const limits: InboxLimits = { ...DEFAULT_INBOX_LIMITS, ...input.limits };
  const ownKey = recipientKey(input.recipient);
  const items: InboxItem[] = input.carried?.items ?? [];
  // A Set iterates in insertion order, so its first entry is always the oldest key to forget.
  const seenKeys = new Set(input.carried?.seenKeys ?? items.map((item) => item.key).reverse());
  const rememberedKeys = limits.maxItems * 2;

  function remember(key: string): void {
    seenKeys.add(key);
    while (seenKeys.size > rememberedKeys) {
      const oldest = seenKeys.values().next().value as string;
      seenKeys.delete(oldest);
    }
  }

  setHandler(deliverNoticeSignal, (notice) => {
    // Activities retry, and a deadline workflow may be replayed into sending again: one key, one notice.
    if (seenKeys.has(notice.key)) return;
    if (recipientKey(notice.recipient) !== ownKey) {
      log.warn('notice addressed to another recipient ignored', { key: notice.key, to: recipientKey(notice.recipient), inbox: ownKey });
      return;
    }
    remember(notice.key);
    items.unshift({ ...notice, read: false });
    if (items.length > limits.maxItems) items.length = limits.maxItems;
  });

  setHandler(
    markReadUpdate,
    ({ keys, all }) => {
      const wanted = new Set(keys);
      let marked = 0;
      for (const item of items) {
        if (!item.read && (all || wanted.has(item.key))) {
          item.read = true;
          marked += 1;
        }
      }
      return { marked };
    },
    {
      // Refused before it is written to history, so a careless client cannot bloat the inbox's history.
      validator: (request) => {
        if (!request?.all && !request?.keys?.length) {
          throw ApplicationFailure.create({
            type: 'InvalidTransition',
            message: 'name the notices to mark read (keys) or ask for all of them (all: true)',
            nonRetryable: true,
          });
        }
      },
    },
  );

  setHandler(inboxQuery, (options: InboxQueryOptions = {}): InboxPage => {
    const offset = Math.max(0, Math.trunc(options.offset ?? 0));
    const limit = options.limit === undefined ? undefined : Math.max(0, Math.trunc(options.limit));
    const unread = items.reduce((count, item) => count + (item.read ? 0 : 1), 0);
    const matching = options.unreadOnly ? items.filter((item) => !item.read) : items;
    const page = matching.slice(offset, limit === undefined ? undefined : offset + limit);
    return { items: page, unread, total: matching.length };
  });

  const mustContinue = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > limits.continueAsNewAfterEvents;
  if (patched('inbox-yearly-continue-as-new')) {
    // A quiet inbox still starts a new run every year: a run is never open long enough to meet a
    // server's run timeout (the test server closes runs after ten years), and new code takes over.
    await condition(mustContinue, '365 days');
  } else {
    await condition(mustContinue);
  }
  // An update accepted in this same task must finish before its run ends, or its caller sees an error.
  await condition(allHandlersFinished);
  return continueAsNew<typeof reminderInboxWorkflow>({
    recipient: input.recipient,
    carried: { items, seenKeys: [...seenKeys] },
    limits: input.limits,
  });
}
