/**
 * A case's outcomes are counted once each by their source (the case's workflow id and the number
 * the case gave the outcome), not by their content: two disputes of one case on one day, in
 * different review rounds, are two disputes. Cases write them as rows of the records database; the
 * agency's ledger still takes the signals of cases that began before, deduplicated alike (and by
 * content for events reported before cases numbered them), and the year's figures are the sum of
 * both. Real API, worker, PostgreSQL and time-skipping server.
 */
import { describe, expect, it, vi } from 'vitest';
import { addWorkingDays, shanghaiInstant } from '../domain/calendar.js';
import { shanghaiDateOf } from '../domain/shanghai-time.js';
import { createLedgerActivities } from '../activities/ledger.js';
import { yearFigures } from '../platform/records/figures.js';
import { dutiesWorkflowId, ledgerQuery, type CaseEvent } from '../workflows/agency-duties-messages.js';
import { legalReviewWorkflowId } from '../workflows/legal-review-messages.js';
import { agencies, bearer, harness, opinion, sampleSubmission, useTimeSkippingEnv } from './helpers.js';

const testEnv = useTimeSkippingEnv();

describe('case outcomes are counted by their source', () => {
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
      const db = h.records!;
      const figures = async () => (await yearFigures(db, year, 'county-market')).get('county-market')!;
      await vi.waitFor(async () => expect((await figures())?.disputes.byOutcome).toEqual({ revise: 1, uphold: 1 }), { timeout: 10_000 });
      expect(await figures()).toMatchObject({
        legalReviews: { opinions: 2, byConclusion: { fail: 2 } },
        disputes: { total: 2, byOutcome: { revise: 1, uphold: 1 } },
      });
      // The case signalled no workflow: the agency's ledger was never started by it.
      const duties = testEnv().client.workflow.getHandle(dutiesWorkflowId('county-market'));
      await expect(duties.describe()).rejects.toThrow();

      // A case that began before outcomes were rows reports by signal; a retried report (the same
      // source and number) is counted once, and an unnumbered one by its content.
      const ledger = createLedgerActivities({ client: testEnv().client, agencies, taskQueue: h.config.TEMPORAL_TASK_QUEUE });
      const old: CaseEvent = { type: 'disputed', caseId: 'county-market:旧案', on: start, source: legalReviewWorkflowId('county-market:旧案'), seq: 1 };
      await ledger.reportCaseEvent({ agencyId: 'county-market', event: old });
      await ledger.reportCaseEvent({ agencyId: 'county-market', event: old });
      const unnumbered: CaseEvent = { type: 'transferred', caseId: 'county-market:旧案2', on: start };
      await ledger.reportCaseEvent({ agencyId: 'county-market', event: unnumbered });
      await ledger.reportCaseEvent({ agencyId: 'county-market', event: unnumbered });
      const inLedger = async () => (await duties.query(ledgerQuery, { years: [year] })).figures[String(year)]!;
      await vi.waitFor(async () => expect((await inLedger()).transfers).toBe(1), { timeout: 10_000 });
      expect((await inLedger()).disputes.total).toBe(1);
      // The ledger reaches the records database with the duties; the year's figures add both.
      await vi.waitFor(async () => expect((await figures()).transfers).toBe(1), { timeout: 10_000 });
      expect((await figures()).disputes).toEqual({ total: 3, byOutcome: { revise: 1, uphold: 1 } });
      // The outcome rows, once each: a write repeated by a retry adds none.
      const rows = await db.selectFrom('case_outcomes').select(['seq', 'type']).where('workflow_id', '=', legalReviewWorkflowId(caseId)).orderBy('seq').execute();
      expect(rows.map((r) => r.type)).toEqual(['opinion', 'disputed', 'coordinated', 'opinion', 'disputed', 'coordinated']);
    });
  });
});
