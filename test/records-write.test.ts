/**
 * The records database's write, on the real server: a write applies once whatever retries it, a
 * late (older) write never puts an older state back, and record entries are stored once each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordsChange } from '../platform/records/projections.js';
import { applyChange } from '../platform/records/write.js';
import { testRecords, type TestRecords } from './records-support.js';

let records: TestRecords;
beforeAll(async () => {
  records = await testRecords();
});
afterAll(() => records?.close());

function caseChange(seq: number, stage: string, entries: number[]): RecordsChange {
  return {
    kind: 'legal-review',
    workflowId: 'legal-review:county-market:市监罚〔2026〕1号',
    runId: 'run-1',
    seq,
    running: true,
    state: {
      caseId: 'county-market:市监罚〔2026〕1号',
      agencyId: 'county-market',
      agencyName: '县市场监督管理局',
      submission: { caseNumber: '市监罚〔2026〕1号', title: '某超市销售过期食品案', party: { type: 'organisation', name: '某超市有限公司' }, category: 'penalty', procedure: 'general', majorPenalty: true },
      submittedAt: '2026-12-03T01:00:00.000Z',
      stage,
      stageLabel: stage,
      awaiting: 'legal-review',
      overdue: false,
      nextDueAt: '2026-12-10T15:59:59.999Z',
      deadlines: [{ name: 'review', responsible: { role: 'legal-review' }, dueDate: '2026-12-10', dueAt: '2026-12-10T15:59:59.999Z', remindAt: '', provisional: false, reminded: false, overdue: false, escalations: 0 }],
    },
    entries: entries.map((position) => ({ position, entry: { at: `2026-12-03T01:0${position}:00.000Z`, by: 'system', action: `a${position}`, summary: `第${position}条` } })),
  };
}

describe('records write', () => {
  it('applies a write once, keeps the latest state and stores each entry once', async () => {
    expect(await applyChange(records.db, caseChange(1, 'under-review', [0, 1]))).toBe('applied');
    expect(await applyChange(records.db, caseChange(1, 'under-review', [0, 1]))).toBe('already-applied');
    expect(await applyChange(records.db, caseChange(3, 'awaiting-response', [1, 2]))).toBe('applied');
    // Write 2 arrives after write 3 (an attempt that timed out but committed late): its entries count, its state does not.
    expect(await applyChange(records.db, caseChange(2, 'under-review', [2, 3]))).toBe('applied');

    const row = await records.db.selectFrom('cases').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ stage: 'awaiting-response', seq: 3, case_number: '市监罚〔2026〕1号', party_name: '某超市有限公司', major_penalty: true });
    const entries = await records.db.selectFrom('record_entries').select(['position', 'summary']).orderBy('at').orderBy('id').execute();
    expect(entries.map((e) => e.position)).toEqual([0, 1, 2, 3]);
    const deadlines = await records.db.selectFrom('deadlines').selectAll().execute();
    expect(deadlines).toHaveLength(1);
    expect(deadlines[0]).toMatchObject({ name: 'review', due_date: '2026-12-10', overdue: false, met_on: null });
  });
});
