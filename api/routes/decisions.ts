import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LEGAL_REVIEW_BODIES, submissionSchema } from '../../domain/legal-review.js';
import { allowedActions } from '../../domain/procedure.js';
import { LEGAL_REVIEW } from '../../domain/procedures/legal-review.js';
import { ROLES, type Actor } from '../../domain/roles.js';
import {
  caseIdOf,
  STAGES,
  type ActionName,
  type CaseSummary,
  type LegalReviewState,
} from '../../workflows/legal-review-messages.js';
import { HttpError } from '../plugins/errors.js';
import { authErrors, caseHeading, errorBody } from '../schemas.js';
import { listCases, recordsOf } from '../records.js';
import '../types.js';

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
    allowedActions: z
      .array(z.object({ action: z.string(), path: z.string().describe('POST /api/decisions/{id}/<path>'), label: z.string() }))
      .describe('What the caller (role, agency) may do now, by stage and the procedure’s rules: the buttons to offer'),
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
  q: z.string().trim().min(1).max(100).optional().describe('Words to find in the case number, title or party (检索：案号、案件名称、当事人)'),
  sort: z.enum(['submitted', 'due']).default('submitted').describe('submitted: newest first; due: the soonest deadline first'),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(4000).optional().describe('nextCursor of the previous page'),
});

/** The workflow's state as a response body, with what the caller may do next (the schema documents its main fields and lets the rest through). */
const asBody = (state: LegalReviewState, actor: Actor) => ({ ...state, allowedActions: allowedActions(LEGAL_REVIEW, state, actor) }) as LegalReviewState & Record<string, unknown> & { allowedActions: never[] };

/** Canonical JSON (sorted keys), to tell a repeated submission from a different one. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

export const decisionRoutes: FastifyPluginAsyncZod = async (app) => {
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
      try {
        const state = await app.cases.submit(agency, request.body, actor);
        request.log.info({ caseId }, 'case submitted');
        return reply.status(201).header('location', `/api/decisions/${encodeURIComponent(caseId)}`).send(asBody(state, request.actor));
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        const existing = await app.cases.state(actor, caseId);
        if (canonical(existing.submission) !== canonical(request.body)) {
          throw new HttpError(409, `案号 ${request.body.caseNumber} 已送审，且内容与本次不同；如需更改，请在原案件中办理`, { caseNumber: request.body.caseNumber });
        }
        return reply.status(200).send(asBody(existing, request.actor));
      }
    },
  );

  app.get(
    '/api/decisions',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['legal review'],
        summary: 'List cases from the records database (an agency sees its own, and gets 403 for another agency; the office sees all): newest first or soonest due, with search',
        security: [{ bearerAuth: [] }],
        querystring: listQuery,
        response: { 200: z.object({ items: z.array(summarySchema), nextCursor: z.string().nullable() }), ...authErrors },
      },
    },
    async (request) => {
      const { pageSize, cursor, ...filters } = request.query;
      return listCases(recordsOf(app.records), request.actor, filters, pageSize, cursor);
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
    async (request) => asBody(await app.cases.state(request.actor, request.params.id), request.actor),
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
    async (request) => app.cases.timeline(request.actor, request.params.id),
  );

  // One route per row of the procedure's table (domain/procedures/legal-review.ts).
  for (const [action, row] of Object.entries(LEGAL_REVIEW.actions) as Array<[ActionName, (typeof LEGAL_REVIEW.actions)[ActionName]]>) {
    app.post(
      `/api/decisions/:id/${row.path}`,
      {
        onRequest: app.authenticate,
        schema: {
          tags: ['legal review actions'],
          summary: `${row.label}: ${row.summary}`,
          description: `Who: ${row.roles.join(', ')}. Stages: ${row.stages.join(', ')}.`,
          security: [{ bearerAuth: [] }],
          params: idParams,
          body: LEGAL_REVIEW_BODIES[action],
          response: { 200: caseStateSchema, ...authErrors, 404: errorBody, 409: errorBody, 422: errorBody },
        },
      },
      async (request) => {
        const state = await app.cases.act(request.actor, request.params.id, action, request.body, row.label);
        request.log.info({ caseId: request.params.id, action, stage: state.stage }, 'case action');
        return asBody(state, request.actor);
      },
    );
  }
};
