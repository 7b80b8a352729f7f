import { defaultPayloadConverter } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';

/**
 * One page of workflows matching a visibility query, as the summaries they keep in their memo, so
 * a list costs one call to Temporal however many rows it shows.
 */
export async function listSummaries<T>(app: FastifyInstance, query: string, pageSize: number, cursor?: string): Promise<{ items: Array<T & { workflowId: string }>; nextCursor: string | null }> {
  const page = await app.temporal.workflowService.listWorkflowExecutions({
    namespace: app.config.TEMPORAL_NAMESPACE,
    query,
    pageSize,
    nextPageToken: cursor ? Buffer.from(cursor, 'base64url') : undefined,
  });
  const items = (page.executions ?? [])
    .filter((e) => e.memo?.fields?.summary != null)
    .map((e) => ({ workflowId: e.execution?.workflowId ?? '', ...defaultPayloadConverter.fromPayload<T>(e.memo!.fields!.summary!) }));
  const token = page.nextPageToken;
  return { items, nextCursor: token && token.length ? Buffer.from(token).toString('base64url') : null };
}

/** A visibility clause comparing a keyword to a value the route has already validated. */
export const equals = (name: string, value: string | number | boolean) =>
  typeof value === 'string' ? `${name} = '${value.replace(/'/g, "\\'")}'` : `${name} = ${value}`;

/** How many workflows match a visibility query. */
export async function countWorkflows(app: FastifyInstance, query: string): Promise<number> {
  const { count } = await app.temporal.workflow.count(query);
  return count;
}
