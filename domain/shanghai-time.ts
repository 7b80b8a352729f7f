/**
 * Civil dates and instants in Asia/Shanghai by fixed offset (China has had no daylight saving since
 * 1991), so the same arithmetic runs in workflows, activities and the API without time-zone data.
 * Calendar *data* (holidays, 调休) is elsewhere: domain/calendar.ts, read by workflows via activities.
 */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' of the instant in Shanghai. */
export function shanghaiDateOf(instant: Date | number | string): string {
  const ms = typeof instant === 'number' ? instant : new Date(instant).getTime();
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export function isIsoDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** Whole calendar days from a to b (b - a), both 'YYYY-MM-DD'. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The same day `months` later ('YYYY-MM-DD'); the 31st becomes the last day of a shorter month. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return first.toISOString().slice(0, 10);
}

/** The day before ('YYYY-MM-DD'). */
export function previousDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** The instant a Shanghai date ends (next day 00:00 +08:00), by offset arithmetic only. */
export function endOfShanghaiDay(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) + 86_400_000 - SHANGHAI_OFFSET_MS;
}
