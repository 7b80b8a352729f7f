/**
 * One workflow per year holds the State Council's notice for that year (国务院办公厅关于部分节假日安排
 * 的通知) as the county office entered it: every version, who entered it and when. The version in
 * force is in the memo, where every process's calendar (platform/calendar-book.ts) reads it.
 *
 * After a new version, once the workers' calendars have taken it in, an activity tells every running
 * case, site and duty, whose deadlines then move with it (workflows/deadline-timers.ts).
 * A year takes a handful of versions at most, so the history stays small without continue-as-new.
 */
import { condition, proxyActivities, setHandler, sleep, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import type { createCalendarReplanActivities } from '../activities/calendar-replan.js';
import { CALENDAR_NOTICE_KIND, noticeProblems, type CalendarNotice, type CalendarNoticeBody } from '../domain/calendar-notice.js';
import type { Actor } from '../domain/roles.js';
import { SA } from '../platform/search-attributes.js';
import { calendarNoticeStateQuery, enterCalendarNoticeUpdate, type CalendarNoticeInput, type CalendarNoticeState } from './calendar-notice-messages.js';
import { refuse, requireBody } from './refuse.js';

const { replanDeadlinesForCalendar } = proxyActivities<ReturnType<typeof createCalendarReplanActivities>>({
  // Signalling every running workflow of a county takes minutes at most; it heartbeats its progress.
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

/** Seconds the workers' calendars take to refresh (platform/calendar-book.ts) with some margin. */
export const DEFAULT_SETTLE_SECONDS = 45;

export async function calendarNoticeWorkflow(input: CalendarNoticeInput): Promise<never> {
  const { year } = input;
  const state: CalendarNoticeState = { year, current: null, versions: [], replans: [] };

  setHandler(
    enterCalendarNoticeUpdate,
    (actor: Actor, body: CalendarNoticeBody) => {
      const notice: CalendarNotice = {
        year,
        version: state.versions.length + 1,
        document: body.document.trim(),
        festivals: body.festivals.map((f) => ({ name: f.name.trim(), holidays: { ...f.holidays }, makeupWorkdays: [...f.makeupWorkdays].sort() })),
        enteredBy: actor,
        enteredAt: new Date().toISOString(),
      };
      state.versions.push(notice);
      state.current = notice;
      upsertMemo({ notice });
      return state;
    },
    {
      validator: (actor: Actor, body: CalendarNoticeBody) => {
        if (actor.role !== 'office') refuse('Forbidden', '录入国务院放假安排：仅限县领导小组办公室');
        requireBody(body);
        const problems = noticeProblems(year, body, Date.now());
        if (problems.length) refuse('RuleViolation', `${year}年放假安排：${problems.map((p) => p.message).join('；')}`, { problems });
      },
    },
  );
  setHandler(calendarNoticeStateQuery, () => state);

  upsertSearchAttributes([
    { key: SA.kind, value: CALENDAR_NOTICE_KIND },
    { key: SA.year, value: year },
  ]);

  let replanned = 0;
  for (;;) {
    await condition(() => (state.current?.version ?? 0) > replanned);
    // Let every worker's calendar take the notice in, so that no deadline opened meanwhile is
    // computed on the old one without being told afterwards.
    await sleep(`${input.settleSeconds ?? DEFAULT_SETTLE_SECONDS} seconds`);
    const notice = state.current!;
    const { signalled } = await replanDeadlinesForCalendar({ year, version: notice.version, document: notice.document });
    replanned = notice.version;
    state.replans.push({ version: notice.version, signalled, finishedAt: new Date().toISOString() });
  }
}
