import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { REFUSAL_STATUS, type RefusalType } from '../../domain/errors.js';

/** The one error body of the API, for every 4xx (and a 5xx without details). */
export interface ErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** An error the API raises on purpose, with the status and message meant for the caller. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A refusal from a workflow's Update validator or handler, as (status, reason); undefined otherwise. */
export function refusalOf(err: unknown): { status: number; message: string; type: RefusalType; details?: unknown } | undefined {
  const failure = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (failure instanceof ApplicationFailure && failure.type && failure.type in REFUSAL_STATUS) {
    const type = failure.type as RefusalType;
    const details = failure.details?.[0];
    return { status: REFUSAL_STATUS[type], message: failure.message, type, ...(details === undefined ? {} : { details }) };
  }
  return undefined;
}

function validationMessage(err: FastifyError & { validation: Array<{ instancePath?: string; message?: string; params?: unknown }> }) {
  const where = err.validationContext ?? 'request';
  return err.validation
    .map((v) => {
      const issue = (v.params as { issue?: { path?: PropertyKey[] } } | undefined)?.issue;
      const path = issue?.path?.length ? issue.path.join('.') : (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
      return `${where}${path ? `.${path}` : ''}: ${v.message ?? 'invalid'}`;
    })
    .join('; ');
}

export const errorHandler = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    let status = 500;
    let body: ErrorBody;

    const refusal = refusalOf(err);
    if (hasZodFastifySchemaValidationErrors(err)) {
      status = 400;
      body = { error: REASON[400]!, message: validationMessage(err), details: err.validation.map((v) => ({ path: v.instancePath, message: v.message })) };
    } else if (refusal) {
      status = refusal.status;
      body = { error: REASON[status] ?? 'Refused', message: refusal.message, details: { type: refusal.type, ...(refusal.details && typeof refusal.details === 'object' ? refusal.details : {}) } };
    } else if (err instanceof HttpError) {
      status = err.statusCode;
      body = { error: REASON[status] ?? 'Error', message: err.message, details: err.details };
    } else if (err instanceof WorkflowNotFoundError) {
      status = 404;
      body = { error: REASON[404]!, message: 'no such case or workflow' };
    } else if (err instanceof WorkflowExecutionAlreadyStartedError) {
      status = 409;
      body = { error: REASON[409]!, message: 'already exists' };
    } else if (!isResponseSerializationError(err) && err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own 4xx: malformed JSON, body too large, unsupported media type, rate limit …
      status = err.statusCode;
      body = { error: REASON[status] ?? 'Error', message: err.message };
    } else {
      body = { error: 'Internal Server Error', message: 'internal error; see the server log with this request id', details: { requestId: request.id } };
    }

    if (status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ status, message: body.message }, 'request refused');
    void reply.status(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: REASON[404], message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });
});
