import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCalendarActivities } from '../activities/calendar.js';
import { calendarRoutes } from '../api/routes/calendar.js';
import type { CalendarBook } from '../platform/calendar-book.js';
import {
  addCalendarDays,
  addWorkingDays,
  createCalendar,
  dayInfo,
  deadline,
  endOfDay,
  isScheduleKnown,
  knownYears,
  nextEscalationAt,
  shanghaiDate,
  shanghaiInstant,
  subtractWorkingDays,
  workingDaysBetween,
  yearCalendar,
} from '../domain/calendar.js';

// Facts from chinese-days 1.5.7 (dist/chinese-days.json), i.e. the State Council notices:
//   2026 Spring Festival: holidays 02-15..02-23, make-up working Saturdays 02-14 and 02-28.
//   2026 Mid-autumn 09-25..09-27; National Day 10-01..10-07, make-up Sunday 09-20 and Saturday 10-10.
// 2027 has no published schedule in this version: its days off come from the regulation
// (全国年节及纪念日放假办法, 2024): 元旦 01-01 (Fri); 春节 除夕 02-05 (Fri) to 初三 02-08 (Mon), with
// 02-06/02-07 on the weekend and so two weekdays in lieu estimated, 02-09 and 02-10; 清明 04-05 (Mon);
// 劳动节 05-01/05-02 (Sat/Sun: in lieu 05-03, 05-04); 端午 06-09; 中秋 09-15; 国庆 10-01..10-03
// (Fri-Sun: in lieu 10-04, 10-05). When an upgrade brings 2027, move these tests to the next year.

describe('the schedule', () => {
  it('knows the years chinese-days has data for', () => {
    expect(knownYears().first).toBe(2004);
    expect(knownYears().last).toBeGreaterThanOrEqual(2026);
    expect(isScheduleKnown(2026)).toBe(true);
    expect(isScheduleKnown(2027)).toBe(false);
    expect(isScheduleKnown(2003)).toBe(false);
  });

  it('classifies holidays, make-up days, weekends and workdays', () => {
    expect(dayInfo('2026-10-01')).toEqual({ date: '2026-10-01', working: false, kind: 'holiday', holidayName: '国庆节', statutory: true, provisional: false });
    expect(dayInfo('2026-10-03')).toMatchObject({ working: false, kind: 'holiday', holidayName: '国庆节' }); // a Saturday inside the holiday
    expect(dayInfo('2026-09-25')).toMatchObject({ working: false, kind: 'holiday', holidayName: '中秋' });
    expect(dayInfo('2026-09-20')).toMatchObject({ working: true, kind: 'makeup-workday', holidayName: '国庆节' }); // a Sunday
    expect(dayInfo('2026-02-14')).toMatchObject({ working: true, kind: 'makeup-workday', holidayName: '春节' });
    expect(dayInfo('2026-02-28')).toMatchObject({ working: true, kind: 'makeup-workday' });
    expect(dayInfo('2026-03-22')).toEqual({ date: '2026-03-22', working: false, kind: 'weekend', provisional: false });
    expect(dayInfo('2026-09-29')).toEqual({ date: '2026-09-29', working: true, kind: 'workday', provisional: false });
  });

  it('has the whole Spring Festival 2026 off', () => {
    const days = yearCalendar(2026).days.filter((d) => d.date >= '2026-02-14' && d.date <= '2026-02-28');
    const off = days.filter((d) => !d.working).map((d) => d.date);
    expect(off).toEqual(['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23']);
    expect(days.every((d) => d.working || d.kind === 'holiday')).toBe(true);
  });

  it('lists every day of a year', () => {
    const cal = yearCalendar(2026);
    expect(cal).toMatchObject({ year: 2026, provisional: false });
    expect(cal.days).toHaveLength(365);
    expect(cal.days[0]).toMatchObject({ date: '2026-01-01', kind: 'holiday', holidayName: '元旦' });
    expect(cal.days.at(-1)?.date).toBe('2026-12-31');
    expect(yearCalendar(2024).days).toHaveLength(366);
  });

  it('takes the statutory holidays of a year without a schedule from the regulation, provisionally', () => {
    expect(dayInfo('2027-01-01')).toEqual({ date: '2027-01-01', working: false, kind: 'holiday', holidayName: '元旦', statutory: true, provisional: true });
    expect(dayInfo('2027-01-02')).toMatchObject({ working: false, kind: 'weekend', provisional: true });
    const cal = yearCalendar(2027);
    expect(cal).toMatchObject({ provisional: true, source: 'regulation' });
    const off = (from: string, to: string) => cal.days.filter((d) => d.date >= from && d.date <= to && !d.working).map((d) => `${d.date.slice(5)}${d.estimated ? '*' : ''}`);
    expect(off('2027-02-01', '2027-02-14')).toEqual(['02-05', '02-06', '02-07', '02-08', '02-09*', '02-10*', '02-13', '02-14']);
    expect(off('2027-04-01', '2027-04-07')).toEqual(['04-03', '04-04', '04-05']);
    expect(off('2027-05-01', '2027-05-07')).toEqual(['05-01', '05-02', '05-03*', '05-04*']);
    expect(off('2027-06-07', '2027-06-11')).toEqual(['06-09']);
    expect(off('2027-09-13', '2027-09-17')).toEqual(['09-15']);
    expect(off('2027-10-01', '2027-10-08')).toEqual(['10-01', '10-02', '10-03', '10-04*', '10-05*']);
    // 261 weekdays, less 7 statutory days on weekdays (01-01, 02-05, 02-08, 04-05, 06-09, 09-15, 10-01) and 6 in lieu.
    expect(cal.days.filter((d) => d.working)).toHaveLength(261 - 7 - 6);
    // Before the regulation's revision and the package's data: Monday to Friday.
    expect(yearCalendar(2003)).toMatchObject({ provisional: true, source: 'weekdays' });
  });

  it('does not depend on the time zone of the process', () => {
    const saved = process.env.TZ;
    const answers = () => [dayInfo('2026-10-01'), addWorkingDays('2026-09-29', 5), shanghaiDate('2026-09-30T16:00:00Z'), endOfDay('2026-09-30')];
    const here = answers();
    try {
      for (const tz of ['America/New_York', 'Pacific/Kiritimati', 'UTC']) {
        process.env.TZ = tz;
        expect(answers()).toEqual(here);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('counting working days', () => {
  it('skips the National Day holiday and counts the make-up Saturday', () => {
    // 09-30 (1), holiday 10-01..10-07, 10-08 (2), 10-09 (3), make-up Sat 10-10 (4), Sun 10-11 off, 10-12 (5)
    expect(addWorkingDays('2026-09-29', 5)).toEqual({ date: '2026-10-12', provisional: false });
    expect(addWorkingDays('2026-09-29', 2)).toEqual({ date: '2026-10-08', provisional: false });
    expect(addWorkingDays('2026-10-09', 1)).toEqual({ date: '2026-10-10', provisional: false });
  });

  it('starts counting the day after `from`, whatever day `from` is', () => {
    expect(addWorkingDays('2026-02-13', 1).date).toBe('2026-02-14'); // Friday → make-up Saturday
    expect(addWorkingDays('2026-02-14', 1).date).toBe('2026-02-24'); // over the Spring Festival
    expect(addWorkingDays('2026-02-27', 1).date).toBe('2026-02-28'); // make-up Saturday
    expect(addWorkingDays('2026-10-03', 1).date).toBe('2026-10-08'); // from inside a holiday
    expect(addWorkingDays('2026-03-16', 0).date).toBe('2026-03-16');
  });

  it('counts backwards for reminders', () => {
    expect(subtractWorkingDays('2026-10-08', 1)).toEqual({ date: '2026-09-30', provisional: false });
    expect(subtractWorkingDays('2026-02-24', 1).date).toBe('2026-02-14');
    expect(subtractWorkingDays('2026-02-24', 2).date).toBe('2026-02-13');
    expect(subtractWorkingDays('2026-09-21', 1).date).toBe('2026-09-20'); // make-up Sunday
  });

  it('counts the working days between two dates, the inverse of addWorkingDays', () => {
    expect(workingDaysBetween('2026-09-29', '2026-10-12')).toEqual({ workingDays: 5, provisional: false });
    expect(workingDaysBetween('2026-09-29', '2026-10-11')).toEqual({ workingDays: 4, provisional: false }); // Sunday after the make-up day
    expect(workingDaysBetween('2026-10-12', '2026-09-29')).toEqual({ workingDays: -5, provisional: false });
    expect(workingDaysBetween('2026-10-03', '2026-10-03').workingDays).toBe(0);
    expect(workingDaysBetween('2026-12-30', '2027-01-04')).toEqual({ workingDays: 2, provisional: true }); // 12-31, (01-01 off), 01-04
    for (const n of [1, 7, 30, 120]) expect(workingDaysBetween('2026-02-10', addWorkingDays('2026-02-10', n).date).workingDays).toBe(n);
  });

  it('is provisional as soon as it crosses into a year without a schedule', () => {
    expect(addWorkingDays('2026-12-31', 1)).toEqual({ date: '2027-01-04', provisional: true }); // 01-01 is 元旦
    expect(addWorkingDays('2027-01-01', 1)).toEqual({ date: '2027-01-04', provisional: true });
    expect(addWorkingDays('2026-12-30', 1)).toEqual({ date: '2026-12-31', provisional: false });
    expect(subtractWorkingDays('2027-01-04', 1)).toEqual({ date: '2026-12-31', provisional: true });
  });
});

describe('periods in natural days', () => {
  it('ends a period whose last day is a holiday on the next working day', () => {
    expect(addCalendarDays('2026-09-16', 15)).toEqual({ date: '2026-10-08', provisional: false }); // 10-01 → 10-08
    expect(addCalendarDays('2026-03-07', 15).date).toBe('2026-03-23'); // Sunday 03-22 → Monday
  });

  it('ends normally on a working day, a make-up day included', () => {
    expect(addCalendarDays('2026-03-01', 15).date).toBe('2026-03-16');
    expect(addCalendarDays('2026-09-25', 15).date).toBe('2026-10-10'); // make-up Saturday
    expect(addCalendarDays('2026-09-05', 15).date).toBe('2026-09-20'); // make-up Sunday
  });

  it('is provisional when it ends in a year without a schedule', () => {
    expect(addCalendarDays('2026-12-20', 15)).toEqual({ date: '2027-01-04', provisional: true }); // 01-04 is a Monday
    expect(addCalendarDays('2026-12-01', 15).provisional).toBe(false);
  });
});

describe('instants in Asia/Shanghai', () => {
  it('converts wall times to UTC instants at +08:00', () => {
    expect(shanghaiInstant('2026-10-01')).toBe('2026-09-30T16:00:00.000Z');
    expect(shanghaiInstant('2026-10-01', 9)).toBe('2026-10-01T01:00:00.000Z');
    expect(shanghaiInstant('2027-01-01', 7, 59)).toBe('2026-12-31T23:59:00.000Z');
  });

  it('finds the Shanghai date of instants near midnight', () => {
    expect(shanghaiDate('2026-09-30T15:59:59.999Z')).toBe('2026-09-30');
    expect(shanghaiDate('2026-09-30T16:00:00Z')).toBe('2026-10-01');
    expect(shanghaiDate('2026-10-01T00:00:00+08:00')).toBe('2026-10-01');
    expect(shanghaiDate('2026-09-30T23:59:59+08:00')).toBe('2026-09-30');
    expect(shanghaiDate('2026-12-31T16:00:00Z')).toBe('2027-01-01');
    expect(shanghaiDate('2026-10-01T00:30:00-05:00')).toBe('2026-10-01'); // 13:30 in Shanghai
  });

  it('round-trips dates and instants', () => {
    for (const date of ['2026-01-01', '2026-02-28', '2026-12-31', '2024-02-29']) {
      expect(shanghaiDate(shanghaiInstant(date))).toBe(date);
      expect(shanghaiDate(shanghaiInstant(date, 23, 59))).toBe(date);
    }
  });

  it('ends a day at the next midnight in Shanghai', () => {
    expect(endOfDay('2026-09-30')).toBe('2026-09-30T16:00:00.000Z');
    expect(endOfDay('2026-12-31')).toBe('2026-12-31T16:00:00.000Z');
    expect(shanghaiDate(endOfDay('2026-09-30'))).toBe('2026-10-01');
    expect(shanghaiDate(new Date(Date.parse(endOfDay('2026-09-30')) - 1).toISOString())).toBe('2026-09-30');
  });
});

describe('deadline', () => {
  it('reminds at 09:00 on the working day before the due date, skipping the holiday backwards', () => {
    expect(deadline({ from: '2026-09-29', workingDays: 2, reminderWorkingDaysBefore: 1, reminderHour: 9 })).toEqual({
      dueDate: '2026-10-08',
      dueAt: '2026-10-08T16:00:00.000Z',
      remindAt: '2026-09-30T01:00:00.000Z',
      provisional: false,
    });
  });

  it('reminds on a make-up working day', () => {
    expect(deadline({ from: '2026-09-29', workingDays: 5, reminderWorkingDaysBefore: 1, reminderHour: 9 })).toMatchObject({
      dueDate: '2026-10-12',
      remindAt: '2026-10-10T01:00:00.000Z',
    });
  });

  it('takes the Shanghai date of an instant and reminds on the due date when asked', () => {
    // 2026-09-29T17:00Z is 09-30 01:00 in Shanghai: the next working day is 10-08, not 09-30.
    expect(deadline({ from: '2026-09-29T17:00:00Z', workingDays: 1, reminderWorkingDaysBefore: 0, reminderHour: 14 })).toEqual({
      dueDate: '2026-10-08',
      dueAt: '2026-10-08T16:00:00.000Z',
      remindAt: '2026-10-08T06:00:00.000Z',
      provisional: false,
    });
  });

  it('counts natural days with the holiday rule', () => {
    expect(deadline({ from: '2026-09-16', calendarDays: 15, reminderWorkingDaysBefore: 1, reminderHour: 9 })).toMatchObject({
      dueDate: '2026-10-08',
      remindAt: '2026-09-30T01:00:00.000Z',
    });
  });

  it('is provisional past the published schedule', () => {
    expect(deadline({ from: '2026-12-25', workingDays: 10, reminderWorkingDaysBefore: 2, reminderHour: 9 }).provisional).toBe(true);
  });

  it('needs exactly one kind of period', () => {
    expect(() => deadline({ from: '2026-09-29', reminderWorkingDaysBefore: 1, reminderHour: 9 })).toThrow(RangeError);
    expect(() => deadline({ from: '2026-09-29', workingDays: 1, calendarDays: 1, reminderWorkingDaysBefore: 1, reminderHour: 9 })).toThrow(
      /exactly one/,
    );
  });
});

describe('nextEscalationAt', () => {
  it('escalates at the hour of the next working day after the Shanghai date', () => {
    // 18:00 on 09-30 in Shanghai → after the holiday.
    expect(nextEscalationAt('2026-09-30T10:00:00Z', 1, 9)).toBe('2026-10-08T01:00:00.000Z');
    // 10-09T17:00Z is already the make-up Saturday 10-10 in Shanghai: next is Monday 10-12, not 10-10.
    expect(nextEscalationAt('2026-10-09T17:00:00Z', 1, 9)).toBe('2026-10-12T01:00:00.000Z');
    expect(nextEscalationAt('2026-10-09T17:00:00Z', 2, 9)).toBe('2026-10-13T01:00:00.000Z');
  });

  it('always moves forward', () => {
    expect(() => nextEscalationAt('2026-10-09T17:00:00Z', 0, 9)).toThrow(RangeError);
  });
});

describe('malformed input', () => {
  it('throws RangeError naming the problem', () => {
    expect(() => dayInfo('2026-13-01')).toThrow(RangeError);
    expect(() => dayInfo('2026-02-30')).toThrow(/'YYYY-MM-DD'.*2026-02-30/);
    expect(() => dayInfo('2026-2-3')).toThrow(RangeError);
    expect(() => addWorkingDays('2026-01-01', -1)).toThrow(/n must be an integer >= 0/);
    expect(() => addWorkingDays('2026-01-01', 1.5)).toThrow(RangeError);
    expect(() => addCalendarDays('2026-01-01', -3)).toThrow(RangeError);
    expect(() => subtractWorkingDays('nope', 1)).toThrow(RangeError);
    expect(() => shanghaiDate('2026-10-01T08:00:00')).toThrow(/offset/); // would be read in the host's zone
    expect(() => shanghaiDate('2026-02-30T08:00:00Z')).toThrow(RangeError);
    expect(() => shanghaiInstant('2026-10-01', 24)).toThrow(/hour/);
    expect(() => yearCalendar(2026.5)).toThrow(RangeError);
  });
});

describe('calendar activities', () => {
  const activities = createCalendarActivities();

  it('answer like the domain functions', async () => {
    await expect(activities.calendarAddWorkingDays({ from: '2026-09-29', workingDays: 5 })).resolves.toEqual({ date: '2026-10-12', provisional: false });
    await expect(activities.calendarWorkingDaysBetween({ from: '2026-09-29', to: '2026-10-12' })).resolves.toEqual({ workingDays: 5, provisional: false });
    await expect(activities.calendarDayInfo({ date: '2026-10-10' })).resolves.toMatchObject({ kind: 'makeup-workday' });
    await expect(activities.calendarNextEscalationAt({ after: '2026-09-30T10:00:00Z', everyWorkingDays: 1, hour: 9 })).resolves.toBe('2026-10-08T01:00:00.000Z');
    await expect(
      activities.calendarDeadline({ from: '2026-09-29', workingDays: 2, reminderWorkingDaysBefore: 1, reminderHour: 9 }),
    ).resolves.toMatchObject({ dueDate: '2026-10-08' });
  });

  it('fail without retries on malformed input', async () => {
    await expect(activities.calendarDayInfo({ date: '2026-13-01' })).rejects.toMatchObject({ type: 'RangeError', nonRetryable: true });
  });
});

describe('calendar routes', () => {
  const app = Fastify().withTypeProvider<ZodTypeProvider>();

  beforeAll(async () => {
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    // The calendar without entered notices (those are tested with the server, test/calendar-notice.test.ts).
    const fixed = createCalendar();
    app.decorate('calendarBook', { current: () => fixed } as unknown as CalendarBook);
    await app.register(calendarRoutes);
    await app.ready();
  });
  afterAll(() => app.close());

  it('GET /api/calendar/:year lists the year', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/calendar/2026' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ year: 2026, provisional: false });
    expect(body.days).toHaveLength(365);
    expect(body.source).toBe('published-schedule');
    expect(body.days.find((d: { date: string }) => d.date === '2026-10-10')).toEqual({
      date: '2026-10-10',
      working: true,
      kind: 'makeup-workday',
      holidayName: '国庆节',
    });
  });

  it('GET /api/calendar/:year marks an unpublished year provisional and refuses years out of range', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/calendar/2027' })).json()).toMatchObject({ year: 2027, provisional: true, source: 'regulation' });
    expect((await app.inject({ method: 'GET', url: '/api/calendar/1999' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/calendar/2101' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/calendar/20x6' })).statusCode).toBe(400);
  });

  it('GET /api/calendar/due counts working days from the day after', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/calendar/due?from=2026-09-29&workingDays=5' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ from: '2026-09-29', workingDays: 5, dueDate: '2026-10-12', provisional: false });
  });

  it('GET /api/calendar/due refuses a malformed date, naming the field', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/calendar/due?from=2026-13-01&workingDays=5' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/from/);
    expect((await app.inject({ method: 'GET', url: '/api/calendar/due?from=2026-09-29&workingDays=0' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/calendar/due?from=2026-09-29' })).statusCode).toBe(400);
  });
});
