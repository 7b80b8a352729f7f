/**
 * The buttons are the API's: for each role and each stage a case (and a site) reaches quickly
 * through the API, the action panels the page draws are exactly the `allowedActions` the API returns
 * to that caller, in its order and with its words; and every action not offered is refused by the
 * API (403 role or agency, 409 stage or closed, 422 rule), the case staying where it was.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REVOCATION_GROUNDS } from '../../domain/demo-site-rules.js';
import { DEMO_SITE } from '../../domain/procedures/demo-site.js';
import { LEGAL_REVIEW } from '../../domain/procedures/legal-review.js';
import type { Role } from '../../domain/roles.js';
import { siteWorkflowId } from '../../workflows/demo-site-messages.js';
import { acceptanceMethods, bearer, opinion, sampleApplication, sampleScoreSheet, sampleSubmission } from '../helpers.js';
import { CHROMIUM, drawnSiteActions, hasChromium, launchBrowser, startSystem } from './support.js';

const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 200 });

/** Who looks: the demo agency's four roles, and an agency of another agency (which may not see the case). */
const CALLERS: Array<{ who: string; role: Role; agencyId?: string }> = [
  { who: 'agency', role: 'agency' },
  { who: 'legal-review', role: 'legal-review' },
  { who: 'agency-head', role: 'agency-head' },
  { who: 'office', role: 'office' },
  { who: 'other agency', role: 'agency', agencyId: 'county-ecology' },
];

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

/** A body each action's schema accepts, so a refusal is the procedure's (role, agency, stage, rule), never a 400. */
const BODIES: Record<keyof typeof LEGAL_REVIEW.actions, () => unknown> = {
  giveOpinion: () => opinion('pass'),
  requestMaterial: () => ({ items: ['现场检查照片'] }),
  extendReview: () => ({ reason: '案情复杂' }),
  supplyMaterial: () => ({ note: '已补充现场检查照片' }),
  acceptOpinion: () => ({ note: '采纳' }),
  disputeOpinion: () => ({ reasons: '裁量适当' }),
  coordinate: () => ({ outcome: 'uphold', forum: 'agency-head', participants: ['局长 王五'], minutes: '经研究', reasons: '理由' }),
  resubmit: () => ({ changes: '已按意见修改' }),
  decide: () => ({ decision: '罚款人民币五万元', documentNumber: '市监罚决〔2026〕1号' }),
  recordTransfer: () => ({ organ: '县公安局', transferredOn: today(), letterNumber: '市监移〔2026〕1号' }),
  recordPublication: () => ({ publishedOn: today(), channel: '县政府门户网站' }),
  recordFiling: () => ({ fileNumber: '备〔2026〕1号', filedOn: today() }),
  withdraw: () => ({ reason: '当事人已主动纠正' }),
  correctPublication: () => ({ kind: 'update', reason: '文号有误', text: '责令改正（更正）' }),
};

/** The same for the site's actions. */
const SITE_BODIES: Record<keyof typeof DEMO_SITE.actions, (site: { agencyId: string; year: number }) => unknown> = {
  screen: () => ({ decision: 'target' }),
  recordVisit: () => ({ visitedOn: today(), people: ['县司法局 王五'], findings: '台账齐全' }),
  recordAcceptance: () => ({ acceptedOn: today(), methods: acceptanceMethods(), scoreSheet: sampleScoreSheet() }),
  startNotice: (site) => ({ agencyIds: [site.agencyId], channel: '县政府门户网站' }),
  resolveObjection: () => ({ outcome: 'dismiss', reasons: '经核实不成立' }),
  confirm: () => ({ note: '' }),
  reinspect: () => ({ inspectedOn: today(), passed: true, findings: '保持良好' }),
  revoke: () => ({ ground: Object.keys(REVOCATION_GROUNDS)[0], details: '复查未通过' }),
  recordAssessment: (site) => ({ assessmentYear: site.year, effect: 'bonus', points: 1, reason: '创建示范点' }),
};

/** Where a site action posts: its own path under the site, or an absolute one (the campaign's notice); `{n}` is objection 1. */
const sitePath = (siteId: string, year: number, path: string) =>
  (path.startsWith('/') ? path : `/api/sites/${encodeURIComponent(siteId)}/${path}`).replace('{year}', String(year)).replace('{n}', '1');

if (!hasChromium) {
  const why = `skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
  console.warn(`allowed-actions browser tests ${why}`);
  describe('allowed actions in a browser', () => {
    it.skip(why, () => {});
  });
}

describe.skipIf(!hasChromium)('the pages offer exactly the API’s allowedActions', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  const pageErrors: string[] = [];
  /** One signed-in tab per caller, kept for the whole file. */
  const tabs = new Map<string, Page>();

  beforeAll(async () => {
    [system, browser] = await Promise.all([startSystem(), launchBrowser()]);
    for (const caller of CALLERS) {
      const page = await browser.context.newPage();
      page.on('pageerror', (err) => pageErrors.push(err.message));
      // Signed in as any caller would outside the demo agency: by pasting a token on the sign-in page.
      await page.goto(`${system.base}/ui/#/login`);
      await page.getByLabel('访问令牌（Bearer token）').fill(bearer(system.config, caller.role, caller.agencyId).authorization.slice('Bearer '.length));
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.waitForURL((url) => !url.hash.startsWith('#/login'));
      tabs.set(caller.who, page);
    }
  }, 180_000);

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const api = (method: 'GET' | 'POST', path: string, caller: { role: Role; agencyId?: string }, body?: unknown) => system.api(method, path, caller.role, body, caller.agencyId);
  const agency = CALLERS[0]!;
  const review = CALLERS[1]!;
  const head = CALLERS[2]!;

  /** What a page offers: each panel's action, its summary and its submit button, in page order. */
  const offered = (page: Page) =>
    page.locator('details[data-action]').evaluateAll((els) =>
      els.map((e) => ({ action: (e as HTMLElement).dataset.action, summary: e.querySelector('summary')?.textContent, button: e.querySelector('button[type="submit"], button')?.textContent })),
    );

  /** Opens `hash` afresh in the caller's tab (a full load, so nothing of the previous page is left). */
  async function open(page: Page, hash: string) {
    await page.goto('about:blank');
    await page.goto(`${system.base}/ui/${hash}`);
  }

  /**
   * Every caller's case page against the API's answer for that caller; then every action the caller
   * is not offered is refused, and the case is where it was.
   */
  async function everyoneSees(caseId: string, stage: string) {
    const path = `/api/decisions/${encodeURIComponent(caseId)}`;
    const seen: Record<string, string[]> = {};
    for (const caller of CALLERS) {
      const page = tabs.get(caller.who)!;
      const state = await api('GET', path, caller);
      await open(page, `#/case/${encodeURIComponent(caseId)}`);
      if (caller.agencyId) {
        // Another agency's case does not exist for this caller: 404 from the API, no forms on the page.
        expect(state.status).toBe(404);
        await eventually(() => page.locator('main .form-error').innerText()).toContain('没有该案件');
        expect(await page.locator('details[data-action]').count()).toBe(0);
        for (const [action, row] of Object.entries(LEGAL_REVIEW.actions)) {
          expect({ action, status: (await api('POST', `${path}/${row.path}`, caller, BODIES[action as keyof typeof BODIES]())).status }).toEqual({ action, status: 404 });
        }
        seen[caller.who] = [];
        continue;
      }
      expect(state.status).toBe(200);
      expect(state.body.stage).toBe(stage);
      const allowed: Array<{ action: string; path: string; label: string }> = state.body.allowedActions;
      await eventually(() => page.locator('main p.row .badge').first().innerText()).toBe(state.body.stageLabel);
      expect({ who: caller.who, stage, offered: await offered(page) }).toEqual({ who: caller.who, stage, offered: allowed.map((a) => ({ action: a.action, summary: a.label, button: a.label })) });
      // What the case waits for comes before a withdrawal: the API's order puts withdraw last.
      const names = allowed.map((a) => a.action);
      if (names.includes('withdraw')) expect(names.at(-1)).toBe('withdraw');
      for (const [action, row] of Object.entries(LEGAL_REVIEW.actions)) {
        if (names.includes(action)) continue;
        const refused = await api('POST', `${path}/${row.path}`, caller, BODIES[action as keyof typeof BODIES]());
        expect({ who: caller.who, stage, action, refused: [403, 409, 422].includes(refused.status) }).toEqual({ who: caller.who, stage, action, refused: true });
      }
      seen[caller.who] = names;
    }
    expect((await api('GET', path, agency)).body.stage).toBe(stage);
    return seen;
  }

  /** Submits a case as the demo agency; its id. */
  async function submit(overrides: Parameters<typeof sampleSubmission>[0] = {}) {
    const submission = sampleSubmission(overrides);
    const res = await api('POST', '/api/decisions', agency, submission);
    expect(res.status).toBe(201);
    return res.body.caseId as string;
  }

  async function act(caseId: string, caller: { role: Role; agencyId?: string }, action: keyof typeof LEGAL_REVIEW.actions, body: unknown, stage: string) {
    const res = await api('POST', `/api/decisions/${encodeURIComponent(caseId)}/${LEGAL_REVIEW.actions[action].path}`, caller, body);
    expect({ action, status: res.status, stage: res.body.stage }).toEqual({ action, status: 200, stage });
    return res.body;
  }

  it('a major penalty through material, a failed opinion, dispute, revision, a pass, decision, publication and filing', async () => {
    const id = await submit({ majorPenalty: true });
    expect(await everyoneSees(id, 'under-review')).toMatchObject({ agency: ['withdraw'], 'legal-review': ['giveOpinion', 'requestMaterial', 'extendReview'], 'agency-head': [], office: [] });

    await act(id, review, 'requestMaterial', BODIES.requestMaterial(), 'awaiting-material');
    expect(await everyoneSees(id, 'awaiting-material')).toMatchObject({ agency: ['supplyMaterial', 'withdraw'], 'legal-review': [] });

    await act(id, agency, 'supplyMaterial', BODIES.supplyMaterial(), 'under-review');
    await act(id, review, 'extendReview', BODIES.extendReview(), 'under-review');
    // One extension per round: it is no longer offered, and refused (409).
    expect(await everyoneSees(id, 'under-review')).toMatchObject({ 'legal-review': ['giveOpinion', 'requestMaterial'] });

    await act(id, review, 'giveOpinion', opinion('fail', ['law-and-discretion']), 'awaiting-response');
    expect(await everyoneSees(id, 'awaiting-response')).toMatchObject({ agency: ['acceptOpinion', 'disputeOpinion', 'withdraw'], 'legal-review': [] });

    await act(id, agency, 'disputeOpinion', BODIES.disputeOpinion(), 'in-coordination');
    expect(await everyoneSees(id, 'in-coordination')).toMatchObject({ agency: ['withdraw'], 'agency-head': ['coordinate'], office: ['coordinate'] });

    await act(id, head, 'coordinate', { ...(BODIES.coordinate() as object), outcome: 'revise' }, 'awaiting-revision');
    expect(await everyoneSees(id, 'awaiting-revision')).toMatchObject({ agency: ['resubmit', 'withdraw'], 'agency-head': [] });

    await act(id, agency, 'resubmit', BODIES.resubmit(), 'under-review');
    await act(id, review, 'giveOpinion', opinion('pass'), 'awaiting-response');
    // Nothing to dispute in a pass.
    expect(await everyoneSees(id, 'awaiting-response')).toMatchObject({ agency: ['acceptOpinion', 'withdraw'] });

    await act(id, agency, 'acceptOpinion', BODIES.acceptOpinion(), 'awaiting-decision');
    expect(await everyoneSees(id, 'awaiting-decision')).toMatchObject({ agency: ['withdraw'], 'agency-head': ['decide'], office: [] });

    await act(id, head, 'decide', BODIES.decide(), 'decided');
    expect(await everyoneSees(id, 'decided')).toMatchObject({ agency: ['recordPublication', 'recordFiling'], 'agency-head': [] });

    await act(id, agency, 'recordPublication', BODIES.recordPublication(), 'decided');
    // Published: the filing, and a correction of what was published.
    expect(await everyoneSees(id, 'decided')).toMatchObject({ agency: ['recordFiling', 'correctPublication'] });

    await act(id, agency, 'recordFiling', BODIES.recordFiling(), 'closed');
    expect(await everyoneSees(id, 'closed')).toMatchObject({ agency: ['correctPublication'], 'legal-review': [], 'agency-head': [], office: [] });
  }, 300_000);

  it('a suspected crime: the transfer opinion, awaiting the transfer, transferred; and a withdrawal', async () => {
    const id = await submit({ majorPenalty: false });
    await act(id, review, 'giveOpinion', opinion('transfer', ['no-suspected-crime']), 'awaiting-response');
    expect(await everyoneSees(id, 'awaiting-response')).toMatchObject({ agency: ['acceptOpinion', 'disputeOpinion', 'withdraw'] });

    await act(id, agency, 'acceptOpinion', BODIES.acceptOpinion(), 'awaiting-transfer');
    // A transfer binds: no withdrawal, no decision.
    expect(await everyoneSees(id, 'awaiting-transfer')).toMatchObject({ agency: ['recordTransfer'], 'agency-head': [], office: [] });

    await act(id, agency, 'recordTransfer', BODIES.recordTransfer(), 'transferred');
    expect(await everyoneSees(id, 'transferred')).toMatchObject({ agency: [], office: [] });

    const withdrawn = await submit({ majorPenalty: false });
    await act(withdrawn, agency, 'withdraw', BODIES.withdraw(), 'withdrawn');
    expect(await everyoneSees(withdrawn, 'withdrawn')).toMatchObject({ agency: [], 'legal-review': [] });
  }, 300_000);

  /** The site's page for every caller against the API's answer; every action not offered refused, the site unchanged. */
  async function everyoneSeesSite(siteId: string, year: number, stage: string) {
    const path = `/api/sites/${encodeURIComponent(siteId)}`;
    const site = { agencyId: siteId.split(':')[1]!, year };
    const seen: Record<string, string[]> = {};
    for (const caller of CALLERS) {
      const page = tabs.get(caller.who)!;
      const state = await api('GET', path, caller);
      await open(page, `#/site/${encodeURIComponent(siteId)}`);
      const foreign = caller.agencyId !== undefined && caller.agencyId !== site.agencyId;
      if (foreign) {
        expect(state.status).toBe(404);
        await eventually(() => page.locator('main .form-error').innerText()).toContain('没有该示范点');
        expect(await page.locator('section[aria-labelledby="site-actions"] [data-action]').count()).toBe(0);
        for (const [action, row] of Object.entries(DEMO_SITE.actions)) {
          const status = (await api('POST', sitePath(siteId, year, row.path), caller, SITE_BODIES[action as keyof typeof SITE_BODIES](site))).status;
          // Not found for a site it may not see; the campaign's notice is the office's (403).
          expect({ action, refused: [403, 404].includes(status) }).toEqual({ action, refused: true });
        }
        seen[caller.who] = [];
        continue;
      }
      expect(state.status).toBe(200);
      expect(state.body.stage).toBe(stage);
      const allowed: Array<{ action: string; path: string; label: string }> = state.body.allowedActions;
      await eventually(() => page.locator('main p.row .badge').first().innerText()).toBe(state.body.stageLabel);
      // Each offered action once, in the API's order, with the API's words on its button.
      expect({ who: caller.who, stage, drawn: await drawnSiteActions(page) }).toEqual({ who: caller.who, stage, drawn: allowed.map((a) => ({ action: a.action, button: a.label })) });
      const names = allowed.map((a) => a.action);
      for (const [action, row] of Object.entries(DEMO_SITE.actions)) {
        if (names.includes(action)) continue;
        const refused = await api('POST', sitePath(siteId, year, row.path), caller, SITE_BODIES[action as keyof typeof SITE_BODIES](site));
        expect({ who: caller.who, stage, action, status: [403, 409, 422].includes(refused.status) ? 'refused' : refused.status }).toEqual({ who: caller.who, stage, action, status: 'refused' });
      }
      seen[caller.who] = names;
    }
    expect((await api('GET', path, CALLERS[3]!)).body.stage).toBe(stage);
    return seen;
  }

  it('a demonstration site: applied, a cultivation target; and one not made a target', async () => {
    // Next year's campaign is open (applications close on May 31).
    const year = Number(today().slice(0, 4)) + 1;
    const office = CALLERS[3]!;
    const siteId = siteWorkflowId('county-market', year);
    expect((await api('POST', `/api/site-campaigns/${year}/applications`, agency, sampleApplication())).status).toBe(201);
    expect(await everyoneSeesSite(siteId, year, 'applied')).toMatchObject({ agency: [], 'legal-review': [], 'agency-head': [], office: ['screen'] });

    expect((await api('POST', sitePath(siteId, year, DEMO_SITE.actions.screen.path), office, { decision: 'target' })).body.stage).toBe('cultivating');
    const cultivating = await everyoneSeesSite(siteId, year, 'cultivating');
    expect(cultivating).toMatchObject({ agency: [], 'legal-review': [], 'agency-head': [] });
    expect(cultivating.office).toEqual(expect.arrayContaining(['recordVisit', 'recordAcceptance']));

    // Another agency's site, as its own agency sees it (the demo agency's roles: not found).
    const other = { who: 'other agency', role: 'agency' as Role, agencyId: 'county-ecology' };
    const rejectedId = siteWorkflowId('county-ecology', year);
    expect((await api('POST', `/api/site-campaigns/${year}/applications`, other, sampleApplication('县生态环境分局'))).status).toBe(201);
    expect((await api('POST', sitePath(rejectedId, year, DEMO_SITE.actions.screen.path), office, { decision: 'reject', reason: '近三年工作基础薄弱' })).body.stage).toBe('rejected');
    const page = tabs.get(other.who)!;
    const state = await api('GET', `/api/sites/${encodeURIComponent(rejectedId)}`, other);
    expect(state.body).toMatchObject({ stage: 'rejected', allowedActions: [] });
    await open(page, `#/site/${encodeURIComponent(rejectedId)}`);
    await eventually(() => page.locator('main p.row .badge').first().innerText()).toBe(state.body.stageLabel);
    expect(await page.locator('section[aria-labelledby="site-actions"] [data-action]').count()).toBe(0);
    expect((await api('GET', `/api/sites/${encodeURIComponent(rejectedId)}`, office)).body.allowedActions).toEqual([]);
    for (const [action, row] of Object.entries(DEMO_SITE.actions)) {
      const refused = await api('POST', sitePath(rejectedId, year, row.path), office, SITE_BODIES[action as keyof typeof SITE_BODIES]({ agencyId: 'county-ecology', year }));
      expect({ action, refused: [403, 409, 422].includes(refused.status) }).toEqual({ action, refused: true });
    }
  }, 300_000);
});

