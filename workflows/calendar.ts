/**
 * The working-day calendar as workflows call it. Its answers come from activities, never from code
 * in the workflow (activities/calendar.ts says why), and since the answers are pure lookups that
 * take microseconds they run as local activities: in the worker, within the workflow task, recorded
 * as a marker in the history. A regular activity cost the server a task, three history events and
 * two round trips for each deadline, which made the calendar the largest share of the server's work
 * per action (bench/README.md).
 *
 * Workflows that began before this change recorded regular activity tasks; `patched` keeps them on
 * that path so their histories replay (test/replay.test.ts replays such histories). A workflow
 * started with `localCalendar: false` (CALENDAR_LOCAL_ACTIVITIES=false) keeps regular activities
 * too: a worker without a workflow cache cannot run local activities.
 */
import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { createCalendarActivities } from '../activities/calendar.js';

type CalendarActivities = ReturnType<typeof createCalendarActivities>;

const retry = { initialInterval: '1 second', maximumInterval: '1 minute' } as const;
const asActivities = proxyActivities<CalendarActivities>({ startToCloseTimeout: '10 seconds', retry });
const asLocalActivities = proxyLocalActivities<CalendarActivities>({ startToCloseTimeout: '5 seconds', retry });

export function calendar(policy: { localCalendar?: boolean }): CalendarActivities {
  return patched('calendar-local-activities') && policy.localCalendar !== false ? asLocalActivities : asActivities;
}
