/**
 * The public notice of the proposed list (公示) is one Update on the year's campaign: every listed
 * site goes under notice, or none does. Through the real API and with a raw Temporal client, on the
 * time-skipping server (moved to August for the acceptance).
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it, vi } from 'vitest';
import { shanghaiInstant } from '../domain/calendar.js';
import { shanghaiDateOf } from '../domain/shanghai-time.js';
import { createSiteNoticeActivities } from '../activities/site-notice.js';
import { campaignQuery, campaignWorkflowId, noticeUpdate, siteStateQuery, siteTimelineQuery, siteWorkflowId } from '../workflows/demo-site-messages.js';
import { acceptanceMethods, bearer, harness, sampleApplication, sampleScoreSheet, useTimeSkippingEnv, type Harness } from './helpers.js';

const testEnv = useTimeSkippingEnv();
const AGENCIES = ['county-market', 'county-ecology', 'county-transport', 'county-health'];

async function skipTo(date: string, hour = 10) {
  const target = Date.parse(shanghaiInstant(date, hour));
  const now = await testEnv().currentTimeMs();
  if (target > now) await testEnv().sleep(target - now);
}

function api(h: Harness, year: number) {
  const call = async (method: 'GET' | 'POST', url: string, role: Parameters<typeof bearer>[1], payload?: object, agencyId?: string) => {
    const res = await h.app.inject({ method, url, headers: bearer(h.config, role, agencyId), payload });
    return { status: res.statusCode, body: res.json() };
  };
  const site = (agencyId: string) => `/api/sites/${encodeURIComponent(siteWorkflowId(agencyId, year))}`;
  return {
    call,
    notice: (agencyIds: string[]) => call('POST', `/api/site-campaigns/${year}/notice`, 'office', { agencyIds, channel: '县政府门户网站' }),
    stage: async (agencyId: string) => (await call('GET', site(agencyId), 'office')).body.stage as string,
    timeline: async (agencyId: string) => (await call('GET', `${site(agencyId)}/timeline`, 'office')).body as Array<{ action: string }>,
    campaign: async () => (await call('GET', `/api/site-campaigns/${year}`, 'office')).body,
  };
}

/**
 * A campaign of next year (whatever the server's clock): four targets; on August 3 county-market and
 * county-transport pass the acceptance, county-health fails it, county-ecology is not yet accepted.
 */
async function campaignInAugust(h: Harness) {
  const year = Number(shanghaiDateOf(await testEnv().currentTimeMs()).slice(0, 4)) + 1;
  h.endAfterTest(campaignWorkflowId(year));
  for (const id of AGENCIES) h.endAfterTest(siteWorkflowId(id, year));
  const a = api(h, year);
  for (const id of AGENCIES) {
    expect((await a.call('POST', `/api/site-campaigns/${year}/applications`, 'agency', sampleApplication(), id)).status).toBe(201);
    expect((await a.call('POST', `/api/sites/${encodeURIComponent(siteWorkflowId(id, year))}/screening`, 'office', { decision: 'target' })).status).toBe(200);
  }
  await skipTo(`${year}-08-03`);
  const accept = (id: string, sheet: object) =>
    a.call('POST', `/api/sites/${encodeURIComponent(siteWorkflowId(id, year))}/acceptance`, 'office', { acceptedOn: `${year}-08-03`, methods: acceptanceMethods(), scoreSheet: sheet });
  expect((await accept('county-market', sampleScoreSheet())).body.stage).toBe('accepted');
  expect((await accept('county-transport', sampleScoreSheet())).body.stage).toBe('accepted');
  expect((await accept('county-health', sampleScoreSheet({ caseFiles: [{ ref: '案卷-9', score: 70 }] }))).body.stage).toBe('not-passed');
  return { year, a };
}

/** The campaign's 'notice' Updates its history holds (a refusal by the validator writes none). */
async function acceptedNoticeUpdates(workflowId: string): Promise<number> {
  const history = await testEnv().client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'notice').length;
}

describe('the public notice of the proposed list', () => {
  it('through the API: a list with a site not accepted puts no site under notice; a valid list puts all under notice', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const { year, a } = await campaignInAugust(h);

      // county-ecology is still a cultivation target: the whole list is refused, naming it.
      const mixed = await a.notice(['county-market', 'county-ecology']);
      expect(mixed.status).toBe(409);
      expect(mixed.body.message).toContain('县生态环境分局（county-ecology）：培育对象（指导中）');
      expect(mixed.body.message).not.toContain('county-market');
      expect(mixed.body.details).toMatchObject({ type: 'InvalidTransition', agencyIds: ['county-ecology'] });
      expect(await a.stage('county-market')).toBe('accepted');
      expect(await a.stage('county-ecology')).toBe('cultivating');
      expect((await a.timeline('county-market')).map((e) => e.action)).not.toContain('startNotice');

      // A site the campaign knows failed its acceptance: refused by the validator alone.
      await vi.waitFor(async () => expect((await a.campaign()).sites['county-health']).toBe('not-passed'), { timeout: 10_000 });
      const failed = await a.notice(['county-transport', 'county-health']);
      expect(failed.status).toBe(409);
      expect(failed.body.message).toContain('县卫生健康委员会（county-health）：验收未达标');
      expect(await a.stage('county-transport')).toBe('accepted');

      // Named twice, or an agency that did not apply: 422, naming it.
      const twice = await a.notice(['county-market', 'county-market']);
      expect(twice.status).toBe(422);
      expect(twice.body.message).toContain('县市场监督管理局（county-market）在名单中重复列出');
      const stranger = await a.notice(['county-market', 'county-water']);
      expect(stranger.status).toBe(422);
      expect(stranger.body.message).toContain(`county-water未申报${year}年度示范点创建`);
      expect((await a.call('POST', `/api/site-campaigns/${year}/notice`, 'agency', { agencyIds: ['county-market'], channel: '县政府门户网站' })).status).toBe(403);
      expect(await a.stage('county-market')).toBe('accepted');
      expect((await a.campaign()).notices).toBeUndefined();

      // The valid list: both sites under notice, in one answer.
      const notice = await a.notice(['county-market', 'county-transport']);
      expect(notice.status).toBe(200);
      expect(notice.body.sites.map((s: { agencyId: string; stage: string }) => [s.agencyId, s.stage])).toEqual([
        ['county-market', 'under-notice'],
        ['county-transport', 'under-notice'],
      ]);
      for (const id of ['county-market', 'county-transport']) {
        expect(await a.stage(id)).toBe('under-notice');
        expect((await a.timeline(id)).filter((e) => e.action === 'startNotice')).toHaveLength(1);
      }
      const campaign = await a.campaign();
      expect(campaign.notices).toEqual([expect.objectContaining({ agencyIds: ['county-market', 'county-transport'], channel: '县政府门户网站' })]);
      expect(campaign.sites).toMatchObject({ 'county-market': 'under-notice', 'county-transport': 'under-notice' });

      // Once under notice, a site cannot be listed again.
      const again = await a.notice(['county-market']);
      expect(again.status).toBe(409);
      expect(again.body.message).toContain('县市场监督管理局（county-market）：公示中');

      // No campaign for a year nobody applied for.
      expect((await a.call('POST', `/api/site-campaigns/${year + 5}/notice`, 'office', { agencyIds: ['county-market'], channel: '县政府门户网站' })).status).toBe(404);
    });
  });

  it('with a raw Temporal client: a bad list is refused by the campaign and nothing changes', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const { year } = await campaignInAugust(h);
      const client = testEnv().client;
      const campaign = client.workflow.getHandle(campaignWorkflowId(year));
      const office = { role: 'office' as const, name: '直连客户端' };
      const send = (actor: { role: 'office' | 'agency'; agencyId?: string }, body: unknown) => campaign.executeUpdate(noticeUpdate, { args: [actor, body as never] });
      const refusal = async (promise: Promise<unknown>) => {
        const err = await promise.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
        const cause = (err as WorkflowUpdateFailedError).cause;
        expect(cause).toBeInstanceOf(ApplicationFailure);
        return cause as ApplicationFailure;
      };
      const stages = async () => Object.fromEntries(await Promise.all(AGENCIES.map(async (id) => [id, (await client.workflow.getHandle(siteWorkflowId(id, year)).query(siteStateQuery)).stage])));

      await vi.waitFor(async () => expect((await campaign.query(campaignQuery)).sites['county-health']).toBe('not-passed'), { timeout: 10_000 });
      const before = { campaign: await campaign.query(campaignQuery), stages: await stages(), updates: await acceptedNoticeUpdates(campaign.workflowId) };
      expect(before.stages).toEqual({ 'county-market': 'accepted', 'county-ecology': 'cultivating', 'county-transport': 'accepted', 'county-health': 'not-passed' });

      // Refused by the validator: nothing is written to the campaign's history.
      const byValidator: Array<[{ role: 'office' | 'agency'; agencyId?: string }, unknown, string, RegExp]> = [
        [{ role: 'agency', agencyId: 'county-market' }, { agencyIds: ['county-market'], channel: '网站' }, 'Forbidden', /发布拟命名公示：由县领导小组办公室办理/],
        [office, { agencyIds: [], channel: '网站' }, 'RuleViolation', /至少一个单位/],
        [office, { agencyIds: ['county-market', 'county-transport', 'county-market'], channel: '网站' }, 'RuleViolation', /县市场监督管理局（county-market）在名单中重复列出/],
        [office, { agencyIds: ['county-market', 'county-water'], channel: '网站' }, 'RuleViolation', /county-water未申报/],
        [office, { agencyIds: ['county-market'], channel: '' }, 'RuleViolation', /公示渠道/],
        [office, 'not a body', 'RuleViolation', /请求体：须为对象/],
        [office, { agencyIds: ['county-market', 'county-health'], channel: '网站' }, 'InvalidTransition', /县卫生健康委员会（county-health）：验收未达标/],
      ];
      for (const [actor, body, type, message] of byValidator) {
        const failure = await refusal(send(actor, body));
        expect(failure.type).toBe(type);
        expect(failure.message).toMatch(message);
      }
      expect(await acceptedNoticeUpdates(campaign.workflowId)).toBe(before.updates);

      // Refused by the handler after asking the sites (the campaign cannot know county-ecology is
      // not accepted): no site was sent its notice.
      const failure = await refusal(send(office, { agencyIds: ['county-market', 'county-transport', 'county-ecology'], channel: '网站' }));
      expect(failure.type).toBe('InvalidTransition');
      expect(failure.message).toContain('县生态环境分局（county-ecology）：培育对象（指导中）');
      expect(failure.message).not.toContain('county-market');

      expect(await stages()).toEqual(before.stages);
      expect(await campaign.query(campaignQuery)).toEqual(before.campaign);
      for (const id of ['county-market', 'county-transport']) {
        const site = await client.workflow.getHandle(siteWorkflowId(id, year)).query(siteStateQuery);
        expect(site.notice).toBeUndefined();
      }

      expect(await acceptedNoticeUpdates(campaign.workflowId)).toBe(before.updates + 1);

      // The same Update with a good list goes through, for all listed sites.
      const args: [typeof office, { agencyIds: string[]; channel: string }] = [office, { agencyIds: ['county-market', 'county-transport'], channel: '网站' }];
      const done = await campaign.executeUpdate(noticeUpdate, { args, updateId: 'notice-1' });
      expect(done.sites.map((s) => s.stage)).toEqual(['under-notice', 'under-notice']);
      expect(await stages()).toEqual({ ...before.stages, 'county-market': 'under-notice', 'county-transport': 'under-notice' });

      // A site's step retried after its answer was lost (a worker crashed) is the same Update again,
      // not a second notice.
      const retried = await createSiteNoticeActivities({ client }).startSiteNotice({ siteId: siteWorkflowId('county-market', year), actor: office, channel: '网站', updateId: 'notice-1:county-market' });
      expect(retried.stage).toBe('under-notice');
      const timeline = await client.workflow.getHandle(siteWorkflowId('county-market', year)).query(siteTimelineQuery);
      expect(timeline.filter((e) => e.action === 'startNotice')).toHaveLength(1);
    });
  });
});
