/**
 * Demonstration-site creation through the real API on the time-skipping server: a whole campaign
 * year, and twenty years of a named site's re-inspections.
 */
import { describe, expect, it, vi } from 'vitest';
import { dayInfo, shanghaiInstant } from '../domain/calendar.js';
import { shanghaiDateOf } from '../domain/shanghai-time.js';
import { campaignWorkflowId, siteWorkflowId } from '../workflows/demo-site-messages.js';
import { acceptanceMethods, bearer, harness, sampleApplication, sampleScoreSheet, useTimeSkippingEnv, type Harness } from './helpers.js';

const testEnv = useTimeSkippingEnv();
const YEAR = 2027;

/** Moves the test server's clock to a Shanghai wall time (only forward). */
async function skipTo(date: string, hour = 10) {
  const target = Date.parse(shanghaiInstant(date, hour));
  const now = await testEnv().currentTimeMs();
  if (target > now) await testEnv().sleep(target - now);
}

function api(h: Harness) {
  const call = async (method: 'GET' | 'POST', url: string, role: Parameters<typeof bearer>[1] | null, payload?: object, agencyId?: string) => {
    const res = await h.app.inject({ method, url, headers: role ? bearer(h.config, role, agencyId) : {}, payload });
    return { status: res.statusCode, body: res.json() };
  };
  const site = (agencyId: string, year = YEAR) => `/api/sites/${encodeURIComponent(siteWorkflowId(agencyId, year))}`;
  return {
    call,
    site,
    apply: (agencyId: string, year = YEAR) => call('POST', `/api/site-campaigns/${year}/applications`, 'agency', sampleApplication(), agencyId),
    office: (agencyId: string, action: string, payload: object, year = YEAR) => call('POST', `${site(agencyId, year)}/${action}`, 'office', payload),
    state: async (agencyId: string, year = YEAR) => (await call('GET', site(agencyId, year), 'office')).body,
    timeline: async (agencyId: string, year = YEAR) => (await call('GET', `${site(agencyId, year)}/timeline`, 'office')).body as Array<{ action: string; summary: string; words?: string }>,
    inbox: async () => (await call('GET', '/api/reminders?limit=200', 'office')).body.items as Array<{ kind: string; subject: string; subjectRef?: { id: string } }>,
  };
}

describe('a demonstration-site campaign year', () => {
  it('runs from the May applications to the title, with guidance, scoring, notice and objections', async () => {
    const h = await harness(testEnv());
    const a = api(h);
    const agencies = ['county-market', 'county-ecology', 'county-transport', 'county-health', 'town-chengguan'];
    h.endAfterTest(campaignWorkflowId(YEAR));
    for (const id of [...agencies, 'county-water']) h.endAfterTest(siteWorkflowId(id, YEAR));

    await h.run(async () => {
      // Applications (申报) until the end of May 31.
      for (const id of agencies) expect((await a.apply(id)).status).toBe(201);
      const twice = await a.apply('county-market');
      expect(twice.status).toBe(409);
      expect(twice.body.message).toMatch(/申报示范点：county-market已申报2027年度示范点创建/);

      // Screening on March 1: four targets, one rejected with a reason.
      await skipTo(`${YEAR}-03-01`);
      for (const id of agencies.slice(0, 4)) expect((await a.office(id, 'screening', { decision: 'target' })).body.stage).toBe('cultivating');
      const rejected = await a.office('town-chengguan', 'screening', { decision: 'reject', reason: '执法基础薄弱，暂不具备创建条件' });
      expect(rejected.body.stage).toBe('rejected');
      expect((await a.call('POST', `${a.site('county-market')}/screening`, 'agency', { decision: 'target' }, 'county-market')).status).toBe(403);

      // The 2-3 targets recommended to the city office: one or four are refused.
      const tooFew = await a.call('POST', `/api/site-campaigns/${YEAR}/recommendation`, 'office', { agencyIds: ['county-market'], opinion: '推荐' });
      expect(tooFew.status).toBe(422);
      expect(tooFew.body.message).toMatch(/推荐上报市级：推荐单位：须推荐2至3个培育对象/);
      const rejectedOne = await a.call('POST', `/api/site-campaigns/${YEAR}/recommendation`, 'office', { agencyIds: ['county-market', 'town-chengguan'], opinion: '推荐' });
      expect(rejectedOne.body.message).toMatch(/推荐上报市级：推荐单位：town-chengguan不是2027年度培育对象/);
      const recommended = await a.call('POST', `/api/site-campaigns/${YEAR}/recommendation`, 'office', { agencyIds: ['county-market', 'county-transport'], opinion: '基础条件好，队伍素质高，同意推荐' });
      expect(recommended.status).toBe(200);

      // Guidance: one visit every two months from selection (periods end Apr 30, Jun 30, Aug 31).
      const market = await a.state('county-market');
      expect(market.deadlines.find((d: { name: string }) => d.name === 'visit').dueDate).toBe(`${YEAR}-04-30`);
      await a.office('county-market', 'visits', { visitedOn: `${YEAR}-03-01`, people: ['县司法局 王科长'], findings: '权责清单已公开', followUps: '完善台账' });
      expect((await a.state('county-market')).deadlines.find((d: { name: string }) => d.name === 'visit').dueDate).toBe(`${YEAR}-06-30`);

      // A late application after May 31 is refused with the reason.
      await skipTo(`${YEAR}-06-01`);
      const late = await a.apply('county-water');
      expect(late.status).toBe(409);
      expect(late.body.message).toBe('申报示范点：示范点创建活动处于「申报已截止」阶段，不能办理');

      // The second period passes without a visit: the office is escalated to, the miss recorded.
      await skipTo(`${YEAR}-07-02`);
      await vi.waitFor(async () => expect((await a.state('county-market')).missedVisits).toEqual([{ period: 2, dueDate: `${YEAR}-06-30` }]), { timeout: 10_000 });
      const escalations = (await a.inbox()).filter((n) => n.kind === 'escalation' && n.subjectRef?.id === siteWorkflowId('county-market', YEAR));
      expect(escalations.map((n) => n.subject)).toEqual([expect.stringContaining('调研指导')]);
      expect((await a.inbox()).filter((n) => n.kind === 'escalation' && n.subject.includes('审核确定培育对象'))).toEqual([]);
      await a.office('county-market', 'visits', { visitedOn: `${YEAR}-07-02`, people: ['县司法局 王科长'], findings: '整改到位' });
      expect((await a.timeline('county-market')).map((e) => e.action)).toEqual(expect.arrayContaining(['recordVisit', 'missedVisit', 'recordVisit']));

      // Acceptance only from August 1.
      const early = await a.office('county-market', 'acceptance', { acceptedOn: `${YEAR}-07-02`, methods: acceptanceMethods(), scoreSheet: sampleScoreSheet() });
      expect(early.status).toBe(409);
      expect(early.body.message).toBe('记录验收：验收于2027年8、9月份组织，验收日期（acceptedOn）2027-07-02 早于 2027-08-01');

      await skipTo(`${YEAR}-08-16`);
      const day = `${YEAR}-08-16`;
      const passing = await a.office('county-market', 'acceptance', { acceptedOn: day, methods: acceptanceMethods(), scoreSheet: sampleScoreSheet({ bonuses: [{ bonusId: 'demonstration-lead', note: '省级通报表扬' }] }) });
      expect(passing.body).toMatchObject({ stage: 'accepted', acceptance: { result: { general: 100, bonus: 2, passed: true, vetoed: false } } });
      const vetoed = await a.office('county-ecology', 'acceptance', { acceptedOn: day, methods: acceptanceMethods(), scoreSheet: sampleScoreSheet({ caseFiles: [{ ref: '案卷-9', score: 70 }] }) });
      expect(vetoed.body).toMatchObject({ stage: 'not-passed', acceptance: { result: { vetoed: true, passed: false } } });
      expect(vetoed.body.acceptance.result.vetoes.map((v: { basicId: string }) => v.basicId)).toEqual(['failing-case-file']);
      const under = await a.office('county-health', 'acceptance', {
        acceptedOn: day,
        methods: acceptanceMethods(),
        scoreSheet: sampleScoreSheet({
          deductions: [
            { itemId: 'accountability', ruleId: 'not-pursued', occurrences: 1, note: '一起应追责未追责' },
            { itemId: 'case-file-review', ruleId: 'missing-review', occurrences: 1, note: '2025年未开展案卷评查' },
          ],
        }),
      });
      expect(under.body).toMatchObject({ stage: 'not-passed', acceptance: { result: { general: 88, passed: false, vetoed: false, passMark: 90 } } });
      // The law-test item converted from the five scores: 20 × 80 ÷ 100 = 16, so 4 off the 100.
      const lawTests = [90, 85, 80, 75, 70].map((score, i) => ({ officer: `执法人员${i + 1}`, score }));
      const converted = await a.office('county-transport', 'acceptance', { acceptedOn: day, methods: acceptanceMethods(), scoreSheet: sampleScoreSheet({ lawTests }) });
      expect(converted.body).toMatchObject({ stage: 'accepted', acceptance: { result: { general: 96, bonus: 0, passed: true } } });
      const sheet = await a.call('GET', `${a.site('county-health')}/score-sheet`, 'agency', undefined, 'county-health');
      expect(sheet.body.result.general).toBe(88);

      // Public notice for one week, and objections.
      const notice = await a.call('POST', `/api/site-campaigns/${YEAR}/notice`, 'office', { agencyIds: ['county-market', 'county-transport'], channel: '县政府门户网站' });
      expect(notice.status).toBe(200);
      const unfit = await a.call('POST', `/api/site-campaigns/${YEAR}/notice`, 'office', { agencyIds: ['county-ecology'], channel: '县政府门户网站' });
      expect(unfit.status).toBe(409);

      const marketId = encodeURIComponent(siteWorkflowId('county-market', YEAR));
      const transportId = encodeURIComponent(siteWorkflowId('county-transport', YEAR));
      const o1 = await a.call('POST', `/api/public/notices/${marketId}/objections`, null, { text: '该局去年有一起执法不规范的投诉', name: '李某', contact: '13800000000' });
      expect(o1.status).toBe(201);
      const o2 = await a.call('POST', `/api/public/notices/${transportId}/objections`, null, { text: '该局执法人员存在临时工持证情况', contact: 'someone@example.com' });
      expect(o2.status).toBe(201);
      const publicView = await a.call('GET', `/api/public/sites/${marketId}`, null);
      expect(publicView.body).toMatchObject({ stage: 'under-notice', objections: { open: 1, resolved: 0 } });
      expect(JSON.stringify(publicView.body)).not.toContain('13800000000');

      // The notice ends after a week; confirmation waits for the open objection.
      await skipTo(`${YEAR}-08-24`);
      await vi.waitFor(async () => expect((await a.state('county-market')).stage).toBe('awaiting-confirmation'), { timeout: 10_000 });
      const tooLate = await a.call('POST', `/api/public/notices/${marketId}/objections`, null, { text: '迟到的异议' });
      expect(tooLate.status).toBe(409);
      const blocked = await a.office('county-market', 'confirmation', {});
      expect(blocked.status).toBe(409);
      expect(blocked.body.message).toBe('确认命名：第 1 件公示异议尚未处理，须先认定成立或不成立');

      const dismissed = await a.call('POST', `${a.site('county-market')}/objections/1/resolution`, 'office', { outcome: 'dismiss', reasons: '经核查，该投诉已依法处理，不影响命名' });
      expect(dismissed.status).toBe(200);
      const upheld = await a.call('POST', `${a.site('county-transport')}/objections/1/resolution`, 'office', { outcome: 'uphold', reasons: '经核查属实' });
      expect(upheld.body.stage).toBe('not-named');

      const named = await a.office('county-market', 'confirmation', { note: '授牌' });
      expect(named.body).toMatchObject({ stage: 'named', title: '行政执法责任制示范点', awardedOn: `${YEAR}-08-24` });
      expect(named.body.deadlines.find((d: { name: string }) => d.name === 'reinspection').dueDate).toBe(`${YEAR + 2}-08-24`);

      const campaign = await a.call('GET', `/api/site-campaigns/${YEAR}`, 'office');
      expect(campaign.body.sites).toEqual({
        'county-market': 'named',
        'county-ecology': 'not-passed',
        'county-transport': 'not-named',
        'county-health': 'not-passed',
        'town-chengguan': 'rejected',
      });
      // The agency sees its own site, never another's.
      expect((await a.call('GET', a.site('county-ecology'), 'agency', undefined, 'county-market')).status).toBe(404);
    });
  });
});

describe('a named site over twenty years', () => {
  it('is re-inspected every two years, continues as new each cycle, and can lose its title', async () => {
    const h = await harness(testEnv());
    const a = api(h);
    // The next year's campaign, whatever the server's clock (other tests move it forward).
    const year = Number(shanghaiDateOf(await testEnv().currentTimeMs()).slice(0, 4)) + 1;
    const id = 'county-ecology';
    const workflowId = siteWorkflowId(id, year);
    h.endAfterTest(campaignWorkflowId(year));
    h.endAfterTest(workflowId);

    await h.run(async () => {
      expect((await a.apply(id, year)).status).toBe(201);
      expect((await a.office(id, 'screening', { decision: 'target' }, year)).status).toBe(200);
      await skipTo(`${year}-08-03`);
      await a.office(id, 'acceptance', { acceptedOn: `${year}-08-03`, methods: acceptanceMethods(), scoreSheet: sampleScoreSheet() }, year);
      await a.call('POST', `/api/site-campaigns/${year}/notice`, 'office', { agencyIds: [id], channel: '县政府门户网站' });
      await skipTo(`${year}-08-11`);
      await vi.waitFor(async () => expect((await a.state(id, year)).stage).toBe('awaiting-confirmation'), { timeout: 10_000 });
      const named = (await a.office(id, 'confirmation', {}, year)).body;
      const awardedOn: string = named.awardedOn;

      const runs = new Set<string>();
      for (let cycle = 1; cycle <= 10; cycle++) {
        const state = await a.state(id, year);
        const due = state.deadlines.find((d: { name: string; met?: unknown }) => d.name === 'reinspection' && !d.met);
        expect(due.dueDate).toBe(`${Number(awardedOn.slice(0, 4)) + 2 * cycle}${awardedOn.slice(4)}`);
        // Reminded ahead of the due date, on a working day, at 09:00.
        await testEnv().sleep(Date.parse(due.remindAt) - (await testEnv().currentTimeMs()) + 60_000);
        await vi.waitFor(async () => expect((await a.timeline(id, year)).filter((e) => e.action === 'reminder' && e.summary.includes('两年复核复查'))).toHaveLength(cycle), { timeout: 10_000 });
        const inspectedOn = shanghaiDateOf(await testEnv().currentTimeMs());
        expect(dayInfo(inspectedOn).working).toBe(true);
        const done = await a.office(id, 'reinspection', { inspectedOn, passed: true, findings: `第${cycle}次复核：示范带动作用明显` }, year);
        expect(done.status).toBe(200);
        await vi.waitFor(async () => expect((await a.state(id, year)).cycle).toBe(cycle), { timeout: 10_000 });
        const description = await testEnv().client.workflow.getHandle(workflowId).describe();
        runs.add(description.runId);
        // Each cycle's run keeps its history small: it continued as new.
        expect(description.historyLength).toBeLessThan(150);
      }
      expect(runs.size).toBe(10);

      const revoked = await a.office(id, 'revocation', { ground: 'illegal-enforcement', details: '执法人员违法执法造成不良社会影响' }, year);
      expect(revoked.body).toMatchObject({ stage: 'revoked', cycle: 10, revocation: { groundLabel: '违法执法造成不良社会影响' } });
      const timeline = await a.timeline(id, year);
      expect(timeline.filter((e) => e.action === 'reinspect')).toHaveLength(10);
      expect(timeline.at(-1)!.action).toBe('revoke');
      const reminders = (await a.inbox()).filter((n) => n.kind === 'reminder' && n.subject.includes('复核复查'));
      expect(reminders).toHaveLength(10);
      // Every re-inspection was on time: the office was never escalated to about one.
      expect((await a.inbox()).filter((n) => n.kind === 'escalation' && n.subject.includes('复核复查'))).toHaveLength(0);
    });
  });
});
