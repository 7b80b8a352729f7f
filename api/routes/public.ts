import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { objectionSchema } from '../../domain/demo-site.js';
import { SA } from '../../platform/search-attributes.js';
import { DEMO_SITE_KIND, objectUpdate, publicSiteView, type SiteSummary } from '../../workflows/demo-site-messages.js';
import { LEGAL_REVIEW_KIND, publicDecisionView, stateQuery, type CaseSummary, type PublicDecisionView } from '../../workflows/legal-review-messages.js';
import { HttpError } from '../plugins/errors.js';
import { caseHeading, errorBody } from '../schemas.js';
import { equals, listSummaries } from '../visibility.js';
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
      const { items } = await listSummaries<SiteSummary>(app, [equals(SA.kind.name, DEMO_SITE_KIND), equals(SA.stage.name, 'under-notice')].join(' AND '), 200);
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
      const states = await Promise.all(app.agencies.list().map((a) => app.duties.publicState(a.id).catch(() => undefined)));
      const reports = states.flatMap((state) => {
        if (!state) return [];
        const current = state.statisticsReport.coversYear === year ? state.statisticsReport.submitted : undefined;
        if (current) return [{ agencyId: state.agencyId, agencyName: state.agencyName, submittedAt: current.submittedAt, late: current.late, figures: current.figures }];
        const past = state.history.find((h) => h.statisticsReport.coversYear === year && h.statisticsReport.figures);
        return past ? [{ agencyId: state.agencyId, agencyName: state.agencyName, submittedAt: past.statisticsReport.submittedAt!, late: past.statisticsReport.late ?? false, figures: past.statisticsReport.figures }] : [];
      });
      return { year, reports };
    },
  );

  app.get(
    '/api/public/decisions',
    {
      schema: {
        tags: ['public'],
        summary: 'Published enforcement decisions (执法决定信息公开), in their current version (withdrawn ones are not listed): a person appears as surname + 某, never with an id number',
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
      const clauses = [equals(SA.kind.name, LEGAL_REVIEW_KIND), `${SA.publication.name} IN ('on-time', 'late')`];
      if (request.query.agencyId) clauses.push(equals(SA.agencyId.name, request.query.agencyId));
      // The list keeps summaries only; the decision and publication come from each case's state.
      const page = await listSummaries<CaseSummary>(app, clauses.join(' AND '), request.query.pageSize, request.query.cursor);
      const views = await Promise.all(
        page.items.map((item) =>
          app.cases
            .publicHandle(item.caseId)
            .query(stateQuery)
            .then(publicDecisionView, () => undefined),
        ),
      );
      return { items: views.filter((v): v is PublicDecisionView => v !== undefined), nextCursor: page.nextCursor };
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
        if (err?.name === 'WorkflowNotFoundError') throw new HttpError(409, 'this site is not under public notice');
        throw err;
      });
      request.log.info({ siteId: request.params.siteId, objectionId: accepted.objectionId }, 'objection received');
      return reply.status(201).send(accepted);
    },
  );
};
