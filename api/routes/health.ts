import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { RecordsDb } from '../../platform/records/database.js';
import '../types.js';

const healthBody = z.object({
  status: z.enum(['ok', 'unavailable']),
  temporal: z.object({ reachable: z.boolean(), namespace: z.string(), error: z.string().optional() }),
  records: z
    .object({ reachable: z.boolean(), error: z.string().optional() })
    .optional()
    .describe('The records database: when it is down, actions still complete (their writes catch up) but lists answer 503'),
});

/** Whether the records database answers within 2 s. */
async function recordsHealth(db: RecordsDb | undefined): Promise<{ reachable: boolean; error?: string } | undefined> {
  if (!db) return undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sql`select 1`.execute(db),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the records database did not answer within 2 s')), 2000);
      }),
    ]);
    return { reachable: true };
  } catch (err) {
    return { reachable: false, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness, the Temporal connection (503 when Temporal cannot be reached) and the records database',
        response: { 200: healthBody, 503: healthBody },
      },
    },
    async (_request, reply) => {
      const namespace = app.config.TEMPORAL_NAMESPACE;
      const records = recordsHealth(app.records);
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
        return { status: 'ok' as const, temporal: { reachable: true, namespace }, records: await records };
      } catch (err) {
        return reply.status(503).send({ status: 'unavailable', temporal: { reachable: false, namespace, error: (err as Error).message }, records: await records });
      }
    },
  );
};
