import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  503: 'Service Unavailable',
};

/** What a person reads when the framework refuses a request by itself, by status (the code's own words are in details). */
const FRAMEWORK_MESSAGE: Record<number, string> = {
  400: '请求格式有误',
  401: '未通过身份认证',
  403: '无权访问',
  404: '未找到',
  405: '不支持该请求方法',
  408: '请求超时',
  413: '请求体过大',
  414: '网址过长',
  415: '不支持该请求体类型（Content-Type）',
  429: '请求过于频繁，请稍后再试',
  431: '请求头过大',
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

type Validation = { instancePath?: string; message?: string; params?: unknown };

/** The field's problems in Chinese, each already named by its label (api/schemas.ts), one after another. */
function validationBody(err: FastifyError & { validation: Validation[] }): ErrorBody {
  const where = err.validationContext ?? 'body';
  const details = err.validation.map((v) => ({ in: where, path: v.instancePath ?? '', message: v.message ?? '无效输入' }));
  return { error: REASON[400]!, message: details.map((d) => d.message).join('；'), details };
}

const mib = (bytes: number) => (bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${Math.ceil(bytes / 1024)} KiB`);

/** A framework's 4xx (Fastify, its plugins, Node's parser) in Chinese: by its code where one is known, else by its status. */
function frameworkMessage(err: { code?: string; statusCode?: number; message?: string }, request: FastifyRequest, reply: FastifyReply): string {
  const status = err.statusCode ?? 400;
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      const limit = request.routeOptions?.bodyLimit ?? request.server.initialConfig.bodyLimit;
      return limit ? `请求体过大：不得超过 ${mib(limit)}` : '请求体过大';
    }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `不支持的请求体类型（Content-Type）：${request.headers['content-type'] ?? '未注明'}；请以 application/json 发送`;
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return '请求体的长度与 Content-Length 不符';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return '请求体为空，但 Content-Type 注明为 application/json';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return '请求体不是有效的 JSON';
    case 'FST_ERR_BAD_URL':
      return '网址含有无效的编码（百分号编码有误）';
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return '网址中的路径参数过长';
    case 'FST_ERR_ROUTE_MISSING_CONTENT_TYPE':
      return '该请求须注明请求体类型（Content-Type）';
    case 'FST_ERR_ROUTE_MISSING_CONTENT':
      return '该请求须有请求体';
  }
  // The JSON parser's own SyntaxError (malformed JSON, a __proto__ key): Fastify gives it 400 and no code.
  if (status === 400 && err instanceof SyntaxError) return '请求体不是有效的 JSON';
  if (status === 429) {
    const retry = reply.getHeader('retry-after');
    return retry ? `请求过于频繁，请 ${String(retry)} 秒后再试` : FRAMEWORK_MESSAGE[429]!;
  }
  return FRAMEWORK_MESSAGE[status] ?? '请求有误';
}

/** The body for a framework's own error: the Chinese message, and its code and words for agency systems. */
function frameworkBody(err: { code?: string; statusCode?: number; message?: string }, request: FastifyRequest, reply: FastifyReply): ErrorBody {
  const status = err.statusCode ?? 400;
  return {
    error: REASON[status] ?? 'Error',
    message: frameworkMessage(err, request, reply),
    details: { ...(err.code ? { code: err.code } : {}), ...(err.message ? { reason: err.message } : {}) },
  };
}

/**
 * Fastify's `frameworkErrors` option (a bad percent-encoding, a path parameter over the router's
 * maximum, 414): these are answered before any route or error handler, so the app passes this to
 * Fastify() to answer them with the same body.
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = err.statusCode ?? 400;
  request.log.info({ status, code: err.code }, 'request refused');
  void reply.status(status).send(frameworkBody(err, request, reply));
}

/** Fastify's `clientErrorHandler` option: Node's parser refuses a request (431 headers too large, 400 malformed) with the same body. */
export function clientErrorHandler(err: Error & { code?: string }, socket: import('node:net').Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) return;
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'HPE_URI_TOO_LONG' ? 414 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = JSON.stringify({ error: REASON[status] ?? 'Bad Request', message: FRAMEWORK_MESSAGE[status] ?? '请求格式有误', details: { code: err.code } } satisfies ErrorBody);
  socket.end(`HTTP/1.1 ${status} ${REASON[status] ?? 'Bad Request'}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/** A route's URL pattern as a regular expression over the request's path (`:id` one segment, `*` the rest). */
function patternOf(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+(?:\([^)]*\))?|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/** A failure to reach PostgreSQL (refused, reset, shutting down, pool timeout), not a fault of the query. */
function recordsUnavailable(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: string; message?: string };
  // 57P01-57P03: the server is shutting down or starting; 08xxx: connection exceptions.
  if (code && (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03'].includes(code) || code.startsWith('08'))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down)/.test(message ?? '');
}

export const errorHandler = fp(async (app: FastifyInstance) => {
  // Every route's pattern and methods, so a known path asked with another method gets 405 and Allow.
  const routes: Array<{ pattern: RegExp; methods: string[] }> = [];
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    routes.push({ pattern: patternOf(route.url ?? route.path), methods });
  });
  const allowedMethods = (path: string): string[] => {
    const allowed = new Set<string>();
    for (const route of routes) if (route.pattern.test(path)) route.methods.forEach((m) => allowed.add(m.toUpperCase()));
    if (allowed.has('GET')) allowed.add('HEAD');
    return [...allowed].sort();
  };

  app.setErrorHandler((err: FastifyError, request, reply) => {
    let status = 500;
    let body: ErrorBody;

    const refusal = refusalOf(err);
    if (hasZodFastifySchemaValidationErrors(err)) {
      status = 400;
      body = validationBody(err);
    } else if (refusal) {
      status = refusal.status;
      body = { error: REASON[status] ?? 'Refused', message: refusal.message, details: { type: refusal.type, ...(refusal.details && typeof refusal.details === 'object' ? refusal.details : {}) } };
    } else if (err instanceof HttpError) {
      status = err.statusCode;
      body = { error: REASON[status] ?? 'Error', message: err.message, details: err.details };
    } else if (err instanceof WorkflowNotFoundError) {
      status = 404;
      body = { error: REASON[404]!, message: '没有该案件或流程' };
    } else if (err instanceof WorkflowExecutionAlreadyStartedError) {
      status = 409;
      body = { error: REASON[409]!, message: '已经存在，不能重复创建' };
    } else if (recordsUnavailable(err)) {
      // The records database is down or restarting: the lists say so and the caller retries; the
      // workflows go on, and their writes catch up when it returns.
      status = 503;
      body = { error: REASON[503]!, message: '记录数据库暂时不可用，请稍后重试（案件办理不受影响）', details: { requestId: request.id } };
      void reply.header('retry-after', '10');
    } else if (!isResponseSerializationError(err) && err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own 4xx: malformed JSON, body too large, unsupported media type, rate limit …
      status = err.statusCode;
      body = frameworkBody(err, request, reply);
    } else {
      body = { error: 'Internal Server Error', message: '服务器内部错误；请凭请求编号（requestId）查阅服务器日志', details: { requestId: request.id } };
    }

    if (status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ status, message: body.message }, 'request refused');
    void reply.status(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allow = allowedMethods(path);
    if (allow.length && !allow.includes(request.method)) {
      void reply
        .status(405)
        .header('allow', allow.join(', '))
        .send({ error: REASON[405], message: `${path} 不支持 ${request.method} 方法，可用：${allow.join('、')}`, details: { allow } } satisfies ErrorBody);
      return;
    }
    void reply.status(404).send({ error: REASON[404], message: `没有该接口：${request.method} ${path}` } satisfies ErrorBody);
  });
});
