import type { Client } from '@temporalio/client';
import type { AgencyDirectory } from '../platform/agencies.js';
import type { DutyPolicy } from '../workflows/agency-duties-messages.js';
import { createCalendarActivities } from './calendar.js';
import { createLedgerActivities } from './ledger.js';
import { createNotifyActivities } from './notify.js';
import { createScoringActivities } from './scoring.js';

export interface ActivityDeps {
  /** To signal the recipients' inbox workflows. */
  client: Client;
  agencies: AgencyDirectory;
  webhookSecret: string;
  taskQueue: string;
  /** Reminder and escalation policy of the agencies' yearly duties. */
  dutyPolicy?: DutyPolicy;
  /** Injectable for tests of the webhook receiver's failures; the real fetch otherwise. */
  fetch?: typeof fetch;
}

/** All activities, built from their dependencies so tests inject only what lies outside the system. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createCalendarActivities(),
    ...createNotifyActivities(deps),
    ...createScoringActivities(),
    ...createLedgerActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
