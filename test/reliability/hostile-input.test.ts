/**
 * Hostile input: property-based tests (fast-check) of every endpoint's body, query and path against
 * the real API on the real dev server. Wrong types, missing and extra fields, huge strings and
 * arrays, deep nesting, odd Unicode, dates outside the calendar's data: always a 4xx whose message
 * names the field, never a 5xx, never a changed case. Bodies over the configured limit get 413;
 * the public objection endpoint answers 429 past its rate limit.
 *
 * Each generated body is checked against the route's own zod schema first: the rare one that is
 * valid after all (a string replaced by another string, an optional field left out) is skipped,
 * since a valid request is allowed to act. Everything else must be refused before it reaches a
 * workflow. FC_SEED and FC_RUNS reproduce or widen a run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp, type App } from '../../api/app.js';
import {
  acceptanceSchema,
  applicationSchema,
  assessmentSchema,
  confirmationSchema,
  noticeSchema,
  objectionResolutionSchema,
  objectionSchema,
  recommendationSchema,
  reinspectionSchema,
  revocationSchema,
  screeningSchema,
  visitSchema,
} from '../../domain/demo-site.js';
import { caseFileReviewSchema, selfInspectionSchema, statisticsSubmissionSchema } from '../../domain/duties.js';
import {
  acceptOpinionSchema,
  coordinationSchema,
  decideSchema,
  disputeOpinionSchema,
  extendReviewSchema,
  filingSchema,
  opinionSchema,
  publicationSchema,
  requestMaterialSchema,
  resubmitSchema,
  submissionSchema,
  supplyMaterialSchema,
  transferRecordSchema,
  withdrawSchema,
} from '../../domain/legal-review.js';
import type { Role } from '../../domain/roles.js';
import { ensureAgencyDuties } from '../../platform/duties.js';
import { createWorker } from '../../worker/worker.js';
import { campaignWorkflowId } from '../../workflows/demo-site-messages.js';
import { fileRecordsDb, agencies, bearer, opinion, sampleApplication, sampleSubmission, testConfig, uniqueTaskQueue, workflowBundle } from '../helpers.js';
import { acceptanceBody, acceptanceYearAndDay, startSiteOfYear } from './scenarios.js';
import { eventually, printFigures, shanghaiToday, startDevServer } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'es-hostile-'));
const taskQueue = uniqueTaskQueue('hostile');
const config = testConfig(taskQueue, { OBJECTION_RATE_LIMIT_PER_MINUTE: '10000' });
const RUNS = Number(process.env.FC_RUNS ?? 60);
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const MIB = 1024 * 1024;

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let app: App;
const fixture = { caseUrl: '', siteUrl: '', campaignYear: 0, siteYear: 0 };
const figures: Record<string, { runs: number; statuses: Record<number, number> }> = {};

beforeAll(async () => {
  env = await startDevServer();
  worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', client: env.client, taskQueue, agencies, webhookSecret: config.WEBHOOK_SECRET, workflowBundle: await workflowBundle(), records: await fileRecordsDb() });
  running = worker.run();
  app = await buildApp({ config, temporal: env.client, agencies, records: await fileRecordsDb() });
  await ensureAgencyDuties(env.client, agencies, config);

  // The targets: a case under review, a site under public notice, next year's campaign.
  const submitted = await inject('POST', '/api/decisions', 'agency', sampleSubmission());
  expect(submitted.status).toBe(201);
  fixture.caseUrl = `/api/decisions/${encodeURIComponent(submitted.body.caseId)}`;
  const { year, acceptedOn } = acceptanceYearAndDay();
  fixture.siteYear = year;
  const siteId = await startSiteOfYear(env.client, taskQueue, 'county-market', agencies.get('county-market')!.name, year);
  fixture.siteUrl = `/api/sites/${encodeURIComponent(siteId)}`;
  await eventually(async () => expect((await inject('GET', fixture.siteUrl, 'office')).status).toBe(200));
  expect((await inject('POST', `${fixture.siteUrl}/screening`, 'office', { decision: 'target' })).status).toBe(200);
  expect((await inject('POST', `${fixture.siteUrl}/acceptance`, 'office', acceptanceBody(acceptedOn))).status).toBe(200);
  expect((await inject('POST', `/api/site-campaigns/${year}/notice`, 'office', { agencyIds: ['county-market'], channel: '县政府门户网站' })).status).toBe(200);
  fixture.campaignYear = Number(shanghaiToday().slice(0, 4)) + 1;
  expect((await inject('POST', `/api/site-campaigns/${fixture.campaignYear}/applications`, 'agency', sampleApplication(), 'county-ecology')).status).toBe(201);
}, 180_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
  printFigures('hostile input (requests per endpoint and their statuses)', figures);
});

async function inject(method: 'GET' | 'POST', url: string, role: Role | null, payload?: unknown, agencyId?: string) {
  const res = await app.inject({
    method,
    url,
    headers: { ...(role ? bearer(config, role, agencyId) : {}), ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
    payload: payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  let body: any;
  try {
    body = res.json();
  } catch {
    body = res.body;
  }
  return { status: res.statusCode, body, headers: res.headers };
}

function tally(name: string, status: number) {
  figures[name] ??= { runs: 0, statuses: {} };
  figures[name].runs += 1;
  figures[name].statuses[status] = (figures[name].statuses[status] ?? 0) + 1;
}

/** Everything the hostile requests could have changed, to compare before and after. */
async function snapshot() {
  const campaign = env.client.workflow.getHandle(campaignWorkflowId(fixture.campaignYear));
  const get = async (url: string) => {
    const { status, body } = await inject('GET', url, 'office');
    return { status, body };
  };
  return {
    case: await get(fixture.caseUrl),
    caseTimeline: await get(`${fixture.caseUrl}/timeline`),
    site: await get(fixture.siteUrl),
    siteTimeline: await get(`${fixture.siteUrl}/timeline`),
    campaign: (await campaign.describe()).historyLength,
    duties: await get('/api/duties/county-market/timeline'),
    cases: (await env.client.workflow.count(`EsKind = 'legal-review'`)).count,
  };
}

// ------------------------------------------------------------------------------------------------
// The oracle: is a body valid for the route? The route's zod schema, no field it does not know,
// and only well-formed Unicode.

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unknownKeys(raw: unknown, parsed: unknown): boolean {
  if (isPlainObject(raw) && isPlainObject(parsed)) return Object.keys(raw).some((k) => !(k in parsed) || unknownKeys(raw[k], parsed[k]));
  if (Array.isArray(raw) && Array.isArray(parsed)) return raw.some((v, i) => unknownKeys(v, parsed[i]));
  return false;
}

/** A lone surrogate: in a /u regex every paired surrogate is one code point, a lone one is \p{Cs}. */
const isWellFormed = (s: string) => !/\p{Cs}/u.test(s);

function illFormed(v: unknown): boolean {
  if (typeof v === 'string') return !isWellFormed(v);
  if (Array.isArray(v)) return v.some(illFormed);
  if (isPlainObject(v)) return Object.entries(v).some(([k, x]) => !isWellFormed(k) || illFormed(x));
  return false;
}

function isValid(schema: z.ZodType, body: unknown): boolean {
  const parsed = schema.safeParse(body);
  return parsed.success && !unknownKeys(body, parsed.data) && !illFormed(body);
}

// ------------------------------------------------------------------------------------------------
// Generators.

const ODD = [
  '\u0000', '\u0007', '\u001b[31m', '\u202e', '\u200b', '\ufeff', '\ud800', '\udfff', 'a\ud83d', '\ud83d\ude00', '𠀀𠀁', '👨‍👩‍👧‍👦', 'e\u0301\u0301\u0301', '\u3000', 'Ω≈ç√∫',
  '\r\n', '%00', '%2F', '../..', '<script>alert(1)</script>', "' OR '1'='1", '{{7*7}}', '${jndi:ldap://x/a}', '__proto__', 'constructor', 'toString', 'hasOwnProperty',
  '0', '-1', '1e309', 'NaN', 'null', 'true', ' ', '', '２０２６-１１-２２', '2026-02-30', '0000-01-01', '9999-12-31', '+275760-09-13', '2026-11-22T00:00:00Z',
];
const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 3 });
const oddString = fc.oneof(
  fc.constantFrom(...ODD),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  loneSurrogates,
  fc.tuple(fc.constantFrom(...ODD), fc.string({ maxLength: 10 })).map(([a, b]) => `${a}${b}${a}`),
);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  oddString,
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(oddString, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);
const deep = fc.tuple(fc.integer({ min: 50, max: 4000 }), fc.boolean()).map(([depth, arrays]) => {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
  return v;
});

interface Mutation {
  kind: string;
  body: unknown;
  /** The top-level field the message must name; null for the body as a whole. */
  field: string | null;
}

function withKey(base: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...base };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

function mutations(base: Record<string, unknown>, schema: z.ZodType): fc.Arbitrary<Mutation> {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  const keys = [...new Set([...Object.keys(base), ...Object.keys(shape)])];
  const key = fc.constantFrom(...keys);
  const nested = keys.filter((k) => isPlainObject(base[k]) || (Array.isArray(base[k]) && isPlainObject((base[k] as unknown[])[0])));
  return fc.oneof(
    fc.tuple(key, anyValue).map(([k, v]) => ({ kind: 'wrong type', body: withKey(base, k, v), field: k })),
    key.map((k) => {
      const { [k]: _gone, ...rest } = base;
      return { kind: 'missing', body: rest, field: k };
    }),
    fc.tuple(oddString.filter((k) => !keys.includes(k)), anyValue).map(([k, v]) => ({ kind: 'extra field', body: withKey(base, k, v), field: k })),
    ...(nested.length
      ? [
          fc.tuple(fc.constantFrom(...nested), oddString.filter((k) => k !== 'type' && k !== 'check'), anyValue).map(([k, extra, v]) => {
            const inner = Array.isArray(base[k]) ? [withKey((base[k] as Record<string, unknown>[])[0]!, extra, v), ...(base[k] as unknown[]).slice(1)] : withKey(base[k] as Record<string, unknown>, extra, v);
            return { kind: 'nested extra field', body: withKey(base, k, inner), field: k };
          }),
        ]
      : []),
    fc.tuple(key, fc.integer({ min: 20_001, max: 250_000 }), fc.constantFrom('字', 'a', '\u0000', '👨‍👩‍👧')).map(([k, n, c]) => ({ kind: 'huge string', body: withKey(base, k, c.repeat(Math.ceil(n / c.length))), field: k })),
    fc.tuple(key, fc.integer({ min: 501, max: 20_000 })).map(([k, n]) => {
      const item = Array.isArray(base[k]) ? (base[k] as unknown[])[0] ?? 'x' : 'x';
      return { kind: 'huge array', body: withKey(base, k, Array.from({ length: n }, () => item)), field: k };
    }),
    fc.tuple(key, deep).map(([k, v]) => ({ kind: 'deep nesting', body: withKey(base, k, v), field: k })),
    fc.tuple(key, oddString).map(([k, v]) => ({ kind: 'odd unicode', body: withKey(base, k, v), field: k })),
    anyValue.filter((v) => !isPlainObject(v)).map((v) => ({ kind: 'not an object', body: v, field: null })),
  );
}

// ------------------------------------------------------------------------------------------------
// Every endpoint that takes a body, with a valid body to start from.

interface BodyEndpoint {
  name: string;
  url: () => string;
  role: Role | null;
  agencyId?: string;
  schema: z.ZodType;
  base: () => Record<string, unknown>;
  bodyLimit?: number;
}

const today = shanghaiToday();
const caseAction = (path: string, role: Role, schema: z.ZodType, base: () => Record<string, unknown>): BodyEndpoint => ({ name: `POST /api/decisions/{id}/${path}`, url: () => `${fixture.caseUrl}/${path}`, role, schema, base });
const siteAction = (path: string, schema: z.ZodType, base: () => Record<string, unknown>): BodyEndpoint => ({ name: `POST /api/sites/{id}/${path}`, url: () => `${fixture.siteUrl}/${path}`, role: 'office', schema, base });
const markReadSchema = z
  .object({ keys: z.array(z.string().min(1)).max(1000).optional(), all: z.boolean().optional() })
  .refine((b) => b.all === true || (b.keys?.length ?? 0) > 0);

const BODY_ENDPOINTS: BodyEndpoint[] = [
  { name: 'POST /api/decisions', url: () => '/api/decisions', role: 'agency', schema: submissionSchema, base: () => sampleSubmission({ caseNumber: 'HOSTILE-1' }) },
  caseAction('request-material', 'legal-review', requestMaterialSchema, () => ({ items: ['听证笔录'], note: '缺' })),
  caseAction('supply-material', 'agency', supplyMaterialSchema, () => ({ note: '已补充', documents: ['a.pdf'] })),
  caseAction('extend-review', 'legal-review', extendReviewSchema, () => ({ reason: '案情复杂' })),
  caseAction('opinion', 'legal-review', opinionSchema, () => opinion('fail', ['facts-and-evidence'])),
  caseAction('accept', 'agency', acceptOpinionSchema, () => ({ note: '同意', changesMade: '已改' })),
  caseAction('dispute', 'agency', disputeOpinionSchema, () => ({ reasons: '有异议' })),
  caseAction('coordination', 'agency-head', coordinationSchema, () => ({ outcome: 'overrule', forum: 'collective', participants: ['局长'], minutes: '纪要', reasons: '理由' })),
  caseAction('resubmit', 'agency', resubmitSchema, () => ({ changes: '已修改', documents: [] })),
  caseAction('decision', 'agency-head', decideSchema, () => ({ decision: '罚款', documentNumber: '决〔2026〕1号' })),
  caseAction('transfer', 'agency', transferRecordSchema, () => ({ organ: '县公安局', transferredOn: today, letterNumber: '移〔2026〕1号' })),
  caseAction('publication', 'agency', publicationSchema, () => ({ publishedOn: today, channel: '网站', url: 'https://example.gov.cn/a' })),
  caseAction('filing', 'agency', filingSchema, () => ({ fileNumber: '备1', filedOn: today })),
  caseAction('withdraw', 'agency', withdrawSchema, () => ({ reason: '撤回' })),
  { name: 'POST /api/reminders/read', url: () => '/api/reminders/read', role: 'office', schema: markReadSchema, base: () => ({ keys: ['k1'], all: false }) },
  { name: 'POST /api/site-campaigns/{year}/applications', url: () => `/api/site-campaigns/${fixture.campaignYear}/applications`, role: 'agency', agencyId: 'county-transport', schema: applicationSchema, base: () => sampleApplication() },
  { name: 'POST /api/site-campaigns/{year}/recommendation', url: () => `/api/site-campaigns/${fixture.campaignYear}/recommendation`, role: 'office', schema: recommendationSchema, base: () => ({ agencyIds: ['county-ecology', 'county-market'], opinion: '推荐' }) },
  { name: 'POST /api/site-campaigns/{year}/notice', url: () => `/api/site-campaigns/${fixture.siteYear}/notice`, role: 'office', schema: noticeSchema, base: () => ({ agencyIds: ['county-market'], channel: '网站' }) },
  siteAction('screening', screeningSchema, () => ({ decision: 'reject', reason: '不具备条件' })),
  siteAction('visits', visitSchema, () => ({ visitedOn: today, people: ['王科长'], findings: '良好', followUps: '' })),
  siteAction('acceptance', acceptanceSchema, () => acceptanceBody(today)),
  siteAction('confirmation', confirmationSchema, () => ({ note: '授牌' })),
  siteAction('reinspection', reinspectionSchema, () => ({ inspectedOn: today, passed: true, findings: '良好' })),
  siteAction('revocation', revocationSchema, () => ({ ground: 'stalled', details: '停滞' })),
  siteAction('assessment', assessmentSchema, () => ({ assessmentYear: 2026, effect: 'bonus', points: 2, reason: '示范点' })),
  { name: 'POST /api/sites/{id}/objections/{n}/resolution', url: () => `${fixture.siteUrl}/objections/1/resolution`, role: 'office', schema: objectionResolutionSchema, base: () => ({ outcome: 'dismiss', reasons: '不成立' }) },
  {
    name: 'POST /api/public/notices/{siteId}/objections',
    url: () => `/api/public/notices/${encodeURIComponent(decodeURIComponent(fixture.siteUrl.split('/').pop()!))}/objections`,
    role: null,
    schema: objectionSchema,
    base: () => ({ text: '异议', name: '李某', contact: '13800000000' }),
    bodyLimit: 32 * 1024,
  },
  { name: 'POST /api/duties/{agencyId}/statistics-report', url: () => '/api/duties/county-market/statistics-report', role: 'agency', schema: statisticsSubmissionSchema, base: () => ({ note: '' }) },
  { name: 'POST /api/duties/{agencyId}/self-inspection', url: () => '/api/duties/county-market/self-inspection', role: 'agency', schema: selfInspectionSchema, base: () => ({ summary: '自查', problems: [], measures: [] }) },
  { name: 'POST /api/duties/{agencyId}/case-file-reviews', url: () => '/api/duties/county-market/case-file-reviews', role: 'agency', schema: caseFileReviewSchema, base: () => ({ quarter: 1, files: [{ ref: '卷1', score: 90 }] }) },
];

describe('hostile bodies', () => {
  for (const endpoint of BODY_ENDPOINTS) {
    it(`${endpoint.name}: always a 4xx naming the field, never a 5xx, nothing changed`, async () => {
      const before = await snapshot();
      const limit = endpoint.bodyLimit ?? MIB;
      await fc.assert(
        fc.asyncProperty(mutations(endpoint.base(), endpoint.schema), async (m) => {
          const text = JSON.stringify(m.body);
          const sent: unknown = JSON.parse(text);
          fc.pre(!isValid(endpoint.schema, sent));
          const res = await inject('POST', endpoint.url(), endpoint.role, text, endpoint.agencyId);
          tally(endpoint.name, res.status);
          const expected = Buffer.byteLength(text) > limit ? 413 : 400;
          expect(res.status, `${m.kind}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(expected);
          expect(res.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
          if (expected === 400 && !/"(__proto__|constructor)"\s*:/.test(text)) {
            const message: string = res.body.message;
            // The details name the field by its path (the message by its label), or a rule of the whole
            // body (path '/') names it in its words.
            const details: Array<{ in: string; path: string; message: string }> = Array.isArray(res.body.details) ? res.body.details : [];
            const named =
              m.field === null
                ? details.some((d) => d.path === '/')
                : details.some((d) => d.path === `/${m.field}` || d.path.startsWith(`/${m.field}/`) || (d.path === '/' && d.message.includes(m.field || '""')));
            expect(named, `${m.kind} of ${JSON.stringify(m.field)}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(true);
            expect(details.every((d) => d.in === 'body' && message.includes(d.message))).toBe(true);
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      expect(await snapshot()).toEqual(before);
    }, 120_000);
  }
});

// ------------------------------------------------------------------------------------------------
// Query strings: odd values for known keys, unknown keys, repeated keys, dates outside the calendar.

function queryString(params: Array<[string, string]>): string {
  return params.map(([k, v]) => `${encodeBytes(k)}=${encodeBytes(v)}`).join('&');
}

/** Percent-encodes the UTF-8 of any string (lone surrogates become U+FFFD, as a browser sends them). */
function encodeBytes(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}

const dateLike = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.constantFrom('1899-12-31', '1999-12-31', '2101-01-01', '9999-12-31', '0001-01-01', '2026-02-29', '2028-02-29', '+010000-01-01', '-000001-01-01', '2026-1-1', '20261122'),
  oddString,
);

interface QueryEndpoint {
  name: string;
  path: string;
  role: Role | null;
  keys: Record<string, fc.Arbitrary<string>>;
}

const intLike = fc.oneof(fc.integer().map(String), fc.double().map(String), fc.constantFrom('1e3', '0x10', '-0', '00', '1.5', '999999999999999999999', ' 5', ''), oddString);
const QUERY_ENDPOINTS: QueryEndpoint[] = [
  { name: 'GET /api/decisions', path: '/api/decisions', role: 'office', keys: { agencyId: oddString, stage: oddString, awaiting: oddString, overdue: oddString, pageSize: intLike, cursor: oddString } },
  { name: 'GET /api/sites', path: '/api/sites', role: 'agency', keys: { year: intLike, agencyId: oddString, stage: oddString, overdue: oddString, pageSize: intLike, cursor: oddString } },
  { name: 'GET /api/reminders', path: '/api/reminders', role: 'office', keys: { unreadOnly: oddString, limit: intLike, offset: intLike } },
  { name: 'GET /api/calendar/due', path: '/api/calendar/due', role: null, keys: { from: dateLike, workingDays: intLike } },
  { name: 'GET /api/public/reports', path: '/api/public/reports', role: null, keys: { year: intLike } },
  { name: 'GET /api/public/decisions', path: '/api/public/decisions', role: null, keys: { agencyId: oddString, pageSize: intLike, cursor: oddString } },
  { name: 'GET /api/compliance', path: '/api/compliance', role: 'office', keys: { year: intLike, format: oddString } },
  { name: 'GET /api/warnings', path: '/api/warnings', role: 'office', keys: { level: oddString, agencyId: oddString, pageSize: intLike, cursor: oddString } },
];

describe('hostile query strings', () => {
  for (const endpoint of QUERY_ENDPOINTS) {
    it(`${endpoint.name}: a 4xx naming the parameter or a correct answer, never a 5xx`, async () => {
      const before = await snapshot();
      const known = Object.keys(endpoint.keys);
      const param = fc.oneof(
        ...known.map((k) => endpoint.keys[k]!.map((v) => [k, v] as [string, string])),
        fc.tuple(oddString.filter((k) => k.length > 0 && !known.includes(k)), oddString),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(param, { minLength: 1, maxLength: 4 }), async (params) => {
          const res = await inject('GET', `${endpoint.path}?${queryString(params)}`, endpoint.role);
          tally(endpoint.name, res.status);
          expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBeLessThan(500);
          if (res.status !== 200) {
            // 403: an agency's role asked for another agency's rows (it is refused, never answered with its own).
            const foreignAgency = endpoint.role !== 'office' && params.some(([k, v]) => k === 'agencyId' && v !== 'county-market');
            expect(res.status).toBe(foreignAgency && res.status === 403 ? 403 : 400);
            // The details name one of the parameters, as the server decoded it (the message names it by its label).
            const names = params.map(([k]) => Buffer.from(k, 'utf8').toString('utf8'));
            const details: Array<{ in?: string; path?: string }> = Array.isArray(res.body.details) ? res.body.details : [];
            // A missing required parameter is named too, though it was not among those sent.
            const named = details.length > 0 && details.every((d) => d.in === 'querystring') && details.some((d) => d.path === '/' || names.includes(String(d.path).slice(1).split('/')[0]!) || res.body.message.includes(`${String(d.path).slice(1)}：`));
            expect(named || names.some((n) => res.body.message.startsWith(`${n}：`)) || /^(querystring|查询参数)/.test(res.body.message), res.body.message).toBe(true);
          } else {
            // What was answered was asked for correctly: no unknown parameter slipped through.
            const sentKeys = new Set(params.map(([k]) => Buffer.from(k, 'utf8').toString('utf8')));
            for (const k of sentKeys) expect(known, `unknown parameter ${JSON.stringify(k)} was accepted`).toContain(k);
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      expect(await snapshot()).toEqual(before);
    }, 120_000);
  }

  it('dates outside the calendar’s years in a body are refused naming the field, the case unchanged', async () => {
    const before = await snapshot();
    for (const [url, role, body, field, label] of [
      [`${fixture.caseUrl}/transfer`, 'agency', { organ: '县公安局', transferredOn: '1999-12-31', letterNumber: '移1' }, 'transferredOn', '移送日期'],
      [`${fixture.caseUrl}/publication`, 'agency', { publishedOn: '2101-01-01', channel: '网站' }, 'publishedOn', '公示日期'],
      [`${fixture.caseUrl}/filing`, 'agency', { fileNumber: '备1', filedOn: '0001-01-01' }, 'filedOn', '备案日期'],
      [`${fixture.siteUrl}/reinspection`, 'office', { inspectedOn: '1900-01-01', passed: true, findings: '良好' }, 'inspectedOn', '复查日期'],
      [`${fixture.siteUrl}/visits`, 'office', { visitedOn: '9999-12-31', people: ['王科长'], findings: '良好' }, 'visitedOn', '指导日期'],
    ] as const) {
      const res = await inject('POST', url, role, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.message).toContain(`${label}：`);
      expect(res.body.details).toContainEqual(expect.objectContaining({ in: 'body', path: `/${field}` }));
    }
    expect(await snapshot()).toEqual(before);
  });

  it('GET /api/calendar/due: dates outside the calendar’s years are refused naming from; inside, answered', async () => {
    for (const [from, expected] of [
      ['1999-12-31', 400],
      ['2101-01-01', 400],
      ['9999-12-31', 400],
      ['0001-01-01', 400],
      ['2026-02-30', 400],
      ['2000-01-01', 200],
      ['2026-11-22', 200],
      ['2100-12-31', 200],
    ] as const) {
      const res = await inject('GET', `/api/calendar/due?from=${from}&workingDays=365`, null);
      expect(res.status, `${from}: ${JSON.stringify(res.body)}`).toBe(expected);
      if (expected === 400) expect(res.body.details).toContainEqual(expect.objectContaining({ in: 'querystring', path: '/from' }));
    }
  });
});

// ------------------------------------------------------------------------------------------------
// Paths: every parameterised route, with odd ids.

const pathValue = fc.oneof(
  oddString.filter((s) => s.length > 0),
  fc.string({ minLength: 201, maxLength: 2000 }),
  fc.constantFrom('county-market', 'county-market:', ':', 'legal-review:county-market:x', 'demo-site:county-market:2026', 'demo-site:county-ecology:2999', 'demo-site:../..:2026', 'inbox:office', 'henan-2022x', '2026', '1999', '2101', '0', '-1'),
);

interface PathEndpoint {
  name: string;
  method: 'GET' | 'POST';
  url: (segment: string) => string;
  role: Role | null;
  body?: () => unknown;
  /** Values that name a real thing the caller may see (answered 200, not hostile). */
  real?: (decoded: string) => boolean;
}

const isFixtureSite = (d: string) => d === decodeURIComponent(fixture.siteUrl.split('/').pop()!);

const PATH_ENDPOINTS: PathEndpoint[] = [
  { name: 'GET /api/decisions/{id}', method: 'GET', url: (s) => `/api/decisions/${s}`, role: 'agency' },
  { name: 'GET /api/decisions/{id}/timeline', method: 'GET', url: (s) => `/api/decisions/${s}/timeline`, role: 'office' },
  { name: 'POST /api/decisions/{id}/opinion', method: 'POST', url: (s) => `/api/decisions/${s}/opinion`, role: 'legal-review', body: () => opinion('pass') },
  { name: 'POST /api/decisions/{id}/withdraw', method: 'POST', url: (s) => `/api/decisions/${s}/withdraw`, role: 'agency', body: () => ({ reason: '撤回' }) },
  { name: 'GET /api/sites/{id}', method: 'GET', url: (s) => `/api/sites/${s}`, role: 'office', real: isFixtureSite },
  { name: 'GET /api/sites/{id}/score-sheet', method: 'GET', url: (s) => `/api/sites/${s}/score-sheet`, role: 'agency', real: isFixtureSite },
  { name: 'POST /api/sites/{id}/revocation', method: 'POST', url: (s) => `/api/sites/${s}/revocation`, role: 'office', body: () => ({ ground: 'stalled', details: '停滞' }) },
  { name: 'POST /api/sites/{id}/objections/{n}/resolution', method: 'POST', url: (s) => `${fixture.siteUrl}/objections/${s}/resolution`, role: 'office', body: () => ({ outcome: 'uphold', reasons: '成立' }) },
  { name: 'GET /api/site-campaigns/{year}', method: 'GET', url: (s) => `/api/site-campaigns/${s}`, role: 'office', real: (d) => [fixture.campaignYear, fixture.siteYear].includes(Number(d)) },
  { name: 'POST /api/site-campaigns/{year}/recommendation', method: 'POST', url: (s) => `/api/site-campaigns/${s}/recommendation`, role: 'office', body: () => ({ agencyIds: ['county-ecology', 'county-market'], opinion: '推荐' }) },
  { name: 'GET /api/calendar/{year}', method: 'GET', url: (s) => `/api/calendar/${s}`, role: null, real: (d) => /^\s*\d+(\.0*)?\s*$/.test(d) && Number(d) >= 2000 && Number(d) <= 2100 },
  { name: 'GET /api/public/sites/{siteId}', method: 'GET', url: (s) => `/api/public/sites/${s}`, role: null, real: isFixtureSite },
  { name: 'POST /api/public/notices/{siteId}/objections', method: 'POST', url: (s) => `/api/public/notices/${s}/objections`, role: null, body: () => ({ text: '异议' }), real: isFixtureSite },
  { name: 'GET /api/site-standards/{id}', method: 'GET', url: (s) => `/api/site-standards/${s}`, role: null, real: (d) => d === 'henan-2022' },
  { name: 'GET /api/duties/{agencyId}', method: 'GET', url: (s) => `/api/duties/${s}`, role: 'agency', real: (d) => d === 'county-market' },
  { name: 'POST /api/duties/{agencyId}/self-inspection', method: 'POST', url: (s) => `/api/duties/${s}/self-inspection`, role: 'agency', body: () => ({ summary: '自查' }), real: (d) => d === 'county-market' },
];

/** Names every plain object answers to: a lookup by a request's id must not find them (CI once found `__proto__` → 200). */
const PROTOTYPE_KEYS = ['__proto__', '%5f%5f%70%72%6f%74%6f%5f%5f', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

describe('hostile paths', () => {
  for (const endpoint of PATH_ENDPOINTS) {
    it(`${endpoint.name}: 400 naming the parameter or 404, never a 5xx, nothing changed`, async () => {
      const before = await snapshot();
      await fc.assert(
        fc.asyncProperty(fc.oneof(pathValue.map(encodeBytes), fc.constantFrom('%ZZ', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%00', '%25', '..%2F..%2Fhealth', ...PROTOTYPE_KEYS)), async (segment) => {
          let decoded: string | undefined;
          try {
            decoded = decodeURIComponent(segment);
          } catch {
            decoded = undefined;
          }
          fc.pre(!(decoded !== undefined && endpoint.real?.(decoded)));
          const res = await inject(endpoint.method, endpoint.url(segment), endpoint.role, endpoint.body?.());
          tally(`${endpoint.name} (path)`, res.status);
          expect(res.status, `${segment}: ${JSON.stringify(res.body).slice(0, 300)}`).toBeGreaterThanOrEqual(400);
          expect(res.status, `${segment}: ${JSON.stringify(res.body).slice(0, 300)}`).toBeLessThan(500);
          expect(res.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
          if (res.status === 400 && decoded !== undefined) {
            const inParams = Array.isArray(res.body.details) && res.body.details.some((d: { in?: string }) => d.in === 'params');
            expect(inParams || /网址|路径|URI|URL|path/i.test(res.body.message), res.body.message).toBe(true);
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true, examples: PROTOTYPE_KEYS.map((key) => [key]) },
      );
      expect(await snapshot()).toEqual(before);
    }, 120_000);
  }
});

// ------------------------------------------------------------------------------------------------

describe('odd but well-formed Unicode in a submission', () => {
  it('is stored exactly as the schema reads it, or refused naming the field', async () => {
    const text = fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), fc.constantFrom(...ODD.filter(isWellFormed)));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.record({ caseNumber: text, title: text, facts: text, party: text }), async (odd) => {
        n += 1;
        const body = sampleSubmission({ caseNumber: `U${n}-${odd.caseNumber}`, title: odd.title, facts: odd.facts, party: { type: 'person', name: odd.party, idNumber: '110101199001011237' } });
        const res = await inject('POST', '/api/decisions', 'agency', body);
        tally('POST /api/decisions (odd Unicode)', res.status);
        const parsed = submissionSchema.safeParse(body);
        if (!parsed.success) {
          expect(res.status).toBe(400);
          expect(res.body.details.map((d: { path: string }) => d.path).join(' ')).toMatch(/\/(caseNumber|title|facts|party)/);
          return;
        }
        expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
        expect(res.body.submission).toEqual(parsed.data);
        // And the record reads back the same, so a repeated submission is recognised as the same.
        const again = await inject('POST', '/api/decisions', 'agency', body);
        expect(again.status).toBe(200);
        await env.client.workflow.getHandle(`legal-review:${res.body.caseId}`).terminate('test finished');
      }),
      { numRuns: Math.min(RUNS, 25), seed: SEED, endOnFailure: true },
    );
  }, 120_000);
});

describe('limits', () => {
  it('answers 413 to a body over the configured limit, before reading it into a case', async () => {
    const before = await snapshot();
    const big = sampleSubmission({ facts: 'x'.repeat(MIB + 1) });
    const submitted = await inject('POST', '/api/decisions', 'agency', big);
    expect(submitted.status).toBe(413);
    expect(submitted.body).toMatchObject({ error: 'Payload Too Large' });
    const action = await inject('POST', `${fixture.caseUrl}/withdraw`, 'agency', { reason: 'x'.repeat(MIB) });
    expect(action.status).toBe(413);
    const objection = await inject('POST', `/api/public/notices/${encodeURIComponent(decodeURIComponent(fixture.siteUrl.split('/').pop()!))}/objections`, null, { text: '异'.repeat(11_000) });
    expect(objection.status).toBe(413);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 429 on the public objection endpoint past its rate limit', async () => {
    const limited = await buildApp({ config: testConfig(taskQueue), temporal: env.client, agencies, records: await fileRecordsDb() });
    const max = limited.config.OBJECTION_RATE_LIMIT_PER_MINUTE;
    const statuses: number[] = [];
    let last;
    for (let i = 0; i <= max; i++) {
      last = await limited.inject({ method: 'POST', url: `/api/public/notices/demo-site:county-water:2026/objections`, payload: { text: '异议' } });
      statuses.push(last.statusCode);
    }
    expect(statuses.slice(0, max).every((s) => s !== 429)).toBe(true);
    expect(last!.statusCode).toBe(429);
    expect(last!.json()).toMatchObject({ error: 'Too Many Requests', message: expect.any(String) });
    expect(last!.headers['retry-after']).toEqual(expect.any(String));
    // The other public endpoints are not limited by it.
    expect((await limited.inject({ method: 'GET', url: '/api/public/notices' })).statusCode).toBe(200);
    await limited.close();
    figures['rate limit'] = { runs: statuses.length, statuses: Object.fromEntries(statuses.map((s) => [s, statuses.filter((x) => x === s).length])) };
  });
});
