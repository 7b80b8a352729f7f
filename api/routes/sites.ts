import { sitePolicy } from '../../platform/policies.js';
import { WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  acceptanceSchema,
  applicationSchema,
  assessmentSchema,
  confirmationSchema,
  noticeSchema,
  objectionResolutionSchema,
  recommendationSchema,
  reinspectionSchema,
  revocationSchema,
  screeningSchema,
  visitSchema,
} from '../../domain/demo-site.js';
import { STANDARDS, findStandard } from '../../domain/demo-site-standard.js';
import type { Actor } from '../../domain/roles.js';
import { SA } from '../../platform/search-attributes.js';
import {
  applyUpdate,
  campaignQuery,
  campaignWorkflowId,
  DEMO_CAMPAIGN_KIND,
  DEMO_SITE_KIND,
  noticeUpdate,
  recommendUpdate,
  siteActions,
  SITE_STAGES,
  siteStateQuery,
  siteTimelineQuery,
  siteWorkflowId,
  type SiteActionName,
  type SitePolicy,
  type SiteState,
  type SiteSummary,
} from '../../workflows/demo-site-messages.js';
import { runAction } from '../actions.js';
import { HttpError } from '../plugins/errors.js';
import { authErrors, errorBody } from '../schemas.js';
import { equals, listSummaries } from '../visibility.js';
import '../types.js';

const yearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100).describe('Campaign year') });
const siteParams = z.object({ id: z.string().min(3).max(200).describe('Site id: demo-site:<agencyId>:<year> (URL-encoded)') });

const siteStateSchema = z
  .object({ siteId: z.string(), agencyId: z.string(), year: z.number(), stage: z.enum(Object.keys(SITE_STAGES) as [keyof typeof SITE_STAGES]), stageLabel: z.string() })
  .loose()
  .describe('The site: application, screening, visits, acceptance and score, notice, objections, title, re-inspections');
const campaignSchema = z.object({ year: z.number(), applicationsClose: z.string(), applicationsClosed: z.boolean() }).loose().describe('The yearly campaign');
const summarySchema = z.object({ siteId: z.string(), agencyId: z.string(), agencyName: z.string(), year: z.number(), stage: z.string(), stageLabel: z.string() }).loose();

const asBody = <T>(value: T) => value as T & Record<string, unknown>;

/** The site actions of the office, one path each. */
const SITE_ACTION_ROUTES: Array<{ path: string; action: SiteActionName; body: z.ZodType; summary: string }> = [
  { path: 'screening', action: 'screen', body: screeningSchema, summary: 'Screen the application: a county cultivation target, or rejected with a reason' },
  { path: 'visits', action: 'recordVisit', body: visitSchema, summary: 'Record a guidance visit (one is due every two months)' },
  { path: 'acceptance', action: 'recordAcceptance', body: acceptanceSchema, summary: 'Record the acceptance (five methods) and its score sheet against the provincial standard' },
  { path: 'confirmation', action: 'confirm', body: confirmationSchema, summary: 'Confirm the title after the notice (refused while an objection is open)' },
  { path: 'reinspection', action: 'reinspect', body: reinspectionSchema, summary: 'Record the biennial re-inspection (a failed one revokes the title)' },
  { path: 'revocation', action: 'revoke', body: revocationSchema, summary: 'Revoke the title, with the ground' },
  { path: 'assessment', action: 'recordAssessment', body: assessmentSchema, summary: 'Record the effect on the agency’s annual rule-of-law assessment' },
];

export const siteRoutes: FastifyPluginAsyncZod = async (app) => {
  const policy = () => sitePolicy(app.config);

  /** A site's handle, or 404 when the caller may not see it (an agency sees only its own). */
  const siteHandle = (actor: Actor, siteId: string) => {
    const [kind, agencyId] = siteId.split(':');
    if (kind !== DEMO_SITE_KIND || (actor.role !== 'office' && actor.agencyId !== agencyId)) throw new HttpError(404, `no site ${siteId}`);
    return app.temporal.workflow.getHandle(siteId);
  };

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
      const { siteId } = await app.temporal.workflow.executeUpdateWithStart(applyUpdate, {
        args: [request.actor, { agencyName: agency.name, application: request.body }],
        startWorkflowOperation: new WithStartWorkflowOperation('demoCampaignWorkflow', {
          workflowId: campaignWorkflowId(year),
          taskQueue: app.config.TEMPORAL_TASK_QUEUE,
          args: [{ year, policy: policy() }],
          // The first application of a year opens its campaign; later ones join it.
          workflowIdConflictPolicy: 'USE_EXISTING',
          typedSearchAttributes: [
            { key: SA.kind, value: DEMO_CAMPAIGN_KIND },
            { key: SA.year, value: year },
          ],
        }),
      });
      const state = await app.temporal.workflow.getHandle(siteId).query(siteStateQuery);
      return reply.status(201).header('location', `/api/sites/${encodeURIComponent(siteId)}`).send(asBody(state));
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
        if (err instanceof WorkflowNotFoundError) throw new HttpError(404, `no campaign for ${request.params.year}: nobody has applied yet`);
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
        return { sites: sites.map(asBody) };
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
      const q = request.query;
      const agencyId = request.actor.role === 'office' ? q.agencyId : request.actor.agencyId;
      const clauses = [equals(SA.kind.name, DEMO_SITE_KIND)];
      if (agencyId) clauses.push(equals(SA.agencyId.name, agencyId));
      if (q.year) clauses.push(equals(SA.year.name, q.year));
      if (q.stage) clauses.push(equals(SA.stage.name, q.stage));
      if (q.overdue !== undefined) clauses.push(equals(SA.overdue.name, q.overdue));
      return listSummaries<SiteSummary & Record<string, unknown>>(app, clauses.join(' AND '), q.pageSize, q.cursor);
    },
  );

  app.get(
    '/api/sites/:id',
    { onRequest: app.authenticate, schema: { tags: ['demonstration sites'], summary: 'One site', security: [{ bearerAuth: [] }], params: siteParams, response: { 200: siteStateSchema, ...authErrors, 404: errorBody } } },
    async (request) => {
      const state = await siteHandle(request.actor, request.params.id).query(siteStateQuery);
      // An objector's contact is for the office only (POST /api/public/notices/{siteId}/objections says
      // so), not for the agency objected to.
      if (request.actor.role === 'office') return asBody(state);
      return asBody({ ...state, objections: state.objections.map(({ contact: _contact, ...objection }) => objection) });
    },
  );

  app.get(
    '/api/sites/:id/timeline',
    { onRequest: app.authenticate, schema: { tags: ['demonstration sites'], summary: 'The site’s full record', security: [{ bearerAuth: [] }], params: siteParams, response: { 200: z.array(z.object({ at: z.string(), action: z.string(), summary: z.string() }).loose()), ...authErrors, 404: errorBody } } },
    async (request) => (await siteHandle(request.actor, request.params.id).query(siteTimelineQuery)).map(asBody),
  );

  app.get(
    '/api/sites/:id/score-sheet',
    {
      onRequest: app.authenticate,
      schema: { tags: ['demonstration sites'], summary: 'The acceptance score sheet and its result', security: [{ bearerAuth: [] }], params: siteParams, response: { 200: z.object({ sheet: z.unknown(), result: z.unknown(), standard: z.unknown() }), ...authErrors, 404: errorBody } },
    },
    async (request) => {
      const state = await siteHandle(request.actor, request.params.id).query(siteStateQuery);
      if (!state.acceptance) throw new HttpError(404, `site ${request.params.id} has not been accepted yet`);
      return { sheet: state.acceptance.scoreSheet, result: state.acceptance.result, standard: findStandard(state.acceptance.scoreSheet.standardId) };
    },
  );

  app.post(
    '/api/sites/:id/objections/:objectionId/resolution',
    {
      onRequest: app.requireRole('office'),
      schema: {
        tags: ['demonstration sites'],
        summary: 'Uphold an objection (the site is not named) or dismiss it with reasons',
        security: [{ bearerAuth: [] }],
        params: siteParams.extend({ objectionId: z.coerce.number().int().min(1) }),
        body: objectionResolutionSchema,
        response: { 200: siteStateSchema, ...authErrors, 404: errorBody, 409: errorBody, 422: errorBody },
      },
    },
    async (request) =>
      asBody(await runAction(siteHandle(request.actor, request.params.id), siteActions.resolveObjection as never, request.actor, { ...request.body, objectionId: request.params.objectionId }, siteStateQuery, 'resolveObjection')),
  );

  for (const route of SITE_ACTION_ROUTES) {
    app.post(
      `/api/sites/:id/${route.path}`,
      {
        onRequest: app.authenticate,
        schema: {
          tags: ['demonstration site actions'],
          summary: route.summary,
          security: [{ bearerAuth: [] }],
          params: siteParams,
          body: route.body,
          response: { 200: siteStateSchema, ...authErrors, 404: errorBody, 409: errorBody, 422: errorBody },
        },
      },
      async (request) => asBody(await runAction(siteHandle(request.actor, request.params.id), siteActions[route.action] as never, request.actor, request.body, siteStateQuery, route.action)),
    );
  }

  app.get(
    '/api/site-standards/:id',
    {
      schema: { tags: ['demonstration sites'], summary: 'A version of the provincial standard (public): basic standards, general items with their deduction rules, bonus', params: z.object({ id: z.string().max(50) }), response: { 200: z.unknown(), 404: errorBody } },
    },
    async (request) => {
      const standard = findStandard(request.params.id);
      if (!standard) throw new HttpError(404, `no standard ${request.params.id}; known: ${Object.keys(STANDARDS).join(', ')}`);
      return standard;
    },
  );
};
