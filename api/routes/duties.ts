import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DUTIES_BODIES } from '../../domain/duties.js';
import { allowedActions } from '../../domain/procedure.js';
import { DUTIES, dutiesSubject } from '../../domain/procedures/duties.js';
import type { Actor } from '../../domain/roles.js';
import { dutyActions, type DutiesActionName, type DutiesState } from '../../workflows/agency-duties-messages.js';
import { authErrors, errorBody } from '../schemas.js';
import '../types.js';

const params = z.object({ agencyId: z.string().regex(/^[a-z0-9-]+$/).describe('Agency id from the directory') });
const dutiesSchema = z
  .object({
    agencyId: z.string(),
    year: z.number(),
    allowedActions: z
      .array(z.object({ action: z.string(), path: z.string().describe('POST /api/duties/{agencyId}/<path>'), label: z.string() }))
      .describe('What the caller (role, agency) may do now, by the duties’ table: the buttons to offer'),
  })
  .loose().describe('The agency’s duties of the year: statistics report, self-inspection, quarterly case-file reviews');
const asBody = <T>(value: T) => value as T & Record<string, unknown>;
/** The duties as a response body, with what the caller may do now (the buttons to offer). */
const withAllowed = (state: DutiesState, actor: Actor) => asBody({ ...state, allowedActions: allowedActions(DUTIES, dutiesSubject(state), actor) });

/** The agencies' recurring duties: the agency sees and acts on its own, the office sees all. */
export const dutyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/duties/:agencyId',
    { onRequest: app.authenticate, schema: { tags: ['duties'], summary: 'The agency’s duties of this year and its earlier years', security: [{ bearerAuth: [] }], params, response: { 200: dutiesSchema, ...authErrors, 404: errorBody } } },
    async (request) => withAllowed(await app.duties.state(request.actor, request.params.agencyId), request.actor),
  );

  app.get(
    '/api/duties/:agencyId/timeline',
    { onRequest: app.authenticate, schema: { tags: ['duties'], summary: 'The record of the duties: submissions, reminders, escalations, missing ones', security: [{ bearerAuth: [] }], params, response: { 200: z.array(z.object({ at: z.string(), action: z.string(), summary: z.string() }).loose()), ...authErrors, 404: errorBody } } },
    async (request) => (await app.duties.timeline(request.actor, request.params.agencyId)).map(asBody),
  );

  // One route per row of the duties' table (domain/procedures/duties.ts).
  for (const [action, row] of Object.entries(DUTIES.actions) as Array<[DutiesActionName, (typeof DUTIES.actions)[DutiesActionName]]>) {
    app.post(
      `/api/duties/:agencyId/${row.path}`,
      {
        onRequest: app.requireRole(...row.roles),
        schema: {
          tags: ['duties'],
          summary: `${row.label}: ${row.summary}`,
          description: `Who: ${row.roles.join(', ')}.`,
          security: [{ bearerAuth: [] }],
          params,
          body: DUTIES_BODIES[action],
          response: { 200: dutiesSchema, ...authErrors, 404: errorBody, 409: errorBody, 422: errorBody },
        },
      },
      async (request) => {
        const { actor } = request;
        const { agencyId } = request.params;
        // A body-less action (the redraft) is sent an empty object, which its row reads like any other.
        const body = request.body ?? {};
        const state =
          action === 'redraftStatisticsReport'
            ? await app.duties.handle(actor, agencyId).executeUpdate(dutyActions.redraftStatisticsReport, { args: [actor, {}] })
            : await app.duties.act(actor, agencyId, action, body, row.label);
        return withAllowed(state, actor);
      },
    );
  }
};
