/**
 * A transition of the legal review, taken without a Temporal server: the workflow API is replaced
 * by stand-ins that keep the registered handlers and count the index writes, and the calendar and
 * ledger activities answer at once. The real-server tests of the procedure (legal-review*.test.ts)
 * and the replay of committed histories (replay.test.ts) stay as they are.
 */
import { ApplicationFailure } from '@temporalio/common';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => ({
  patches: true,
  handlers: new Map<string, { handler: (...args: unknown[]) => unknown; validator?: (...args: unknown[]) => void }>(),
  upserts: [] as Array<'searchAttributes' | 'memo'>,
  reports: [] as unknown[],
  /** The state of this test's case: writers of earlier tests' cases may still be waking. */
  current: undefined as unknown,
  writes: [] as Array<{ seq: number; running: boolean; entries: Array<{ position: number; entry: { action: string } }>; state: { stage: string } }>,
  activities: {} as Record<string, (...args: unknown[]) => Promise<unknown>>,
}));

vi.mock('@temporalio/workflow', async (importOriginal) => {
  const original = await importOriginal<typeof import('@temporalio/workflow')>();
  const proxy = () => new Proxy({}, { get: (_target, name: string) => (...args: unknown[]) => fake.activities[name]!(...args) });
  return {
    ...original,
    patched: () => fake.patches,
    setHandler: (def: { name: string }, handler: (...args: unknown[]) => unknown, options?: { validator?: (...args: unknown[]) => void }) => {
      fake.handlers.set(def.name, { handler, validator: options?.validator });
    },
    upsertSearchAttributes: () => fake.upserts.push('searchAttributes'),
    upsertMemo: () => fake.upserts.push('memo'),
    proxyActivities: proxy,
    proxyLocalActivities: proxy,
    workflowInfo: () => ({ workflowId: 'legal-review:county-market:test' }),
    allHandlersFinished: () => true,
    // Resolves once the predicate holds, as the SDK's does at the end of an activation.
    condition: async (predicate?: () => boolean) => {
      while (predicate && !predicate()) await new Promise((resolve) => setTimeout(resolve, 0));
      return true;
    },
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  };
});

const { LegalReview } = await import('../workflows/legal-review.js');
const { LEGAL_REVIEW } = await import('../domain/procedures/legal-review.js');
const { actions } = await import('../workflows/legal-review-messages.js');
const { opinion, sampleSubmission } = await import('./fixtures.js');

const policy = {
  reviewWorkingDays: 10,
  extensionWorkingDays: 10,
  materialWorkingDays: 5,
  responseWorkingDays: 5,
  coordinationWorkingDays: 5,
  decisionWorkingDays: 5,
  reminderWorkingDaysBefore: 2,
  reminderHour: 9,
  escalationRepeatWorkingDays: 1,
};
const legalReview = { role: 'legal-review' as const, agencyId: 'county-market' };

/** A case under review with its review deadline open, as the workflow leaves it after the start. */
async function underReview() {
  const review = new LegalReview({
    caseId: 'county-market:test',
    agencyId: 'county-market',
    agencyName: '县市场监督管理局',
    submission: sampleSubmission(),
    submittedBy: { role: 'agency', agencyId: 'county-market' },
    policy,
  });
  fake.current = review.state;
  review.rt.register(LEGAL_REVIEW, actions, review);
  await review.openReview();
  fake.upserts.length = 0;
  return review;
}

beforeEach(() => {
  fake.patches = true;
  fake.handlers.clear();
  fake.upserts.length = 0;
  fake.reports.length = 0;
  fake.writes.length = 0;
  fake.activities = {
    writeRecords: async (change) => {
      if ((change as { state: unknown }).state !== fake.current) return 'applied';
      // A copy as the activity's input would be: the state as of the write.
      fake.writes.push(structuredClone(change) as (typeof fake.writes)[number]);
      return 'applied';
    },
    calendarDeadline: async (request) => {
      const { from } = request as { from: string };
      return { dueDate: from, dueAt: `${from}T15:59:59.999Z`, remindAt: `${from}T01:00:00.000Z`, provisional: false };
    },
    reportCaseEvent: async (report) => {
      fake.reports.push(report);
    },
  };
});

describe('a legal-review transition without a Temporal server', () => {
  it('giveOpinion moves the case to the agency, opens the response deadline, records, and keeps its outcome once', async () => {
    const review = await underReview();
    await review.giveOpinion(legalReview, opinion('fail', ['law-and-discretion']) as never);

    const { state } = review;
    expect(state.stage).toBe('awaiting-response');
    expect(state.stageLabel).toBe('待承办机构回复审核意见');
    expect(state.awaiting).toBe('agency');
    expect(state.deadlines.map((d) => d.name)).toEqual(['response']);
    expect(state.opinions).toHaveLength(1);
    expect(review.rt.timeline.at(-1)).toMatchObject({ action: 'giveOpinion', summary: expect.stringContaining('出具审核意见') });
    // The outcome is kept in the state, for the records database (patch outcomes-in-records): no signal.
    await Promise.all(review.reports);
    expect(fake.reports).toEqual([]);
    expect(state.outcomes).toEqual([expect.objectContaining({ type: 'opinion', conclusion: 'fail', seq: 1, source: 'legal-review:county-market:test' })]);
  });

  it('an action taken through its Update writes the index once (patch one-index-refresh)', async () => {
    const review = await underReview();
    const update = fake.handlers.get('giveOpinion')!;
    const body = opinion('pass');
    update.validator!(legalReview, body);
    const returned = await update.handler(legalReview, body);
    expect(returned).toBe(review.state);
    // moveTo and the new deadline both changed the state: one search-attribute and one memo write.
    expect(fake.upserts).toEqual(['searchAttributes', 'memo']);
  });

  it('cases started before the patch keep writing the index at every change', async () => {
    fake.patches = false;
    const review = await underReview();
    await fake.handlers.get('giveOpinion')!.handler(legalReview, opinion('pass'));
    expect(review.state.stage).toBe('awaiting-response');
    expect(fake.upserts).toEqual(['searchAttributes', 'memo', 'searchAttributes', 'memo']);
  });

  it('an action goes to the records database with the entries made since the last write (patch records-in-postgres)', async () => {
    const review = await underReview();
    await review.rt.settle();
    const before = fake.writes.length;
    const sent = fake.writes.flatMap((w) => w.entries).length;
    expect(review.rt.timeline).toHaveLength(sent);
    await fake.handlers.get('giveOpinion')!.handler(legalReview, opinion('pass'));
    await review.rt.settle();
    const written = fake.writes.slice(before);
    // Without a server there are no activations to group the writes by: what matters is that they
    // are numbered on, carry each new entry once, and end with the state after the action.
    expect(written.map((w) => w.seq)).toEqual(written.map((_, i) => before + 1 + i));
    expect(written.flatMap((w) => w.entries.map((e) => [e.position, e.entry.action]))).toEqual([[sent, 'giveOpinion']]);
    expect(written.at(-1)).toMatchObject({ running: true, state: { stage: 'awaiting-response' } });
  });

  it('cases replaying what was recorded before records-in-postgres write nothing, and report to the ledger as they did', async () => {
    fake.patches = false;
    const review = await underReview();
    await fake.handlers.get('giveOpinion')!.handler(legalReview, opinion('pass'));
    await review.rt.settle();
    expect(fake.writes).toEqual([]);
    expect(review.state.outcomes).toBeUndefined();
  });

  it('the validator from the table refuses in Chinese and leaves the case as it was', async () => {
    const review = await underReview();
    const before = structuredClone(review.state);
    const decide = fake.handlers.get('decide')!;
    let refusal: unknown;
    try {
      decide.validator!({ role: 'agency-head', agencyId: 'county-market' }, { decision: '罚款', documentNumber: '1' });
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(ApplicationFailure);
    expect((refusal as ApplicationFailure).type).toBe('InvalidTransition');
    expect((refusal as ApplicationFailure).message).toContain('法制审核中');
    expect(review.state).toEqual(before);
    expect(fake.upserts).toEqual([]);
  });
});
