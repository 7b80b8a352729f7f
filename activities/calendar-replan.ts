/**
 * Tells every running procedure that a year's calendar changed, once a notice is entered
 * (workflows/calendar-notice.ts). Each one recomputes its own open deadlines; a procedure whose
 * deadlines do not touch the year finds nothing to move. A signal carries the version, so a retried
 * run of this activity repeats signals harmlessly.
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { CalendarBook } from '../platform/calendar-book.js';
import { SA } from '../platform/search-attributes.js';
import { DUTIES_KIND } from '../workflows/agency-duties-messages.js';
import { calendarChangedSignal, type CalendarChange } from '../workflows/calendar-notice-messages.js';
import { DEMO_SITE_KIND } from '../workflows/demo-site-messages.js';
import { LEGAL_REVIEW_KIND } from '../workflows/legal-review-messages.js';

/** The kinds of workflow that hold deadlines. */
export const KINDS_WITH_DEADLINES = [LEGAL_REVIEW_KIND, DEMO_SITE_KIND, DUTIES_KIND] as const;

const PARALLEL_SIGNALS = 16;

/** The ids of the running workflows that hold deadlines. */
export type RunningProcedures = () => AsyncIterable<string>;

/** From Temporal's visibility (the time-skipping test server has none; its tests list what they started). */
export function runningProceduresByVisibility(client: Client): RunningProcedures {
  const kinds = KINDS_WITH_DEADLINES.map((k) => `${SA.kind.name} = '${k}'`).join(' OR ');
  const query = `ExecutionStatus = 'Running' AND (${kinds})`;
  return async function* () {
    for await (const execution of client.workflow.list({ query })) yield execution.workflowId;
  };
}

export interface CalendarReplanDeps {
  client: Client;
  calendarBook?: Pick<CalendarBook, 'ensure'>;
  runningProcedures?: RunningProcedures;
}

export function createCalendarReplanActivities(deps: CalendarReplanDeps) {
  const runningProcedures = deps.runningProcedures ?? runningProceduresByVisibility(deps.client);
  return {
    async replanDeadlinesForCalendar(change: CalendarChange): Promise<{ signalled: number }> {
      // This worker's calendar first, so the signals it causes are answered with the new notice.
      await deps.calendarBook?.ensure(change.year, change.version);
      let signalled = 0;
      const running = new Set<Promise<void>>();
      for await (const workflowId of runningProcedures()) {
        const sent = deps.client.workflow
          .getHandle(workflowId)
          .signal(calendarChangedSignal, change)
          .then(
            () => {
              signalled++;
            },
            (err: unknown) => {
              // Closed since it was listed: nothing left to move.
              if (!(err instanceof WorkflowNotFoundError)) throw err;
            },
          )
          .finally(() => running.delete(sent));
        running.add(sent);
        if (running.size >= PARALLEL_SIGNALS) await Promise.race(running);
        Context.current().heartbeat({ signalled });
      }
      await Promise.all(running);
      return { signalled };
    },
  };
}
