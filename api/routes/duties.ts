import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { caseFileReviewSchema, selfInspectionSchema, statisticsSubmissionSchema } from '../../domain/duties.js';
import { dutyActions } from '../../workflows/agency-duties-messages.js';
import { authErrors, errorBody } from '../schemas.js';
import '../types.js';

const params = z.object({ agencyId: z.string().regex(/^[a-z0-9-]+$/).describe('Agency id from the directory') });
const dutiesSchema = z.object({ agencyId: z.string(), year: z.number() }).loose().describe('The agency’s duties of the year: statistics report, self-inspection, quarterly case-file reviews');
const asBody = <T>(value: T) => value as T & Record<string, unknown>;

const ACTIONS = [
  { path: 'statistics-report', action: 'submitStatisticsReport', label: '报送年度统计报告', body: statisticsSubmissionSchema, summary: 'Submit the previous year’s enforcement statistics report (drafted from the system’s records)' },
  { path: 'self-inspection', action: 'submitSelfInspection', label: '报送自查报告', body: selfInspectionSchema, summary: 'Submit the self-inspection report of the three systems (回头看), due April 30' },
  { path: 'case-file-reviews', action: 'recordCaseFileReview', label: '记录案卷评查', body: caseFileReviewSchema, summary: 'Record a quarter’s case-file review (案卷评查): files and scores; 70 or less fails (70分以下 includes 70)' },
] as const;

/** The agencies' recurring duties: the agency sees and acts on its own, the office sees all. */
export const dutyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/duties/:agencyId',
    { onRequest: app.authenticate, schema: { tags: ['duties'], summary: 'The agency’s duties of this year and its earlier years', security: [{ bearerAuth: [] }], params, response: { 200: dutiesSchema, ...authErrors, 404: errorBody } } },
    async (request) => asBody(await app.duties.state(request.actor, request.params.agencyId)),
  );

  app.get(
    '/api/duties/:agencyId/timeline',
    { onRequest: app.authenticate, schema: { tags: ['duties'], summary: 'The record of the duties: submissions, reminders, escalations, missing ones', security: [{ bearerAuth: [] }], params, response: { 200: z.array(z.object({ at: z.string(), action: z.string(), summary: z.string() }).loose()), ...authErrors, 404: errorBody } } },
    async (request) => (await app.duties.timeline(request.actor, request.params.agencyId)).map(asBody),
  );

  app.post(
    '/api/duties/:agencyId/statistics-report/redraft',
    { onRequest: app.requireRole('agency'), schema: { tags: ['duties'], summary: 'Draft the statistics report again from the records as they are now', security: [{ bearerAuth: [] }], params, response: { 200: dutiesSchema, ...authErrors, 404: errorBody, 409: errorBody } } },
    async (request) => asBody(await app.duties.handle(request.actor, request.params.agencyId).executeUpdate(dutyActions.redraftStatisticsReport, { args: [request.actor] })),
  );

  for (const action of ACTIONS) {
    app.post(
      `/api/duties/:agencyId/${action.path}`,
      {
        onRequest: app.requireRole('agency'),
        schema: { tags: ['duties'], summary: action.summary, security: [{ bearerAuth: [] }], params, body: action.body, response: { 200: dutiesSchema, ...authErrors, 404: errorBody, 409: errorBody, 422: errorBody } },
      },
      async (request) => {
        return asBody(await app.duties.act(request.actor, request.params.agencyId, action.action, request.body, action.label));
      },
    );
  }
};
