/**
 * Records the workflow histories that test/replay.test.ts replays against the current workflow code,
 * so a change that breaks determinism for running cases fails CI.
 *
 *   npx tsx scripts/record-histories.ts
 *
 * Drives representative cases through the real API on the time-skipping test server and writes each
 * history to test/histories/<name>.json. Re-record only to add scenarios, never to make a failing
 * replay pass: a failing replay means running workflows would break (use patched() instead).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { historyToJSON, type History } from '@temporalio/common/lib/proto-utils.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { shanghaiDateOf } from '../domain/shanghai-time.js';
import { inboxWorkflowId } from '../workflows/inbox-messages.js';
import { legalReviewWorkflowId, stateQuery, type Deadline, type LegalReviewState } from '../workflows/legal-review-messages.js';
import { bearer, harness, opinion, sampleSubmission, timeSkippingEnv, workflowBundle, type Harness } from '../test/helpers.js';

const outDir = fileURLToPath(new URL('../test/histories/', import.meta.url));
const MAX_BYTES = 200 * 1024;

type Role = Parameters<typeof bearer>[1];

/** One case, spoken to over HTTP (app.inject) as the given roles; every call must succeed. */
function caseClient(h: Harness, caseNumber: string) {
  const caseId = `county-market:${caseNumber}`;
  const url = `/api/decisions/${encodeURIComponent(caseId)}`;
  const call = async (method: 'GET' | 'POST', path: string, role: Role, payload?: object) => {
    const res = await h.app.inject({ method, url: path, headers: bearer(h.config, role), ...(payload ? { payload } : {}) });
    if (res.statusCode >= 300) throw new Error(`${method} ${path} as ${role}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  return {
    caseId,
    workflowId: legalReviewWorkflowId(caseId),
    submit: (overrides: Parameters<typeof sampleSubmission>[0] = {}): Promise<LegalReviewState> =>
      call('POST', '/api/decisions', 'agency', sampleSubmission({ caseNumber, ...overrides })),
    act: (path: string, role: Role, payload: object): Promise<LegalReviewState> => call('POST', `${url}/${path}`, role, payload),
    inbox: (role: Role): Promise<{ items: Array<{ key: string; kind: string; subjectRef?: { id: string } }> }> => call('GET', '/api/reminders', role),
    markRead: (role: Role, keys: string[]): Promise<{ marked: number }> => call('POST', '/api/reminders/read', role, { keys }),
  };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const dueOf = (state: LegalReviewState, name: Deadline['name']) => {
  const d = state.deadlines.find((x) => x.name === name);
  if (!d) throw new Error(`no ${name} deadline in ${state.stage}`);
  return d;
};

async function sleepUntil(env: TestWorkflowEnvironment, iso: string, plusMs: number) {
  await env.sleep(Math.max(Date.parse(iso) - (await env.currentTimeMs()) + plusMs, 1));
}

/** (a) Reminder before the opinion, then pass → accept → decision → publication → filing → closed. */
async function happyPath(env: TestWorkflowEnvironment, h: Harness) {
  const c = caseClient(h, '市监罚〔2026〕101号');
  const submitted = await c.submit();
  await sleepUntil(env, dueOf(submitted, 'review').remindAt, 60_000);
  const reminder = await waitFor('the review reminder', async () =>
    (await c.inbox('legal-review')).items.find((i) => i.kind === 'reminder' && i.subjectRef?.id === c.caseId),
  );
  await c.act('opinion', 'legal-review', opinion('pass'));
  await c.act('accept', 'agency', { note: '同意' });
  const decided = await c.act('decision', 'agency-head', { decision: '罚款十万元', documentNumber: '市监罚决〔2026〕101号' });
  const on = decided.decision!.decidedOn;
  await c.act('publication', 'agency', { publishedOn: on, channel: '县政府门户网站 行政执法公示专栏' });
  const closed = await c.act('filing', 'agency', { fileNumber: '备2026-101', filedOn: on });
  if (closed.stage !== 'closed') throw new Error(`happy path ended ${closed.stage}`);
  // Gives the inbox a read-marking update besides its delivered notices.
  await c.markRead('legal-review', [reminder.key]);
  return c.workflowId;
}

/** (b) Material round trip, fail → dispute → overrule → decision, then a publication gone overdue and escalated. */
async function disputedAndOverdue(env: TestWorkflowEnvironment, h: Harness) {
  const c = caseClient(h, '市监罚〔2026〕102号');
  await c.submit();
  await c.act('request-material', 'legal-review', { items: ['听证笔录'], note: '缺听证笔录' });
  await env.sleep('2 days');
  await c.act('supply-material', 'agency', { note: '已补充听证笔录', documents: ['听证笔录.pdf'] });
  await c.act('opinion', 'legal-review', opinion('fail', ['law-and-discretion']));
  await c.act('dispute', 'agency', { reasons: '裁量基准适用正确，有会议纪要为证' });
  await c.act('coordination', 'agency-head', {
    outcome: 'overrule',
    forum: 'collective',
    participants: ['局长', '法制科长', '法律顾问王律师'],
    minutes: '经集体讨论，认为裁量适当。',
    reasons: '审核意见对裁量基准理解有误',
  });
  const decided = await c.act('decision', 'agency-head', { decision: '罚款十万元', documentNumber: '市监罚决〔2026〕102号' });
  await sleepUntil(env, dueOf(decided, 'publication').dueAt, 60_000);
  const handle = env.client.workflow.getHandle(c.workflowId);
  await waitFor('the publication escalation', async () => {
    const state = await handle.query(stateQuery);
    return state.deadlines.find((d) => d.name === 'publication' && d.escalations >= 1);
  });
  const today = shanghaiDateOf(await env.currentTimeMs());
  const published = await c.act('publication', 'agency', { publishedOn: today, channel: '县政府门户网站' });
  if (!published.publication?.late) throw new Error('the overdue publication was not recorded as late');
  // Left open (filing outstanding): terminated after its history is fetched.
  return c.workflowId;
}

/** (c) Suspected crime: transfer opinion → accept → transfer recorded. */
async function transfer(env: TestWorkflowEnvironment, h: Harness) {
  const c = caseClient(h, '市监罚〔2026〕103号');
  await c.submit();
  await c.act('opinion', 'legal-review', opinion('transfer', ['no-suspected-crime']));
  await c.act('accept', 'agency', {});
  const today = shanghaiDateOf(await env.currentTimeMs());
  const done = await c.act('transfer', 'agency', { organ: '县公安局', transferredOn: today, letterNumber: '市监移〔2026〕103号' });
  if (done.stage !== 'transferred') throw new Error(`transfer ended ${done.stage}`);
  return c.workflowId;
}

async function save(env: TestWorkflowEnvironment, name: string, workflowId: string) {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  const json = historyToJSON(history);
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_BYTES) throw new Error(`${name}: history is ${bytes} bytes, over ${MAX_BYTES}`);
  await writeFile(`${outDir}${name}.json`, `${json}\n`);
  process.stdout.write(`test/histories/${name}.json  ${history.events?.length ?? 0} events  ${(bytes / 1024).toFixed(1)} KB  (${workflowId})\n`);
}

async function main() {
  await mkdir(outDir, { recursive: true });
  const env = await timeSkippingEnv();
  try {
    await workflowBundle();
    const h = await harness(env);
    try {
      await h.run(async () => {
        const ids = {
          'legal-review-happy-path': await happyPath(env, h),
          'legal-review-dispute-overdue': await disputedAndOverdue(env, h),
          'legal-review-transfer': await transfer(env, h),
          'inbox-legal-review': inboxWorkflowId({ role: 'legal-review', agencyId: 'county-market' }),
        };
        // Fetched before anything is terminated: open histories replay as they are.
        for (const [name, id] of Object.entries(ids)) await save(env, name, id);
      });
    } finally {
      await h.cleanUp();
    }
  } finally {
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
