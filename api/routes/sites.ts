import { WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { applicationSchema, DEMO_SITE_BODIES, noticeSchema, recommendationSchema } from '../../domain/demo-site.js';
import { allowedActions } from '../../domain/procedure.js';
import { DEMO_SITE, SITE_ROUTED_ACTIONS } from '../../domain/procedures/demo-site.js';
import { STANDARDS, findStandard } from '../../domain/demo-site-standard.js';
import type { Actor } from '../../domain/roles.js';
import {
  campaignQuery,
  campaignWorkflowId,
  noticeUpdate,
  recommendUpdate,
  SITE_STAGES,
  siteWorkflowId,
  type SitePolicy,
  type SiteState,
  type SiteSummary,
} from '../../workflows/demo-site-messages.js';
import { HttpError } from '../plugins/errors.js';
import { authErrors, errorBody } from '../schemas.js';
import { listSites, recordsOf } from '../records.js';
import '../types.js';

const yearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100).describe('Campaign year') });
const siteParams = z.object({ id: z.string().min(3).max(200).describe('Site id: demo-site:<agencyId>:<year> (URL-encoded)') });

const siteStateSchema = z
  .object({
    siteId: z.string(),
    agencyId: z.string(),
    year: z.number(),
    stage: z.enum(Object.keys(SITE_STAGES) as [keyof typeof SITE_STAGES]),
    stageLabel: z.string(),
    allowedActions: z
      .array(
        z.object({
          action: z.string(),
          path: z
            .string()
            .describe('POST /api/sites/{id}/<path>; {n} is the number of an open objection; an absolute path (startNotice) is the year’s campaign, which lists the sites: POST /api/site-campaigns/{year}/notice'),
          label: z.string(),
        }),
      )
      .describe('What the caller (role, agency) may do now, by stage and the procedure’s rules: the buttons to offer'),
  })
  .loose()
  .describe('The site: application, screening, visits, acceptance and score, notice, objections, title, re-inspections');
const campaignSchema = z.object({ year: z.number(), applicationsClose: z.string(), applicationsClosed: z.boolean() }).loose().describe('The yearly campaign');
const summarySchema = z.object({ siteId: z.string(), agencyId: z.string(), agencyName: z.string(), year: z.number(), stage: z.string(), stageLabel: z.string() }).loose();

const asBody = <T>(value: T) => value as T & Record<string, unknown>;

/**
 * The site's state as a response body for `actor`: what it may do next (domain/procedures/demo-site.ts),
 * and an objector's contact only for the office (POST /api/public/notices/{siteId}/objections says
 * so), not for the agency objected to.
 */
const siteBody = (state: SiteState, actor: Actor) => {
  const offered = allowedActions(DEMO_SITE, state, actor).map((a) => ({ ...a, path: a.path.replace('{year}', String(state.year)) }));
  const objections = actor.role === 'office' ? state.objections : state.objections.map(({ contact: _contact, ...objection }) => objection);
  return { ...state, objections, allowedActions: offered } as SiteState & Record<string, unknown> & { allowedActions: never[] };
};

export const siteRoutes: FastifyPluginAsyncZod = async (app) => {

  app.post(
    '/api/site-campaigns/:year/applications',
    {
      onRequest: app.requireRole('agency'),
      schema: {
        tags: ['demonstration sites'],
        summary: 'Apply for the year (申报, until the end of May 31, Asia/Shanghai); one application per agency and year',
        security: [{ bearerAuth: [] }],
        params: yearParams,
        body: applicationSchema,
        response: { 201: siteStateSchema, ...authErrors, 409: errorBody },
      },
    },
    async (request, reply) => {
      const { year } = request.params;
      const agency = app.agencies.get(request.actor.agencyId!)!;
      const siteId = await app.sites.apply(request.actor, agency, year, request.body);
      const state = await app.sites.state(request.actor, siteId);
      return reply.status(201).header('location', `/api/sites/${encodeURIComponent(siteId)}`).send(siteBody(state, request.actor));
    },
  );

  app.get(
    '/api/site-campaigns/:year',
    {
      onRequest: app.authenticate,
      schema: { tags: ['demonstration sites'], summary: 'The campaign of a year: applications, sites’ stages, recommendation', security: [{ bearerAuth: [] }], params: yearParams, response: { 200: campaignSchema, ...authErrors, 404: errorBody } },
    },
    async (request) => {
      try {
        return asBody(await app.temporal.workflow.getHandle(campaignWorkflowId(request.params.year)).query(campaignQuery));
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new HttpError(404, `${request.params.year} 年度尚无示范点申报`);
        throw err;
      }
    },
  );

  app.post(
    '/api/site-campaigns/:year/recommendation',
    {
      onRequest: app.requireRole('office'),
      schema: { tags: ['demonstration sites'], summary: 'Recommend 2-3 targets to the city office (附件2)', security: [{ bearerAuth: [] }], params: yearParams, body: recommendationSchema, response: { 200: campaignSchema, ...authErrors, 404: errorBody, 409: errorBody, 422: errorBody } },
    },
    async (request) => asBody(await app.temporal.workflow.getHandle(campaignWorkflowId(request.params.year)).executeUpdate(recommendUpdate, { args: [request.actor, request.body] })),
  );

  app.post(
    '/api/site-campaigns/:year/notice',
    {
      onRequest: app.requireRole('office'),
      schema: {
        tags: ['demonstration sites'],
        summary: 'Publish the proposed list: every listed site goes under public notice for one week, or none does (an Update on the year’s campaign)',
        security: [{ bearerAuth: [] }],
        params: yearParams,
        body: noticeSchema,
        response: { 200: z.object({ sites: z.array(siteStateSchema) }), ...authErrors, 404: errorBody, 409: errorBody, 422: errorBody },
      },
    },
    async (request) => {
      const { year } = request.params;
      // One Update to the campaign: every listed site goes under notice, or none does
      // (workflows/demo-campaign.ts); its refusals name the agencies and map to 403/409/422.
      const handle = app.temporal.workflow.getHandle(campaignWorkflowId(year));
      try {
        const { sites } = await handle.executeUpdate(noticeUpdate, { args: [request.actor, request.body] });
        return { sites: sites.map((site) => siteBody(site, request.actor)) };
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        const open = await handle.describe().then(
          () => true,
          () => false,
        );
        if (!open) throw new HttpError(404, `${year}年度没有示范点创建活动：尚无单位申报`);
        throw new HttpError(409, `${year}年度示范点创建活动已结束，不能再发布该年度的公示名单`);
      }
    },
  );

  app.get(
    '/api/sites',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['demonstration sites'],
        summary: 'List sites (an agency sees its own)',
        security: [{ bearerAuth: [] }],
        querystring: z.object({
          year: z.coerce.number().int().min(2000).max(2100).optional(),
          agencyId: z.string().regex(/^[a-z0-9-]+$/).optional(),
          stage: z.enum(Object.keys(SITE_STAGES) as [keyof typeof SITE_STAGES]).optional(),
          overdue: z.stringbool().optional(),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(4000).optional(),
        }),
        response: { 200: z.object({ items: z.array(summarySchema), nextCursor: z.string().nullable() }), ...authErrors },
      },
    },
    async (request) => {
      const { pageSize, cursor, ...filters } = request.query;
      const page = await listSites(recordsOf(app.records), request.actor, filters, pageSize, cursor);
      return page as { items: Array<(typeof page.items)[number] & Record<string, unknown>>; nextCursor: string | null };
    },
  );

  app.get(
    '/api/sites/:id',
    { onRequest: app.authenticate, schema: { tags: ['demonstration sites'], summary: 'One site', security: [{ bearerAuth: [] }], params: siteParams, response: { 200: siteStateSchema, ...authErrors, 404: errorBody } } },
    async (request) => siteBody(await app.sites.state(request.actor, request.params.id), request.actor),
  );

  app.get(
    '/api/sites/:id/timeline',
    { onRequest: app.authenticate, schema: { tags: ['demonstration sites'], summary: 'The site’s full record', security: [{ bearerAuth: [] }], params: siteParams, response: { 200: z.array(z.object({ at: z.string(), action: z.string(), summary: z.string() }).loose()), ...authErrors, 404: errorBody } } },
    async (request) => (await app.sites.timeline(request.actor, request.params.id)).map(asBody),
  );

  app.get(
    '/api/sites/:id/score-sheet',
    {
      onRequest: app.authenticate,
      schema: { tags: ['demonstration sites'], summary: 'The acceptance score sheet and its result', security: [{ bearerAuth: [] }], params: siteParams, response: { 200: z.object({ sheet: z.unknown(), result: z.unknown(), standard: z.unknown() }), ...authErrors, 404: errorBody } },
    },
    async (request) => {
      const state = await app.sites.state(request.actor, request.params.id);
      if (!state.acceptance) throw new HttpError(404, `示范点 ${request.params.id} 尚未验收`);
      return { sheet: state.acceptance.scoreSheet, result: state.acceptance.result, standard: findStandard(state.acceptance.scoreSheet.standardId) };
    },
  );

  // One route per row of the procedure's table (domain/procedures/demo-site.ts), startNotice apart:
  // the year's campaign sends it (POST /api/site-campaigns/{year}/notice).
  for (const action of SITE_ROUTED_ACTIONS) {
    const row = DEMO_SITE.actions[action];
    // resolveObjection is addressed to one objection: its number is the path's, sent in the body.
    const byObjection = action === 'resolveObjection';
    app.post(
      `/api/sites/:id/${row.path.replace('{n}', ':objectionId')}`,
      {
        // Only the office resolves objections: refused before the site is looked up (403, not 404).
        onRequest: byObjection ? app.requireRole('office') : app.authenticate,
        schema: {
          tags: [byObjection ? 'demonstration sites' : 'demonstration site actions'],
          summary: `${row.label}: ${row.summary}`,
          description: `Who: ${row.roles.join(', ')}. Stages: ${row.stages.join(', ')}.`,
          security: [{ bearerAuth: [] }],
          params: byObjection ? siteParams.extend({ objectionId: z.coerce.number().int().min(1) }) : siteParams,
          body: DEMO_SITE_BODIES[action],
          response: { 200: siteStateSchema, ...authErrors, 404: errorBody, 409: errorBody, 422: errorBody },
        },
      },
      async (request) => {
        const params = request.params as { id: string; objectionId?: number };
        const body = byObjection ? { ...(request.body as object), objectionId: params.objectionId } : request.body;
        const state = await app.sites.act(request.actor, params.id, action, body, row.label);
        request.log.info({ siteId: params.id, action, stage: state.stage }, 'site action');
        return siteBody(state, request.actor);
      },
    );
  }

  app.get(
    '/api/site-standards/:id',
    {
      schema: { tags: ['demonstration sites'], summary: 'A version of the provincial standard (public): basic standards, general items with their deduction rules, bonus', params: z.object({ id: z.string().max(50) }), response: { 200: z.unknown(), 404: errorBody } },
    },
    async (request) => {
      const standard = findStandard(request.params.id);
      if (!standard) throw new HttpError(404, `没有该标准：${request.params.id}（现有：${Object.keys(STANDARDS).join('、')}）`);
      return standard;
    },
  );
};
