import { createHmac, timingSafeEqual } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { HttpError } from './plugins/errors.js';

/**
 * A cursor is Temporal's page token, signed for the query it pages through. Temporal answers a
 * token it cannot read with an error its client retries for some twenty seconds before giving up,
 * so a cursor the API did not give out for this very list is refused at once instead (400).
 */
function cursorMac(app: FastifyInstance, query: string, token: Uint8Array): Buffer {
  return createHmac('sha256', app.config.JWT_SECRET).update(query).update('\n').update(token).digest().subarray(0, 16);
}

function readCursor(app: FastifyInstance, query: string, cursor: string): Buffer {
  const [data = '', mac = ''] = cursor.split('.');
  const token = Buffer.from(data, 'base64url');
  const given = Buffer.from(mac, 'base64url');
  const expected = cursorMac(app, query, token);
  if (!token.length || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpError(400, 'querystring.cursor: not a cursor of this list; pass nextCursor of the previous page as it was given');
  }
  return token;
}

/**
 * One page of workflows matching a visibility query, as the summaries they keep in their memo, so
 * a list costs one call to Temporal however many rows it shows.
 */
export async function listSummaries<T>(app: FastifyInstance, query: string, pageSize: number, cursor?: string): Promise<{ items: Array<T & { workflowId: string }>; nextCursor: string | null }> {
  const page = await app.temporal.workflowService.listWorkflowExecutions({
    namespace: app.config.TEMPORAL_NAMESPACE,
    query,
    pageSize,
    nextPageToken: cursor ? readCursor(app, query, cursor) : undefined,
  });
  const items = (page.executions ?? [])
    .filter((e) => e.memo?.fields?.summary != null)
    .map((e) => ({ workflowId: e.execution?.workflowId ?? '', ...defaultPayloadConverter.fromPayload<T>(e.memo!.fields!.summary!) }));
  const token = page.nextPageToken;
  return { items, nextCursor: token && token.length ? `${Buffer.from(token).toString('base64url')}.${cursorMac(app, query, token).toString('base64url')}` : null };
}

/** A visibility clause comparing a keyword to a value the route has already validated. */
export const equals = (name: string, value: string | number | boolean) =>
  typeof value === 'string' ? `${name} = '${value.replace(/'/g, "\\'")}'` : `${name} = ${value}`;

/** How many workflows match a visibility query. */
export async function countWorkflows(app: FastifyInstance, query: string): Promise<number> {
  const { count } = await app.temporal.workflow.count(query);
  return count;
}
