/**
 * What a site offers is what the API accepts: for sites in each of several stages, the
 * `allowedActions` the office and the agency are given (domain/procedures/demo-site.ts) are taken
 * through the real API on the time-skipping server. Every action offered succeeds; every action not
 * offered is refused (403/409/422), in Chinese naming the action, and leaves the site as it was.
 *
 * The sites are of past campaign years, started as their campaigns did (test/reliability/scenarios.ts),
 * so an acceptance can be recorded today, whatever the server's clock.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Role } from '../domain/roles.js';
import { DEMO_SITE } from '../domain/procedures/demo-site.js';
import { shanghaiDateOf } from '../domain/shanghai-time.js';
import { campaignWorkflowId, siteWorkflowId, type SiteActionName } from '../workflows/demo-site-messages.js';
import { agencies, bearer, harness, sampleScoreSheet, useTimeSkippingEnv, type Harness } from './helpers.js';
import { acceptanceBody, startSiteOfYear } from './reliability/scenarios.js';

const testEnv = useTimeSkippingEnv();
const ACTIONS = Object.keys(DEMO_SITE.actions) as SiteActionName[];
const AGENCY_IDS = agencies.list().map((a) => a.id);

interface Site {
  agencyId: string;
  year: number;
  url: string;
}

type Stage =
  | 'applied'
  | 'rejected'
  | 'cultivating'
  | 'accepted'
  | 'not-passed'
  | 'under-notice'
  | 'under-notice, objected'
  | 'awaiting-confirmation'
  | 'awaiting-confirmation, objected'
  | 'named';

function api(h: Harness) {
  const call = async (method: 'GET' | 'POST', url: string, role: Role | null, agencyId?: string, payload?: object) => {
    const res = await h.app.inject({ method, url, headers: role ? bearer(h.config, role, agencyId) : {}, payload });
    return { status: res.statusCode, body: res.json() };
  };
  const today = async () => shanghaiDateOf(await testEnv().currentTimeMs());
  const state = async (site: Site) => {
    const res = await call('GET', site.url, 'office');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const firstOpenObjection = async (site: Site) => ((await state(site)).objections.find((o: { status: string }) => o.status === 'open')?.id as number | undefined) ?? 1;

  /** Takes `action` on `site` as `role` (of the site's own agency), through the route the action has. */
  const take = async (site: Site, action: SiteActionName, role: Role) => {
    const day = await today();
    const as = (url: string, payload: object) => call('POST', url, role, site.agencyId, payload);
    switch (action) {
      case 'screen':
        return as(`${site.url}/screening`, { decision: 'target' });
      case 'recordVisit':
        return as(`${site.url}/visits`, { visitedOn: day, people: ['县司法局 王科长'], findings: '权责清单已公开' });
      case 'recordAcceptance':
        return as(`${site.url}/acceptance`, acceptanceBody(day));
      case 'startNotice':
        return as(`/api/site-campaigns/${site.year}/notice`, { agencyIds: [site.agencyId], channel: '县政府门户网站' });
      case 'resolveObjection':
        return as(`${site.url}/objections/${await firstOpenObjection(site)}/resolution`, { outcome: 'dismiss', reasons: '经核查，不影响命名' });
      case 'confirm':
        return as(`${site.url}/confirmation`, { note: '授牌' });
      case 'reinspect':
        return as(`${site.url}/reinspection`, { inspectedOn: day, passed: true, findings: '示范带动作用明显' });
      case 'revoke':
        return as(`${site.url}/revocation`, { ground: 'stalled', details: '工作停滞不前' });
      case 'recordAssessment':
        return as(`${site.url}/assessment`, { assessmentYear: site.year, effect: 'bonus', points: 2, reason: '创建示范点' });
    }
  };

  /** What may change of a site without an action: its deadlines' reminders and escalations. */
  const snapshot = async (site: Site) => {
    const { deadlines: _deadlines, overdue: _overdue, nextDueAt: _nextDueAt, ...rest } = await state(site);
    const timeline = (await call('GET', `${site.url}/timeline`, 'office')).body as Array<{ by: unknown }>;
    return { state: rest, timeline: timeline.filter((e) => e.by !== 'system') };
  };

  return { call, today, state, take, snapshot };
}

describe('allowedActions of a demonstration site', () => {
  it('are exactly what the API accepts, for the office and the agency, stage by stage', async () => {
    const h = await harness(testEnv());
    const a = api(h);
    // Each stage gets a site per action offered in it (the first also takes every refusal).
    const plan: Array<[Stage, number]> = [
      ['applied', 1],
      ['rejected', 1],
      ['cultivating', 3],
      ['accepted', 2],
      ['not-passed', 1],
      ['under-notice', 1],
      ['under-notice, objected', 2],
      ['awaiting-confirmation', 2],
      ['awaiting-confirmation, objected', 2],
      ['named', 3],
    ];
    const firstYear = Number(shanghaiDateOf(await testEnv().currentTimeMs()).slice(0, 4)) - 5;
    let slot = 0;
    const sites = new Map<Stage, Site[]>();
    for (const [stage, count] of plan) {
      const list: Site[] = [];
      for (let i = 0; i < count; i++, slot++) {
        const agencyId = AGENCY_IDS[slot % AGENCY_IDS.length]!;
        const year = firstYear + Math.floor(slot / AGENCY_IDS.length);
        list.push({ agencyId, year, url: `/api/sites/${encodeURIComponent(siteWorkflowId(agencyId, year))}` });
        h.endAfterTest(siteWorkflowId(agencyId, year));
        h.endAfterTest(campaignWorkflowId(year));
      }
      sites.set(stage, list);
    }

    /** Every action offered succeeds; every other is refused and changes nothing. */
    const check = async (stage: Stage, expected: Record<'office' | 'agency', SiteActionName[]>) => {
      const [probe, ...others] = sites.get(stage)!;
      const offered: Record<'office' | 'agency', SiteActionName[]> = { office: [], agency: [] };
      for (const role of ['office', 'agency'] as const) {
        const res = await a.call('GET', probe!.url, role, probe!.agencyId);
        expect(res.status).toBe(200);
        expect(res.body.stage).toBe(stage.split(',')[0]);
        offered[role] = res.body.allowedActions.map((x: { action: SiteActionName }) => x.action);
        for (const x of res.body.allowedActions) {
          const row = DEMO_SITE.actions[x.action as SiteActionName];
          expect(x).toEqual({ action: x.action, label: row.label, path: row.path.replace('{year}', String(probe!.year)) });
        }
      }
      expect(offered, stage).toEqual(expected);
      expect(offered.office.length, `${stage}: a site for each action offered`).toBeLessThanOrEqual(sites.get(stage)!.length);

      const before = await a.snapshot(probe!);
      for (const role of ['office', 'agency'] as const) {
        for (const action of ACTIONS.filter((name) => !offered[role].includes(name))) {
          const res = await a.take(probe!, action, role);
          expect([403, 409, 422], `${stage}: ${role} ${action}: ${JSON.stringify(res.body)}`).toContain(res.status);
          expect(await a.snapshot(probe!), `${stage}: ${role} ${action} changed the site`).toEqual(before);
        }
      }
      // The office's actions, each on a site of its own in this stage.
      for (const [i, action] of offered.office.entries()) {
        const site = [probe!, ...others][i]!;
        const res = await a.take(site, action, 'office');
        expect(res.status, `${stage}: office ${action}: ${JSON.stringify(res.body)}`).toBe(200);
      }
    };

    await h.run(async () => {
      // Every site started as its year's campaign started it, then driven to its stage.
      for (const list of sites.values()) {
        for (const site of list) await startSiteOfYear(testEnv().client, h.config.TEMPORAL_TASK_QUEUE, site.agencyId, agencies.get(site.agencyId)!.name, site.year);
      }
      for (const list of sites.values()) for (const site of list) await vi.waitFor(async () => expect((await a.call('GET', site.url, 'office')).status).toBe(200), { timeout: 10_000 });
      const office = async (site: Site, path: string, payload: object, stage: string) => {
        const res = await a.call('POST', `${site.url}/${path}`, 'office', undefined, payload);
        expect(res.body.stage, JSON.stringify(res.body)).toBe(stage);
      };
      const day = await a.today();
      for (const [stage, list] of sites) {
        for (const site of list) {
          if (stage === 'applied') continue;
          if (stage === 'rejected') {
            await office(site, 'screening', { decision: 'reject', reason: '执法基础薄弱，暂不具备创建条件' }, 'rejected');
            continue;
          }
          await office(site, 'screening', { decision: 'target' }, 'cultivating');
          if (stage === 'cultivating') continue;
          if (stage === 'not-passed') {
            await office(site, 'acceptance', { ...acceptanceBody(day), scoreSheet: sampleScoreSheet({ caseFiles: [{ ref: '案卷-9', score: 70 }] }) }, 'not-passed');
            continue;
          }
          await office(site, 'acceptance', acceptanceBody(day), 'accepted');
          if (stage === 'accepted') continue;
          const notice = await a.call('POST', `/api/site-campaigns/${site.year}/notice`, 'office', undefined, { agencyIds: [site.agencyId], channel: '县政府门户网站' });
          expect(notice.status, JSON.stringify(notice.body)).toBe(200);
          if (stage.endsWith('objected')) {
            const objection = await a.call('POST', `/api/public/notices/${encodeURIComponent(siteWorkflowId(site.agencyId, site.year))}/objections`, null, undefined, { text: '该局执法人员存在临时工持证情况', name: '李某' });
            expect(objection.status).toBe(201);
          }
        }
      }

      const none: SiteActionName[] = [];
      await check('applied', { office: ['screen'], agency: none });
      await check('rejected', { office: none, agency: none });
      await check('cultivating', { office: ['recordVisit', 'recordAcceptance', 'recordAssessment'], agency: none });
      await check('accepted', { office: ['startNotice', 'recordAssessment'], agency: none });
      await check('not-passed', { office: none, agency: none });
      await check('under-notice', { office: ['recordAssessment'], agency: none });
      await check('under-notice, objected', { office: ['resolveObjection', 'recordAssessment'], agency: none });

      // The notice ends after a week (to a working day): then the title is confirmed, or not yet.
      await testEnv().sleep(12 * 86_400_000);
      for (const stage of ['awaiting-confirmation', 'awaiting-confirmation, objected', 'named'] as const) {
        for (const site of sites.get(stage)!) await vi.waitFor(async () => expect((await a.state(site)).stage).toBe('awaiting-confirmation'), { timeout: 10_000 });
      }
      for (const site of sites.get('named')!) await office(site, 'confirmation', { note: '授牌' }, 'named');

      await check('awaiting-confirmation', { office: ['confirm', 'recordAssessment'], agency: none });
      await check('awaiting-confirmation, objected', { office: ['resolveObjection', 'recordAssessment'], agency: none });
      await check('named', { office: ['reinspect', 'revoke', 'recordAssessment'], agency: none });
    });
  }, 240_000);

  it('refuses in Chinese, naming the action and the stage', async () => {
    const h = await harness(testEnv());
    const a = api(h);
    const year = Number(shanghaiDateOf(await testEnv().currentTimeMs()).slice(0, 4)) - 6;
    const site: Site = { agencyId: 'county-market', year, url: `/api/sites/${encodeURIComponent(siteWorkflowId('county-market', year))}` };
    h.endAfterTest(siteWorkflowId(site.agencyId, year));
    h.endAfterTest(campaignWorkflowId(year));
    await h.run(async () => {
      await startSiteOfYear(testEnv().client, h.config.TEMPORAL_TASK_QUEUE, site.agencyId, '县市场监督管理局', year);
      await vi.waitFor(async () => expect((await a.call('GET', site.url, 'office')).status).toBe(200), { timeout: 10_000 });

      const wrongStage = await a.take(site, 'recordVisit', 'office');
      expect(wrongStage).toMatchObject({ status: 409, body: { message: '记录调研指导：示范点处于「已申报，待审核」阶段，不能办理' } });
      const wrongRole = await a.take(site, 'screen', 'agency');
      expect(wrongRole).toMatchObject({ status: 403, body: { message: '确定培育对象：由县领导小组办公室办理，不是承办机构' } });

      await a.take(site, 'screen', 'office');
      const future = await a.call('POST', `${site.url}/visits`, 'office', undefined, { visitedOn: '2099-01-01', people: ['王科长'], findings: '良好' });
      expect(future.status).toBe(422);
      expect(future.body.message).toMatch(/^记录调研指导：指导日期（visitedOn）2099-01-01 晚于今天/);
      const early = await a.call('POST', `${site.url}/acceptance`, 'office', undefined, acceptanceBody(`${year}-07-31`));
      expect(early).toMatchObject({ status: 409, body: { message: `记录验收：验收于${year}年8、9月份组织，验收日期（acceptedOn）${year}-07-31 早于 ${year}-08-01` } });
    });
  });
});
