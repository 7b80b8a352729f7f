/**
 * The HTTP surface as a caller sees it: health, authentication and roles, validation, error bodies,
 * security headers, request ids and the OpenAPI document. Real worker, real time-skipping server,
 * the real app through app.inject.
 */
import { Client, Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../api/app.js';
import { mintToken } from '../platform/tokens.js';
import { caseIdOf } from '../workflows/legal-review-messages.js';
import { fileRecordsDb, agencies, bearer, harness, sampleSubmission, testConfig, uniqueTaskQueue, useTimeSkippingEnv, type Harness } from './helpers.js';

const testEnv = useTimeSkippingEnv();

/** The one error body: error and message always, details only sometimes, nothing else. */
function expectErrorBody(body: unknown, error: string) {
  expect(body).toMatchObject({ error, message: expect.any(String) });
  expect(Object.keys(body as object).every((k) => ['error', 'message', 'details'].includes(k))).toBe(true);
  expect((body as { message: string }).message.length).toBeGreaterThan(0);
}

/** The case as the office would look it up: 404 means no workflow was ever started for it. */
async function officeGetsCase(h: Harness, caseNumber: string) {
  const url = `/api/decisions/${encodeURIComponent(caseIdOf('county-market', caseNumber))}`;
  return h.app.inject({ method: 'GET', url, headers: bearer(h.config, 'office') });
}

describe('GET /health', () => {
  it('is 200 with Temporal reachable when the server is up', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const res = await h.app.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok', temporal: { reachable: true, namespace: 'default' }, records: { reachable: true } });
    });
  });

  it('is 503 within the 2 s deadline when Temporal cannot be reached', async () => {
    const connection = Connection.lazy({ address: '127.0.0.1:1' });
    const temporal = new Client({ connection });
    const app = await buildApp({ config: testConfig(uniqueTaskQueue()), temporal, agencies, records: await fileRecordsDb() });
    try {
      const started = Date.now();
      const res = await app.inject({ method: 'GET', url: '/health' });
      const took = Date.now() - started;
      expect(res.statusCode).toBe(503);
      const body = res.json();
      expect(body).toMatchObject({ status: 'unavailable', temporal: { reachable: false, namespace: 'default' }, records: { reachable: true } });
      expect(body.temporal.error).toEqual(expect.any(String));
      // A load balancer's probe gets its answer after the 2 s limit, not after the client's retries.
      expect(took).toBeLessThan(3500);
    } finally {
      // The connection stays open: closing it under the client's pending retry timer would make
      // that timer throw. Its retries end by themselves against the closed port.
      await app.close();
    }
  });
});

describe('authentication and roles', () => {
  it('refuses a request without a token with 401 and the error body', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const res = await h.app.inject({ method: 'GET', url: '/api/reminders' });
      expect(res.statusCode).toBe(401);
      expectErrorBody(res.json(), 'Unauthorized');
      expect(res.json().message).toBe('需要有效的登录令牌（Authorization: Bearer …）');
    });
  });

  it('refuses an unauthenticated submission before reading its body', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const res = await h.app.inject({ method: 'POST', url: '/api/decisions', headers: { 'content-type': 'application/json' }, payload: '{"caseNumber": ' });
      expect(res.statusCode).toBe(401);
      expectErrorBody(res.json(), 'Unauthorized');
    });
  });

  it('refuses a token signed with another secret', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const forged = mintToken({ secret: 'an-entirely-different-secret-of-40-chars!', role: 'office' });
      const res = await h.app.inject({ method: 'GET', url: '/api/reminders', headers: { authorization: `Bearer ${forged}` } });
      expect(res.statusCode).toBe(401);
      expectErrorBody(res.json(), 'Unauthorized');
      // The same request with a genuine token gets through: the secret is what was refused.
      const genuine = await h.app.inject({ method: 'GET', url: '/api/reminders', headers: bearer(h.config, 'office') });
      expect(genuine.statusCode).toBe(200);
    });
  });

  it('refuses an expired token', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const token = mintToken({ secret: h.config.JWT_SECRET, role: 'office', expiresIn: '1s' });
      await new Promise((r) => setTimeout(r, 1100));
      const res = await h.app.inject({ method: 'GET', url: '/api/reminders', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(401);
      expect(res.json().message).toBe('登录令牌已过期，请重新登录');
    });
  });

  it('answers 403 naming the required role when the office tries to submit a case', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const submission = sampleSubmission();
      const res = await h.app.inject({ method: 'POST', url: '/api/decisions', headers: bearer(h.config, 'office'), payload: submission });
      expect(res.statusCode).toBe(403);
      expectErrorBody(res.json(), 'Forbidden');
      expect(res.json().message).toBe('此操作须由行政执法部门（承办机构）办理，当前身份是县法治政府建设领导小组办公室');
      expect(res.json().details).toEqual({ roles: ['agency'], role: 'office' });
      expect((await officeGetsCase(h, submission.caseNumber)).statusCode).toBe(404);
    });
  });

  it('refuses an agency token whose agency is not in the directory', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const res = await h.app.inject({ method: 'POST', url: '/api/decisions', headers: bearer(h.config, 'agency', 'county-nowhere'), payload: sampleSubmission() });
      expect(res.statusCode).toBe(401);
      expectErrorBody(res.json(), 'Unauthorized');
      expect(res.json().message).toBe('登录令牌所属单位不存在：county-nowhere');
    });
  });
});

describe('validation and error bodies', () => {
  const cases: Array<{ name: string; body: (s: ReturnType<typeof sampleSubmission>) => object; field: string }> = [
    {
      name: 'a missing field',
      body: ({ title: _title, ...rest }) => rest,
      field: '案件名称：'
    },
    {
      name: 'a value outside an enum',
      body: (s) => ({ ...s, category: 'fine' }),
      field: '执法类别：'
    },
    {
      name: 'a major penalty that is not a penalty',
      body: (s) => ({ ...s, category: 'licence', majorPenalty: true }),
      field: '是否重大行政处罚：'
    },
    {
      name: 'a case number with a slash',
      body: (s) => ({ ...s, caseNumber: `a/${s.caseNumber}` }),
      field: '案件编号：'
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name} with 400 naming the field by its Chinese label, and starts nothing`, async () => {
      const h = await harness(testEnv());
      await h.run(async () => {
        const submission = sampleSubmission();
        const body = c.body(submission);
        const res = await h.app.inject({ method: 'POST', url: '/api/decisions', headers: bearer(h.config, 'agency'), payload: body });
        expect(res.statusCode).toBe(400);
        expectErrorBody(res.json(), 'Bad Request');
        expect(res.json().message).toContain(c.field);
        const caseNumber = (body as { caseNumber?: string }).caseNumber ?? submission.caseNumber;
        const lookedUp = await officeGetsCase(h, caseNumber);
        expect(lookedUp.statusCode).toBe(404);
        expectErrorBody(lookedUp.json(), 'Not Found');
      });
    });
  }

  it('says which field when caseNumber is missing', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const { caseNumber, ...rest } = sampleSubmission();
      const res = await h.app.inject({ method: 'POST', url: '/api/decisions', headers: bearer(h.config, 'agency'), payload: rest });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(/^案件编号：/);
      expect(res.json().details).toEqual([expect.objectContaining({ in: 'body', path: '/caseNumber' })]);
      expect((await officeGetsCase(h, caseNumber)).statusCode).toBe(404);
    });
  });

  it('refuses malformed JSON with 400', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const submission = sampleSubmission();
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/decisions',
        headers: { ...bearer(h.config, 'agency'), 'content-type': 'application/json' },
        payload: JSON.stringify(submission).slice(0, -5),
      });
      expect(res.statusCode).toBe(400);
      expectErrorBody(res.json(), 'Bad Request');
      expect(res.json().message).toMatch(/JSON/);
      expect((await officeGetsCase(h, submission.caseNumber)).statusCode).toBe(404);
    });
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const submission = sampleSubmission({ facts: '事'.repeat(400_000) }); // 3 bytes each in UTF-8: 1.2 MB
      const payload = JSON.stringify(submission);
      expect(Buffer.byteLength(payload)).toBeGreaterThan(1024 * 1024);
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/decisions',
        headers: { ...bearer(h.config, 'agency'), 'content-type': 'application/json' },
        payload,
      });
      expect(res.statusCode).toBe(413);
      expectErrorBody(res.json(), 'Payload Too Large');
      expect(res.headers['x-request-id']).toEqual(expect.any(String));
      expect((await officeGetsCase(h, submission.caseNumber)).statusCode).toBe(404);
    });
  });

  it('answers an unknown route with 404 and the error body', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const res = await h.app.inject({ method: 'GET', url: '/api/nothing-here?x=1' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: 'Not Found', message: '没有该接口：GET /api/nothing-here' });
    });
  });

  it('answers an undeclared method on a known path with 405, Allow and the error body in Chinese', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const res = await h.app.inject({ method: 'PUT', url: '/api/decisions', headers: bearer(h.config, 'agency') });
      expect(res.statusCode).toBe(405);
      expect(res.headers.allow?.split(', ')).toEqual(expect.arrayContaining(['GET', 'HEAD', 'POST']));
      expectErrorBody(res.json(), 'Method Not Allowed');
      expect(res.json().message).toMatch(/^\/api\/decisions 不支持 PUT 方法，可用：/);
    });
  });

  it('never shows the details of an internal error, only a generic message and the request id', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      // Two ways a route can fail inside: a plain exception, and a response its schema refuses.
      h.app.get('/test/boom', async () => {
        throw new Error('connection string postgres://admin:hunter2@db/secret');
      });
      h.app.get('/test/bad-response', { schema: { response: { 200: z.object({ n: z.number() }) } } }, async () => ({ n: 'hunter2' }) as never);
      for (const url of ['/test/boom', '/test/bad-response']) {
        const res = await h.app.inject({ method: 'GET', url, headers: { 'x-request-id': `req-${url.slice(6)}` } });
        expect(res.statusCode).toBe(500);
        expect(res.json()).toEqual({
          error: 'Internal Server Error',
          message: '服务器内部错误；请凭请求编号（requestId）查阅服务器日志',
          details: { requestId: `req-${url.slice(6)}` },
        });
        expect(res.body).not.toContain('hunter2');
        expect(res.body).not.toMatch(/stack|at .*\.ts/);
      }
    });
  });
});

describe('headers', () => {
  it('sets the security headers', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const res = await h.app.inject({ method: 'GET', url: '/api/calendar/2026' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['x-powered-by']).toBeUndefined();
      // Error responses carry them too.
      const notFound = await h.app.inject({ method: 'GET', url: '/nope' });
      expect(notFound.headers['x-content-type-options']).toBe('nosniff');
    });
  });

  it('echoes the caller’s x-request-id, and makes one up when there is none', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const given = await h.app.inject({ method: 'GET', url: '/api/calendar/2026', headers: { 'x-request-id': 'trace-abc-123' } });
      expect(given.headers['x-request-id']).toBe('trace-abc-123');
      const made = await h.app.inject({ method: 'GET', url: '/api/calendar/2026' });
      expect(made.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const again = await h.app.inject({ method: 'GET', url: '/api/calendar/2026' });
      expect(again.headers['x-request-id']).not.toBe(made.headers['x-request-id']);
      // Also on refusals, where a caller needs it most.
      const refused = await h.app.inject({ method: 'GET', url: '/api/reminders', headers: { 'x-request-id': 'trace-401' } });
      expect(refused.statusCode).toBe(401);
      expect(refused.headers['x-request-id']).toBe('trace-401');
    });
  });
});

describe('OpenAPI document', () => {
  it('documents the routes, the bearer scheme and the submission fields', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const res = await h.app.inject({ method: 'GET', url: '/docs/json' });
      expect(res.statusCode).toBe(200);
      const doc = res.json();
      expect(doc.openapi).toMatch(/^3\./);
      for (const path of ['/api/decisions', '/api/decisions/{id}/opinion', '/api/calendar/{year}', '/api/reminders', '/health']) {
        expect(Object.keys(doc.paths)).toContain(path);
      }
      expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
      const submit = doc.paths['/api/decisions'].post;
      expect(submit.security).toEqual([{ bearerAuth: [] }]);
      const body = submit.requestBody.content['application/json'].schema;
      expect(body.required).toEqual(expect.arrayContaining(['caseNumber', 'majorPenalty']));
      expect(body.properties.caseNumber.type).toBe('string');
      expect(body.properties.caseNumber.description).toContain('案件编号');
      expect(body.properties.category.enum).toEqual(['penalty', 'licence', 'coercion', 'levy', 'inspection', 'other']);
      expect(Object.keys(submit.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409']));
      expect(doc.paths['/api/decisions/{id}/opinion'].post.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path', required: true })]),
      );
    });
  });
});
