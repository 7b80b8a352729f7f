import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REVOCATION_GROUNDS } from '../../domain/demo-site.js';
import { CATEGORIES, CHECKS, CONCLUSIONS, COORDINATION_FORUMS, COORDINATION_OUTCOMES, MAJOR_GROUNDS, PROCEDURES } from '../../domain/legal-review.js';
import { ROLES, ROLE_LABELS, isAgencyRole } from '../../domain/roles.js';
import { mintToken } from '../../platform/tokens.js';
import { DUTY_LABELS, DUTY_STATUS_LABELS } from '../../workflows/agency-duties-messages.js';
import { SITE_DEADLINE_LABELS, SITE_STAGES } from '../../workflows/demo-site-messages.js';
import { DEADLINE_LABELS, STAGES } from '../../workflows/legal-review-messages.js';
import '../types.js';

const uiRoot = fileURLToPath(new URL('../../ui/', import.meta.url));

/**
 * The web UI: static files from ui/ (no build step), the words it shows for the API's codes, and in
 * development the demo agency's tokens. The UI reads and changes everything through the API.
 */
export const uiRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(fastifyStatic, {
    root: uiRoot,
    prefix: '/ui',
    redirect: true,
    // swagger-ui registers its own copy with reply decorators; this one needs none.
    decorateReply: false,
    // Only what the browser loads; notes such as ui/README.md stay in the repository.
    allowedPath: (pathName) => /\.(html|js|css|svg|png|ico)$/.test(pathName) || pathName.endsWith('/'),
  });

  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/ui/'));

  // The Chinese words for the API's codes come from the same domain modules the API validates with,
  // so the UI never keeps a second copy that could drift.
  app.get(
    '/ui/vocabulary.json',
    { schema: { hide: true } },
    async () => ({
      roles: ROLE_LABELS,
      categories: CATEGORIES,
      procedures: PROCEDURES,
      majorGrounds: MAJOR_GROUNDS,
      checks: CHECKS,
      conclusions: CONCLUSIONS,
      coordinationOutcomes: COORDINATION_OUTCOMES,
      coordinationForums: COORDINATION_FORUMS,
      stages: STAGES,
      deadlines: DEADLINE_LABELS,
      siteStages: SITE_STAGES,
      siteDeadlines: SITE_DEADLINE_LABELS,
      revocationGrounds: REVOCATION_GROUNDS,
      duties: DUTY_LABELS,
      dutyStatuses: DUTY_STATUS_LABELS,
    }),
  );

  // Never in production: there an identity provider issues the tokens.
  if (app.config.NODE_ENV !== 'production') {
    app.get(
      '/api/dev/tokens',
      {
        schema: {
          tags: ['development'],
          summary: 'Development only (absent when NODE_ENV=production): one bearer token per role for the demo agency',
          response: {
            200: z.object({
              agency: z.object({ id: z.string(), name: z.string() }),
              tokens: z.array(z.object({ role: z.enum(ROLES), label: z.string(), token: z.string() })),
            }),
          },
        },
      },
      async () => {
        const demo = app.agencies.demo();
        return {
          agency: { id: demo.id, name: demo.name },
          tokens: ROLES.map((role) => ({
            role,
            label: ROLE_LABELS[role],
            token: mintToken({ secret: app.config.JWT_SECRET, role, agencyId: isAgencyRole(role) ? demo.id : undefined, name: '演示账号' }),
          })),
        };
      },
    );
  }
};
