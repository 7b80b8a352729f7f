/**
 * The legal-review rules hold whoever calls: the opinion's consistency (one pure function, used by
 * the API's schema and by the giveOpinion Update validator), and a transfer opinion that binds
 * (行政处罚法第二十七条). Pure checks first, then the real API, a raw Temporal client and a real
 * worker on the time-skipping server.
 */
import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { opinionProblems, TRANSFER_BINDS_MESSAGE } from '../domain/legal-review-rules.js';
import { opinionSchema } from '../domain/legal-review.js';
import type { Actor } from '../domain/roles.js';
import { actions, legalReviewWorkflowId, stateQuery, timelineQuery, type LegalReviewState } from '../workflows/legal-review-messages.js';
import { bearer, harness, opinion, sampleSubmission, useTimeSkippingEnv, type Harness } from './helpers.js';

const CRIME_NOT_TRANSFERRED = '结论：涉嫌犯罪（第8项未通过）须移送司法机关';

describe('opinionProblems (pure)', () => {
  const messages = (body: unknown) => opinionProblems(body).map((p) => p.message);

  it('accepts consistent opinions', () => {
    expect(opinionProblems(opinion('pass'))).toEqual([]);
    expect(opinionProblems(opinion('pass-with-changes', ['documents-complete']))).toEqual([]);
    expect(opinionProblems(opinion('fail', ['facts-and-evidence']))).toEqual([]);
    expect(opinionProblems(opinion('transfer', ['no-suspected-crime', 'facts-and-evidence']))).toEqual([]);
  });

  it('a suspected crime must be a transfer, and a transfer needs the suspected crime', () => {
    for (const conclusion of ['pass', 'pass-with-changes', 'fail'] as const) {
      expect(opinionProblems(opinion(conclusion, ['no-suspected-crime']))).toContainEqual({ path: ['conclusion'], message: CRIME_NOT_TRANSFERRED });
    }
    expect(messages(opinion('transfer', ['facts-and-evidence']))).toEqual(['结论：移送司法机关须第8项（违法行为是否涉嫌犯罪、需要移送司法机关）未通过']);
  });

  it('a pass has no failed check; a fail names one', () => {
    expect(opinionProblems(opinion('pass', ['lawful-procedure', 'documents-complete']))).toEqual([
      { path: ['conclusion'], message: '结论：审核通过不得有未通过的审核项（第3项、第7项未通过）' },
    ]);
    expect(messages(opinion('fail'))).toEqual(['结论：审核未通过须指出至少一项未通过的审核项']);
  });

  it('a failed check needs a note, at its own path', () => {
    const body = opinion('fail', ['lawful-procedure']);
    body.checks[2]!.note = '  ';
    expect(opinionProblems(body)).toEqual([{ path: ['checks', 2, 'note'], message: '审核项：第3项（执法程序是否合法）未通过，须写明理由' }]);
  });

  it('names missing and repeated checks, and a pass with changes without the changes', () => {
    const body = opinion('pass-with-changes');
    body.checks[7] = { ...body.checks[0]! };
    delete (body as { requiredChanges?: string }).requiredChanges;
    expect(messages(body)).toEqual([
      '审核项：第1项（执法主体是否合法）重复记录',
      '审核项：缺少第8项（违法行为是否涉嫌犯罪、需要移送司法机关），八项审核内容须逐项记录',
      '修改要求：修改后同意须写明需要修改的内容',
    ]);
  });

  it('answers a malformed body with problems, never an exception', () => {
    expect(messages(null)).toEqual(['审核意见：须为对象']);
    expect(opinionProblems({ checks: 'all fine', conclusion: 'pass', opinion: '同意' })).toEqual([{ path: ['checks'], message: '审核项：须逐项记录八项审核内容' }]);
    expect(opinionProblems({ ...opinion('pass'), conclusion: 'maybe' })[0]!.path).toEqual(['conclusion']);
    expect(opinionProblems({ ...opinion('pass'), checks: [...opinion('pass').checks.slice(1), { check: 'lawful-body' }] })).toContainEqual({
      path: ['checks', 7],
      message: '审核项第8条：须含审核项（check，八项之一）和是否通过（passed）',
    });
  });

  it('is what the API schema reports, at the same paths', () => {
    const parsed = opinionSchema.safeParse(opinion('fail', ['no-suspected-crime']));
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => ({ path: i.path, message: i.message }))).toEqual([{ path: ['conclusion'], message: CRIME_NOT_TRANSFERRED }]);
  });
});

const testEnv = useTimeSkippingEnv();

function caseApi(h: Harness) {
  let caseId = '';
  const url = () => `/api/decisions/${encodeURIComponent(caseId)}`;
  return {
    get caseId() {
      return caseId;
    },
    async submit() {
      const res = await h.app.inject({ method: 'POST', url: '/api/decisions', headers: bearer(h.config, 'agency'), payload: sampleSubmission() });
      expect(res.statusCode).toBe(201);
      caseId = res.json().caseId;
    },
    async act(path: string, role: Parameters<typeof bearer>[1], payload: object) {
      const res = await h.app.inject({ method: 'POST', url: `${url()}/${path}`, headers: bearer(h.config, role), payload });
      return { status: res.statusCode, body: res.json() };
    },
    async state(): Promise<LegalReviewState> {
      return (await h.app.inject({ method: 'GET', url: url(), headers: bearer(h.config, 'office') })).json();
    },
    async timeline(): Promise<Array<{ action: string }>> {
      return (await h.app.inject({ method: 'GET', url: `${url()}/timeline`, headers: bearer(h.config, 'office') })).json();
    },
  };
}

const reviewer: Actor = { role: 'legal-review', agencyId: 'county-market', name: '法制审核员' };
const coordination = (outcome: 'overrule' | 'uphold' | 'revise') => ({
  outcome,
  forum: 'collective',
  participants: ['局长', '法制科长', '法律顾问王律师'],
  minutes: '经集体讨论。',
  reasons: '承办机构认为不构成犯罪',
});

describe('the opinion’s rules hold whoever calls', () => {
  it('refuses an inconsistent opinion sent straight to Temporal (RuleViolation), and the case is unchanged', async () => {
    const h = await harness(testEnv());
    const c = caseApi(h);
    await h.run(async () => {
      await c.submit();
      // Through the API: the schema refuses with the same words.
      const viaApi = await c.act('opinion', 'legal-review', opinion('fail', ['no-suspected-crime']));
      expect(viaApi.status).toBe(400);
      expect(viaApi.body.message).toContain(CRIME_NOT_TRANSFERRED);

      const client = new Client({ connection: testEnv().connection });
      const handle = client.workflow.getHandle(legalReviewWorkflowId(c.caseId));
      const stateBefore = await handle.query(stateQuery);
      const timelineBefore = await handle.query(timelineQuery);
      const give = (body: unknown) => handle.executeUpdate(actions.giveOpinion, { args: [reviewer, body as ReturnType<typeof opinion> as never] });

      const refusals: Array<[unknown, string]> = [
        [opinion('fail', ['no-suspected-crime']), CRIME_NOT_TRANSFERRED],
        [opinion('pass', ['no-suspected-crime']), CRIME_NOT_TRANSFERRED],
        [opinion('pass', ['lawful-procedure']), '结论：审核通过不得有未通过的审核项（第3项未通过）'],
        [{ ...opinion('fail', ['lawful-procedure']), checks: opinion('fail', ['lawful-procedure']).checks.map((x) => ({ ...x, note: '' })) }, '审核项：第3项（执法程序是否合法）未通过，须写明理由'],
        [{ checks: 'none', conclusion: 'pass', opinion: '同意' }, '审核项：须逐项记录八项审核内容'],
      ];
      for (const [body, message] of refusals) {
        const refused = await give(body).then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
        expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'RuleViolation', message: expect.stringContaining(message) });
      }

      expect(await handle.query(stateQuery)).toEqual(stateBefore);
      expect(await handle.query(timelineQuery)).toEqual(timelineBefore);
      expect(stateBefore).toMatchObject({ stage: 'under-review', opinions: [] });

      // A consistent opinion from the same raw client is taken.
      expect(await give(opinion('transfer', ['no-suspected-crime']))).toMatchObject({ stage: 'awaiting-response', opinions: [{ conclusion: 'transfer' }] });
    });
  });
});

describe('a transfer opinion binds (行政处罚法第二十七条)', () => {
  it('coordination cannot overrule it into a decision; only a new review round changes the opinion', async () => {
    const h = await harness(testEnv());
    const c = caseApi(h);
    await h.run(async () => {
      await c.submit();
      expect((await c.act('opinion', 'legal-review', opinion('transfer', ['no-suspected-crime']))).status).toBe(200);
      expect((await c.act('dispute', 'agency', { reasons: '承办机构认为不构成犯罪，拟予罚款' })).body).toMatchObject({ stage: 'in-coordination' });
      const before = { state: await c.state(), timeline: await c.timeline() };

      // dispute → overrule → decide, the path that used to end in a penalty: refused at the overrule.
      const overruled = await c.act('coordination', 'agency-head', coordination('overrule'));
      expect(overruled.status).toBe(422);
      expect(overruled.body).toMatchObject({ details: { type: 'RuleViolation' } });
      expect(overruled.body.message).toBe(TRANSFER_BINDS_MESSAGE);
      expect(overruled.body.message).toContain('行政处罚法》第二十七条');
      const decided = await c.act('decision', 'agency-head', { decision: '罚款五万元', documentNumber: '市监罚决〔2026〕9号' });
      expect(decided.status).toBe(409);
      // The county office, coordinating with legal advisers, is refused alike.
      expect((await c.act('coordination', 'office', { ...coordination('overrule'), forum: 'county-office' })).status).toBe(422);

      const after = await c.state();
      expect(after).toEqual(before.state);
      expect(after).toMatchObject({ stage: 'in-coordination', coordinations: [] });
      expect(after.decision).toBeUndefined();
      expect(after.decisionBasis).toBeUndefined();
      expect(await c.timeline()).toEqual(before.timeline);

      // revise → resubmit → a new opinion: the new review round may change the opinion.
      expect((await c.act('coordination', 'agency-head', coordination('revise'))).body).toMatchObject({ stage: 'awaiting-revision' });
      expect((await c.act('resubmit', 'agency', { changes: '补充证据：涉案金额经核实不足立案追诉标准', documents: ['核实报告.pdf'] })).body).toMatchObject({ stage: 'under-review', round: 2 });
      const second = await c.act('opinion', 'legal-review', opinion('pass'));
      expect(second.body).toMatchObject({ stage: 'awaiting-response', opinions: [{ conclusion: 'transfer', round: 1 }, { conclusion: 'pass', round: 2 }] });
      expect((await c.act('accept', 'agency', {})).body).toMatchObject({ stage: 'awaiting-decision', decisionBasis: 'review-passed' });
      expect((await c.act('decision', 'agency-head', { decision: '罚款五万元', documentNumber: '市监罚决〔2026〕9号' })).body).toMatchObject({ stage: 'decided' });
    });
  });

  it('an upheld transfer still leads to the transfer, never a decision', async () => {
    const h = await harness(testEnv());
    const c = caseApi(h);
    await h.run(async () => {
      await c.submit();
      await c.act('opinion', 'legal-review', opinion('transfer', ['no-suspected-crime']));
      await c.act('dispute', 'agency', { reasons: '有异议' });
      expect((await c.act('coordination', 'agency-head', coordination('uphold'))).body).toMatchObject({ stage: 'awaiting-transfer' });
      expect((await c.act('decision', 'agency-head', { decision: '罚款', documentNumber: 'X' })).status).toBe(409);
    });
  });
});
