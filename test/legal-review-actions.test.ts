/**
 * What a case offers each caller (`allowedActions`, from domain/procedures/legal-review.ts) is
 * exactly what the API then accepts: in each stage, for each role, every action offered succeeds
 * on a case in that stage, and every action not offered is refused with the case unchanged.
 */
import { describe, expect, it } from 'vitest';
import type { Role } from '../domain/roles.js';
import { LEGAL_REVIEW } from '../domain/procedures/legal-review.js';
import { shanghaiDateOf } from '../domain/shanghai-time.js';
import type { ActionName } from '../workflows/legal-review-messages.js';
import { bearer, harness, opinion, sampleSubmission, useTimeSkippingEnv, type Harness } from './helpers.js';

const testEnv = useTimeSkippingEnv();

type Caller = { role: Role; agencyId?: string; name: string };
const CALLERS: Caller[] = [
  { role: 'agency', name: 'agency' },
  { role: 'legal-review', name: 'legal-review' },
  { role: 'agency-head', name: 'agency-head' },
  { role: 'office', name: 'office' },
  { role: 'agency', agencyId: 'county-ecology', name: 'another agency' },
];

/** A body the API takes for each action (the case's own rules decide the rest). */
function bodyOf(action: ActionName, today: string): object {
  const bodies: Record<ActionName, object> = {
    giveOpinion: opinion('pass'),
    requestMaterial: { items: ['询问笔录原件'] },
    extendReview: { reason: '案情复杂' },
    supplyMaterial: { note: '已补充' },
    acceptOpinion: { note: '采纳', changesMade: '已按意见修改' },
    disputeOpinion: { reasons: '裁量适当' },
    coordinate: { outcome: 'uphold', forum: 'agency-head', participants: ['局长'], minutes: '纪要', reasons: '理由' },
    resubmit: { changes: '补充了证据' },
    decide: { decision: '罚款', documentNumber: 'D-1' },
    recordTransfer: { organ: '县公安局', transferredOn: today, letterNumber: '移-1' },
    recordPublication: { publishedOn: today, channel: '县政府网站' },
    recordFiling: { fileNumber: '备-1', filedOn: today },
    withdraw: { reason: '撤回' },
    correctPublication: { kind: 'update', reason: '文号有误', text: '罚款（更正）' },
  };
  return bodies[action];
}

function client(h: Harness) {
  const headers = (c: Caller) => bearer(h.config, c.role, c.agencyId);
  const url = (caseId: string) => `/api/decisions/${encodeURIComponent(caseId)}`;
  const ok = async (caseId: string, path: string, role: Role, payload: object) => {
    const res = await h.app.inject({ method: 'POST', url: `${url(caseId)}/${path}`, headers: bearer(h.config, role), payload });
    expect(res.statusCode, res.body).toBe(200);
  };
  return {
    headers,
    url,
    async state(caseId: string, c: Caller) {
      return h.app.inject({ method: 'GET', url: url(caseId), headers: headers(c) });
    },
    async submit(majorPenalty = true) {
      const res = await h.app.inject({ method: 'POST', url: '/api/decisions', headers: bearer(h.config, 'agency'), payload: sampleSubmission({ majorPenalty }) });
      expect(res.statusCode).toBe(201);
      return res.json().caseId as string;
    },
    ok,
  };
}

/** How to bring a fresh case to each stage through the API. */
const STAGES: Record<string, (c: ReturnType<typeof client>) => Promise<string>> = {
  'under-review': (c) => c.submit(),
  'awaiting-material': async (c) => {
    const id = await c.submit();
    await c.ok(id, 'request-material', 'legal-review', { items: ['证据'] });
    return id;
  },
  'awaiting-response after a pass': async (c) => {
    const id = await c.submit();
    await c.ok(id, 'opinion', 'legal-review', opinion('pass'));
    return id;
  },
  'awaiting-response after a fail': async (c) => {
    const id = await c.submit();
    await c.ok(id, 'opinion', 'legal-review', opinion('fail', ['law-and-discretion']));
    return id;
  },
  'in-coordination': async (c) => {
    const id = await STAGES['awaiting-response after a fail']!(c);
    await c.ok(id, 'dispute', 'agency', { reasons: '裁量适当' });
    return id;
  },
  'awaiting-decision': async (c) => {
    const id = await STAGES['awaiting-response after a pass']!(c);
    await c.ok(id, 'accept', 'agency', {});
    return id;
  },
  'awaiting-transfer': async (c) => {
    const id = await c.submit();
    await c.ok(id, 'opinion', 'legal-review', opinion('transfer', ['no-suspected-crime']));
    await c.ok(id, 'accept', 'agency', {});
    return id;
  },
  decided: async (c) => {
    const id = await STAGES['awaiting-decision']!(c);
    await c.ok(id, 'decision', 'agency-head', { decision: '罚款', documentNumber: 'D-0' });
    return id;
  },
  closed: async (c) => {
    const id = await STAGES.decided!(c);
    const today = shanghaiDateOf(Date.now());
    await c.ok(id, 'publication', 'agency', { publishedOn: today, channel: '县政府网站' });
    await c.ok(id, 'filing', 'agency', { fileNumber: '备-0', filedOn: today });
    return id;
  },
};

describe('the actions a case offers', () => {
  it('are exactly the ones the API accepts, for every role in every stage', async () => {
    const h = await harness(testEnv());
    const c = client(h);
    const today = shanghaiDateOf(await testEnv().currentTimeMs());
    const offeredSomewhere: string[] = [];
    await h.run(async () => {
      for (const [stage, reach] of Object.entries(STAGES)) {
        const caseId = await reach(c);
        for (const caller of CALLERS) {
          const res = await c.state(caseId, caller);
          if (caller.name === 'another agency') {
            expect(res.statusCode).toBe(404);
            continue;
          }
          const offered = (res.json().allowedActions as Array<{ action: ActionName; path: string; label: string }>).map((a) => a.action);
          for (const action of Object.keys(LEGAL_REVIEW.actions) as ActionName[]) {
            const row = LEGAL_REVIEW.actions[action];
            if (offered.includes(action)) {
              offeredSomewhere.push(`${stage}/${caller.name}/${action}`);
              // On a fresh case in the same stage, so one success does not change the next check.
              const fresh = await reach(c);
              const done = await h.app.inject({ method: 'POST', url: `${c.url(fresh)}/${row.path}`, headers: c.headers(caller), payload: bodyOf(action, today) });
              expect(done.statusCode, `${stage}: ${caller.name} was offered ${action}: ${done.body}`).toBe(200);
            } else {
              const before = (await c.state(caseId, { role: 'office', name: 'office' })).json();
              const refused = await h.app.inject({ method: 'POST', url: `${c.url(caseId)}/${row.path}`, headers: c.headers(caller), payload: bodyOf(action, today) });
              expect([403, 409, 422], `${stage}: ${caller.name} was not offered ${action}, got ${refused.statusCode}`).toContain(refused.statusCode);
              expect(refused.json().message).toMatch(/^[^a-z]*[\u4e00-\u9fff]/); // a sentence a person reads, in Chinese
              expect((await c.state(caseId, { role: 'office', name: 'office' })).json()).toEqual(before);
            }
          }
        }
      }
    });
    // The matrix is not empty: each stage offers its own.
    expect(offeredSomewhere).toEqual(
      expect.arrayContaining([
        'under-review/legal-review/giveOpinion',
        'under-review/legal-review/extendReview',
        'under-review/agency/withdraw',
        'awaiting-material/agency/supplyMaterial',
        'awaiting-response after a fail/agency/disputeOpinion',
        'in-coordination/agency-head/coordinate',
        'in-coordination/office/coordinate',
        'awaiting-decision/agency-head/decide',
        'awaiting-transfer/agency/recordTransfer',
        'decided/agency/recordPublication',
        'decided/agency/recordFiling',
        'closed/agency/correctPublication',
      ]),
    );
    expect(offeredSomewhere).not.toContain('awaiting-response after a pass/agency/disputeOpinion');
  }, 240_000);
});
