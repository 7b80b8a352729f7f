import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const healthBody = z.object({
  status: z.enum(['ok', 'unavailable']),
  temporal: z.object({ reachable: z.boolean(), namespace: z.string(), error: z.string().optional() }),
});

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness and the Temporal connection (503 when Temporal cannot be reached)',
        response: { 200: healthBody, 503: healthBody },
      },
    },
    async (_request, reply) => {
      const namespace = app.config.TEMPORAL_NAMESPACE;
      try {
        // The client retries an unreachable server with backoff: answer after 2 s whatever it does,
        // abort its retries, and swallow the late rejection of the abandoned call.
        const abort = new AbortController();
        const call = app.temporal.connection.withAbortSignal(abort.signal, () => app.temporal.workflowService.getSystemInfo({}));
        call.catch(() => undefined);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            abort.abort();
            reject(new Error('Temporal did not answer within 2 s'));
          }, 2000);
        });
        try {
          await Promise.race([call, timeout]);
        } finally {
          clearTimeout(timer);
        }
        return { status: 'ok' as const, temporal: { reachable: true, namespace } };
      } catch (err) {
        return reply.status(503).send({ status: 'unavailable', temporal: { reachable: false, namespace, error: (err as Error).message } });
      }
    },
  );
};
