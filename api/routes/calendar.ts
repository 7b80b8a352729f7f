import { WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CALENDAR_NOTICE_KIND, calendarNoticeWorkflowId, FIRST_NOTICE_YEAR, LAST_NOTICE_YEAR, MAX_FESTIVALS, MAX_MAKEUP_DAYS_PER_FESTIVAL, noticeProblems } from '../../domain/calendar-notice.js';
import { SA } from '../../platform/search-attributes.js';
import { calendarNoticeStateQuery, enterCalendarNoticeUpdate, type CalendarNoticeState } from '../../workflows/calendar-notice-messages.js';
import { HttpError } from '../plugins/errors.js';
import { authErrors, errorBody } from '../schemas.js';

// The calendar is public: it holds nothing but the official schedule, and the front end needs it
// before anyone logs in (date pickers, "due in N working days" previews).

const dayKind = z.enum(['workday', 'weekend', 'holiday', 'makeup-workday']).describe(
  'workday: Monday–Friday; weekend: Saturday/Sunday off; holiday: official holiday (法定节假日); ' +
    'makeup-workday: weekend day worked to make up for a holiday (调休补班)',
);

const provisional = z
  .boolean()
  .describe('true when a year involved has no published State Council schedule yet: Monday–Friday is assumed');

const calendarDay = z.object({
  date: z.iso.date().describe('Civil date in Asia/Shanghai'),
  working: z.boolean().describe('Whether deadlines in working days count this day'),
  kind: dayKind,
  holidayName: z.string().optional().describe('Chinese name of the holiday, or of the holiday a make-up day belongs to (e.g. 国庆节)'),
  statutory: z.boolean().optional().describe('One of the days off the regulation itself fixes (全国年节及纪念日放假办法 art. 2)'),
  estimated: z.boolean().optional().describe('A weekday off estimated in lieu of a statutory day on a weekend (art. 6), until the notice is entered'),
});

const actorBody = z.object({ role: z.string(), agencyId: z.string().optional(), name: z.string().optional() });

const isoDate = z.iso.date('日期：须为 YYYY-MM-DD');

const festivalBody = z.strictObject({
  name: z.string().trim().min(1, '节日名称：不能为空').max(40, '节日名称：至多 40 字').describe('元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节'),
  holidays: z.strictObject({ from: isoDate.describe('First day off'), to: isoDate.describe('Last day off (included)') }).describe('放假调休: the run of days off'),
  makeupWorkdays: z
    .array(isoDate)
    .max(MAX_MAKEUP_DAYS_PER_FESTIVAL, `调休上班日：至多 ${MAX_MAKEUP_DAYS_PER_FESTIVAL} 天`)
    .default([])
    .describe('上班: the weekend days worked in exchange'),
});

const noticeBody = z
  .strictObject({
    document: z.string().trim().min(1, '通知文号：不能为空').max(100, '通知文号：至多 100 字').describe('The notice\'s document number, e.g. 国办发明电〔2026〕5号'),
    festivals: z.array(festivalBody).min(1, '节日安排：至少一项').max(MAX_FESTIVALS, `节日安排：至多 ${MAX_FESTIVALS} 项`),
  })
  .describe("A year's State Council holiday notice, festival by festival");

const noticeVersion = noticeBody.extend({
  year: z.number().int(),
  version: z.number().int(),
  enteredBy: actorBody,
  enteredAt: z.string(),
});

const noticeState = z.object({
  year: z.number().int(),
  current: noticeVersion.nullable().describe('The version in force, or null before one is entered'),
  versions: z.array(noticeVersion).describe('Every version entered, oldest first'),
  replans: z.array(z.object({ version: z.number().int(), signalled: z.number().int(), finishedAt: z.string() })).describe('Running cases, sites and duties told of each version'),
});

const noticeParams = z.object({
  year: z.coerce.number().int().min(FIRST_NOTICE_YEAR).max(LAST_NOTICE_YEAR).describe(`Year of the notice, ${FIRST_NOTICE_YEAR}..${LAST_NOTICE_YEAR}`),
});

const yearParams = z.object({
  year: z.coerce.number().int().min(2000).max(2100).describe('Calendar year, 2000..2100'),
});

const yearBody = z.object({
  year: z.number().int(),
  provisional,
  source: z
    .enum(['notice', 'published-schedule', 'regulation', 'weekdays'])
    .describe('What decided the days: the notice the office entered, the published schedule, the regulation alone (provisional), or Monday–Friday (provisional)'),
  notice: z.object({ version: z.number().int(), document: z.string(), enteredAt: z.string(), enteredBy: actorBody }).optional(),
  days: z.array(calendarDay).describe('Every day of the year, in order'),
});

const dueQuery = z.object({
  from: z.iso
    .date()
    // The years /api/calendar/{year} serves; beyond them an answer would be a guess, or not a date at all.
    .refine((date) => date >= '2000-01-01' && date <= '2100-12-31', 'must lie in the calendar’s years 2000..2100')
    .describe('Start date (YYYY-MM-DD, Asia/Shanghai, years 2000..2100); counting starts the day after'),
  workingDays: z.coerce.number().int().min(1).max(365).describe('Number of working days, 1..365'),
});

const dueBody = z.object({
  from: z.iso.date(),
  workingDays: z.number().int(),
  dueDate: z.iso.date().describe('The workingDays-th working day after from'),
  provisional,
});

export const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  // A static path: find-my-way matches it before the parametric /api/calendar/:year, whatever the
  // registration order, so 'due' is never read as a year.
  app.get(
    '/api/calendar/due',
    {
      schema: {
        tags: ['calendar'],
        summary: 'The date a period of N working days ends (public)',
        querystring: dueQuery,
        response: { 200: dueBody },
      },
    },
    async (request) => {
      const { from, workingDays } = request.query;
      const { date, provisional } = app.calendarBook.current().addWorkingDays(from, workingDays);
      return { from, workingDays, dueDate: date, provisional };
    },
  );

  app.get(
    '/api/calendar/:year',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Every day of a year: working or not, holidays and make-up working days (public)',
        params: yearParams,
        response: { 200: yearBody },
      },
    },
    async (request) => app.calendarBook.current().yearCalendar(request.params.year),
  );
};

/** The State Council notices, as the office enters them (calendar-notice workflows). */
export const calendarNoticeRoutes: FastifyPluginAsyncZod = async (app) => {
  const noticeHandle = (year: number) => app.temporal.workflow.getHandle(calendarNoticeWorkflowId(year));

  app.get(
    '/api/calendar/:year/notice',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['calendar'],
        summary: "The year's State Council holiday notice as entered: the version in force and every earlier one",
        params: noticeParams,
        response: { 200: noticeState, ...authErrors },
      },
    },
    async (request): Promise<CalendarNoticeState> => {
      const { year } = request.params;
      try {
        return await noticeHandle(year).query(calendarNoticeStateQuery);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return { year, current: null, versions: [], replans: [] };
        throw err;
      }
    },
  );

  app.put(
    '/api/calendar/:year/notice',
    {
      onRequest: app.requireRole('office'),
      schema: {
        tags: ['calendar'],
        summary: "The office enters the year's State Council holiday notice (a new version); running deadlines move with it",
        description:
          'Refused with 422, naming the date, when a make-up working day is not a weekend day, a date is listed twice, a statutory holiday is made a working day, ' +
          'or a date lies outside the year (from December 1 of the year before). The version in force overrides the published schedule for the year.',
        params: noticeParams,
        body: noticeBody,
        response: { 200: noticeState, ...authErrors, 422: errorBody },
      },
    },
    async (request) => {
      const { year } = request.params;
      const problems = noticeProblems(year, request.body, Date.now());
      if (problems.length) {
        throw new HttpError(422, `${year}年放假安排：${problems.map((p) => p.message).join('；')}`, {
          problems: problems.map((p) => ({ path: ['body', ...p.path].join('.'), message: p.message })),
        });
      }
      const state = await app.temporal.workflow.executeUpdateWithStart(enterCalendarNoticeUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation('calendarNoticeWorkflow', {
          workflowId: calendarNoticeWorkflowId(year),
          taskQueue: app.config.TEMPORAL_TASK_QUEUE,
          args: [{ year }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          typedSearchAttributes: [
            { key: SA.kind, value: CALENDAR_NOTICE_KIND },
            { key: SA.year, value: year },
          ],
        }),
        args: [request.actor, request.body],
      });
      // This process serves the new calendar at once; the others within their refresh interval.
      if (state.current) app.calendarBook.put(state.current);
      return state;
    },
  );
};
