/**
 * The days off that the national regulation itself fixes, for any year: 全国年节及纪念日放假办法, as
 * revised by the State Council in 2024 (in force from 2025-01-01). They do not wait for the yearly
 * notice; only the arrangement around them (bridging days and make-up working weekends, 调休) does.
 *
 *   第二条 全体公民放假的节日：元旦 1 天（1月1日）；春节 4 天（农历除夕、正月初一至初三）；
 *   清明节 1 天（农历清明当日）；劳动节 2 天（5月1日、2日）；端午节 1 天（农历端午当日）；
 *   中秋节 1 天（农历中秋当日）；国庆节 3 天（10月1日至3日）。
 *   第六条 全体公民放假的假日，如果适逢周六、周日，应当在工作日补假。
 *
 * Lunar dates come from chinese-days' lunar functions and Qingming from its solar terms. Both are
 * pure arithmetic over the package's tables; the only host-dependent step is the package formatting a
 * UTC date with local getters, which this module avoids (getLunarDate is read for its lunar fields,
 * never its `date`; getSolarTermDate's day is corrected for hosts west of UTC).
 *
 * This module is imported by the calendar-notice workflow's Update validator (to refuse a notice
 * that makes a statutory holiday a working day). Validators never run on replay, so the package's
 * tables cannot break a recorded history; workflow *code* still reads the calendar through
 * activities only.
 */
import chineseDays from 'chinese-days/dist/index.min.js';

/** The first year the 2024 revision governs; earlier years have their published schedules. */
export const FIRST_STATUTORY_YEAR = 2025;
/** The last year chinese-days' lunar tables cover. */
export const LAST_STATUTORY_YEAR = 2099;

export interface StatutoryDay {
  date: string;
  /** 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节. */
  festival: string;
}

export interface CompensationDay {
  date: string;
  festival: string;
}

const DAY_MS = 86_400_000;

function dayNumber(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function weekday(day: number): number {
  return new Date(day * DAY_MS).getUTCDay();
}

/** The lunar month and day of a civil date (chinese-days reads 'YYYY-MM-DD' as UTC midnight). */
function lunarOf(day: number): { month: number; day: number; leap: boolean } {
  const lunar = chineseDays.getLunarDate(formatDay(day));
  return { month: lunar.lunarMon, day: lunar.lunarDay, leap: lunar.isLeap };
}

/** The civil day in `year` between two month/day bounds whose lunar date is month/day (not a leap month). */
function findLunar(year: number, from: [number, number], to: [number, number], month: number, day: number): number {
  for (let d = dayNumber(year, ...from); d <= dayNumber(year, ...to); d++) {
    const lunar = lunarOf(d);
    if (!lunar.leap && lunar.month === month && lunar.day === day) return d;
  }
  throw new RangeError(`calendar: no lunar ${month}/${day} found in ${year}`);
}

/** Qingming (清明), the day of the solar term pure_brightness in April. */
function qingming(year: number): number {
  const raw = chineseDays.getSolarTermDate(year, 4, 'pure_brightness');
  let day = Number(raw.slice(8, 10));
  // The package builds Date.UTC(year, 3, day) and formats it with local getters: west of UTC that
  // reads as the day before.
  if (new Date(Date.UTC(year, 3, day)).getTimezoneOffset() > 0) day += 1;
  return dayNumber(year, 4, day);
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < FIRST_STATUTORY_YEAR || year > LAST_STATUTORY_YEAR) {
    throw new RangeError(`calendar: statutory holidays are computed for ${FIRST_STATUTORY_YEAR}..${LAST_STATUTORY_YEAR}, got ${String(year)}`);
  }
}

const cache = new Map<number, readonly StatutoryDay[]>();

/** The regulation's days off in `year`, in date order (art. 2). */
export function statutoryHolidays(year: number): readonly StatutoryDay[] {
  checkYear(year);
  const known = cache.get(year);
  if (known) return known;
  const springFestival = findLunar(year, [1, 20], [2, 21], 1, 1);
  const days: Array<[number, string]> = [
    [dayNumber(year, 1, 1), '元旦'],
    [springFestival - 1, '春节'], // 除夕: the last day of the twelfth month, 29th or 30th
    [springFestival, '春节'],
    [springFestival + 1, '春节'],
    [springFestival + 2, '春节'],
    [qingming(year), '清明节'],
    [dayNumber(year, 5, 1), '劳动节'],
    [dayNumber(year, 5, 2), '劳动节'],
    [findLunar(year, [5, 20], [6, 25], 5, 5), '端午节'],
    [findLunar(year, [9, 5], [10, 10], 8, 15), '中秋节'],
    [dayNumber(year, 10, 1), '国庆节'],
    [dayNumber(year, 10, 2), '国庆节'],
    [dayNumber(year, 10, 3), '国庆节'],
  ];
  const answer = days.sort((a, b) => a[0] - b[0]).map(([d, festival]) => ({ date: formatDay(d), festival }));
  cache.set(year, answer);
  return answer;
}

/**
 * The working days the regulation's art. 6 gives in lieu (补假) of statutory days that fall on a
 * Saturday or Sunday, as estimated before the yearly notice: for each such day, the next weekday
 * after the festival that is not already off. A day two festivals share (中秋 on 10月1日) counts
 * for both, as the State Council has arranged it (2020, 2023). The notice fixes the real dates; this
 * estimate only keeps a provisional deadline from being short.
 */
export function compensationDays(year: number): readonly CompensationDay[] {
  const statutory = statutoryHolidays(year);
  const off = new Set(statutory.map((d) => d.date));
  const result: CompensationDay[] = [];
  const byFestival = new Map<string, number[]>();
  for (const d of statutory) {
    const n = Math.round(Date.parse(d.date) / DAY_MS);
    byFestival.set(d.festival, [...(byFestival.get(d.festival) ?? []), n]);
  }
  // A day two festivals share counts for the later one too (a weekend day counts anyway).
  const claimed = new Set<string>();
  for (const [festival, days] of byFestival) {
    const owed = days.filter((n) => {
      const shared = claimed.has(formatDay(n));
      claimed.add(formatDay(n));
      return weekday(n) === 0 || weekday(n) === 6 || shared;
    }).length;
    let n = Math.max(...days);
    for (let left = owed; left > 0; ) {
      n++;
      const date = formatDay(n);
      if (weekday(n) === 0 || weekday(n) === 6 || off.has(date)) continue;
      off.add(date);
      result.push({ date, festival });
      left--;
    }
  }
  return result.sort((a, b) => a.date.localeCompare(b.date));
}
