/**
 * The agencies' recurring duties across a year boundary, on the time-skipping server: the
 * statistics report drafted from cases run through the real legal-review workflow, reminders and
 * escalations on the right days, a late submission recorded as late, a missing one as missing, and
 * a worker that was down over a due date catching up when it returns.
 */
import { AgencyDirectory } from '../platform/agencies.js';
import { ensureAgencyDuties } from '../platform/duties.js';
import { describe, expect, it, vi } from 'vitest';
import { shanghaiInstant } from '../domain/calendar.js';
import { shanghaiDateOf } from '../domain/shanghai-time.js';
import { createWorker } from '../worker/worker.js';
import { agencies, bearer, harness, opinion, sampleSubmission, useTimeSkippingEnv, workflowBundle, type Harness } from './helpers.js';

const testEnv = useTimeSkippingEnv();

async function skipTo(instant: string) {
  const now = await testEnv().currentTimeMs();
  if (Date.parse(instant) > now) await testEnv().sleep(Date.parse(instant) - now);
}

function api(h: Harness) {
  const call = async (method: 'GET' | 'POST', url: string, role: Parameters<typeof bearer>[1] | null, payload?: object) => {
    const res = await h.app.inject({ method, url, headers: role ? bearer(h.config, role) : {}, payload });
    return { status: res.statusCode, body: res.json() };
  };
  const caseUrl = (caseId: string) => `/api/decisions/${encodeURIComponent(caseId)}`;
  return {
    call,
    async submit(overrides: Parameters<typeof sampleSubmission>[0] = {}) {
      const res = await call('POST', '/api/decisions', 'agency', sampleSubmission(overrides));
      expect(res.status).toBe(201);
      return res.body.caseId as string;
    },
    act: (caseId: string, path: string, role: Parameters<typeof bearer>[1], payload: object) => call('POST', `${caseUrl(caseId)}/${path}`, role, payload),
    duties: async () => (await call('GET', '/api/duties/county-market', 'agency')).body,
    timeline: async () => (await call('GET', '/api/duties/county-market/timeline', 'office')).body as Array<{ action: string; summary: string }>,
    inbox: async (role: 'agency' | 'office') => (await call('GET', '/api/reminders?limit=200', role)).body.items as Array<{ kind: string; subject: string }>,
  };
}

describe('recurring duties of an agency', () => {
  it('drafts the statistics report from the year’s cases, reminds, escalates, and records late and missing', async () => {
    // Without a workflow cache the first worker leaves no sticky task queue behind: the
    // time-skipping server would otherwise hold the next task for it while its clock is locked.
    // A worker without a cache cannot run local activities, so these workflows ask the calendar
    // with regular ones (CALENDAR_LOCAL_ACTIVITIES=false, as an operator would set for such a worker).
    const h = await harness(testEnv(), { CALENDAR_LOCAL_ACTIVITIES: 'false' }, { maxCachedWorkflows: 0 });
    const a = api(h);
    const today = () => testEnv().currentTimeMs().then(shanghaiDateOf);

    await h.run(async () => {
      // The agency's duties, as the worker starts them for every agency at start-up.
      await ensureAgencyDuties(testEnv().client, new AgencyDirectory([agencies.get('county-market')!]), h.config);
      // 2026: three decisions, one transfer, one dispute overruled.
      const onTime = await a.submit({ category: 'penalty', majorPenalty: true });
      await a.act(onTime, 'opinion', 'legal-review', opinion('pass'));
      await a.act(onTime, 'accept', 'agency', {});
      await a.act(onTime, 'decision', 'agency-head', { decision: '罚款', documentNumber: 'D1' });
      await a.act(onTime, 'publication', 'agency', { publishedOn: await today(), channel: '县政府网站' });
      await a.act(onTime, 'filing', 'agency', { fileNumber: '备-1', filedOn: await today() });

      const late = await a.submit({ category: 'licence', majorPenalty: false });
      await a.act(late, 'opinion', 'legal-review', opinion('fail', ['law-and-discretion']));
      await a.act(late, 'dispute', 'agency', { reasons: '裁量适当' });
      await a.act(late, 'coordination', 'agency-head', { outcome: 'overrule', forum: 'agency-head', participants: ['局长'], minutes: '纪要', reasons: '理由' });
      const decidedLate = (await a.act(late, 'decision', 'agency-head', { decision: '准予许可', documentNumber: 'D2' })).body;

      const transferred = await a.submit({ category: 'penalty', majorPenalty: false });
      await a.act(transferred, 'opinion', 'legal-review', opinion('transfer', ['no-suspected-crime']));
      await a.act(transferred, 'accept', 'agency', {});
      await a.act(transferred, 'transfer', 'agency', { organ: '县公安局', transferredOn: await today(), letterNumber: '移-1' });

      // A licence (published within 7 working days), so its publication is missed well before the
      // year ends whatever December day the test runs on until the 21st; a 20-day one decided in
      // December would fall due in January, not missing from 2026's report.
      const missing = await a.submit({ category: 'licence', majorPenalty: false });
      await a.act(missing, 'opinion', 'legal-review', opinion('pass'));
      await a.act(missing, 'accept', 'agency', {});
      await a.act(missing, 'decision', 'agency-head', { decision: '责令改正', documentNumber: 'D3' });

      // The licence publication falls overdue, then is published late.
      const due = decidedLate.deadlines.find((d: { name: string }) => d.name === 'publication');
      await skipTo(new Date(Date.parse(due.dueAt) + 86_400_000).toISOString());
      await vi.waitFor(async () => expect((await a.call('GET', `/api/decisions/${encodeURIComponent(late)}`, 'office')).body.overdue).toBe(true), { timeout: 10_000 });
      await a.act(late, 'publication', 'agency', { publishedOn: await today(), channel: '县政府网站' });

      // The year ends: the 2026 run records what is missing and continues as new into 2027.
      await skipTo(shanghaiInstant('2027-01-04', 10));
      await vi.waitFor(async () => expect((await a.duties()).year).toBe(2027), { timeout: 10_000 });
      const duties = await a.duties();
      expect(duties.history[0]).toMatchObject({ year: 2026, caseFileReviews: expect.arrayContaining([{ quarter: 4, status: 'missing', failing: 0 }]) });
      expect((await a.timeline()).map((e) => e.summary)).toContain('第四季度案卷评查未报送（缺失）');

      // The 2026 statistics report, drafted from those cases' outcomes (counted in the records database).
      expect(duties.statisticsReport).toMatchObject({ coversYear: 2026, status: 'open' });
      expect(duties.statisticsReport.draft).toMatchObject({
        decisions: { total: 3, byCategory: { penalty: 1, licence: 2 } },
        legalReviews: { opinions: 4, byConclusion: { pass: 2, fail: 1, transfer: 1 } },
        disputes: { total: 1, byOutcome: { overrule: 1 } },
        publications: { onTime: 1, late: 1, missing: 1 },
        filings: { onTime: 1, late: 0, missing: 0 },
        transfers: 1,
      });

      // The missing publication is made at last (late): the case stops escalating every working day.
      await a.act(missing, 'publication', 'agency', { publishedOn: await today(), channel: '县政府网站' });

      // "1月31日前": January 31, 2027 is a Sunday, so the period ends on Monday February 1 (民法典
      // art. 203). Reminded five working days before (Mon Jan 25, 09:00), escalated after it.
      const report = duties.deadlines.find((d: { name: string }) => d.name === 'statistics-report');
      expect(report.dueDate).toBe('2027-02-01');
      expect(report.remindAt).toBe(shanghaiInstant('2027-01-25', 9));
      await skipTo(new Date(Date.parse(report.remindAt) + 60_000).toISOString());
      await vi.waitFor(async () => expect((await a.inbox('agency')).filter((n) => n.kind === 'reminder' && n.subject.includes('统计报告'))).toHaveLength(1), { timeout: 10_000 });
      await skipTo(new Date(Date.parse(report.dueAt) + 60_000).toISOString());
      await vi.waitFor(async () => expect((await a.inbox('office')).filter((n) => n.kind === 'escalation' && n.subject.includes('统计报告'))).toHaveLength(1), { timeout: 10_000 });

      const submitted = await a.call('POST', '/api/duties/county-market/statistics-report', 'agency', { note: '经核对无误' });
      expect(submitted.status).toBe(200);
      expect(submitted.body.statisticsReport).toMatchObject({ status: 'done', submitted: { late: true, figures: { decisions: { total: 3 } } } });
      // The public list reads the records database: it shows the report once its write is done.
      await vi.waitFor(async () => {
        const published = await a.call('GET', '/api/public/reports?year=2026', null);
        expect(published.body.reports).toEqual([expect.objectContaining({ agencyId: 'county-market', late: true, figures: expect.objectContaining({ transfers: 1 }) })]);
      }, { timeout: 10_000 });
      expect((await a.call('POST', '/api/duties/county-market/statistics-report', 'office', {})).status).toBe(403);

      // A quarter's case-file review: grades, and the failing file for the office.
      const reviewed = await a.call('POST', '/api/duties/county-market/case-file-reviews', 'agency', {
        quarter: 1,
        files: [
          { ref: '罚-1', score: 95 },
          { ref: '罚-2', score: 80 },
          { ref: '罚-3', score: 65 },
        ],
      });
      expect(reviewed.body.caseFileReviews['1'].record).toMatchObject({ failing: ['罚-3'], files: [{ grade: '优秀' }, { grade: '合格' }, { grade: '不合格' }] });
    });

    // The worker is down over April 30: when it returns, the self-inspection escalates once.
    const overdue = skipTo(shanghaiInstant('2027-05-06', 10));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const returning = await createWorker({
      connection: testEnv().nativeConnection,
      namespace: 'default',
      client: testEnv().client,
      taskQueue: h.config.TEMPORAL_TASK_QUEUE,
      agencies,
      webhookSecret: h.config.WEBHOOK_SECRET,
      workflowBundle: await workflowBundle(),
      records: h.records,
    });
    await returning.runUntil(async () => {
      await overdue;
      await vi.waitFor(async () => expect((await a.duties()).selfInspection.status).toBe('open'), { timeout: 10_000 });
      await vi.waitFor(async () => expect((await a.timeline()).filter((e) => e.action === 'escalation' && e.summary.includes('回头看'))).toHaveLength(1), { timeout: 10_000 });
      const lateReport = await a.call('POST', '/api/duties/county-market/self-inspection', 'agency', { summary: '三项制度落实情况自查', problems: ['音像记录不全'], measures: ['配齐执法记录仪'] });
      expect(lateReport.body.selfInspection.submitted.late).toBe(true);
    });
  });
});
