import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addWorkingDays, yearCalendar } from '../../domain/calendar.js';

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
});

const yearParams = z.object({
  year: z.coerce.number().int().min(2000).max(2100).describe('Calendar year, 2000..2100'),
});

const yearBody = z.object({
  year: z.number().int(),
  provisional,
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
      const { date, provisional } = addWorkingDays(from, workingDays);
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
    async (request) => yearCalendar(request.params.year),
  );
};
