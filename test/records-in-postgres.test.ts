/**
 * Every change of a case reaches the records database: its row, each entry of its full-process
 * record once and in order, and its deadlines, written by the case's own activity on a real
 * PostgreSQL server (test/global-postgres.ts) while the case runs on the time-skipping server.
 */
import { describe, expect, it } from 'vitest';
import type { RecordsDb } from '../platform/records/database.js';
import { legalReviewWorkflowId } from '../workflows/legal-review-messages.js';
import { bearer, harness, opinion, sampleSubmission, useTimeSkippingEnv, type Harness } from './helpers.js';

const testEnv = useTimeSkippingEnv();

/** Polls until `probe` holds: a list shows an action once its write's activity has completed. */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function act(h: Harness, caseId: string, path: string, role: Parameters<typeof bearer>[1], payload: object) {
  const res = await h.app.inject({ method: 'POST', url: `/api/decisions/${encodeURIComponent(caseId)}/${path}`, headers: bearer(h.config, role), payload });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

function caseRow(db: RecordsDb, workflowId: string) {
  return db.selectFrom('cases').selectAll().where('workflow_id', '=', workflowId).executeTakeFirst();
}

describe('records in PostgreSQL', () => {
  it('writes a case from submission to closing: its row, every record entry once and in order, its deadlines', async () => {
    const h = await harness(testEnv());
    const db = h.records!;
    await h.run(async () => {
      const submitted = await h.app.inject({ method: 'POST', url: '/api/decisions', headers: bearer(h.config, 'agency'), payload: sampleSubmission({ caseNumber: '记录测试〔2026〕1号' }) });
      expect(submitted.statusCode).toBe(201);
      const { caseId } = submitted.json();
      const workflowId = legalReviewWorkflowId(caseId);

      const first = await eventually(async () => (await caseRow(db, workflowId)) ?? undefined, 'the submitted case in the records');
      expect(first).toMatchObject({ case_id: caseId, agency_id: 'county-market', stage: 'under-review', awaiting: 'legal-review', case_number: '记录测试〔2026〕1号', running: true });

      await act(h, caseId, 'opinion', 'legal-review', opinion('pass'));
      // The write is a local activity in the action's own workflow task: once the action has
      // answered, the list already shows it (no lag for the caller).
      expect(await caseRow(db, workflowId)).toMatchObject({ stage: 'awaiting-response', awaiting: 'agency' });
      await act(h, caseId, 'accept', 'agency', { note: '同意' });
      expect(await caseRow(db, workflowId)).toMatchObject({ stage: 'awaiting-decision' });
      const decided = await act(h, caseId, 'decision', 'agency-head', { decision: '罚款十万元', documentNumber: '市监罚决〔2026〕9号' });
      const today = decided.decision.decidedOn;
      await act(h, caseId, 'publication', 'agency', { publishedOn: today, channel: '县政府门户网站' });
      await act(h, caseId, 'filing', 'agency', { fileNumber: '备2026-009', filedOn: today });

      const closed = await eventually(async () => {
        const row = await caseRow(db, workflowId);
        return row?.stage === 'closed' ? row : undefined;
      }, 'the closed case in the records');
      expect(closed).toMatchObject({ stage_label: '已办结', awaiting: null, decided_on: today, overdue: false, next_due_at: null });
      expect(closed.seq).toBeGreaterThan(first.seq);
      expect((closed.state as { publication: { channel: string } }).publication.channel).toBe('县政府门户网站');

      const timeline = (await h.app.inject({ method: 'GET', url: `/api/decisions/${encodeURIComponent(caseId)}/timeline`, headers: bearer(h.config, 'office') })).json() as Array<{ action: string; at: string }>;
      const entries = await db.selectFrom('record_entries').selectAll().where('workflow_id', '=', workflowId).orderBy('position').execute();
      expect(entries.map((e) => e.action)).toEqual(timeline.map((e) => e.action));
      expect(entries.map((e) => e.action)).toEqual(['submit', 'giveOpinion', 'acceptOpinion', 'decide', 'recordPublication', 'recordFiling', 'closed']);
      expect(entries.map((e) => e.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(entries.map((e) => e.at.toISOString())).toEqual(timeline.map((e) => e.at));

      const deadlines = await db.selectFrom('deadlines').selectAll().where('workflow_id', '=', workflowId).orderBy('name').execute();
      const byName = Object.fromEntries(deadlines.map((d) => [d.name, d]));
      expect(byName.publication).toMatchObject({ met_on: today, met_late: false, agency_id: 'county-market' });
      expect(byName.filing).toMatchObject({ met_on: today, met_late: false });
      // Every write applied once, numbered 1, 2, 3 … by the case.
      const writes = await db.selectFrom('record_writes').select('seq').where('workflow_id', '=', workflowId).orderBy('seq').execute();
      expect(writes.map((w) => w.seq)).toEqual(writes.map((_, i) => i + 1));
    });
  });

  it('marks a case that ended as no longer running, with its last stage', async () => {
    const h = await harness(testEnv());
    const db = h.records!;
    await h.run(async () => {
      const submitted = await h.app.inject({ method: 'POST', url: '/api/decisions', headers: bearer(h.config, 'agency'), payload: sampleSubmission({ caseNumber: '记录测试〔2026〕2号' }) });
      const { caseId } = submitted.json();
      await act(h, caseId, 'opinion', 'legal-review', opinion('fail', ['facts-and-evidence']));
      await act(h, caseId, 'accept', 'agency', {});
      const ended = await eventually(async () => {
        const row = await caseRow(db, legalReviewWorkflowId(caseId));
        return row && !row.running ? row : undefined;
      }, 'the ended case');
      expect(ended).toMatchObject({ stage: 'not-approved', awaiting: null });
      const last = await db.selectFrom('record_entries').select(['action']).where('workflow_id', '=', legalReviewWorkflowId(caseId)).orderBy('position', 'desc').executeTakeFirst();
      expect(last?.action).toBe('closed');
    });
  });
});
