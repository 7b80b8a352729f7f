import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  acceptOpinionSchema,
  coordinationSchema,
  decideSchema,
  disputeOpinionSchema,
  extendReviewSchema,
  filingSchema,
  opinionSchema,
  publicationSchema,
  requestMaterialSchema,
  resubmitSchema,
  submissionSchema,
  supplyMaterialSchema,
  transferRecordSchema,
  withdrawSchema,
} from '../../domain/legal-review.js';
import { ROLES, type Actor } from '../../domain/roles.js';
import { SA } from '../../platform/search-attributes.js';
import { submitCase } from '../../platform/submit-case.js';
import {
  actions,
  agencyOfCase,
  caseIdOf,
  LEGAL_REVIEW_KIND,
  legalReviewWorkflowId,
  STAGES,
  stateQuery,
  timelineQuery,
  type ActionName,
  type CaseSummary,
  type LegalReviewState,
} from '../../workflows/legal-review-messages.js';
import { HttpError } from '../plugins/errors.js';
import { authErrors, caseHeading, errorBody } from '../schemas.js';
import { equals, listSummaries } from '../visibility.js';
import { runAction } from '../actions.js';
import '../types.js';

/** Each action's path, body and words for the OpenAPI document; the workflow decides who may. */
const ACTION_ROUTES: Array<{ path: string; action: ActionName; body: z.ZodType; summary: string }> = [
  { path: 'request-material', action: 'requestMaterial', body: requestMaterialSchema, summary: 'Legal-review body returns the case for more material (the review clock pauses)' },
  { path: 'supply-material', action: 'supplyMaterial', body: supplyMaterialSchema, summary: 'Agency supplies the material; the review clock resumes' },
  { path: 'extend-review', action: 'extendReview', body: extendReviewSchema, summary: 'Legal-review body extends its time limit once, with a reason' },
  { path: 'opinion', action: 'giveOpinion', body: opinionSchema, summary: 'Legal-review body records its opinion with the eight checks' },
  { path: 'accept', action: 'acceptOpinion', body: acceptOpinionSchema, summary: 'Agency accepts the opinion' },
  { path: 'dispute', action: 'disputeOpinion', body: disputeOpinionSchema, summary: 'Agency disputes the opinion: coordination opens' },
  { path: 'coordination', action: 'coordinate', body: coordinationSchema, summary: 'Agency head (or the county office) records the coordination outcome and minutes' },
  { path: 'resubmit', action: 'resubmit', body: resubmitSchema, summary: 'Agency resubmits the revised case for a new review round' },
  { path: 'decision', action: 'decide', body: decideSchema, summary: 'Agency head makes the decision (refused unless the review passed or was overruled)' },
  { path: 'transfer', action: 'recordTransfer', body: transferRecordSchema, summary: 'Agency records the transfer to the judicial organs (suspected crime)' },
  { path: 'publication', action: 'recordPublication', body: publicationSchema, summary: 'Agency records the publication of the decision (late ones are recorded as late)' },
  { path: 'filing', action: 'recordFiling', body: filingSchema, summary: 'Agency records the filing of a major administrative penalty (late ones are recorded as late)' },
  { path: 'withdraw', action: 'withdraw', body: withdrawSchema, summary: 'Agency withdraws the case before the decision' },
];

/** The state is the workflow's own; the API passes it through and documents its main fields. */
const caseStateSchema = z
  .object({
    caseId: z.string(),
    agencyId: z.string(),
    stage: z.enum(Object.keys(STAGES) as [keyof typeof STAGES, ...(keyof typeof STAGES)[]]),
    stageLabel: z.string(),
    awaiting: z.enum(ROLES).nullable(),
    nextDueAt: z.string().nullable(),
    overdue: z.boolean(),
  })
  .loose()
  .describe('The case: submission, stage, who must act, deadlines, opinions, coordination, decision, publication, filing');

const summarySchema = caseHeading
  .extend({
    majorPenalty: z.boolean(),
    stage: z.string(),
    stageLabel: z.string(),
    awaiting: z.string().nullable(),
    nextDueAt: z.string().nullable(),
    overdue: z.boolean(),
    submittedAt: z.string(),
  })
  .describe('A case in a list');

const timelineEntrySchema = z.object({
  at: z.string(),
  by: z.union([z.literal('system'), z.object({ role: z.enum(ROLES), agencyId: z.string().optional(), name: z.string().optional() })]),
  action: z.string(),
  summary: z.string(),
  words: z.string().optional(),
  data: z.unknown().optional(),
});

const idParams = z.object({ id: z.string().min(3).max(200).describe('Case id: agencyId:caseNumber (URL-encoded)') });

const listQuery = z.object({
  agencyId: z.string().regex(/^[a-z0-9-]+$/).optional().describe('Only this agency (the office only; agencies always see their own)'),
  stage: z.enum(Object.keys(STAGES) as [keyof typeof STAGES, ...(keyof typeof STAGES)[]]).optional(),
  awaiting: z.enum([...ROLES, 'none']).optional().describe('Whose action the case waits for'),
  overdue: z.stringbool().optional(),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(4000).optional().describe('nextCursor of the previous page'),
});

/** The workflow's state as a response body (the schema documents its main fields and lets the rest through). */
const asBody = (state: LegalReviewState) => state as LegalReviewState & Record<string, unknown>;

/** Canonical JSON (sorted keys), to tell a repeated submission from a different one. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

export const decisionRoutes: FastifyPluginAsyncZod = async (app) => {
  const canSee = (actor: Actor, caseId: string) => actor.role === 'office' || actor.agencyId === agencyOfCase(caseId);

  /** The case's workflow handle, or 404 when the caller may not see it (an agency sees only its own). */
  const handleFor = (actor: Actor, caseId: string) => {
    if (!canSee(actor, caseId)) throw new HttpError(404, `no case ${caseId}`);
    return app.temporal.workflow.getHandle(legalReviewWorkflowId(caseId));
  };


  app.post(
    '/api/decisions',
    {
      onRequest: app.requireRole('agency'),
      schema: {
        tags: ['legal review'],
        summary: 'Submit a major enforcement decision for legal review (送审). Idempotent per case number.',
        security: [{ bearerAuth: [] }],
        body: submissionSchema,
        response: { 200: caseStateSchema, 201: caseStateSchema, ...authErrors, 409: errorBody },
      },
    },
    async (request, reply) => {
      const actor = request.actor;
      const agency = app.agencies.get(actor.agencyId!)!;
      const caseId = caseIdOf(agency.id, request.body.caseNumber);
      const workflowId = legalReviewWorkflowId(caseId);
      try {
        const state = await submitCase(app.temporal, app.config, agency, request.body, actor);
        request.log.info({ caseId, workflowId }, 'case submitted');
        return reply.status(201).header('location', `/api/decisions/${encodeURIComponent(caseId)}`).send(asBody(state));
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        const existing = await app.temporal.workflow.getHandle(workflowId).query(stateQuery);
        if (canonical(existing.submission) !== canonical(request.body)) {
          throw new HttpError(409, `case number ${request.body.caseNumber} already exists with a different submission`);
        }
        return reply.status(200).send(asBody(existing));
      }
    },
  );

  app.get(
    '/api/decisions',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['legal review'],
        summary: 'List cases (an agency sees its own; the office sees all), newest first',
        security: [{ bearerAuth: [] }],
        querystring: listQuery,
        response: { 200: z.object({ items: z.array(summarySchema), nextCursor: z.string().nullable() }), ...authErrors },
      },
    },
    async (request) => {
      const q = request.query;
      const actor = request.actor;
      const agencyId = actor.role === 'office' ? q.agencyId : actor.agencyId;
      const clauses = [equals(SA.kind.name, LEGAL_REVIEW_KIND)];
      if (agencyId) clauses.push(equals(SA.agencyId.name, agencyId));
      if (q.stage) clauses.push(equals(SA.stage.name, q.stage));
      if (q.awaiting) clauses.push(equals(SA.awaiting.name, q.awaiting));
      if (q.overdue !== undefined) clauses.push(equals(SA.overdue.name, q.overdue));
      return listSummaries<CaseSummary>(app, clauses.join(' AND '), q.pageSize, q.cursor);
    },
  );

  app.get(
    '/api/decisions/:id',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['legal review'],
        summary: 'The case: stage, who must act, deadlines, opinions, coordination, decision',
        security: [{ bearerAuth: [] }],
        params: idParams,
        response: { 200: caseStateSchema, ...authErrors, 404: errorBody },
      },
    },
    async (request) => asBody(await handleFor(request.actor, request.params.id).query(stateQuery)),
  );

  app.get(
    '/api/decisions/:id/timeline',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['legal review'],
        summary: 'The full-process record (全过程记录): who, when, what, their words',
        security: [{ bearerAuth: [] }],
        params: idParams,
        response: { 200: z.array(timelineEntrySchema), ...authErrors, 404: errorBody },
      },
    },
    async (request) => handleFor(request.actor, request.params.id).query(timelineQuery),
  );

  for (const route of ACTION_ROUTES) {
    app.post(
      `/api/decisions/:id/${route.path}`,
      {
        onRequest: app.authenticate,
        schema: {
          tags: ['legal review actions'],
          summary: route.summary,
          security: [{ bearerAuth: [] }],
          params: idParams,
          body: route.body,
          response: { 200: caseStateSchema, ...authErrors, 404: errorBody, 409: errorBody, 422: errorBody },
        },
      },
      async (request) => {
        const handle = handleFor(request.actor, request.params.id);
        const state = await runAction(handle, actions[route.action] as never, request.actor, request.body, stateQuery, route.action);
        request.log.info({ caseId: request.params.id, action: route.action, stage: state.stage }, 'case action');
        return asBody(state);
      },
    );
  }
};
