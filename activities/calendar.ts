/**
 * The working-day calendar as activities.
 *
 * Workflows must not import chinese-days (nor domain/calendar.ts): the holiday schedule is data
 * that changes between deployments (the State Council publishes each year's schedule late in the
 * previous year, and a new package version brings it). A workflow that computed a deadline itself
 * would get a different answer when replayed on a newer deployment and fail with a
 * non-determinism error. As an activity, the answer is computed once and recorded in the history;
 * replays read the recorded answer. Workflows that want a provisional deadline refreshed can simply
 * ask again later.
 */
import { ApplicationFailure } from '@temporalio/common';
import { createCalendar, type DateAnswer, type DayInfo, type Deadline, type DeadlineRequest } from '../domain/calendar.js';
import type { CalendarBook } from '../platform/calendar-book.js';

/**
 * Runs a calendar function; malformed input (RangeError) becomes a non-retryable failure, since
 * retrying the same arguments can only fail the same way.
 */
function answer<T>(compute: () => T): T {
  try {
    return compute();
  } catch (err) {
    if (err instanceof RangeError) throw ApplicationFailure.nonRetryable(err.message, 'RangeError');
    throw err;
  }
}

/**
 * The calendar in force comes from `book` (the notices the office entered, platform/calendar-book.ts);
 * without one, the package's schedule and the regulation alone.
 */
export function createCalendarActivities(book?: Pick<CalendarBook, 'current' | 'ensure'>) {
  const fixed = createCalendar();
  const current = () => book?.current() ?? fixed;
  return {
    /** Due date, the instant it is missed, and when to remind (see domain/calendar.ts deadline). */
    async calendarDeadline(req: DeadlineRequest): Promise<Deadline> {
      return answer(() => current().deadline(req));
    },

    /** The n-th working day after `from` (counting starts the day after). */
    async calendarAddWorkingDays({ from, workingDays }: { from: string; workingDays: number }): Promise<DateAnswer> {
      return answer(() => current().addWorkingDays(from, workingDays));
    },

    /** Working days after `from` up to and including `to` (negative when `to` is earlier), e.g. what is left of a period. */
    async calendarWorkingDaysBetween({ from, to }: { from: string; to: string }): Promise<{ workingDays: number; provisional: boolean }> {
      return answer(() => current().workingDaysBetween(from, to));
    },

    async calendarDayInfo({ date }: { date: string }): Promise<DayInfo> {
      return answer(() => current().dayInfo(date));
    },

    /**
     * Deadlines computed again once the calendar holds `version` of `year`'s notice: how running
     * deadlines follow a changed calendar (workflows/deadline-timers.ts).
     */
    async calendarReplan({ year, version, requests }: { year: number; version: number; requests: DeadlineRequest[] }): Promise<Deadline[]> {
      const calendar = book ? await book.ensure(year, version) : fixed;
      return answer(() => requests.map((req) => calendar.deadline(req)));
    },

    /** The instant of the next escalation while overdue: `hour` o'clock, `everyWorkingDays` working days on. */
    async calendarNextEscalationAt({ after, everyWorkingDays, hour }: { after: string; everyWorkingDays: number; hour: number }): Promise<string> {
      return answer(() => current().nextEscalationAt(after, everyWorkingDays, hour));
    },
  };
}

export type CalendarActivities = ReturnType<typeof createCalendarActivities>;
