import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { objectionSchema } from '../../domain/demo-site.js';
import { objectUpdate, publicSiteView } from '../../workflows/demo-site-messages.js';
import { HttpError } from '../plugins/errors.js';
import { listPublishedDecisions, recordsOf, sitesUnderNotice, statisticsReports } from '../records.js';
import { caseHeading, errorBody } from '../schemas.js';
import '../types.js';

const siteParams = z.object({ siteId: z.string().regex(/^demo-site:[a-z0-9-]+:\d{4}$/, 'a site id demo-site:<agencyId>:<year>') });

/** What anyone may see and do, without a token: sites under notice and objections to them, published decisions, annual reports. */
export const publicRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(rateLimit, { global: false });

  app.get(
    '/api/public/notices',
    {
      schema: {
        tags: ['public'],
        summary: 'Sites under public notice now (公示), with when the notice ends',
        response: { 200: z.object({ items: z.array(z.object({ siteId: z.string(), agencyName: z.string(), year: z.number(), notice: z.object({ startsAt: z.string(), endsAt: z.string() }).optional() })) }) },
      },
    },
    async () => {
      const items = await sitesUnderNotice(recordsOf(app.records));
      return { items: items.map(({ siteId, agencyName, year, notice }) => ({ siteId, agencyName, year, notice })) };
    },
  );

  app.get(
    '/api/public/sites/:siteId',
    {
      schema: {
        tags: ['public'],
        summary: 'A site as the public sees it: stage, notice period, score, objection counts (no contacts)',
        params: siteParams,
        response: { 200: z.object({ siteId: z.string(), agencyName: z.string(), stage: z.string() }).loose(), 400: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const state = await app.sites.publicState(request.params.siteId);
      return publicSiteView(state) as ReturnType<typeof publicSiteView> & Record<string, unknown>;
    },
  );

  app.get(
    '/api/public/reports',
    {
      schema: {
        tags: ['public'],
        summary: 'Annual enforcement statistics reports as submitted by the agencies (no personal data: counts only)',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).describe('the year the report covers') }),
        response: { 200: z.object({ year: z.number(), reports: z.array(z.object({ agencyId: z.string(), agencyName: z.string(), submittedAt: z.string(), late: z.boolean(), figures: z.unknown() })) }) },
      },
    },
    async (request) => {
      const { year } = request.query;
      return { year, reports: await statisticsReports(recordsOf(app.records), year) };
    },
  );

  app.get(
    '/api/public/decisions',
    {
      schema: {
        tags: ['public'],
        summary: 'Published enforcement decisions (执法决定信息公开), newest publication first, in their current version (withdrawn ones are not listed): a person appears as surname + 某, never with an id number',
        querystring: z.object({
          agencyId: z.string().regex(/^[a-z0-9-]+$/).optional(),
          pageSize: z.coerce.number().int().min(1).max(50).default(20),
          cursor: z.string().max(4000).optional(),
        }),
        response: {
          200: z.object({
            items: z.array(
              caseHeading.extend({
                party: z.string(),
                decision: z.object({ text: z.string(), documentNumber: z.string(), decidedOn: z.string() }),
                publication: z.object({ publishedOn: z.string(), channel: z.string(), url: z.string().optional(), version: z.number().int().optional().describe('From 2 on: the published information was corrected'), correctedAt: z.string().optional() }),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
          400: errorBody,
        },
      },
    },
    async (request) => {
      // The decisions as published, masked when written (platform/records/projections.ts), newest first.
      const { agencyId, pageSize, cursor } = request.query;
      return listPublishedDecisions(recordsOf(app.records), { agencyId }, pageSize, cursor);
    },
  );

  app.post(
    '/api/public/notices/:siteId/objections',
    {
      config: { rateLimit: { max: app.config.OBJECTION_RATE_LIMIT_PER_MINUTE, timeWindow: '1 minute' } },
      bodyLimit: 32 * 1024,
      schema: {
        tags: ['public'],
        summary: 'Object to a site under notice (异议). Your contact is seen by the office only, never published.',
        params: siteParams,
        body: objectionSchema,
        response: { 201: z.object({ objectionId: z.number(), noticeEndsAt: z.string() }), 400: errorBody, 404: errorBody, 409: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      const handle = app.sites.publicHandle(request.params.siteId);
      const accepted = await handle.executeUpdate(objectUpdate, { args: [request.body] }).catch((err) => {
        if (err?.name === 'WorkflowNotFoundError') throw new HttpError(409, '该示范点不在公示期内，不受理异议');
        throw err;
      });
      request.log.info({ siteId: request.params.siteId, objectionId: accepted.objectionId }, 'objection received');
      return reply.status(201).send(accepted);
    },
  );
};
