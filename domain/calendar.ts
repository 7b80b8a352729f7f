/**
 * The working-day calendar of the People's Republic of China, as deadlines of the supervision
 * procedures count it: official State Council holidays (法定节假日) and the weekend days moved to
 * working days to make up for them (调休补班).
 *
 * Pure functions over civil dates ('YYYY-MM-DD') and instants (ISO strings). Nothing here reads the
 * process's time zone: civil dates are handled as UTC dates, so day arithmetic never meets a DST
 * shift or the host's zone, and instants are converted with the fixed +08:00 offset of Asia/Shanghai
 * (China has kept one offset without DST since 1991).
 *
 * The schedule comes from the chinese-days package, read from its pre-built data file
 * (dist/chinese-days.json) rather than through its runtime API: that API parses 'YYYY-MM-DD' as UTC
 * but formats with the host's local getters, and even builds its own lookup tables that way when it
 * loads, so on a host west of UTC (e.g. TZ=America/New_York) every answer is shifted by one day. The
 * data file is the same schedule with no time zone in it; its values are the same strings
 * getDayDetail returns as `name` ("National Day,国庆节,3": English name, Chinese name, statutory days).
 *
 * Which source decides a day, first that applies:
 *  1. the State Council's notice for the year, as the county office entered it (domain/calendar-notice.ts;
 *     the notice for the next year may also name days of this December), with the regulation's
 *     statutory days always off;
 *  2. the schedule published in chinese-days;
 *  3. the regulation alone (domain/statutory-holidays.ts), from 2025: its fixed days off and an
 *     estimate of the weekdays given in lieu of those falling on a weekend;
 *  4. Monday to Friday.
 * Every answer touching a year decided by 3 or 4 says `provisional: true`, so callers show the
 * deadline as an estimate, and running deadlines move once the notice is entered.
 *
 * `createCalendar(notices)` builds the calendar in force from the notices entered; the functions
 * exported at module level are the calendar without any (the package and the regulation).
 */
import calendarData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { noticeDays, type CalendarNotice } from './calendar-notice.js';
import { compensationDays, FIRST_STATUTORY_YEAR, LAST_STATUTORY_YEAR, statutoryHolidays } from './statutory-holidays.js';

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup-workday';

export interface CalendarDay {
  date: string;
  working: boolean;
  kind: DayKind;
  /** Chinese name of the holiday, or for a make-up working day the holiday it makes up for. */
  holidayName?: string;
  /** One of the days the regulation itself fixes (全国年节及纪念日放假办法 art. 2). */
  statutory?: boolean;
  /** A weekday off estimated in lieu of a statutory day on a weekend (art. 6), until the notice says. */
  estimated?: boolean;
}

export interface DayInfo extends CalendarDay {
  /** The day's year has no published schedule: only weekends are known to be days off. */
  provisional: boolean;
}

/** A computed date, and whether any day looked at lies in a year without a published schedule. */
export interface DateAnswer {
  date: string;
  provisional: boolean;
}

/** What decided a year's days. */
export type CalendarSource = 'notice' | 'published-schedule' | 'regulation' | 'weekdays';

export interface YearCalendar {
  year: number;
  provisional: boolean;
  source: CalendarSource;
  /** The notice in force for the year, when the office entered one. */
  notice?: { version: number; document: string; enteredAt: string; enteredBy: CalendarNotice['enteredBy'] };
  days: CalendarDay[];
}

export interface DeadlineRequest {
  /** Start of the period: a civil date, or an instant (its Shanghai date is used). Not counted itself. */
  from: string;
  /** A period in working days (exactly one of workingDays / calendarDays). */
  workingDays?: number;
  /** A period in natural days, ending on a working day (see addCalendarDays). */
  calendarDays?: number;
  /** A fixed last day instead of a period (e.g. September 30 for acceptance); `from` is then ignored. */
  dueDate?: string;
  /** A fixed last day that falls on a day off moves to the next working day (民法典 art. 203). */
  endsOnWorkingDay?: boolean;
  /** Remind this many working days before the due date; 0 reminds on the due date itself. */
  reminderWorkingDaysBefore: number;
  /** Shanghai wall-clock hour (0–23) of the reminder. */
  reminderHour: number;
}

export interface Deadline {
  /** Last day of the period. */
  dueDate: string;
  /** The instant the due date ends in Shanghai: from then on the deadline is missed. */
  dueAt: string;
  /** When to remind the person responsible. */
  remindAt: string;
  provisional: boolean;
}

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

type Schedule = Readonly<Record<string, string | undefined>>;
const HOLIDAYS: Schedule = calendarData.holidays;
const MAKEUP_WORKDAYS: Schedule = calendarData.workdays;

const KNOWN_YEARS: ReadonlySet<number> = new Set(
  [...Object.keys(HOLIDAYS), ...Object.keys(MAKEUP_WORKDAYS)].map((date) => Number(date.slice(0, 4))),
);
const FIRST_KNOWN_YEAR = Math.min(...KNOWN_YEARS);
const LAST_KNOWN_YEAR = Math.max(...KNOWN_YEARS);

// ---------------------------------------------------------------------------------------------
// Parsing and formatting. A civil date is handled as its day number (days since 1970-01-01).

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Only explicit offsets: an ISO string without one would be read in the host's zone.
const INSTANT_RE = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/i;

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

function toDayNumber(date: string, what: string): number {
  const m = typeof date === 'string' ? DATE_RE.exec(date) : null;
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    // setUTCFullYear, not Date.UTC, which would read years 0–99 as 1900–1999.
    const t = new Date(0);
    t.setUTCFullYear(year, month - 1, day);
    // Date rolls 2026-02-30 over to March; a real date survives the round trip.
    if (t.getUTCFullYear() === year && t.getUTCMonth() === month - 1 && t.getUTCDate() === day) {
      return Math.round(t.getTime() / DAY_MS);
    }
  }
  throw new RangeError(`calendar: ${what} must be a date 'YYYY-MM-DD', got ${describe(date)}`);
}

function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

function toEpochMs(instant: string, what: string): number {
  const m = typeof instant === 'string' ? INSTANT_RE.exec(instant) : null;
  if (m) {
    toDayNumber(m[1]!, what); // Date.parse would quietly roll 2026-02-30 over to March
    return Date.parse(instant);
  }
  throw new RangeError(`calendar: ${what} must be an ISO instant with an offset (e.g. '2026-10-01T09:00:00+08:00'), got ${describe(instant)}`);
}

function checkCount(n: number, what: string, min = 0): void {
  if (!Number.isInteger(n) || n < min) {
    throw new RangeError(`calendar: ${what} must be an integer >= ${min}, got ${describe(n)}`);
  }
}

function checkClock(hour: number, minute: number): void {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`calendar: hour must be an integer 0..23, got ${describe(hour)}`);
  if (!Number.isInteger(minute) || minute < 0 || minute > 59) throw new RangeError(`calendar: minute must be an integer 0..59, got ${describe(minute)}`);
}

// ---------------------------------------------------------------------------------------------
// The schedule.

/** The Chinese name out of the package's "English,中文,statutory days" value. */
function holidayNameOf(value: string): string {
  return value.split(',')[1] || value;
}

/** Whether chinese-days has the year's published schedule. */
export function isSchedulePublished(year: number): boolean {
  return KNOWN_YEARS.has(year);
}

/** The first and last year with a published schedule in the installed chinese-days. */
export function knownYears(): { first: number; last: number } {
  return { first: FIRST_KNOWN_YEAR, last: LAST_KNOWN_YEAR };
}

const hasRegulation = (year: number) => year >= FIRST_STATUTORY_YEAR && year <= LAST_STATUTORY_YEAR;

/** The regulation's days of a year: fixed statutory days, and the estimate of days in lieu. */
const regulationDays = new Map<number, { statutory: Map<string, string>; estimated: Map<string, string> }>();
function regulationOf(year: number) {
  let known = regulationDays.get(year);
  if (!known) {
    known = hasRegulation(year)
      ? {
          statutory: new Map(statutoryHolidays(year).map((d) => [d.date, d.festival])),
          estimated: new Map(compensationDays(year).map((d) => [d.date, d.festival])),
        }
      : { statutory: new Map(), estimated: new Map() };
    regulationDays.set(year, known);
  }
  return known;
}

function weekdayOrWeekend(date: string, day: number): CalendarDay {
  const weekday = new Date(day * DAY_MS).getUTCDay();
  return weekday === 0 || weekday === 6 ? { date, working: false, kind: 'weekend' } : { date, working: true, kind: 'workday' };
}

/**
 * The working-day calendar in force, given the State Council notices the office entered (at most
 * one per year: the version in force). Without notices it is the package's schedule and the
 * regulation.
 */
export function createCalendar(notices: Iterable<CalendarNotice> = []) {
  const byYear = new Map<number, { notice: CalendarNotice; days: ReturnType<typeof noticeDays> }>();
  for (const notice of notices) byYear.set(notice.year, { notice, days: noticeDays(notice) });

  const isScheduleKnown = (year: number) => byYear.has(year) || KNOWN_YEARS.has(year);

  const sourceOf = (year: number): CalendarSource =>
    byYear.has(year) ? 'notice' : KNOWN_YEARS.has(year) ? 'published-schedule' : hasRegulation(year) ? 'regulation' : 'weekdays';

  function classify(day: number): CalendarDay {
    const date = formatDay(day);
    const year = yearOf(day);
    const { statutory, estimated } = regulationOf(year);
    const fixed = statutory.has(date) ? { statutory: true } : {};
    // A notice names its own year's days and may reach back into the December before it.
    for (const entry of [date.slice(5, 7) === '12' ? byYear.get(year + 1) : undefined, byYear.get(year)]) {
      if (!entry) continue;
      const makeup = entry.days.makeupWorkdays.get(date);
      if (makeup) return { date, working: true, kind: 'makeup-workday', holidayName: makeup };
      const holiday = entry.days.holidays.get(date);
      if (holiday) return { date, working: false, kind: 'holiday', holidayName: holiday, ...fixed };
    }
    if (byYear.has(year)) {
      // The notice settles the year; the statutory days are off whatever it lists.
      const festival = statutory.get(date);
      return festival ? { date, working: false, kind: 'holiday', holidayName: festival, statutory: true } : weekdayOrWeekend(date, day);
    }
    if (KNOWN_YEARS.has(year)) {
      // Make-up days first: they are weekend days the schedule turns into working days.
      const makeup = MAKEUP_WORKDAYS[date];
      if (makeup) return { date, working: true, kind: 'makeup-workday', holidayName: holidayNameOf(makeup) };
      const holiday = HOLIDAYS[date];
      if (holiday) return { date, working: false, kind: 'holiday', holidayName: holidayNameOf(holiday), ...fixed };
      return weekdayOrWeekend(date, day);
    }
    const festival = statutory.get(date);
    if (festival) return { date, working: false, kind: 'holiday', holidayName: festival, statutory: true };
    const inLieu = estimated.get(date);
    if (inLieu) return { date, working: false, kind: 'holiday', holidayName: inLieu, estimated: true };
    return weekdayOrWeekend(date, day);
  }

  const isWorking = (day: number) => classify(day).working;

  function dayInfo(date: string): DayInfo {
    const day = toDayNumber(date, 'date');
    return { ...classify(day), provisional: !isScheduleKnown(yearOf(day)) };
  }

  function yearCalendar(year: number): YearCalendar {
    if (!Number.isInteger(year) || year < 1 || year > 9999) throw new RangeError(`calendar: year must be an integer 1..9999, got ${describe(year)}`);
    const first = toDayNumber(`${String(year).padStart(4, '0')}-01-01`, 'year');
    const days: CalendarDay[] = [];
    for (let day = first; yearOf(day) === year; day++) days.push(classify(day));
    const notice = byYear.get(year)?.notice;
    return {
      year,
      provisional: !isScheduleKnown(year),
      source: sourceOf(year),
      ...(notice ? { notice: { version: notice.version, document: notice.document, enteredAt: notice.enteredAt, enteredBy: notice.enteredBy } } : {}),
      days,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Counting days.

  /**
   * Steps n working days from `start` (the start day itself is not counted), forwards or backwards.
   * Provisional when any day looked at, or the answer, lies in a year without a schedule.
   */
  function stepWorkingDays(start: number, n: number, direction: 1 | -1): DateAnswer {
    if (n === 0) return { date: formatDay(start), provisional: !isScheduleKnown(yearOf(start)) };
    let day = start;
    let provisional = false;
    for (let left = n; left > 0; ) {
      day += direction;
      if (!isScheduleKnown(yearOf(day))) provisional = true;
      if (isWorking(day)) left--;
    }
    return { date: formatDay(day), provisional };
  }

  /**
   * The n-th working day after `from`: counting starts the day after `from`, so a period of
   * n working days received on any day (working or not) ends on the returned date. n = 0 gives
   * `from` itself.
   */
  function addWorkingDays(from: string, n: number): DateAnswer {
    const start = toDayNumber(from, 'from');
    checkCount(n, 'n');
    return stepWorkingDays(start, n, 1);
  }

  /** The n-th working day before `date` (for reminders ahead of a due date). n = 0 gives `date` itself. */
  function subtractWorkingDays(date: string, n: number): DateAnswer {
    const start = toDayNumber(date, 'date');
    checkCount(n, 'n');
    return stepWorkingDays(start, n, -1);
  }

  /**
   * How many working days lie after `from` up to and including `to`: the inverse of addWorkingDays
   * (addWorkingDays(from, n).date === to when `to` is a working day). Negative when `to` is before
   * `from` (minus the working days after `to` up to and including `from`), so an overdue date shows
   * how far overdue it is; 0 when they are the same day.
   */
  function workingDaysBetween(from: string, to: string): { workingDays: number; provisional: boolean } {
    const start = toDayNumber(from, 'from');
    const end = toDayNumber(to, 'to');
    const [low, high, sign] = start <= end ? [start, end, 1] : [end, start, -1];
    let count = 0;
    let provisional = !isScheduleKnown(yearOf(low)) || !isScheduleKnown(yearOf(high));
    for (let day = low + 1; day <= high; day++) {
      if (!isScheduleKnown(yearOf(day))) provisional = true;
      if (isWorking(day)) count++;
    }
    return { workingDays: sign * count, provisional };
  }

  /**
   * The end of a period of n natural days (日) starting after `from`.
   *
   * 民法典 art. 201: the day the period starts is not counted; counting starts the next day.
   * 民法典 art. 203: if the last day of the period is a statutory day off (法定休假日, which in practice
   * covers ordinary weekends as well as holidays), the period ends on the day after the days off — that
   * is, on the next working day; a make-up working Saturday is a working day and ends a period normally.
   * The same rule is applied to the natural-day periods of 行政处罚法 (whose art. 85 says its 2/3/5/7-day
   * periods are working days, for which see addWorkingDays).
   */
  function addCalendarDays(from: string, n: number): DateAnswer {
    const start = toDayNumber(from, 'from');
    checkCount(n, 'n');
    let day = start + n;
    let provisional = !isScheduleKnown(yearOf(day));
    while (!isWorking(day)) {
      day++;
      if (!isScheduleKnown(yearOf(day))) provisional = true;
    }
    return { date: formatDay(day), provisional };
  }

  /** A deadline: its due date, the instant it is missed, and when to remind. */
  function deadline(req: DeadlineRequest): Deadline {
    const { workingDays, calendarDays, dueDate, reminderWorkingDaysBefore, reminderHour } = req;
    if ([workingDays, calendarDays, dueDate].filter((v) => v !== undefined).length !== 1) {
      throw new RangeError('calendar: a deadline needs exactly one of workingDays, calendarDays or dueDate');
    }
    checkCount(reminderWorkingDaysBefore, 'reminderWorkingDaysBefore');
    checkClock(reminderHour, 0);
    let due: DateAnswer;
    if (dueDate !== undefined) {
      const info = dayInfo(dueDate);
      due = req.endsOnWorkingDay ? addCalendarDays(dueDate, 0) : { date: info.date, provisional: info.provisional };
    } else {
      const from = startDate(req.from);
      due = workingDays !== undefined ? addWorkingDays(from, workingDays) : addCalendarDays(from, calendarDays!);
    }
    const reminder = subtractWorkingDays(due.date, reminderWorkingDaysBefore);
    return {
      dueDate: due.date,
      dueAt: endOfDay(due.date),
      remindAt: shanghaiInstant(reminder.date, reminderHour),
      provisional: due.provisional || reminder.provisional,
    };
  }

  /**
   * When to escalate next while something is overdue: `hour` o'clock (Shanghai) on the
   * `everyWorkingDays`-th working day after the Shanghai date of `afterIso`. Always later than
   * `afterIso`, so a loop of escalations cannot spin.
   */
  function nextEscalationAt(afterIso: string, everyWorkingDays: number, hour: number): string {
    checkCount(everyWorkingDays, 'everyWorkingDays', 1);
    checkClock(hour, 0);
    return shanghaiInstant(addWorkingDays(shanghaiDate(afterIso), everyWorkingDays).date, hour);
  }

  return {
    isScheduleKnown,
    dayInfo,
    yearCalendar,
    addWorkingDays,
    subtractWorkingDays,
    workingDaysBetween,
    addCalendarDays,
    deadline,
    nextEscalationAt,
    /** The notice in force for a year, if one was entered. */
    noticeOf: (year: number): CalendarNotice | undefined => byYear.get(year)?.notice,
  };
}

export type Calendar = ReturnType<typeof createCalendar>;

// ---------------------------------------------------------------------------------------------
// Instants in Asia/Shanghai.

/** The civil date in Asia/Shanghai at an instant. */
export function shanghaiDate(instantIso: string): string {
  const ms = toEpochMs(instantIso, 'instant');
  return formatDay(Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS));
}

/** The instant (UTC, ISO 'Z' form) of a Shanghai wall-clock time on a date. */
export function shanghaiInstant(date: string, hour = 0, minute = 0): string {
  const day = toDayNumber(date, 'date');
  checkClock(hour, minute);
  return new Date(day * DAY_MS + hour * 3_600_000 + minute * 60_000 - SHANGHAI_OFFSET_MS).toISOString();
}

/**
 * The instant a date ends in Shanghai (the next day's 00:00 +08:00): a deadline on that date is
 * missed from this moment (民法典 art. 203: the last day of a period ends at 24:00).
 */
export function endOfDay(date: string): string {
  return shanghaiInstant(formatDay(toDayNumber(date, 'date') + 1));
}

/** The Shanghai date of a 'from' that is either a civil date or an instant. */
function startDate(from: string): string {
  return typeof from === 'string' && DATE_RE.test(from) ? from : shanghaiDate(from);
}


// ---------------------------------------------------------------------------------------------
// The calendar without entered notices: the package's schedule and the regulation.

const withoutNotices = createCalendar();
export const {
  isScheduleKnown,
  dayInfo,
  yearCalendar,
  addWorkingDays,
  subtractWorkingDays,
  workingDaysBetween,
  addCalendarDays,
  deadline,
  nextEscalationAt,
} = withoutNotices;
