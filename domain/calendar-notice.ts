/**
 * The State Council's yearly notice of the holiday arrangement (国务院办公厅关于××年部分节假日安排的通知),
 * as the county office enters it. The notice is written festival by festival, and so is this:
 *
 *   春节：2月5日（星期五）至11日（星期四）放假调休，共7天。2月20日（星期六）上班。
 *   → { name: '春节', holidays: { from: '2027-02-05', to: '2027-02-11' }, makeupWorkdays: ['2027-02-20'] }
 *
 * The notice for a year may reach back into the December before it (the 2019 notice moved
 * 2018-12-29 to a working day for New Year's Day), so its dates may lie from December 1 of the year
 * before to December 31 of the year.
 *
 * The rules are one pure function (noticeProblems), called by the API's schema and by the Update
 * validator of the calendar-notice workflow alike, so a raw Temporal client meets the same refusals.
 * Zod-free: the workflow imports it.
 */
import type { Actor } from './roles.js';
import { FIRST_STATUTORY_YEAR, LAST_STATUTORY_YEAR, statutoryHolidays } from './statutory-holidays.js';

export const FIRST_NOTICE_YEAR = FIRST_STATUTORY_YEAR;
export const LAST_NOTICE_YEAR = LAST_STATUTORY_YEAR;

/**
 * The years a notice may be entered for at an instant: from 2025 (the first year of the 2024
 * regulation) to the next year in Shanghai, since the State Council publishes each notice late in
 * the year before. A notice for a later year cannot exist yet.
 */
export function noticeYears(nowMs: number): { first: number; last: number } {
  const shanghaiYear = new Date(nowMs + 8 * 3_600_000).getUTCFullYear();
  return { first: FIRST_NOTICE_YEAR, last: Math.min(shanghaiYear + 1, LAST_NOTICE_YEAR) };
}
/** The longest run of days off a notice has ever given one festival is 10 (2020 Spring Festival, extended); leave room. */
export const MAX_HOLIDAY_RUN_DAYS = 15;
export const MAX_FESTIVALS = 12;
export const MAX_MAKEUP_DAYS_PER_FESTIVAL = 4;

export interface NoticeFestival {
  /** The festival the section is about: 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节 (or a one-off day). */
  name: string;
  /** The run of days off, both ends included (放假调休). */
  holidays: { from: string; to: string };
  /** Weekend days worked to make up for bridging days (上班). */
  makeupWorkdays: string[];
}

/** What the office types in: the notice's document number and its sections. */
export interface CalendarNoticeBody {
  /** The notice's document number, e.g. 国办发明电〔2026〕5号. */
  document: string;
  festivals: NoticeFestival[];
}

/** A version of a year's notice as recorded: who entered it, and when. */
export interface CalendarNotice extends CalendarNoticeBody {
  year: number;
  version: number;
  enteredBy: Actor;
  enteredAt: string;
}

export interface NoticeProblem {
  /** Where, as a path into the body (festivals.1.makeupWorkdays.0). */
  path: Array<string | number>;
  message: string;
}

export const CALENDAR_NOTICE_KIND = 'calendar-notice';
export const calendarNoticeWorkflowId = (year: number) => `calendar-notice-${year}`;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

function dayNumberOf(date: string): number | undefined {
  const m = DATE_RE.exec(date);
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === date ? t / DAY_MS : undefined;
}

const formatDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The days a festival's run covers, in order. */
export function holidayRun(festival: NoticeFestival): string[] {
  const from = dayNumberOf(festival.holidays.from);
  const to = dayNumberOf(festival.holidays.to);
  if (from === undefined || to === undefined || to < from || to - from >= MAX_HOLIDAY_RUN_DAYS) return [];
  return Array.from({ length: to - from + 1 }, (_, i) => formatDay(from + i));
}

/** Every day the notice names: days off and make-up working days, with the festival they belong to. */
export function noticeDays(notice: CalendarNoticeBody): { holidays: Map<string, string>; makeupWorkdays: Map<string, string> } {
  const holidays = new Map<string, string>();
  const makeupWorkdays = new Map<string, string>();
  for (const festival of notice.festivals) {
    for (const date of holidayRun(festival)) holidays.set(date, festival.name);
    for (const date of festival.makeupWorkdays) makeupWorkdays.set(date, festival.name);
  }
  return { holidays, makeupWorkdays };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The body has the notice's shape (the API's schema checks it too; a raw Temporal client may not have). */
function isNoticeShaped(body: unknown): body is CalendarNoticeBody {
  return (
    isObject(body) &&
    typeof body.document === 'string' &&
    Array.isArray(body.festivals) &&
    body.festivals.every(
      (f) =>
        isObject(f) &&
        typeof f.name === 'string' &&
        isObject(f.holidays) &&
        typeof f.holidays.from === 'string' &&
        typeof f.holidays.to === 'string' &&
        Array.isArray(f.makeupWorkdays) &&
        f.makeupWorkdays.every((d) => typeof d === 'string'),
    )
  );
}

/**
 * What is wrong with a year's notice, each problem naming its place and the date. Empty when the
 * notice can be put in force.
 */
export function noticeProblems(year: number, input: unknown, nowMs: number): NoticeProblem[] {
  const problems: NoticeProblem[] = [];
  const add = (path: NoticeProblem['path'], message: string) => problems.push({ path, message });
  if (!isNoticeShaped(input)) return [{ path: [], message: '放假安排：须含通知文号（document）和节日安排（festivals：每项含 name、holidays.from、holidays.to、makeupWorkdays）' }];
  const body = input;

  const years = noticeYears(nowMs);
  if (!Number.isInteger(year) || year < years.first || year > years.last) {
    add(['year'], `年度：只能录入${years.first}年至${years.last}年的放假安排（${FIRST_NOTICE_YEAR}年起适用2024年修订的《全国年节及纪念日放假办法》，次年安排于当年年底公布），收到 ${String(year)}`);
    return problems;
  }
  if (!body.document.trim()) add(['document'], '通知文号：不能为空');
  if (!body.festivals.length) add(['festivals'], '节日安排：至少一项');
  if (body.festivals.length > MAX_FESTIVALS) add(['festivals'], `节日安排：至多 ${MAX_FESTIVALS} 项`);

  const first = dayNumberOf(`${year - 1}-12-01`)!;
  const last = dayNumberOf(`${year}-12-31`)!;
  const statutory = new Map<string, string>();
  for (const y of [year - 1, year]) {
    if (y >= FIRST_NOTICE_YEAR) for (const d of statutoryHolidays(y)) statutory.set(d.date, d.festival);
  }
  /** Where each date was first listed, to name both places when it is listed again. */
  const listed = new Map<string, string>();
  const inRange = (path: NoticeProblem['path'], date: string): boolean => {
    const day = dayNumberOf(date);
    if (day === undefined) {
      add(path, `日期：须为有效日期 YYYY-MM-DD，收到 ${date}`);
      return false;
    }
    if (day < first || day > last) {
      add(path, `${date} 不在${year}年度通知的范围内（${year - 1}年12月1日至${year}年12月31日）`);
      return false;
    }
    return true;
  };
  const list = (path: NoticeProblem['path'], date: string, where: string) => {
    const before = listed.get(date);
    if (before) add(path, `${date} 重复列出（${before}、${where}）`);
    else listed.set(date, where);
  };

  body.festivals.forEach((festival, i) => {
    const name = festival.name.trim() || `第${i + 1}项`;
    if (!festival.name.trim()) add(['festivals', i, 'name'], '节日名称：不能为空');
    const fromOk = inRange(['festivals', i, 'holidays', 'from'], festival.holidays.from);
    const toOk = inRange(['festivals', i, 'holidays', 'to'], festival.holidays.to);
    if (fromOk && toOk) {
      const span = dayNumberOf(festival.holidays.to)! - dayNumberOf(festival.holidays.from)!;
      if (span < 0) add(['festivals', i, 'holidays', 'to'], `${name}放假结束日 ${festival.holidays.to} 早于开始日 ${festival.holidays.from}`);
      else if (span >= MAX_HOLIDAY_RUN_DAYS) add(['festivals', i, 'holidays', 'to'], `${name}放假 ${span + 1} 天，超过 ${MAX_HOLIDAY_RUN_DAYS} 天，请核对日期`);
      else for (const date of holidayRun(festival)) list(['festivals', i, 'holidays'], date, `${name}放假`);
    }
    if (festival.makeupWorkdays.length > MAX_MAKEUP_DAYS_PER_FESTIVAL) {
      add(['festivals', i, 'makeupWorkdays'], `${name}调休上班日：至多 ${MAX_MAKEUP_DAYS_PER_FESTIVAL} 天`);
    }
    festival.makeupWorkdays.forEach((date, j) => {
      const path = ['festivals', i, 'makeupWorkdays', j];
      if (!inRange(path, date)) return;
      const weekday = new Date(dayNumberOf(date)! * DAY_MS).getUTCDay();
      if (weekday !== 0 && weekday !== 6) add(path, `${date} 是${WEEKDAYS[weekday]}，调休上班日须为星期六或星期日`);
      const holiday = statutory.get(date);
      if (holiday) add(path, `${date} 是法定节假日（${holiday}），不得调为上班日`);
      list(path, date, `${name}上班`);
    });
  });
  return problems;
}
