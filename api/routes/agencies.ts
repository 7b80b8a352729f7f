import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

export const agencyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/agencies',
    {
      schema: {
        tags: ['agencies'],
        summary: 'The agency directory (public: ids, Chinese names, levels)',
        response: {
          200: z.array(z.object({ id: z.string(), name: z.string(), level: z.string() })),
        },
      },
    },
    async () => app.agencies.list().map(({ id, name, level }) => ({ id, name, level })),
  );
};
