/**
 * Records the workflow histories that test/replay.test.ts replays against the current workflow code,
 * so a change that breaks determinism for running cases fails CI.
 *
 *   npx tsx scripts/record-histories.ts          # every scenario
 *   npx tsx scripts/record-histories.ts demo     # only the histories whose names start with "demo"
 *
 * Drives representative cases through the real API on the time-skipping test server and writes each
 * history to test/histories/<name>.json. A name prefix records only the matching histories (and runs
 * only the scenario groups that produce them), leaving the other committed files untouched. Re-record only to add scenarios, never to make a failing
 * replay pass: a failing replay means running workflows would break (use patched() instead).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { historyToJSON, type History } from '@temporalio/common/lib/proto-utils.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { shanghaiInstant } from '../domain/calendar.js';
import { shanghaiDateOf } from '../domain/shanghai-time.js';
import { campaignWorkflowId, siteWorkflowId, type CampaignState, type SiteState } from '../workflows/demo-site-messages.js';
import { dutiesWorkflowId } from '../workflows/agency-duties-messages.js';
import { inboxWorkflowId } from '../workflows/inbox-messages.js';
import { calendarNoticeWorkflowId } from '../domain/calendar-notice.js';
import { calendarNoticeStateQuery } from '../workflows/calendar-notice-messages.js';
import { NOTICE_2027 } from '../test/fixtures.js';
import { AgencyDirectory } from '../platform/agencies.js';
import { ensureAgencyDuties } from '../platform/duties.js';
import { legalReviewWorkflowId, stateQuery, type Deadline, type LegalReviewState } from '../workflows/legal-review-messages.js';
import { agencies, bearer, harness, opinion, sampleApplication, sampleScoreSheet, sampleSubmission, timeSkippingEnv, workflowBundle, type Harness } from '../test/helpers.js';

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

/** Writes a history (of the current run, or of the given run) to test/histories/<name>.json. */
type Save = (name: string, workflowId: string, runId?: string) => Promise<void>;

function saver(env: TestWorkflowEnvironment, wanted: (name: string) => boolean): Save {
  return async (name, workflowId, runId) => {
    if (!wanted(name)) return;
    const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    const json = historyToJSON(history);
    const bytes = Buffer.byteLength(json);
    if (bytes > MAX_BYTES) throw new Error(`${name}: history is ${bytes} bytes, over ${MAX_BYTES}`);
    await writeFile(`${outDir}${name}.json`, `${json}\n`);
    process.stdout.write(`test/histories/${name}.json  ${history.events?.length ?? 0} events  ${(bytes / 1024).toFixed(1)} KB  (${workflowId}${runId ? ` run ${runId}` : ''})\n`);
  };
}

/**
 * (d) The agency's duties workflow, which the cases above reported to: a quarter's case-file review,
 * then the year's end, where it records what was never submitted and continues as new. The run
 * that ended is saved.
 */
async function agencyDutiesYearEnd(env: TestWorkflowEnvironment, h: Harness, save: Save) {
  const workflowId = dutiesWorkflowId('county-market');
  // Started as the worker starts every agency's duties (cases no longer signal it into being).
  await ensureAgencyDuties(env.client, new AgencyDirectory([agencies.get('county-market')!]), h.config);
  const { runId, status } = await env.client.workflow.getHandle(workflowId).describe();
  if (status.name !== 'RUNNING') throw new Error(`the duties of county-market are ${status.name}`);
  const year = Number(shanghaiDateOf(await env.currentTimeMs()).slice(0, 4));
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/duties/county-market/case-file-reviews',
    headers: bearer(h.config, 'agency'),
    payload: { quarter: 4, files: [{ ref: '市监罚〔2026〕101号', score: 92 }, { ref: '市监罚〔2026〕102号', score: 66 }] },
  });
  if (res.statusCode !== 200) throw new Error(`case-file review: ${res.statusCode} ${res.body}`);
  await skipTo(env, `${year + 1}-01-02`);
  const ended = await env.client.workflow.getHandle(workflowId, runId).describe();
  if (ended.status.name !== 'CONTINUED_AS_NEW') throw new Error(`the ${year} duties run is ${ended.status.name}, not continued as new`);
  await save('agency-duties-year-end', workflowId, runId);
}

/**
 * (e) A case whose review deadline moves when the office enters the 2027 notice (the signal, the
 * calendar answered again, the record of the move), and the notice's own workflow.
 */
async function calendarMoved(env: TestWorkflowEnvironment, h: Harness, save: Save) {
  await skipTo(env, '2027-01-29');
  const c = caseClient(h, '市监罚〔2027〕7号');
  const submitted = await c.submit();
  if (dueOf(submitted, 'review').dueDate !== '2027-02-11') throw new Error(`review due ${dueOf(submitted, 'review').dueDate}, not 2027-02-11`);
  const res = await h.app.inject({ method: 'PUT', url: '/api/calendar/2027/notice', headers: bearer(h.config, 'office'), payload: NOTICE_2027 });
  if (res.statusCode !== 200) throw new Error(`notice: ${res.statusCode} ${res.body}`);
  await env.sleep('2 minutes');
  await waitFor('the review deadline to move', async () => {
    const state = await env.client.workflow.getHandle(c.workflowId).query(stateQuery);
    return dueOf(state, 'review').dueDate === '2027-02-12' ? state : undefined;
  });
  await waitFor('the replan to finish', async () => {
    const state = await env.client.workflow.getHandle(calendarNoticeWorkflowId(2027)).query(calendarNoticeStateQuery);
    return state.replans.length ? state : undefined;
  });
  await save('legal-review-calendar-moved', c.workflowId);
  await save('calendar-notice-2027', calendarNoticeWorkflowId(2027));
  h.endAfterTest(calendarNoticeWorkflowId(2027));
}

// ---------------------------------------------------------------------------------------------
// Demonstration sites.

const DEMO_YEAR = 2027;

/** Moves the test server's clock to a Shanghai wall time (it only moves forward). */
async function skipTo(env: TestWorkflowEnvironment, date: string, hour = 10) {
  const target = Date.parse(shanghaiInstant(date, hour));
  const now = await env.currentTimeMs();
  if (target > now) await env.sleep(target - now);
}

/** The campaigns and sites, spoken to over HTTP (app.inject); every call must succeed. */
function demoClient(h: Harness) {
  const call = async (method: 'GET' | 'POST', path: string, role: Role | null, payload?: object, agencyId?: string) => {
    const res = await h.app.inject({ method, url: path, headers: role ? bearer(h.config, role, agencyId) : {}, ...(payload ? { payload } : {}) });
    if (res.statusCode >= 300) throw new Error(`${method} ${path} as ${role ?? 'the public'}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const site = (agencyId: string, year: number) => `/api/sites/${encodeURIComponent(siteWorkflowId(agencyId, year))}`;
  return {
    apply: (agencyId: string, year = DEMO_YEAR): Promise<SiteState> => call('POST', `/api/site-campaigns/${year}/applications`, 'agency', sampleApplication(), agencyId),
    campaign: (year = DEMO_YEAR): Promise<CampaignState> => call('GET', `/api/site-campaigns/${year}`, 'office'),
    campaignAct: (path: string, payload: object, year = DEMO_YEAR) => call('POST', `/api/site-campaigns/${year}/${path}`, 'office', payload),
    state: (agencyId: string, year = DEMO_YEAR): Promise<SiteState> => call('GET', site(agencyId, year), 'office'),
    timeline: (agencyId: string, year = DEMO_YEAR): Promise<Array<{ action: string; summary: string }>> => call('GET', `${site(agencyId, year)}/timeline`, 'office'),
    office: (agencyId: string, path: string, payload: object, year = DEMO_YEAR): Promise<SiteState> => call('POST', `${site(agencyId, year)}/${path}`, 'office', payload),
    object: (agencyId: string, payload: object, year = DEMO_YEAR) =>
      call('POST', `/api/public/notices/${encodeURIComponent(siteWorkflowId(agencyId, year))}/objections`, null, payload),
  };
}

const acceptanceMethods = {
  reportHeard: '听取了创建工作汇报',
  materialsRead: '查阅了工作方案、台账、制度',
  siteVisit: '实地察看许可窗口，暗访执法现场',
  partyCallBacks: ['回访当事人3名，满意'],
};

/**
 * The 2027 campaign with two applications (county-market screened in March, county-ecology once the
 * applications closed), both recommended to the city office, recorded after its applications-close
 * timer fired; county-market through one visit, one missed visit (escalated), acceptance, notice, a
 * dismissed objection and the notice's end to the title, recorded while it awaits its first
 * re-inspection; county-ecology named too and re-inspected two years on, its first run (ending in
 * continue-as-new) recorded; and an application for 2028 rejected at screening.
 * The dates keep the histories small: county-ecology is accepted before its first visit falls due.
 */
async function demoSites(env: TestWorkflowEnvironment, h: Harness, save: Save) {
  const d = demoClient(h);
  const [named, reinspected, rejected] = ['county-market', 'county-ecology', 'town-chengguan'];
  const campaignId = campaignWorkflowId(DEMO_YEAR);
  h.endAfterTest(campaignId);
  h.endAfterTest(campaignWorkflowId(DEMO_YEAR + 1));
  for (const id of [named, reinspected]) h.endAfterTest(siteWorkflowId(id, DEMO_YEAR));
  h.endAfterTest(siteWorkflowId(rejected, DEMO_YEAR + 1));
  const screen = async (id: string) => {
    const screened = await d.office(id, 'screening', { decision: 'target', note: '基础条件较好' });
    if (screened.stage !== 'cultivating') throw new Error(`${id} screened to ${screened.stage}`);
  };

  // (d) An application for the next year, rejected at screening: the site ends there.
  await d.apply(rejected, DEMO_YEAR + 1);
  const refused = await d.office(rejected, 'screening', { decision: 'reject', reason: '执法基础薄弱，暂不具备创建条件' }, DEMO_YEAR + 1);
  if (refused.stage !== 'rejected') throw new Error(`rejected site is ${refused.stage}`);
  const rejectedHandle = env.client.workflow.getHandle(siteWorkflowId(rejected, DEMO_YEAR + 1));
  await rejectedHandle.result();
  await save('demo-site-rejected', rejectedHandle.workflowId);

  // (a) Two applications; county-market screened and visited on March 1.
  await d.apply(named);
  await d.apply(reinspected);
  await skipTo(env, `${DEMO_YEAR}-03-01`);
  await screen(named);
  await d.office(named, 'visits', { visitedOn: `${DEMO_YEAR}-03-01`, people: ['县司法局 王科长'], findings: '权责清单已公开', followUps: '完善台账' });
  // Applications close with May 31; county-ecology is screened on June 7 (before its screening
  // reminder); the two targets are recommended to the city office.
  await skipTo(env, `${DEMO_YEAR}-06-07`);
  await waitFor('the applications to close', async () => ((await d.campaign()).applicationsClosed ? true : undefined));
  await screen(reinspected);
  const recommended = await d.campaignAct('recommendation', { agencyIds: [named, reinspected], opinion: '基础条件好，队伍素质高，同意推荐' });
  if (!recommended.recommendation) throw new Error('no recommendation recorded');
  await save('demo-campaign-2027', campaignId);

  // (b) county-market's second guidance period (to June 30) passes without a visit: escalated, missed.
  await skipTo(env, `${DEMO_YEAR}-07-02`);
  await waitFor('the missed visit', async () => ((await d.state(named)).missedVisits.length === 1 ? true : undefined));
  await waitFor('the escalation', async () => ((await d.timeline(named)).some((e) => e.action === 'escalation') ? true : undefined));

  // Acceptance on Monday August 2, both passing; the notice; an objection to county-market.
  const acceptedOn = `${DEMO_YEAR}-08-02`;
  await skipTo(env, acceptedOn);
  for (const id of [named, reinspected]) {
    const accepted = await d.office(id, 'acceptance', { acceptedOn, methods: acceptanceMethods, scoreSheet: sampleScoreSheet() });
    if (accepted.stage !== 'accepted') throw new Error(`${id} accepted to ${accepted.stage}`);
  }
  await d.campaignAct('notice', { agencyIds: [named, reinspected], channel: '县政府门户网站' });
  await d.object(named, { text: '该局去年有一起执法不规范的投诉', name: '李某', contact: '13800000000' });

  // The notice ends after a week; the objection is dismissed; both are named.
  await skipTo(env, `${DEMO_YEAR}-08-10`);
  for (const id of [named, reinspected]) {
    await waitFor(`${id}'s notice to end`, async () => ((await d.state(id)).stage === 'awaiting-confirmation' ? true : undefined));
  }
  await d.office(named, 'objections/1/resolution', { outcome: 'dismiss', reasons: '经核查，该投诉已依法处理，不影响命名' });
  for (const id of [named, reinspected]) {
    const confirmed = await d.office(id, 'confirmation', { note: '授牌' });
    if (confirmed.stage !== 'named') throw new Error(`${id} confirmed to ${confirmed.stage}`);
  }
  await save('demo-site-named', siteWorkflowId(named, DEMO_YEAR));

  // (c) Two years on: county-ecology is reminded of the re-inspection and passes; the run continues as new.
  const handle = env.client.workflow.getHandle(siteWorkflowId(reinspected, DEMO_YEAR));
  const due = (await d.state(reinspected)).deadlines.find((x) => x.name === 'reinspection' && !x.met);
  if (!due) throw new Error('no re-inspection deadline');
  await sleepUntil(env, due.remindAt, 60_000);
  await waitFor('the re-inspection reminder', async () => ((await d.timeline(reinspected)).some((e) => e.action === 'reminder' && e.summary.includes('复核复查')) ? true : undefined));
  const firstRunId = (await handle.describe()).runId;
  const inspectedOn = shanghaiDateOf(await env.currentTimeMs());
  await d.office(reinspected, 'reinspection', { inspectedOn, passed: true, findings: '第1次复核：示范带动作用明显' });
  await waitFor('the next cycle', async () => ((await handle.describe()).runId !== firstRunId ? true : undefined));
  await save('demo-site-reinspected', handle.workflowId, firstRunId);
}

/**
 * (f) Two review rounds on one day, each opinion disputed (revise, then uphold): the reports carry
 * the case's numbers (patch ledger-event-source), and a transfer opinion is sent back, not overruled.
 */
async function twoRounds(env: TestWorkflowEnvironment, h: Harness, save: Save) {
  const c = caseClient(h, '市监罚〔2026〕104号');
  await c.submit();
  const coordination = (outcome: 'revise' | 'uphold') => ({ outcome, forum: 'agency-head', participants: ['局长'], minutes: '纪要', reasons: '理由' });
  await c.act('opinion', 'legal-review', opinion('transfer', ['no-suspected-crime']));
  await c.act('dispute', 'agency', { reasons: '承办机构认为不构成犯罪' });
  await c.act('coordination', 'agency-head', coordination('revise'));
  await c.act('resubmit', 'agency', { changes: '补充证据' });
  await c.act('opinion', 'legal-review', opinion('fail', ['law-and-discretion']));
  await c.act('dispute', 'agency', { reasons: '裁量适当' });
  const closed = await c.act('coordination', 'agency-head', coordination('uphold'));
  if (closed.stage !== 'not-approved' || closed.reportSeq !== 6) throw new Error(`two rounds ended ${closed.stage} with ${closed.reportSeq} reports`);
  await save('legal-review-two-rounds', c.workflowId);
}

/** (g) A closed case whose published decision is corrected, then taken down, which ends its workflow. */
async function corrected(env: TestWorkflowEnvironment, h: Harness, save: Save) {
  const c = caseClient(h, '市监罚〔2026〕105号');
  await c.submit();
  await c.act('opinion', 'legal-review', opinion('pass'));
  await c.act('accept', 'agency', {});
  const decided = await c.act('decision', 'agency-head', { decision: '罚款五千元', documentNumber: '市监罚决〔2026〕105号' });
  const on = decided.decision!.decidedOn;
  await c.act('publication', 'agency', { publishedOn: on, channel: '县政府网站' });
  const closed = await c.act('filing', 'agency', { fileNumber: '备-105', filedOn: on });
  if (closed.stage !== 'closed') throw new Error(`the case is ${closed.stage}, not closed`);
  await c.act('publication-correction', 'agency', { kind: 'update', reason: '金额笔误', text: '罚款三千元' });
  await c.act('publication-correction', 'agency', { kind: 'withdraw', reason: '决定已被撤销' });
  await waitFor('the case to end', async () => ((await env.client.workflow.getHandle(c.workflowId).describe()).status.name === 'COMPLETED' ? true : undefined));
  await save('legal-review-corrected', c.workflowId);
}

// ---------------------------------------------------------------------------------------------

/** Scenario groups: the histories each saves, and the run (each group on a harness of its own). */
const groups: Array<{ names: string[]; run: (env: TestWorkflowEnvironment, h: Harness, save: Save) => Promise<void> }> = [
  {
    names: ['legal-review-happy-path', 'legal-review-dispute-overdue', 'legal-review-transfer', 'inbox-legal-review', 'agency-duties-year-end'],
    run: async (env, h, save) => {
      const ids = {
        'legal-review-happy-path': await happyPath(env, h),
        'legal-review-dispute-overdue': await disputedAndOverdue(env, h),
        'legal-review-transfer': await transfer(env, h),
        'inbox-legal-review': inboxWorkflowId({ role: 'legal-review', agencyId: 'county-market' }),
      };
      // Fetched before anything is terminated: open histories replay as they are.
      for (const [name, id] of Object.entries(ids)) await save(name, id);
      await agencyDutiesYearEnd(env, h, save);
    },
  },
  // Before the sites: the server's clock only moves forward, and the sites take it to 2029.
  { names: ['legal-review-calendar-moved', 'calendar-notice-2027'], run: calendarMoved },
  { names: ['legal-review-two-rounds'], run: twoRounds },
  { names: ['legal-review-corrected'], run: corrected },
  { names: ['demo-campaign-2027', 'demo-site-named', 'demo-site-reinspected', 'demo-site-rejected'], run: demoSites },
];

async function main() {
  const only = process.argv[2];
  const wanted = (name: string) => !only || name.startsWith(only);
  const selected = groups.filter((g) => g.names.some(wanted));
  if (!selected.length) throw new Error(`no history is named ${only}…: ${groups.flatMap((g) => g.names).join(', ')}`);
  await mkdir(outDir, { recursive: true });
  const env = await timeSkippingEnv();
  try {
    await workflowBundle();
    const save = saver(env, wanted);
    for (const group of selected) {
      // What a group leaves running ends with it: the server skips time only while no task waits.
      const h = await harness(env);
      try {
        await h.run(() => group.run(env, h, save));
      } finally {
        await h.cleanUp();
      }
    }
  } finally {
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
