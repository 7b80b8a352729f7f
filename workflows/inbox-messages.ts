import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { InboxItem, Notice } from '../domain/notices.js';
import { recipientKey, type Recipient } from '../domain/roles.js';

/**
 * The reminder inbox's id and messages, shared by the inbox workflow, the notify activities and the
 * API. Only `@temporalio/workflow` definitions and pure functions here, so the module is safe in the
 * workflow bundle and in plain Node code alike.
 */

/** One inbox per recipient; the id is the business key, so signal-with-start finds it without lookup. */
export function inboxWorkflowId(recipient: Recipient): string {
  return `inbox:${recipientKey(recipient)}`;
}

export const deliverNoticeSignal = defineSignal<[Notice]>('deliverNotice');

export interface MarkReadRequest {
  /** Idempotency keys of the notices to mark read. */
  keys?: string[];
  /** Mark every notice in the inbox read. */
  all?: boolean;
}

export const markReadUpdate = defineUpdate<{ marked: number }, [MarkReadRequest]>('markRead');

export interface InboxQueryOptions {
  unreadOnly?: boolean;
  limit?: number;
  offset?: number;
}

export interface InboxPage {
  /** Newest first. */
  items: InboxItem[];
  /** Unread notices in the whole inbox, whatever the filter. */
  unread: number;
  /** Notices matching the filter before paging, so a client can page through them. */
  total: number;
}

export const inboxQuery = defineQuery<InboxPage, [InboxQueryOptions?]>('inbox');
