/**
 * The API's error body as a person and an agency system read it: `{ error, message, details }` for
 * every refusal, the message in Chinese naming the field by its label (zod's zh-CN locale and the
 * schemas' own labels), the reason code and field path kept for machines, 405 with Allow for an
 * undeclared method, and the framework's own refusals in the same shape. A bare Fastify app with the
 * API's error plugin and validator: no Temporal needed.
 */
import Fastify from 'fastify';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { clientErrorHandler, errorHandler, frameworkErrors, HttpError } from '../api/plugins/errors.js';
import { strictValidatorCompiler } from '../api/schemas.js';
import { applicationSchema, screeningSchema } from '../domain/demo-site.js';
import { publicationSchema, submissionSchema, opinionSchema } from '../domain/legal-review.js';
import { refusalOf, type Procedure, type Subject } from '../domain/procedure.js';
import { DEMO_CAMPAIGN } from '../domain/procedures/demo-campaign.js';
import { DEMO_SITE } from '../domain/procedures/demo-site.js';
import { DUTIES } from '../domain/procedures/duties.js';
import { LEGAL_REVIEW } from '../domain/procedures/legal-review.js';
import { ROLES } from '../domain/roles.js';
import { opinion, sampleSubmission } from './fixtures.js';

async function buildTestApp() {
  const app = Fastify({ bodyLimit: 1024, maxParamLength: 20, frameworkErrors, clientErrorHandler }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(strictValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(errorHandler);
  app.post('/submissions', { schema: { body: submissionSchema } }, async () => ({ ok: true }));
  app.post('/opinions', { schema: { body: opinionSchema } }, async () => ({ ok: true }));
  app.post('/publications', { schema: { body: publicationSchema } }, async () => ({ ok: true }));
  app.post('/screenings', { schema: { body: screeningSchema } }, async () => ({ ok: true }));
  app.post('/applications', { schema: { body: applicationSchema } }, async () => ({ ok: true }));
  app.get('/items/:id', { schema: { params: z.object({ id: z.string().max(10) }), querystring: z.object({ limit: z.coerce.number().int().max(100).optional() }) } }, async () => ({ ok: true }));
  app.delete('/items/:id', async () => ({ ok: true }));
  app.get('/refused', async () => {
    throw new HttpError(409, '发布公示：案件处于「审核中」阶段，不能办理');
  });
  return app;
}

let app: Awaited<ReturnType<typeof buildTestApp>>;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

/** The one error body: error and message always, details sometimes, nothing else; the message in Chinese. */
function expectErrorBody(body: unknown, error: string) {
  expect(body).toMatchObject({ error, message: expect.any(String) });
  expect(Object.keys(body as object).every((k) => ['error', 'message', 'details'].includes(k))).toBe(true);
  expect((body as { message: string }).message).toMatch(/\p{Script=Han}/u);
}

const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });

describe('a refused field is named by its Chinese label', () => {
  it('too few officers: 执法人员：至少两名, with the path for machines', async () => {
    const s = sampleSubmission();
    const res = await post('/submissions', { ...s, officers: s.officers.slice(0, 1) });
    expect(res.statusCode).toBe(400);
    expectErrorBody(res.json(), 'Bad Request');
    expect(res.json().message).toBe('执法人员：至少两名');
    expect(res.json().details).toEqual([{ in: 'body', path: '/officers', message: '执法人员：至少两名' }]);
  });

  it('an empty title: zod’s Chinese message after the label, no English and no “body.” prefix', async () => {
    const res = await post('/submissions', { ...sampleSubmission(), title: '' });
    expect(res.json().message).toBe('案件名称：数值过小：期望 string >=1 字符');
    expect(res.json().message).not.toMatch(/Too small|body\./);
  });

  it('a missing field, a nested field and an array item are named by their labels', async () => {
    const { title: _title, ...rest } = sampleSubmission();
    const res = await post('/submissions', { ...rest, party: { type: 'organisation', name: '', creditCode: '91330000MA00000007' }, evidence: ['现场检查笔录', ' '] });
    const messages = res.json().details.map((d: { message: string }) => d.message);
    expect(messages).toEqual(['案件名称：无效输入：期望 string，实际接收 undefined', '当事人·名称：数值过小：期望 string >=1 字符', '证据清单第2项：数值过小：期望 string >=1 字符']);
    expect(res.json().details.map((d: { path: string }) => d.path)).toEqual(['/title', '/party/name', '/evidence/1']);
  });

  it('the party’s identifiers are checked: credit code and id number, in Chinese', async () => {
    const organisation = await post('/submissions', { ...sampleSubmission(), party: { type: 'organisation', name: '某公司', creditCode: '91330000MA00000001' } });
    expect(organisation.statusCode).toBe(400);
    expect(organisation.json().message).toBe('当事人·统一社会信用代码：校验码不符（第18位应为“7”），请核对');
    const person = await post('/submissions', { ...sampleSubmission(), party: { type: 'person', name: '王五', idNumber: '12345' } });
    expect(person.json().message).toBe('当事人·居民身份证号码：须为18位，现为5位');
    const valid = await post('/submissions', { ...sampleSubmission(), party: { type: 'person', name: '王五', idNumber: '11010519491231002x' } });
    expect(valid.statusCode).toBe(200);
  });

  it('the domain’s own rules speak Chinese too', async () => {
    const res = await post('/submissions', { ...sampleSubmission(), category: 'licence', majorPenalty: true });
    expect(res.json().message).toBe('是否重大行政处罚：只有行政处罚才能是重大行政处罚');
    const failed = await post('/opinions', opinion('pass', ['law-and-discretion']) as object);
    // The rule's message already names its field; it is not named twice.
    expect(failed.json().message).toBe('结论：审核通过不得有未通过的审核项（第5项未通过）');
  });

  it('an unknown discriminator says which values it takes', async () => {
    const res = await post('/screenings', { decision: 'maybe' });
    expect(res.json().message).toBe('筛选结论：无效选项：期望以下之一 "target"|"reject"');
    expect(res.json().message).not.toMatch(/Invalid discriminator/);
  });

  it('an invalid URL and an impossible date', async () => {
    const res = await post('/publications', { publishedOn: '2026-02-30', channel: '县政府门户网站', url: 'not a url' });
    expect(res.json().details.map((d: { message: string }) => d.message)).toEqual(['公示日期：须为 YYYY-MM-DD 格式的日期', '公示网址：无效URL']);
  });

  it('an unknown field is refused in zod’s Chinese words, naming the key', async () => {
    const res = await post('/screenings', { decision: 'target', stage: 'named' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('请求体：出现未知的键(key): "stage"（本请求没有该字段）');
    expect(res.json().details).toEqual([{ in: 'body', path: '/stage', message: res.json().message }]);
  });

  it('path and query parameters are named as such', async () => {
    const res = await app.inject({ method: 'GET', url: '/items/abc?limit=1000' });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ in: 'querystring', path: '/limit', message: 'limit：数值过大：期望 number <=100' }]);
  });
});

describe('every refusal has the one body, in Chinese', () => {
  it('405 with Allow for a known path and an undeclared method', async () => {
    const res = await app.inject({ method: 'PUT', url: '/items/abc' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('DELETE, GET, HEAD');
    expectErrorBody(res.json(), 'Method Not Allowed');
    expect(res.json().message).toBe('/items/abc 不支持 PUT 方法，可用：DELETE、GET、HEAD');
  });

  it('404 for an unknown path', async () => {
    const res = await app.inject({ method: 'GET', url: '/nothing-here?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'Not Found', message: '没有该接口：GET /nothing-here' });
  });

  it('a refusal raised on purpose keeps its words', async () => {
    const res = await app.inject({ method: 'GET', url: '/refused' });
    expect(res.statusCode).toBe(409);
    expectErrorBody(res.json(), 'Conflict');
  });

  it('malformed JSON, an empty JSON body, 413 and 415 are the framework’s, in Chinese', async () => {
    const bad = await app.inject({ method: 'POST', url: '/screenings', headers: { 'content-type': 'application/json' }, payload: '{"decision":' });
    expect(bad.statusCode).toBe(400);
    expectErrorBody(bad.json(), 'Bad Request');
    expect(bad.json().message).toBe('请求体不是有效的 JSON');

    const empty = await app.inject({ method: 'POST', url: '/screenings', headers: { 'content-type': 'application/json' }, payload: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toBe('请求体为空，但 Content-Type 注明为 application/json');
    expect(empty.json().details).toMatchObject({ code: 'FST_ERR_CTP_EMPTY_JSON_BODY' });

    const large = await post('/screenings', { decision: 'reject', reason: '理'.repeat(2000) });
    expect(large.statusCode).toBe(413);
    expectErrorBody(large.json(), 'Payload Too Large');
    expect(large.json().message).toBe('请求体过大：不得超过 1 KiB');

    const media = await app.inject({ method: 'POST', url: '/screenings', headers: { 'content-type': 'application/xml' }, payload: '<x/>' });
    expect(media.statusCode).toBe(415);
    expectErrorBody(media.json(), 'Unsupported Media Type');
    expect(media.json().message).toBe('不支持的请求体类型（Content-Type）：application/xml；请以 application/json 发送');
  });

  it('414 for a path parameter over the router’s maximum, and a bad percent-encoding', async () => {
    const long = await app.inject({ method: 'GET', url: `/items/${'a'.repeat(30)}` });
    expect(long.statusCode).toBe(414);
    expectErrorBody(long.json(), 'URI Too Long');
    expect(long.json().message).toBe('网址中的路径参数过长');

    const bad = await app.inject({ method: 'GET', url: '/items/%E0%A4%A' });
    expect(bad.statusCode).toBe(400);
    expectErrorBody(bad.json(), 'Bad Request');
  });
});

describe('refusals name the action and the stage in Chinese, never the internal action name', () => {
  const procedures = { LEGAL_REVIEW, DEMO_SITE, DEMO_CAMPAIGN, DUTIES } as unknown as Record<string, Procedure<string, Subject<string>, string>>;
  for (const [which, procedure] of Object.entries(procedures)) {
    it(`${which}: every action refused for the role or the stage`, () => {
      const names = Object.keys(procedure.actions);
      const stages = Object.keys(procedure.stageLabels);
      for (const [name, row] of Object.entries(procedure.actions)) {
        const messages: string[] = [];
        const wrongRole = ROLES.find((role) => !row.roles.includes(role));
        if (wrongRole) {
          const actor = { role: wrongRole, ...(wrongRole === 'office' ? {} : { agencyId: 'county-market' }) };
          messages.push(refusalOf(procedure, name, { stage: row.stages[0]!, agencyId: 'county-market' }, actor, {}, '2026-12-01')!.message);
        }
        const wrongStage = stages.find((stage) => !row.stages.includes(stage));
        if (wrongStage) {
          const actor = { role: row.roles[0]!, ...(row.roles[0] === 'office' ? {} : { agencyId: 'county-market' }) };
          const refused = refusalOf(procedure, name, { stage: wrongStage, agencyId: 'county-market' }, actor, {}, '2026-12-01')!;
          expect(refused.type).toBe('InvalidTransition');
          expect(refused.message).toContain(`${row.label}：`);
          expect(refused.message).toContain(`「${procedure.stageLabels[wrongStage]}」`);
          messages.push(refused.message);
        }
        for (const message of messages) {
          expect(message).toMatch(/\p{Script=Han}/u);
          for (const internal of names) expect(message, `${name}: ${message}`).not.toContain(internal);
        }
      }
    });
  }
});
