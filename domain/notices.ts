import type { Recipient } from './roles.js';

/**
 * A reminder (before a deadline, to whoever must act) or an escalation (after it, to the office).
 * `key` is the idempotency key: delivering the same key twice shows it once, in the inbox and at
 * the agency's webhook receiver.
 */
export interface Notice {
  key: string;
  kind: 'reminder' | 'escalation';
  recipient: Recipient;
  subject: string;
  body: string;
  /** The case or site the notice is about, so the UI can link to it. */
  subjectRef?: { type: 'legal-review' | 'demo-site' | 'duty'; id: string };
  /** ISO instant of the deadline concerned. */
  dueAt?: string;
  /** ISO instant the notice was issued (workflow time, not wall-clock time). */
  issuedAt: string;
}

export interface InboxItem extends Notice {
  read: boolean;
}
