/**
 * The legal-review procedure end to end through the real API (app.inject), a real worker and the
 * time-skipping Temporal test server.
 */
import { describe, expect, it, vi } from 'vitest';
import { addWorkingDays, dayInfo, endOfDay, shanghaiInstant, subtractWorkingDays, workingDaysBetween } from '../domain/calendar.js';
import { shanghaiDateOf } from '../domain/shanghai-time.js';
import { bearer, harness, opinion, sampleSubmission, useTimeSkippingEnv, type Harness } from './helpers.js';

const testEnv = useTimeSkippingEnv();

/** A small client for one case, speaking HTTP to the app as the given roles. */
function caseClient(h: Harness) {
  const as = (role: Parameters<typeof bearer>[1], agencyId?: string) => bearer(h.config, role, agencyId);
  let url = '';
  return {
    as,
    async submit(body = sampleSubmission(), role: Parameters<typeof bearer>[1] = 'agency') {
      const res = await h.app.inject({ method: 'POST', url: '/api/decisions', headers: as(role), payload: body });
      if (res.statusCode === 201) url = `/api/decisions/${encodeURIComponent(res.json().caseId)}`;
      return res;
    },
    act(path: string, role: Parameters<typeof bearer>[1], payload: object, agencyId?: string) {
      return h.app.inject({ method: 'POST', url: `${url}/${path}`, headers: as(role, agencyId), payload });
    },
    async state(role: Parameters<typeof bearer>[1] = 'office') {
      return (await h.app.inject({ method: 'GET', url, headers: as(role) })).json();
    },
    async timeline(role: Parameters<typeof bearer>[1] = 'office') {
      return (await h.app.inject({ method: 'GET', url: `${url}/timeline`, headers: as(role) })).json() as Array<{ action: string; by: unknown; words?: string; summary: string; at: string }>;
    },
  };
}

describe('legal review of a major enforcement decision', () => {
  it('runs the happy path from submission to publication and filing, and records every step', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const c = caseClient(h);
      const submitted = await c.submit();
      expect(submitted.statusCode).toBe(201);
      expect(submitted.json()).toMatchObject({ stage: 'under-review', awaiting: 'legal-review' });

      expect((await c.act('opinion', 'legal-review', opinion('pass'))).json()).toMatchObject({ stage: 'awaiting-response', awaiting: 'agency' });
      expect((await c.act('accept', 'agency', { note: '同意' })).json()).toMatchObject({ stage: 'awaiting-decision', awaiting: 'agency-head' });
      const decided = (await c.act('decision', 'agency-head', { decision: '罚款十万元', documentNumber: '市监罚决〔2026〕1号' })).json();
      expect(decided.stage).toBe('decided');
      // Penalty: publication within 7 working days; major penalty: filing within 15 days.
      const publication = decided.deadlines.find((d: { name: string }) => d.name === 'publication');
      const filing = decided.deadlines.find((d: { name: string }) => d.name === 'filing');
      expect(workingDaysBetween(decided.decision.decidedOn, publication.dueDate).workingDays).toBe(7);
      expect(dayInfo(publication.dueDate).working).toBe(true);
      expect(filing.dueDate >= addWorkingDays(decided.decision.decidedOn, 0).date).toBe(true);

      const today = decided.decision.decidedOn;
      const published = (await c.act('publication', 'agency', { publishedOn: today, channel: '县政府门户网站 行政执法公示专栏' })).json();
      expect(published).toMatchObject({ stage: 'decided', publication: { late: false } });
      const closed = (await c.act('filing', 'agency', { fileNumber: '备2026-001', filedOn: today })).json();
      expect(closed).toMatchObject({ stage: 'closed', awaiting: null, filing: { late: false } });

      const timeline = await c.timeline('agency');
      expect(timeline.map((e) => e.action)).toEqual(['submit', 'giveOpinion', 'acceptOpinion', 'decide', 'recordPublication', 'recordFiling', 'closed']);
      expect(timeline[1]!.by).toMatchObject({ role: 'legal-review', agencyId: 'county-market' });
      expect(timeline[1]!.words).toBe('审核意见：pass');
    });
  });

  it('pauses the review for more material and resumes it with the working days that were left', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const c = caseClient(h);
      const first = (await c.submit()).json();
      const reviewDue = first.deadlines.find((d: { name: string }) => d.name === 'review').dueDate;
      const asked = (await c.act('request-material', 'legal-review', { items: ['听证笔录'], note: '缺听证笔录' })).json();
      expect(asked).toMatchObject({ stage: 'awaiting-material', awaiting: 'agency' });
      expect(asked.deadlines.map((d: { name: string }) => d.name)).toEqual(['material']);

      // Ten days pass while the agency gathers the material: they do not count against the review.
      await testEnv().sleep('10 days');
      const resumed = (await c.act('supply-material', 'agency', { note: '已补充听证笔录', documents: ['听证笔录.pdf'] })).json();
      expect(resumed.stage).toBe('under-review');
      const today = shanghaiDateOf(await testEnv().currentTimeMs());
      const left = workingDaysBetween(shanghaiDateOf(Date.parse(first.submittedAt)), reviewDue).workingDays;
      expect(resumed.deadlines.find((d: { name: string }) => d.name === 'review').dueDate).toBe(addWorkingDays(today, left).date);
      expect((await c.timeline()).map((e) => e.action)).toContain('supplyMaterial');
    });
  });

  it('fail → dispute → coordination overrules → the head may decide', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const c = caseClient(h);
      await c.submit();
      await c.act('opinion', 'legal-review', opinion('fail', ['law-and-discretion']));
      expect((await c.act('dispute', 'agency', { reasons: '裁量基准适用正确，有会议纪要为证' })).json()).toMatchObject({ stage: 'in-coordination' });
      const coordinated = await c.act('coordination', 'agency-head', {
        outcome: 'overrule',
        forum: 'collective',
        participants: ['局长', '法制科长', '法律顾问王律师'],
        minutes: '经集体讨论，认为裁量适当。',
        reasons: '审核意见对裁量基准理解有误',
      });
      expect(coordinated.json()).toMatchObject({ stage: 'awaiting-decision', decisionBasis: 'coordination-overruled' });
      const decided = await c.act('decision', 'agency-head', { decision: '罚款十万元', documentNumber: '市监罚决〔2026〕2号' });
      expect(decided.statusCode).toBe(200);
      expect(decided.json().stage).toBe('decided');
      const coordination = (await c.timeline()).find((e) => e.action === 'coordinate')!;
      expect(coordination.words).toBe('审核意见对裁量基准理解有误');
    });
  });

  it('fail → accept: no decision can ever be made', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const c = caseClient(h);
      await c.submit();
      await c.act('opinion', 'legal-review', opinion('fail', ['facts-and-evidence']));
      expect((await c.act('accept', 'agency', {})).json()).toMatchObject({ stage: 'not-approved', awaiting: null });
      const refused = await c.act('decision', 'agency-head', { decision: '罚款', documentNumber: 'X' });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().message).toMatch(/审核未通过，不得作出决定/);
    });
  });

  it('transfer to the judicial organs ends in a transfer record, never a decision', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const c = caseClient(h);
      await c.submit();
      await c.act('opinion', 'legal-review', opinion('transfer', ['no-suspected-crime']));
      expect((await c.act('accept', 'agency', {})).json().stage).toBe('awaiting-transfer');
      expect((await c.act('decision', 'agency-head', { decision: '罚款', documentNumber: 'X' })).statusCode).toBe(409);
      const today = shanghaiDateOf(await testEnv().currentTimeMs());
      const done = (await c.act('transfer', 'agency', { organ: '县公安局', transferredOn: today, letterNumber: '市监移〔2026〕1号' })).json();
      expect(done).toMatchObject({ stage: 'transferred', transfer: { organ: '县公安局' } });
      expect(done.decision).toBeUndefined();
    });
  });

  it('refuses what a role may not do or what does not fit the stage, and leaves the case unchanged', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const c = caseClient(h);
      await c.submit();
      const before = await c.timeline();

      const decideTooEarly = await c.act('decision', 'agency-head', { decision: '罚款', documentNumber: 'X' });
      expect(decideTooEarly.statusCode).toBe(409);
      expect(decideTooEarly.json()).toMatchObject({ error: 'Conflict', message: '作出执法决定：案件处于「法制审核中」阶段，不能办理' });

      const agencyReviews = await c.act('opinion', 'agency', opinion('pass'));
      expect(agencyReviews.statusCode).toBe(403);
      expect(agencyReviews.json().message).toBe('出具审核意见：由法制审核机构办理，不是承办机构');

      const otherAgency = await c.act('opinion', 'legal-review', opinion('pass'), 'county-ecology');
      expect(otherAgency.statusCode).toBe(404);

      const badOpinion = await c.act('opinion', 'legal-review', { ...opinion('pass', ['lawful-procedure']) });
      expect(badOpinion.statusCode).toBe(400);
      // The rule's own Chinese words, which name the field; the path stays in details for machines.
      expect(badOpinion.json().message).toBe('结论：审核通过不得有未通过的审核项（第3项未通过）');
      expect(badOpinion.json().details).toEqual([{ in: 'body', path: '/conclusion', message: '结论：审核通过不得有未通过的审核项（第3项未通过）' }]);

      const publishTooEarly = await c.act('publication', 'agency', { publishedOn: '2026-11-01', channel: '网站' });
      expect(publishTooEarly.statusCode).toBe(409);

      expect(await c.timeline()).toEqual(before);
      expect((await c.state()).stage).toBe('under-review');
    });
  });

  it('is idempotent per case number: the same body returns the case, a different one is refused', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const c = caseClient(h);
      const body = sampleSubmission();
      expect((await c.submit(body)).statusCode).toBe(201);
      const again = await c.submit(body);
      expect(again.statusCode).toBe(200);
      expect(again.json().caseId).toBe(`county-market:${body.caseNumber}`);
      const different = await c.submit({ ...body, title: '另一个案件' });
      expect(different.statusCode).toBe(409);
      expect(different.json().message).toMatch(/已送审，且内容与本次不同/);
      expect((await c.timeline()).filter((e) => e.action === 'submit')).toHaveLength(1);
    });
  });

  it('reminds the review body at 09:00 one working day before, then escalates to the office while overdue', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const c = caseClient(h);
      const submitted = (await c.submit()).json();
      const review = submitted.deadlines.find((d: { name: string }) => d.name === 'review');
      const submittedOn = shanghaiDateOf(Date.parse(submitted.submittedAt));
      // 5 working days, counted from the day after submission, skipping weekends and holidays.
      expect(review.dueDate).toBe(addWorkingDays(submittedOn, 5).date);
      expect(review.remindAt).toBe(shanghaiInstant(subtractWorkingDays(review.dueDate, 1).date, 9));
      expect(review.dueAt).toBe(endOfDay(review.dueDate));

      const inbox = async (role: 'legal-review' | 'office') =>
        (await h.app.inject({ method: 'GET', url: '/api/reminders', headers: c.as(role) })).json() as { items: Array<{ kind: string; issuedAt: string; subjectRef?: { id: string } }> };
      const mine = <T extends { subjectRef?: { id: string } }>(items: T[]) => items.filter((i) => i.subjectRef?.id === submitted.caseId);

      await testEnv().sleep(Date.parse(review.remindAt) - (await testEnv().currentTimeMs()) + 60_000);
      await vi.waitFor(async () => expect(mine((await inbox('legal-review')).items)).toHaveLength(1), { timeout: 10_000 });
      const reminder = mine((await inbox('legal-review')).items)[0]!;
      expect(reminder.kind).toBe('reminder');
      // At the reminder time (the server's clock may run a few milliseconds past the timer).
      expect(Date.parse(reminder.issuedAt) - Date.parse(review.remindAt)).toBeGreaterThanOrEqual(0);
      expect(Date.parse(reminder.issuedAt) - Date.parse(review.remindAt)).toBeLessThan(1000);

      await testEnv().sleep(Date.parse(review.dueAt) - (await testEnv().currentTimeMs()) + 60_000);
      await vi.waitFor(async () => expect(mine((await inbox('office')).items)).toHaveLength(1), { timeout: 10_000 });
      const overdue = await c.state();
      expect(overdue).toMatchObject({ stage: 'under-review', overdue: true });
      expect(overdue.deadlines[0].escalations).toBe(1);

      // Still overdue a few working days later: escalated again each working day at 09:00.
      await testEnv().sleep('5 days');
      await vi.waitFor(async () => expect(mine((await inbox('office')).items).length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
      const escalations = mine((await inbox('office')).items);
      for (const e of escalations.slice(0, -1)) {
        const day = shanghaiDateOf(Date.parse(e.issuedAt));
        expect(dayInfo(day).working).toBe(true);
        expect(Date.parse(e.issuedAt) - Date.parse(shanghaiInstant(day, 9))).toBeLessThan(1000);
      }
      expect((await c.timeline()).filter((e) => e.action === 'escalation').length).toBe(escalations.length);

      // Late is still recorded, never lost: the review can be given, and the case leaves overdue.
      const given = (await c.act('opinion', 'legal-review', opinion('pass'))).json();
      expect(given).toMatchObject({ stage: 'awaiting-response', overdue: false });
    });
  });

  it('records a publication after its due date as late', async () => {
    const h = await harness(testEnv());
    await h.run(async () => {
      const c = caseClient(h);
      await c.submit(sampleSubmission({ category: 'licence', majorPenalty: false }));
      await c.act('opinion', 'legal-review', opinion('pass'));
      await c.act('accept', 'agency', {});
      const decided = (await c.act('decision', 'agency-head', { decision: '准予许可', documentNumber: '许可〔2026〕3号' })).json();
      const due = decided.deadlines.find((d: { name: string }) => d.name === 'publication');
      expect(workingDaysBetween(decided.decision.decidedOn, due.dueDate).workingDays).toBe(7);
      expect(decided.deadlines.find((d: { name: string }) => d.name === 'filing')).toBeUndefined();
      await testEnv().sleep(Date.parse(due.dueAt) - (await testEnv().currentTimeMs()) + 3 * 86_400_000);
      const today = shanghaiDateOf(await testEnv().currentTimeMs());
      const late = (await c.act('publication', 'agency', { publishedOn: today, channel: '县政府门户网站' })).json();
      expect(late).toMatchObject({ stage: 'closed', publication: { late: true } });
      expect((await c.timeline()).find((e) => e.action === 'recordPublication')!.summary).toMatch(/逾期公开/);
    });
  });
});
