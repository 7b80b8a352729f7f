/**
 * The calendar in force, as every process holds it: the package's schedule and the regulation, plus
 * the State Council notices the office entered. The notices live in their calendar-notice workflows
 * (one per year, the version in force in its memo); this keeps a copy in memory so that a calendar
 * answer stays a lookup of microseconds, and refreshes it:
 *  - in the background, every `refreshSeconds`;
 *  - at once when asked for a year's version it does not have yet (`ensure`, used when running
 *    deadlines are moved, so they never move against an older copy);
 *  - at once in the process that entered a notice (`put`).
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { calendarNoticeWorkflowId, noticeYears, type CalendarNotice } from '../domain/calendar-notice.js';
import { createCalendar, type Calendar } from '../domain/calendar.js';

export interface CalendarBook {
  /** The calendar in force as this process knows it now. */
  current(): Calendar;
  /** The calendar once it holds at least `version` of `year`'s notice. */
  ensure(year: number, version: number): Promise<Calendar>;
  /** Reloads every year's notice. */
  refresh(): Promise<void>;
  /** Takes a notice this process has just seen recorded. */
  put(notice: CalendarNotice): void;
  close(): void;
}

export interface CalendarBookOptions {
  client: Client;
  refreshSeconds?: number;
  onError?: (err: unknown) => void;
}

export const DEFAULT_CALENDAR_REFRESH_SECONDS = 30;

export function createCalendarBook({ client, refreshSeconds = DEFAULT_CALENDAR_REFRESH_SECONDS, onError }: CalendarBookOptions): CalendarBook {
  const notices = new Map<number, CalendarNotice>();
  let calendar = createCalendar();
  const rebuild = () => {
    calendar = createCalendar(notices.values());
  };
  const take = (notice: CalendarNotice | undefined | null) => {
    if (!notice) return false;
    const held = notices.get(notice.year);
    if (held && held.version >= notice.version) return false;
    notices.set(notice.year, notice);
    return true;
  };

  /** The version in force of one year, read from its workflow (describe is consistent, visibility is not). */
  async function load(year: number): Promise<CalendarNotice | undefined> {
    try {
      const description = await client.workflow.getHandle(calendarNoticeWorkflowId(year)).describe();
      return (description.memo?.notice as CalendarNotice | undefined) ?? undefined;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  async function refresh() {
    // Notices exist only for the years one may be entered for: a few ids, no visibility query.
    const { first, last } = noticeYears(Date.now());
    const years = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    let changed = false;
    for (const notice of await Promise.all(years.map(load))) changed = take(notice) || changed;
    if (changed) rebuild();
  }

  let inflight: Promise<void> | undefined;
  const refreshOnce = () => (inflight ??= refresh().finally(() => (inflight = undefined)));
  const timer = setInterval(() => {
    refreshOnce().catch((err: unknown) => onError?.(err));
  }, refreshSeconds * 1000);
  timer.unref();

  return {
    current: () => calendar,
    async ensure(year, version) {
      if ((notices.get(year)?.version ?? 0) >= version) return calendar;
      if (take(await load(year))) rebuild();
      const held = notices.get(year)?.version ?? 0;
      if (held < version) throw new Error(`calendar: the ${year} notice is at version ${held}, ${version} was asked for`);
      return calendar;
    },
    refresh: refreshOnce,
    put(notice) {
      if (take(notice)) rebuild();
    },
    close: () => clearInterval(timer),
  };
}
