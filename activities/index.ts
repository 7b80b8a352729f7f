import type { Client } from '@temporalio/client';
import type { AgencyDirectory } from '../platform/agencies.js';
import type { RecordsDb } from '../platform/records/database.js';
import { createCalendarBook, type CalendarBook } from '../platform/calendar-book.js';
import type { DutyPolicy } from '../workflows/agency-duties-messages.js';
import { createCalendarActivities } from './calendar.js';
import { createCalendarReplanActivities, type RunningProcedures } from './calendar-replan.js';
import { createLedgerActivities } from './ledger.js';
import { createNotifyActivities } from './notify.js';
import { createRecordsActivities } from './records.js';
import { createScoringActivities } from './scoring.js';
import { createSiteNoticeActivities } from './site-notice.js';

export interface ActivityDeps {
  /** To signal the recipients' inbox workflows. */
  client: Client;
  agencies: AgencyDirectory;
  webhookSecret: string;
  taskQueue: string;
  /** Reminder and escalation policy of the agencies' yearly duties. */
  dutyPolicy?: DutyPolicy;
  /** The calendar in force (State Council notices entered by the office); one is made from `client` when absent. */
  calendarBook?: CalendarBook;
  /** The running workflows with deadlines; Temporal's visibility when absent. */
  runningProcedures?: RunningProcedures;
  /** The records database every workflow writes its changes to (platform/records/). */
  records?: RecordsDb;
  /** Injectable for tests of the webhook receiver's failures; the real fetch otherwise. */
  fetch?: typeof fetch;
}

/** All activities, built from their dependencies so tests inject only what lies outside the system. */
export function createActivities(deps: ActivityDeps) {
  const calendarBook = deps.calendarBook ?? createCalendarBook({ client: deps.client });
  return {
    ...createCalendarActivities(calendarBook),
    ...createCalendarReplanActivities({ client: deps.client, calendarBook, runningProcedures: deps.runningProcedures }),
    ...createNotifyActivities(deps),
    ...createScoringActivities(),
    ...createSiteNoticeActivities(deps),
    ...createLedgerActivities(deps),
    ...createRecordsActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
