/**
 * The agency's ledger counts each case event once by its source (the case's workflow id and the
 * number the case gave the event), not by its content: two disputes of one case on one day, in
 * different review rounds, are two disputes. Events without a number (reported before cases
 * numbered them) are still deduplicated by content. Real API, worker and time-skipping server.
 */
import { describe, expect, it, vi } from 'vitest';
import { addWorkingDays, shanghaiInstant } from '../domain/calendar.js';
import { shanghaiDateOf } from '../domain/shanghai-time.js';
import { caseEventSignal, dutiesWorkflowId, ledgerQuery, type CaseEvent } from '../workflows/agency-duties-messages.js';
import { legalReviewWorkflowId } from '../workflows/legal-review-messages.js';
import { bearer, harness, opinion, sampleSubmission, useTimeSkippingEnv } from './helpers.js';

const testEnv = useTimeSkippingEnv();

describe('the ledger keys case events by their source', () => {
  it('counts two disputes of one case on one day, in different rounds, as two', async () => {
    const h = await harness(testEnv());
    // One working day's morning, so every step below happens on the same Shanghai day.
    const start = addWorkingDays(shanghaiDateOf(await testEnv().currentTimeMs()), 1).date;
    await testEnv().sleep(Date.parse(shanghaiInstant(start, 9)) - (await testEnv().currentTimeMs()));

    await h.run(async () => {
      const submitted = await h.app.inject({ method: 'POST', url: '/api/decisions', headers: bearer(h.config, 'agency'), payload: sampleSubmission() });
      expect(submitted.statusCode).toBe(201);
      const caseId: string = submitted.json().caseId;
      const act = async (path: string, role: Parameters<typeof bearer>[1], payload: object) => {
        const res = await h.app.inject({ method: 'POST', url: `/api/decisions/${encodeURIComponent(caseId)}/${path}`, headers: bearer(h.config, role), payload });
        expect(res.statusCode, JSON.stringify(res.json())).toBe(200);
        return res.json();
      };
      const coordination = (outcome: 'revise' | 'uphold') => ({ outcome, forum: 'agency-head', participants: ['局长'], minutes: '纪要', reasons: '理由' });

      // Round 1: fail, disputed, sent back for revision.
      await act('opinion', 'legal-review', opinion('fail', ['law-and-discretion']));
      await act('dispute', 'agency', { reasons: '裁量基准适用正确' });
      await act('coordination', 'agency-head', coordination('revise'));
      await act('resubmit', 'agency', { changes: '补充裁量说明' });
      // Round 2, the same day: fail again, disputed again, upheld.
      await act('opinion', 'legal-review', opinion('fail', ['law-and-discretion']));
      await act('dispute', 'agency', { reasons: '仍认为裁量适当' });
      const closed = await act('coordination', 'agency-head', coordination('uphold'));
      expect(closed).toMatchObject({ stage: 'not-approved', round: 2, reportSeq: 6 });

      const timeline = (await h.app.inject({ method: 'GET', url: `/api/decisions/${encodeURIComponent(caseId)}/timeline`, headers: bearer(h.config, 'office') })).json() as Array<{ action: string; at: string }>;
      const disputedOn = timeline.filter((e) => e.action === 'disputeOpinion').map((e) => shanghaiDateOf(Date.parse(e.at)));
      expect(disputedOn).toEqual([start, start]);

      const year = Number(start.slice(0, 4));
      const duties = testEnv().client.workflow.getHandle(dutiesWorkflowId('county-market'));
      const figures = async () => (await duties.query(ledgerQuery, { years: [year] })).figures[String(year)]!;
      await vi.waitFor(async () => expect((await figures()).disputes.byOutcome).toEqual({ revise: 1, uphold: 1 }), { timeout: 10_000 });
      expect(await figures()).toMatchObject({
        legalReviews: { opinions: 2, byConclusion: { fail: 2 } },
        disputes: { total: 2, byOutcome: { revise: 1, uphold: 1 } },
      });

      // A retried report (the same source and number) is counted once.
      const again: CaseEvent = { type: 'disputed', caseId, on: start, source: legalReviewWorkflowId(caseId), seq: 5 };
      await duties.signal(caseEventSignal, again);
      // Events reported before cases numbered them are still deduplicated by their content.
      const unnumbered: CaseEvent = { type: 'transferred', caseId: 'county-market:旧案', on: start };
      await duties.signal(caseEventSignal, unnumbered);
      await duties.signal(caseEventSignal, unnumbered);
      await vi.waitFor(async () => expect((await figures()).transfers).toBe(1), { timeout: 10_000 });
      expect((await figures()).disputes.total).toBe(2);
    });
  });
});
