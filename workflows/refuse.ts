import { ApplicationFailure } from '@temporalio/workflow';
import type { RefusalType } from '../domain/errors.js';

/**
 * Refuses an Update from its validator: a typed, non-retryable failure whose type the API maps to
 * an HTTP status (domain/errors.ts) and whose message the caller reads. Nothing is written to the
 * history, so a refused action leaves the workflow as it was.
 */
export function refuse(type: Exclude<RefusalType, 'NotFound'>, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}
