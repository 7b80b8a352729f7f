import { ApplicationFailure } from '@temporalio/workflow';
import type { RefusalType } from '../domain/errors.js';

/**
 * Refuses an Update from its validator: a typed, non-retryable failure whose type the API maps to
 * an HTTP status (domain/errors.ts) and whose message the caller reads. Nothing is written to the
 * history, so a refused action leaves the workflow as it was.
 */
export function refuse(type: Exclude<RefusalType, 'NotFound'>, message: string, details?: unknown): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true, ...(details === undefined ? {} : { details: [details] }) });
}

/**
 * The one check of a body left to the workflow: it is an object. Its fields were validated by the
 * API against the zod schemas of domain/ before it was sent (the API is the workflows' only
 * client), and the workflow does not build those schemas again: evaluated per workflow they were
 * the worker's main cost (bench/README.md). This keeps a malformed Update from a direct Temporal
 * client from reaching a handler.
 */
export function requireBody(body: unknown): asserts body is Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) refuse('RuleViolation', '请求内容须为对象（JSON object）');
}
