/**
 * Roles and agencies: the full authorisation matrix. Every caller (agency A, agency B, legal-review
 * A, head A, office, no token, a tampered token, an expired token) × every endpoint and action, the
 * expected status written out below and every cell checked against the real API on the real dev
 * server. Each action is tried on a case (or site) in the stage where it is possible, so a refusal
 * is the role's and not the stage's; a caller expected to succeed gets a target of its own, and the
 * refused callers' target is compared before and after: a refusal changes nothing.
 *
 * Agency B never reads or acts on agency A's cases, sites or duties (404, or 403 where the route
 * refuses its role first); lists never show it A's items; the public side never shows a party's
 * personal id or an objector's contact.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../api/app.js';
import type { Role } from '../../domain/roles.js';
import { ensureAgencyDuties } from '../../platform/duties.js';
import { mintToken } from '../../platform/tokens.js';
import { createWorker } from '../../worker/worker.js';
import { campaignQuery, campaignWorkflowId } from '../../workflows/demo-site-messages.js';
import { fileRecordsDb, agencies, opinion, sampleApplication, sampleSubmission, testConfig, uniqueTaskQueue, workflowBundle } from '../helpers.js';
import { acceptanceBody, acceptanceYearAndDay, startSiteOfYear } from './scenarios.js';
import { eventually, printFigures, shanghaiToday, sleep, startDevServer } from './support.js';

const A = 'county-market';
const B = 'county-ecology';
const taskQueue = uniqueTaskQueue('authz');
const config = testConfig(taskQueue, { OBJECTION_RATE_LIMIT_PER_MINUTE: '10000' });

const CALLERS = ['agencyA', 'agencyB', 'legalReviewA', 'headA', 'office', 'noToken', 'tampered', 'expired'] as const;
type Caller = (typeof CALLERS)[number];

// prettier-ignore
/**
 * The expected status of every cell. Rows: endpoint and action; columns: the eight callers.
 * 404 for agency B is "no such case" (it may not even learn that A's case exists); 403 is a role
 * that may not take the action; 401 a request without a valid token; 409 a stage that real time
 * cannot reach in a test (the public notice lasts seven days; noted where it applies).
 */
const MATRIX: Record<string, [agencyA: number, agencyB: number, legalReviewA: number, headA: number, office: number, noToken: number, tampered: number, expired: number]> = {
  //                                                        agencyA agencyB legalRevA headA office noToken tampered expired
  'GET /health':                                              [200,   200,    200,    200,  200,   200,    200,    200],
  'GET /api/agencies':                                        [200,   200,    200,    200,  200,   200,    200,    200],
  'GET /api/calendar/{year}':                                 [200,   200,    200,    200,  200,   200,    200,    200],
  'GET /api/calendar/due':                                    [200,   200,    200,    200,  200,   200,    200,    200],
  'GET /api/calendar/{year}/notice':                          [200,   200,    200,    200,  200,   401,    401,    401],
  'PUT /api/calendar/{year}/notice':                          [403,   403,    403,    403,  200,   401,    401,    401],
  'GET /api/site-standards/{id}':                             [200,   200,    200,    200,  200,   200,    200,    200],
  'GET /api/public/notices':                                  [200,   200,    200,    200,  200,   200,    200,    200],
  'GET /api/public/sites/{siteId}':                           [200,   200,    200,    200,  200,   200,    200,    200],
  'GET /api/public/reports':                                  [200,   200,    200,    200,  200,   200,    200,    200],
  'GET /api/public/decisions':                                [200,   200,    200,    200,  200,   200,    200,    200],
  'POST /api/public/notices/{siteId}/objections':             [201,   201,    201,    201,  201,   201,    201,    201],
  'GET /api/dev/tokens':                                      [200,   200,    200,    200,  200,   200,    200,    200], // not in production: see below
  'GET /api/reminders':                                       [200,   200,    200,    200,  200,   401,    401,    401],
  'POST /api/reminders/read':                                 [200,   200,    200,    200,  200,   401,    401,    401],
  'POST /api/decisions':                                      [201,   201,    403,    403,  403,   401,    401,    401],
  'GET /api/decisions':                                       [200,   200,    200,    200,  200,   401,    401,    401],
  'GET /api/decisions/{id}':                                  [200,   404,    200,    200,  200,   401,    401,    401],
  'GET /api/decisions/{id}/timeline':                         [200,   404,    200,    200,  200,   401,    401,    401],
  'POST /api/decisions/{id}/request-material':                [403,   404,    200,    403,  403,   401,    401,    401],
  'POST /api/decisions/{id}/supply-material':                 [200,   404,    403,    403,  403,   401,    401,    401],
  'POST /api/decisions/{id}/extend-review':                   [403,   404,    200,    403,  403,   401,    401,    401],
  'POST /api/decisions/{id}/opinion':                         [403,   404,    200,    403,  403,   401,    401,    401],
  'POST /api/decisions/{id}/accept':                          [200,   404,    403,    403,  403,   401,    401,    401],
  'POST /api/decisions/{id}/dispute':                         [200,   404,    403,    403,  403,   401,    401,    401],
  'POST /api/decisions/{id}/coordination':                    [403,   404,    403,    200,  200,   401,    401,    401],
  'POST /api/decisions/{id}/resubmit':                        [200,   404,    403,    403,  403,   401,    401,    401],
  'POST /api/decisions/{id}/decision':                        [403,   404,    403,    200,  403,   401,    401,    401],
  'POST /api/decisions/{id}/transfer':                        [200,   404,    403,    403,  403,   401,    401,    401],
  'POST /api/decisions/{id}/publication':                     [200,   404,    403,    403,  403,   401,    401,    401],
  'POST /api/decisions/{id}/filing':                          [200,   404,    403,    403,  403,   401,    401,    401],
  'POST /api/decisions/{id}/withdraw':                        [200,   404,    403,    403,  403,   401,    401,    401],
  'POST /api/decisions/{id}/publication-correction':          [200,   404,    403,    403,  403,   401,    401,    401],
  'POST /api/site-campaigns/{year}/applications':             [201,   201,    403,    403,  403,   401,    401,    401],
  'GET /api/site-campaigns/{year}':                           [200,   200,    200,    200,  200,   401,    401,    401],
  'POST /api/site-campaigns/{year}/recommendation':           [403,   403,    403,    403,  200,   401,    401,    401],
  'POST /api/site-campaigns/{year}/notice':                   [403,   403,    403,    403,  200,   401,    401,    401],
  'GET /api/sites':                                           [200,   200,    200,    200,  200,   401,    401,    401],
  'GET /api/sites/{id}':                                      [200,   404,    200,    200,  200,   401,    401,    401],
  'GET /api/sites/{id}/timeline':                             [200,   404,    200,    200,  200,   401,    401,    401],
  'GET /api/sites/{id}/score-sheet':                          [200,   404,    200,    200,  200,   401,    401,    401],
  'POST /api/sites/{id}/screening':                           [403,   404,    403,    403,  200,   401,    401,    401],
  'POST /api/sites/{id}/visits':                              [403,   404,    403,    403,  200,   401,    401,    401],
  'POST /api/sites/{id}/acceptance':                          [403,   404,    403,    403,  200,   401,    401,    401],
  'POST /api/sites/{id}/confirmation':                        [403,   404,    403,    403,  409,   401,    401,    401], // office: the notice has not ended (7 days)
  'POST /api/sites/{id}/reinspection':                        [403,   404,    403,    403,  409,   401,    401,    401], // office: not named yet (after the notice)
  'POST /api/sites/{id}/revocation':                          [403,   404,    403,    403,  409,   401,    401,    401], // office: not named yet (after the notice)
  'POST /api/sites/{id}/assessment':                          [403,   404,    403,    403,  200,   401,    401,    401],
  'POST /api/sites/{id}/objections/{objectionId}/resolution': [403,   403,    403,    403,  200,   401,    401,    401],
  'GET /api/duties/{agencyId}':                               [200,   404,    200,    200,  200,   401,    401,    401],
  'GET /api/duties/{agencyId}/timeline':                      [200,   404,    200,    200,  200,   401,    401,    401],
  'POST /api/duties/{agencyId}/statistics-report/redraft':    [200,   404,    403,    403,  403,   401,    401,    401],
  'POST /api/duties/{agencyId}/statistics-report':            [200,   404,    403,    403,  403,   401,    401,    401],
  'POST /api/duties/{agencyId}/self-inspection':              [200,   404,    403,    403,  403,   401,    401,    401],
  'POST /api/duties/{agencyId}/case-file-reviews':            [200,   404,    403,    403,  403,   401,    401,    401],
  'GET /api/compliance':                                      [403,   403,    403,    403,  200,   401,    401,    401],
  'GET /api/warnings':                                        [403,   403,    403,    403,  200,   401,    401,    401],
};

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let app: App;
const headers = {} as Record<Caller, Record<string, string>>;

async function inject(method: string, url: string, h: Record<string, string>, payload?: unknown) {
  const res = await app.inject({ method: method as 'GET', url, headers: { ...h, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) }, payload: payload === undefined ? undefined : JSON.stringify(payload) });
  let body: any;
  try {
    body = res.json();
  } catch {
    body = res.body;
  }
  return { status: res.statusCode, body, text: res.body };
}
const as = (role: Role, agencyId = A) => ({ authorization: `Bearer ${mintToken({ secret: config.JWT_SECRET, role, agencyId: role === 'office' ? undefined : agencyId })}` });
const ok = async (method: string, url: string, h: Record<string, string>, payload?: unknown) => {
  const res = await inject(method, url, h, payload);
  if (res.status >= 300) throw new Error(`setup ${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

beforeAll(async () => {
  env = await startDevServer();
  worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', client: env.client, taskQueue, agencies, webhookSecret: config.WEBHOOK_SECRET, workflowBundle: await workflowBundle(), records: await fileRecordsDb() });
  running = worker.run();
  app = await buildApp({ config, temporal: env.client, agencies, records: await fileRecordsDb() });
  await ensureAgencyDuties(env.client, agencies, config);

  // A token of agency A whose payload was edited to say "office", signature kept; and an expired one.
  const [header, payload, signature] = as('agency').authorization.slice(7).split('.');
  const claims = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'office', agencyId: undefined };
  const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
  const expired = mintToken({ secret: config.JWT_SECRET, role: 'office', expiresIn: '1s' });
  Object.assign(headers, {
    agencyA: as('agency'),
    agencyB: as('agency', B),
    legalReviewA: as('legal-review'),
    headA: as('agency-head'),
    office: as('office'),
    noToken: {},
    tampered: { authorization: `Bearer ${tampered}` },
    expired: { authorization: `Bearer ${expired}` },
  });
  await sleep(1100);
}, 180_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

// ------------------------------------------------------------------------------------------------
// Targets in the stage each action needs.

interface Target {
  /** The URL the cell requests. */
  url: string;
  /** What a refusal must leave unchanged. */
  inspect?: () => Promise<unknown>;
}

const caseUrl = (caseId: string) => `/api/decisions/${encodeURIComponent(caseId)}`;
const inspectCase = (url: string) => async () => [(await inject('GET', url, as('office'))).body, (await inject('GET', `${url}/timeline`, as('office'))).body];

/** A case of agency A, taken to the stage an action needs. */
async function caseIn(stage: string, submission = sampleSubmission()): Promise<string> {
  const created = await ok('POST', '/api/decisions', as('agency'), submission);
  const url = caseUrl(created.caseId);
  const steps: Record<string, Array<[string, Role, object]>> = {
    'under-review': [],
    'awaiting-material': [['request-material', 'legal-review', { items: ['听证笔录'] }]],
    'awaiting-response': [['opinion', 'legal-review', opinion('fail', ['facts-and-evidence'])]],
    'in-coordination': [['opinion', 'legal-review', opinion('fail', ['facts-and-evidence'])], ['dispute', 'agency', { reasons: '有异议' }]],
    'awaiting-revision': [
      ['opinion', 'legal-review', opinion('fail', ['facts-and-evidence'])],
      ['dispute', 'agency', { reasons: '有异议' }],
      ['coordination', 'agency-head', { outcome: 'revise', forum: 'agency-head', participants: ['局长'], minutes: '纪要', reasons: '退回修改' }],
    ],
    'awaiting-decision': [['opinion', 'legal-review', opinion('pass')], ['accept', 'agency', {}]],
    'awaiting-transfer': [['opinion', 'legal-review', opinion('transfer', ['no-suspected-crime'])], ['accept', 'agency', {}]],
    decided: [['opinion', 'legal-review', opinion('pass')], ['accept', 'agency', {}], ['decision', 'agency-head', { decision: '罚款', documentNumber: '决1' }]],
    published: [
      ['opinion', 'legal-review', opinion('pass')],
      ['accept', 'agency', {}],
      ['decision', 'agency-head', { decision: '罚款', documentNumber: '决1' }],
      ['publication', 'agency', { publishedOn: shanghaiToday(), channel: '网站' }],
    ],
  };
  for (const [path, role, body] of steps[stage]!) await ok('POST', `${url}/${path}`, as(role), body);
  return url;
}

const caseAction = (stage: string, path: string, body: () => object) => ({
  prepare: async (): Promise<Target> => {
    const url = await caseIn(stage);
    return { url: `${url}/${path}`, inspect: inspectCase(url) };
  },
  method: 'POST',
  body,
});

// Past campaign years whose acceptance window has opened: a site of agency A for each target.
let nextSiteYear = acceptanceYearAndDay().year;
async function siteIn(stage: 'applied' | 'cultivating' | 'accepted' | 'under-notice' | 'objected'): Promise<{ url: string; year: number; siteId: string }> {
  const year = nextSiteYear--;
  const siteId = await startSiteOfYear(env.client, taskQueue, A, agencies.get(A)!.name, year);
  const url = `/api/sites/${encodeURIComponent(siteId)}`;
  // Settled before anyone looks: the screening deadline opened, and for a year whose acceptance
  // window has closed, the overdue acceptance escalated (both happen just after the step itself).
  await eventually(async () => expect((await inject('GET', url, as('office'))).body.deadlines?.map((d: { name: string }) => d.name)).toContain('screening'));
  if (stage !== 'applied') {
    await ok('POST', `${url}/screening`, as('office'), { decision: 'target' });
    if (`${year}-09-30` < today) await eventually(async () => expect((await inject('GET', `${url}/timeline`, as('office'))).body.map((e: { action: string }) => e.action)).toContain('escalation'));
  }
  if (stage === 'accepted' || stage === 'under-notice' || stage === 'objected') await ok('POST', `${url}/acceptance`, as('office'), acceptanceBody(year === acceptanceYearAndDay().year ? acceptanceYearAndDay().acceptedOn : `${year}-08-16`));
  if (stage === 'under-notice' || stage === 'objected') await ok('POST', `/api/site-campaigns/${year}/notice`, as('office'), { agencyIds: [A], channel: '县政府门户网站' });
  if (stage === 'objected') await ok('POST', `/api/public/notices/${encodeURIComponent(siteId)}/objections`, {}, { text: '异议', name: '李某', contact: '13800000000' });
  return { url, year, siteId };
}
const inspectSite = (url: string) => async () => [(await inject('GET', url, as('office'))).body, (await inject('GET', `${url}/timeline`, as('office'))).body];
const siteAction = (stage: Parameters<typeof siteIn>[0], path: string, body: () => object) => ({
  prepare: async (): Promise<Target> => {
    const { url } = await siteIn(stage);
    return { url: `${url}/${path}`, inspect: inspectSite(url) };
  },
  method: 'POST',
  body,
});

interface RowSpec {
  method: string;
  /** A target of its own for every caller expected to succeed (default); or one target for all. */
  prepare: () => Promise<Target>;
  shared?: boolean;
  body?: (caller: Caller) => unknown;
}

const today = shanghaiToday();
const nextYear = Number(today.slice(0, 4)) + 1;
let shared: { caseUrl: string; site: Awaited<ReturnType<typeof siteIn>>; acceptedSite: Awaited<ReturnType<typeof siteIn>> };
const fixed = (url: string, inspect?: () => Promise<unknown>) => async (): Promise<Target> => ({ url, inspect });
const inspectDuties = async () => (await inject('GET', `/api/duties/${A}/timeline`, as('office'))).body;

const ROWS: Record<keyof typeof MATRIX, RowSpec> = {
  'GET /health': { method: 'GET', prepare: fixed('/health'), shared: true },
  'GET /api/agencies': { method: 'GET', prepare: fixed('/api/agencies'), shared: true },
  'GET /api/calendar/{year}': { method: 'GET', prepare: fixed('/api/calendar/2026'), shared: true },
  'GET /api/calendar/due': { method: 'GET', prepare: fixed(`/api/calendar/due?from=${today}&workingDays=5`), shared: true },
  'GET /api/calendar/{year}/notice': { method: 'GET', prepare: fixed(`/api/calendar/${nextYear}/notice`), shared: true },
  'PUT /api/calendar/{year}/notice': {
    method: 'PUT',
    prepare: fixed(`/api/calendar/${nextYear}/notice`, async () => (await inject('GET', `/api/calendar/${nextYear}/notice`, as('office'))).body.versions.length),
    shared: true,
    body: () => ({ document: '国办发明电（测试）', festivals: [{ name: '元旦', holidays: { from: `${nextYear}-01-01`, to: `${nextYear}-01-01` }, makeupWorkdays: [] }] }),
  },
  'GET /api/site-standards/{id}': { method: 'GET', prepare: fixed('/api/site-standards/henan-2022'), shared: true },
  'GET /api/public/notices': { method: 'GET', prepare: fixed('/api/public/notices'), shared: true },
  'GET /api/public/sites/{siteId}': { method: 'GET', prepare: async () => ({ url: `/api/public/sites/${encodeURIComponent(shared.site.siteId)}` }), shared: true },
  'GET /api/public/reports': { method: 'GET', prepare: fixed(`/api/public/reports?year=${nextYear - 2}`), shared: true },
  'GET /api/public/decisions': { method: 'GET', prepare: fixed('/api/public/decisions?pageSize=5'), shared: true },
  'POST /api/public/notices/{siteId}/objections': {
    method: 'POST',
    prepare: async () => ({ url: `/api/public/notices/${encodeURIComponent(shared.site.siteId)}/objections` }),
    shared: true,
    body: (caller) => ({ text: `来自${caller}的异议`, name: '王某', contact: `1390000${CALLERS.indexOf(caller)}000` }),
  },
  'GET /api/dev/tokens': { method: 'GET', prepare: fixed('/api/dev/tokens'), shared: true },
  'GET /api/reminders': { method: 'GET', prepare: fixed('/api/reminders'), shared: true },
  'POST /api/reminders/read': { method: 'POST', prepare: fixed('/api/reminders/read'), shared: true, body: () => ({ all: true }) },
  'POST /api/decisions': { method: 'POST', prepare: fixed('/api/decisions'), shared: true, body: () => sampleSubmission() },
  'GET /api/decisions': { method: 'GET', prepare: fixed('/api/decisions'), shared: true },
  'GET /api/decisions/{id}': { method: 'GET', prepare: async () => ({ url: shared.caseUrl }), shared: true },
  'GET /api/decisions/{id}/timeline': { method: 'GET', prepare: async () => ({ url: `${shared.caseUrl}/timeline` }), shared: true },
  'POST /api/decisions/{id}/request-material': caseAction('under-review', 'request-material', () => ({ items: ['听证笔录'] })),
  'POST /api/decisions/{id}/supply-material': caseAction('awaiting-material', 'supply-material', () => ({ note: '已补充' })),
  'POST /api/decisions/{id}/extend-review': caseAction('under-review', 'extend-review', () => ({ reason: '案情复杂' })),
  'POST /api/decisions/{id}/opinion': caseAction('under-review', 'opinion', () => opinion('pass')),
  'POST /api/decisions/{id}/accept': caseAction('awaiting-response', 'accept', () => ({})),
  'POST /api/decisions/{id}/dispute': caseAction('awaiting-response', 'dispute', () => ({ reasons: '有异议' })),
  'POST /api/decisions/{id}/coordination': caseAction('in-coordination', 'coordination', () => ({ outcome: 'overrule', forum: 'collective', participants: ['局长'], minutes: '纪要', reasons: '理由' })),
  'POST /api/decisions/{id}/resubmit': caseAction('awaiting-revision', 'resubmit', () => ({ changes: '已修改' })),
  'POST /api/decisions/{id}/decision': caseAction('awaiting-decision', 'decision', () => ({ decision: '罚款', documentNumber: '决2' })),
  'POST /api/decisions/{id}/transfer': caseAction('awaiting-transfer', 'transfer', () => ({ organ: '县公安局', transferredOn: today, letterNumber: '移1' })),
  'POST /api/decisions/{id}/publication': caseAction('decided', 'publication', () => ({ publishedOn: today, channel: '网站' })),
  'POST /api/decisions/{id}/filing': caseAction('decided', 'filing', () => ({ fileNumber: '备1', filedOn: today })),
  'POST /api/decisions/{id}/withdraw': caseAction('under-review', 'withdraw', () => ({ reason: '撤回' })),
  'POST /api/decisions/{id}/publication-correction': caseAction('published', 'publication-correction', () => ({ kind: 'update', reason: '笔误', text: '罚款（更正）' })),
  'POST /api/site-campaigns/{year}/applications': {
    method: 'POST',
    prepare: fixed(`/api/site-campaigns/${nextYear}/applications`, async () => (await env.client.workflow.getHandle(campaignWorkflowId(nextYear)).query(campaignQuery).catch(() => null))?.applications.length ?? 0),
    shared: true,
    body: () => sampleApplication(),
  },
  'GET /api/site-campaigns/{year}': { method: 'GET', prepare: fixed(`/api/site-campaigns/${nextYear}`), shared: true },
  'POST /api/site-campaigns/{year}/recommendation': {
    method: 'POST',
    prepare: async () => {
      // Two cultivation targets of next year's campaign, for the office to recommend.
      for (const agencyId of ['county-transport', 'town-chengguan']) {
        const site = await ok('POST', `/api/site-campaigns/${nextYear}/applications`, as('agency', agencyId), sampleApplication());
        await ok('POST', `/api/sites/${encodeURIComponent(site.siteId)}/screening`, as('office'), { decision: 'target' });
      }
      const campaign = env.client.workflow.getHandle(campaignWorkflowId(nextYear));
      await eventually(async () => expect(Object.values((await campaign.query(campaignQuery)).sites).filter((s) => s === 'cultivating')).toHaveLength(2));
      return { url: `/api/site-campaigns/${nextYear}/recommendation`, inspect: async () => (await campaign.query(campaignQuery)).recommendation ?? null };
    },
    shared: true,
    body: () => ({ agencyIds: ['county-transport', 'town-chengguan'], opinion: '推荐' }),
  },
  'POST /api/site-campaigns/{year}/notice': {
    method: 'POST',
    prepare: async () => {
      const site = await siteIn('accepted');
      return { url: `/api/site-campaigns/${site.year}/notice`, inspect: inspectSite(site.url) };
    },
    body: () => ({ agencyIds: [A], channel: '县政府门户网站' }),
  },
  'GET /api/sites': { method: 'GET', prepare: fixed('/api/sites'), shared: true },
  'GET /api/sites/{id}': { method: 'GET', prepare: async () => ({ url: shared.site.url }), shared: true },
  'GET /api/sites/{id}/timeline': { method: 'GET', prepare: async () => ({ url: `${shared.site.url}/timeline` }), shared: true },
  'GET /api/sites/{id}/score-sheet': { method: 'GET', prepare: async () => ({ url: `${shared.acceptedSite.url}/score-sheet` }), shared: true },
  'POST /api/sites/{id}/screening': siteAction('applied', 'screening', () => ({ decision: 'target' })),
  'POST /api/sites/{id}/visits': siteAction('cultivating', 'visits', () => ({ visitedOn: today, people: ['王科长'], findings: '良好' })),
  'POST /api/sites/{id}/acceptance': siteAction('cultivating', 'acceptance', () => acceptanceBody(today)),
  'POST /api/sites/{id}/confirmation': siteAction('under-notice', 'confirmation', () => ({ note: '授牌' })),
  'POST /api/sites/{id}/reinspection': siteAction('under-notice', 'reinspection', () => ({ inspectedOn: today, passed: true, findings: '良好' })),
  'POST /api/sites/{id}/revocation': siteAction('under-notice', 'revocation', () => ({ ground: 'stalled', details: '停滞' })),
  'POST /api/sites/{id}/assessment': siteAction('cultivating', 'assessment', () => ({ assessmentYear: 2026, effect: 'bonus', points: 1, reason: '示范' })),
  'POST /api/sites/{id}/objections/{objectionId}/resolution': siteAction('objected', 'objections/1/resolution', () => ({ outcome: 'dismiss', reasons: '不成立' })),
  'GET /api/duties/{agencyId}': { method: 'GET', prepare: fixed(`/api/duties/${A}`), shared: true },
  'GET /api/duties/{agencyId}/timeline': { method: 'GET', prepare: fixed(`/api/duties/${A}/timeline`), shared: true },
  'POST /api/duties/{agencyId}/statistics-report/redraft': { method: 'POST', prepare: fixed(`/api/duties/${A}/statistics-report/redraft`, inspectDuties), shared: true },
  'POST /api/duties/{agencyId}/statistics-report': { method: 'POST', prepare: fixed(`/api/duties/${A}/statistics-report`, inspectDuties), shared: true, body: () => ({ note: '' }) },
  'POST /api/duties/{agencyId}/self-inspection': { method: 'POST', prepare: fixed(`/api/duties/${A}/self-inspection`, inspectDuties), shared: true, body: () => ({ summary: '自查' }) },
  'POST /api/duties/{agencyId}/case-file-reviews': { method: 'POST', prepare: fixed(`/api/duties/${A}/case-file-reviews`, inspectDuties), shared: true, body: () => ({ quarter: 3, files: [{ ref: '卷1', score: 90 }] }) },
  'GET /api/compliance': { method: 'GET', prepare: fixed('/api/compliance'), shared: true },
  'GET /api/warnings': { method: 'GET', prepare: fixed('/api/warnings'), shared: true },
};

describe('the authorisation matrix', () => {
  it('covers every endpoint the API documents', async () => {
    const doc = (await inject('GET', '/docs/json', {})).body;
    const documented = Object.entries<Record<string, unknown>>(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.filter((r) => !(r in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((r) => !documented.includes(r))).toEqual([]);
  });

  it('answers every caller on every endpoint as the table says, and a refusal changes nothing', async () => {
    shared = {
      caseUrl: await caseIn('under-review', sampleSubmission({ party: { type: 'person', name: '张某某', idNumber: '110101199001011237' } })),
      site: await siteIn('objected'),
      acceptedSite: await siteIn('accepted'),
    };
    const mismatches: string[] = [];
    const counts: Record<number, number> = {};
    for (const [row, expected] of Object.entries(MATRIX)) {
      const spec = ROWS[row as keyof typeof MATRIX];
      const refusedTarget = await spec.prepare();
      const before = await refusedTarget.inspect?.();
      // Refused callers first, on one target; then each caller expected to succeed, on its own.
      const order = CALLERS.map((c, i) => [c, expected[i]!] as const).sort(([, a], [, b]) => Number(a < 300) - Number(b < 300));
      let checkedRefusals = false;
      for (const [caller, status] of order) {
        if (status < 300 && !checkedRefusals) {
          checkedRefusals = true;
          if (refusedTarget.inspect) expect(await refusedTarget.inspect(), `${row}: a refusal changed the target`).toEqual(before);
        }
        const target = status < 300 && !spec.shared ? await spec.prepare() : refusedTarget;
        const res = await inject(spec.method, target.url, headers[caller], spec.body?.(caller) ?? (spec.method === 'POST' ? {} : undefined));
        counts[res.status] = (counts[res.status] ?? 0) + 1;
        if (res.status !== status) mismatches.push(`${row} as ${caller}: expected ${status}, got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
        if (res.status >= 400) expect(res.body, `${row} as ${caller}`).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      }
      if (!checkedRefusals && refusedTarget.inspect) expect(await refusedTarget.inspect(), `${row}: a refusal changed the target`).toEqual(before);
    }
    expect(mismatches).toEqual([]);
    printFigures('authorisation matrix', { rows: Object.keys(MATRIX).length, callers: CALLERS.length, cells: Object.keys(MATRIX).length * CALLERS.length, statuses: counts });
  }, 240_000);

  it('never lets agency B see agency A’s cases, sites, reminders or duties in a list', async () => {
    const aCase = await caseIn('under-review');
    const aCaseId = decodeURIComponent(aCase.split('/').pop()!);
    await ok('POST', '/api/decisions', as('agency', B), sampleSubmission());
    const site = await siteIn('cultivating');
    await eventually(async () => {
      const office = (await inject('GET', `/api/decisions?agencyId=${A}&pageSize=200`, as('office'))).body.items.map((i: { caseId: string }) => i.caseId);
      expect(office).toContain(aCaseId);
    });
    for (const url of ['/api/decisions?pageSize=200', '/api/sites?pageSize=200']) {
      const res = await inject('GET', url, as('agency', B));
      expect(res.status).toBe(200);
      if (url.startsWith('/api/decisions')) expect(res.body.items.length, url).toBeGreaterThan(0);
      expect(res.body.items.every((i: { agencyId: string }) => i.agencyId === B), url).toBe(true);
      expect(res.text).not.toContain(aCaseId);
      expect(res.text).not.toContain(site.siteId);
    }
    // Asking for A's rows by name is refused (403, naming the field), never answered with B's own.
    for (const url of [`/api/decisions?agencyId=${A}&pageSize=200`, `/api/sites?agencyId=${A}&pageSize=200`, `/api/decisions?agencyId=${A}&sort=due`]) {
      const res = await inject('GET', url, as('agency', B));
      expect(res.status, url).toBe(403);
      expect(res.body.message, url).toContain('agencyId');
      expect(res.text).not.toContain(aCaseId);
    }
    // Reminders go to inboxes per role and agency: B's inbox has nothing of A's.
    const reminders = await inject('GET', '/api/reminders?limit=200', as('agency', B));
    expect(reminders.text).not.toContain(A);
    // The office's overview names every agency, and is the office's alone.
    expect((await inject('GET', '/api/warnings', as('agency', B))).status).toBe(403);
  });

  it('never shows a party’s personal id or an objector’s contact on the public side, nor the contact to the agency', async () => {
    const idNumber = '110101198808081231';
    const contact = 'objector-contact-13912345678@example.com';
    const caseUrlA = await caseIn('under-review', sampleSubmission({ party: { type: 'person', name: '李某某', idNumber } }));
    const site = await siteIn('under-notice');
    expect((await inject('POST', `/api/public/notices/${encodeURIComponent(site.siteId)}/objections`, {}, { text: '异议内容', name: '赵某', contact })).status).toBe(201);

    // Everything the public side answers, without a token and with every caller's token.
    const publicUrls = [
      '/api/public/notices',
      `/api/public/sites/${encodeURIComponent(site.siteId)}`,
      ...[nextYear - 2, nextYear - 1].map((y) => `/api/public/reports?year=${y}`),
      '/api/agencies',
      '/docs/json',
    ];
    await eventually(async () => expect((await inject('GET', '/api/public/notices', {})).text).toContain(site.siteId));
    for (const url of publicUrls) {
      for (const caller of CALLERS) {
        const res = await inject('GET', url, headers[caller]);
        expect(res.status, url).toBe(200);
        expect(res.text, url).not.toContain(idNumber);
        expect(res.text, url).not.toContain(contact);
      }
    }
    // The public view counts the objection without its contact or name.
    const view = (await inject('GET', `/api/public/sites/${encodeURIComponent(site.siteId)}`, {})).body;
    expect(view.objections).toEqual({ open: 1, resolved: 0 });
    expect(JSON.stringify(view)).not.toContain('赵某');

    // The party's id is for the agency's own roles and the office, never for another agency.
    expect((await inject('GET', caseUrlA, as('agency'))).text).toContain(idNumber);
    expect((await inject('GET', caseUrlA, as('office'))).text).toContain(idNumber);
    const other = await inject('GET', caseUrlA, as('agency', B));
    expect(other.status).toBe(404);
    expect(other.text).not.toContain(idNumber);
    // The objector's contact is the office's alone: the agency objected to does not see it.
    expect((await inject('GET', site.url, as('office'))).text).toContain(contact);
    for (const role of ['agency', 'legal-review', 'agency-head'] as const) {
      const mine = await inject('GET', site.url, as(role));
      expect(mine.status).toBe(200);
      expect(mine.text).not.toContain(contact);
      expect((await inject('GET', `${site.url}/timeline`, as(role))).text).not.toContain(contact);
    }
  });

  it('does not serve the development tokens in production', async () => {
    const production = await buildApp({
      config: testConfig(taskQueue, { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-characters', WEBHOOK_SECRET: 'production-webhook-secret' }),
      temporal: env.client,
      agencies,
    });
    expect((await production.inject({ method: 'GET', url: '/api/dev/tokens' })).statusCode).toBe(404);
    // And a token signed with the development secret is worth nothing there.
    expect((await production.inject({ method: 'GET', url: '/api/reminders', headers: as('office') })).statusCode).toBe(401);
    await production.close();
  });
});
