/**
 * The State Council's notice entered by the office, and running deadlines that follow it, on the
 * time-skipping server through the real API and worker. Every date below is worked out by hand.
 *
 * 2027 before the notice (the regulation alone, provisional): 元旦 01-01 (Fri); 春节 02-05 (Fri, 除夕)
 * to 02-08 (Mon, 初三), with 02-06/02-07 on the weekend and so 02-09 and 02-10 estimated in lieu.
 * The notice entered (NOTICE_2027): 春节 02-05..02-11 off, 02-11 a bridging day, Saturday 02-20 worked.
 */
import { Client } from '@temporalio/client';
import { describe, expect, it, vi } from 'vitest';
import { calendarNoticeWorkflowId, type CalendarNoticeBody } from '../domain/calendar-notice.js';
import { createCalendar, shanghaiInstant } from '../domain/calendar.js';
import { calendarNoticeStateQuery, enterCalendarNoticeUpdate } from '../workflows/calendar-notice-messages.js';
import { NOTICE_2027 } from './fixtures.js';
import { AgencyDirectory } from '../platform/agencies.js';
import { ensureAgencyDuties } from '../platform/duties.js';
import { agencies, bearer, harness, opinion, sampleSubmission, useTimeSkippingEnv, type Harness } from './helpers.js';

const testEnv = useTimeSkippingEnv();

async function skipTo(instant: string) {
  const now = await testEnv().currentTimeMs();
  if (Date.parse(instant) > now) await testEnv().sleep(Date.parse(instant) - now);
}

/** The same notice corrected: Saturday 02-20 is no longer worked. */
const NOTICE_2027_V2: CalendarNoticeBody = {
  ...NOTICE_2027,
  document: '国办发明电〔2026〕9号（更正）',
  festivals: NOTICE_2027.festivals.map((f) => (f.name === '春节' ? { ...f, makeupWorkdays: [] } : f)),
};

function api(h: Harness) {
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, role: Parameters<typeof bearer>[1] | null, payload?: object) => {
    const res = await h.app.inject({ method, url, headers: role ? bearer(h.config, role) : {}, payload });
    return { status: res.statusCode, body: res.json() };
  };
  const caseUrl = (caseId: string) => `/api/decisions/${encodeURIComponent(caseId)}`;
  return {
    call,
    async submit(overrides: Parameters<typeof sampleSubmission>[0] = {}) {
      const res = await call('POST', '/api/decisions', 'agency', sampleSubmission(overrides));
      expect(res.status).toBe(201);
      return res.body.caseId as string;
    },
    act: async (caseId: string, path: string, role: Parameters<typeof bearer>[1], payload: object) => {
      const res = await call('POST', `${caseUrl(caseId)}/${path}`, role, payload);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    },
    deadline: async (caseId: string, name: string) =>
      ((await call('GET', caseUrl(caseId), 'office')).body.deadlines as Array<{ name: string; dueDate: string; remindAt: string; provisional: boolean }>).find((d) => d.name === name)!,
    moves: async (caseId: string) =>
      ((await call('GET', `${caseUrl(caseId)}/timeline`, 'office')).body as Array<{ action: string; summary: string }>).filter((e) => e.action === 'deadlineMoved').map((e) => e.summary),
    enter: (year: number, body: object, role: Parameters<typeof bearer>[1] = 'office') => call('PUT', `/api/calendar/${year}/notice`, role, body),
  };
}

describe('the site notice over Spring Festival 2027 (the request the site workflow makes)', () => {
  // 公示一周 started on Friday 2027-01-29: seven days end on 02-05, 除夕, a day off; the period ends on
  // the next working day (民法典 art. 203).
  const period = { from: '2027-01-29', calendarDays: 7, reminderWorkingDaysBefore: 0, reminderHour: 9 };
  it('ends on Thursday 02-11 before the notice (02-05..02-10 off by the regulation and its estimate)', () => {
    expect(createCalendar().deadline(period)).toMatchObject({ dueDate: '2027-02-11', provisional: true, dueAt: shanghaiInstant('2027-02-12') });
  });
  it('ends on Friday 02-12 once the notice makes 02-11 a bridging day', () => {
    const notice = { ...NOTICE_2027, year: 2027, version: 1, enteredBy: { role: 'office' as const }, enteredAt: '2026-12-20T02:00:00.000Z' };
    expect(createCalendar([notice]).deadline(period)).toMatchObject({ dueDate: '2027-02-12', provisional: false });
  });
});

describe('entering the State Council notice', () => {
  it('refuses nonsense, naming the date, from the API and from a raw Temporal client alike', async () => {
    const h = await harness(testEnv());
    h.endAfterTest(calendarNoticeWorkflowId(2027));
    const a = api(h);
    await h.run(async () => {
      const withFestival = (i: number, change: object) => ({ ...NOTICE_2027, festivals: NOTICE_2027.festivals.map((f, j) => (j === i ? { ...f, ...change } : f)) });

      const wednesday = await a.enter(2027, withFestival(1, { makeupWorkdays: ['2027-02-10'] }));
      expect(wednesday.status).toBe(422);
      expect(wednesday.body.message).toContain('2027-02-10 是星期三，调休上班日须为星期六或星期日');
      expect(wednesday.body.details.problems).toContainEqual({ path: 'body.festivals.1.makeupWorkdays.0', message: expect.stringContaining('2027-02-10') });

      const twice = await a.enter(2027, { ...NOTICE_2027, festivals: [...NOTICE_2027.festivals, { name: '端午节', holidays: { from: '2027-06-09', to: '2027-06-10' }, makeupWorkdays: [] }] });
      expect(twice.status).toBe(422);
      expect(twice.body.message).toContain('2027-06-09 重复列出');

      const statutoryWorked = await a.enter(2027, withFestival(6, { makeupWorkdays: ['2027-10-02'] }));
      expect(statutoryWorked.status).toBe(422);
      expect(statutoryWorked.body.message).toContain('2027-10-02 是法定节假日（国庆节），不得调为上班日');

      const outside = await a.enter(2027, withFestival(0, { holidays: { from: '2026-11-30', to: '2027-01-01' } }));
      expect(outside.status).toBe(422);
      expect(outside.body.message).toContain('2026-11-30 不在2027年度通知的范围内');

      // Today is 2026 on the test server: a notice for 2029 cannot exist yet.
      const tooEarly = await a.enter(2029, { ...NOTICE_2027, festivals: [{ name: '元旦', holidays: { from: '2029-01-01', to: '2029-01-01' }, makeupWorkdays: [] }] });
      expect(tooEarly.status).toBe(422);
      expect(tooEarly.body.details.problems[0].path).toBe('body.year');

      expect((await a.enter(2027, NOTICE_2027, 'agency')).status).toBe(403);
      const malformed = await a.enter(2027, { document: 'x', festivals: [{ name: '春节', holidays: { from: '2027-02-31', to: '2027-02-11' } }] });
      expect(malformed.status).toBe(400);

      // Nothing was recorded, and the year is still the regulation's.
      expect((await a.call('GET', '/api/calendar/2027/notice', 'agency')).body).toMatchObject({ current: null, versions: [] });
      expect((await a.call('GET', '/api/calendar/2027', null)).body).toMatchObject({ source: 'regulation', provisional: true });

      // Straight to Temporal, past the API: the Update validator refuses the same, and records nothing.
      const client = new Client({ connection: testEnv().connection });
      const handle = await client.workflow.start('calendarNoticeWorkflow', { workflowId: calendarNoticeWorkflowId(2027), taskQueue: h.config.TEMPORAL_TASK_QUEUE, args: [{ year: 2027 }] });
      await expect(handle.executeUpdate(enterCalendarNoticeUpdate, { args: [{ role: 'office' }, withFestival(1, { makeupWorkdays: ['2027-02-10'] }) as CalendarNoticeBody] })).rejects.toMatchObject({
        cause: { type: 'RuleViolation', message: expect.stringContaining('2027-02-10 是星期三') },
      });
      await expect(handle.executeUpdate(enterCalendarNoticeUpdate, { args: [{ role: 'agency', agencyId: 'county-market' }, NOTICE_2027] })).rejects.toMatchObject({ cause: { type: 'Forbidden' } });
      await expect(handle.executeUpdate(enterCalendarNoticeUpdate, { args: [{ role: 'office' }, { document: 'x' } as unknown as CalendarNoticeBody] })).rejects.toMatchObject({ cause: { type: 'RuleViolation' } });
      expect(await handle.query(calendarNoticeStateQuery)).toMatchObject({ current: null, versions: [] });
    });
  });
});

// The test server's clock starts at the real time and only moves forward: the hand-worked dates
// below start on 2026-12-15. Once that has passed, move the scenario (and NOTICE_2027) a year on.
const scenarioStillAhead = Date.now() < Date.parse('2026-12-15T10:00:00+08:00');

describe.skipIf(!scenarioStillAhead)('running deadlines follow the notice (hand-worked dates from 2026-12-15)', () => {
  it('moves open deadlines by hand-worked dates, records why, and never rewrites a deadline already missed', async () => {
    const h = await harness(testEnv());
    h.endAfterTest(calendarNoticeWorkflowId(2027));
    const a = api(h);
    await h.run(async () => {
      // The agency's duties, as the worker starts them for every agency at start-up.
      await ensureAgencyDuties(testEnv().client, new AgencyDirectory([agencies.get('county-market')!]), h.config);
      // 2026-12-15: a coercion decision, published within 20 working days: 12-16..12-18 (3), 12-21..12-25 (8),
      // 12-28..12-31 (12), 01-01 off, 01-04..01-08 (17), 01-11..01-13 (20).
      await skipTo(shanghaiInstant('2026-12-15', 10));
      const published = await a.submit({ category: 'coercion', majorPenalty: false });
      await a.act(published, 'opinion', 'legal-review', opinion('pass'));
      await a.act(published, 'accept', 'agency', {});
      await a.act(published, 'decision', 'agency-head', { decision: '查封', documentNumber: 'D-1215' });
      expect(await a.deadline(published, 'publication')).toMatchObject({ dueDate: '2027-01-13', provisional: true });

      // 2026-12-30: a review of 5 working days: 12-31 (1), 01-01 off, 01-04..01-07 (5).
      await skipTo(shanghaiInstant('2026-12-30', 10));
      const reviewed = await a.submit();
      expect(await a.deadline(reviewed, 'review')).toMatchObject({ dueDate: '2027-01-07', provisional: true });

      // 2027-01-29 (Friday): 02-01..02-04 (4), 02-05..02-10 off, 02-11 (5). Reminded the working day before: 02-04.
      await skipTo(shanghaiInstant('2027-01-29', 10));
      const open = await a.submit();
      expect(await a.deadline(open, 'review')).toMatchObject({ dueDate: '2027-02-11', provisional: true, remindAt: shanghaiInstant('2027-02-04', 9) });

      // The agency's 2027 statistics report ("1月31日前"): January 31 is a Sunday, so Monday 02-01.
      const report = async () =>
        ((await a.call('GET', '/api/duties/county-market', 'agency')).body.deadlines as Array<{ name: string; dueDate: string; provisional: boolean }>).find((d) => d.name === 'statistics-report');
      await vi.waitFor(async () => expect(await report()).toMatchObject({ dueDate: '2027-02-01', provisional: true }), { timeout: 10_000 });

      const entered = await a.enter(2027, NOTICE_2027);
      expect(entered.status).toBe(200);
      expect(entered.body.current).toMatchObject({ version: 1, document: '国办发明电〔2026〕9号', enteredBy: { role: 'office' } });
      // The calendar served is the one in force, at once.
      const served = (await a.call('GET', '/api/calendar/2027', null)).body;
      expect(served).toMatchObject({ source: 'notice', provisional: false, notice: { version: 1 } });
      const day = (date: string) => served.days.find((d: { date: string }) => d.date === date);
      expect(day('2027-02-11')).toMatchObject({ working: false, kind: 'holiday', holidayName: '春节' });
      expect(day('2027-02-20')).toMatchObject({ working: true, kind: 'makeup-workday', holidayName: '春节' });
      expect(day('2027-02-08')).toMatchObject({ working: false, statutory: true });

      // Once the workers' calendars settled, the open review moves: 02-05..02-11 off, 02-12 (5).
      await testEnv().sleep('2 minutes');
      await vi.waitFor(async () => expect(await a.deadline(open, 'review')).toMatchObject({ dueDate: '2027-02-12', provisional: false }), { timeout: 15_000 });
      expect(await a.moves(open)).toEqual(['法制审核期限因2027年放假安排由2027-02-11调整为2027-02-12']);
      // Missed before the notice: kept as they were, no move recorded.
      expect(await a.deadline(published, 'publication')).toMatchObject({ dueDate: '2027-01-13' });
      expect(await a.deadline(reviewed, 'review')).toMatchObject({ dueDate: '2027-01-07' });
      expect(await a.moves(published)).toEqual([]);
      expect(await a.moves(reviewed)).toEqual([]);
      // The notice leaves the report's day as it was, and no longer provisional.
      await vi.waitFor(async () => expect(await report()).toMatchObject({ dueDate: '2027-02-01', provisional: false }), { timeout: 10_000 });
      const dutiesRecord = (await a.call('GET', '/api/duties/county-market/timeline', 'office')).body as Array<{ action: string }>;
      expect(dutiesRecord.filter((e) => e.action === 'deadlineMoved')).toEqual([]);
      await vi.waitFor(async () => expect((await a.call('GET', '/api/calendar/2027/notice', 'office')).body.replans).toEqual([expect.objectContaining({ version: 1, signalled: expect.any(Number) })]));

      // 2027-02-17: the opinion; 3 working days to answer: 02-18, 02-19 and the make-up Saturday 02-20.
      await skipTo(shanghaiInstant('2027-02-17', 10));
      await a.act(open, 'opinion', 'legal-review', opinion('pass'));
      expect(await a.deadline(open, 'response')).toMatchObject({ dueDate: '2027-02-20', provisional: false });

      // The notice corrected (02-20 no longer worked): 02-18, 02-19, 02-22 (Monday).
      expect((await a.enter(2027, NOTICE_2027_V2)).status).toBe(200);
      await testEnv().sleep('2 minutes');
      await vi.waitFor(async () => expect(await a.deadline(open, 'response')).toMatchObject({ dueDate: '2027-02-22' }), { timeout: 15_000 });
      expect(await a.moves(open)).toContain('回复审核意见期限因2027年放假安排由2027-02-20调整为2027-02-22');
      // Both versions are kept, with who entered them and when.
      const versions = (await a.call('GET', '/api/calendar/2027/notice', 'agency')).body.versions;
      expect(versions.map((v: { version: number; document: string }) => [v.version, v.document])).toEqual([
        [1, '国办发明电〔2026〕9号'],
        [2, '国办发明电〔2026〕9号（更正）'],
      ]);
      expect(versions[1].enteredAt > versions[0].enteredAt).toBe(true);
    });
  });
});
