/**
 * The procedures the fault suites drive, and what "the same outcome" means: a case's state and
 * full-process record with the instants and the case's own number taken out.
 */
import type { Client } from '@temporalio/client';
import type { Role } from '../../domain/roles.js';
import { campaignWorkflowId, siteStageSignal, siteWorkflowId } from '../../workflows/demo-site-messages.js';
import { opinion, sampleApplication, sampleScoreSheet, sampleSubmission } from '../helpers.js';
import { shanghaiToday } from './support.js';

export interface Step {
  path: string;
  role: Role;
  body: () => object;
}

/** Three legal-review cases that between them take every kind of step. */
export const LEGAL_REVIEW_SCENARIOS: Record<string, Step[]> = {
  'pass, publish, file': [
    { path: 'opinion', role: 'legal-review', body: () => opinion('pass') },
    { path: 'accept', role: 'agency', body: () => ({ note: '同意' }) },
    { path: 'decision', role: 'agency-head', body: () => ({ decision: '罚款十万元', documentNumber: '市监罚决〔2026〕1号' }) },
    { path: 'publication', role: 'agency', body: () => ({ publishedOn: shanghaiToday(), channel: '县政府门户网站' }) },
    { path: 'filing', role: 'agency', body: () => ({ fileNumber: '备2026-001', filedOn: shanghaiToday() }) },
  ],
  'fail, dispute, overrule, decide': [
    { path: 'opinion', role: 'legal-review', body: () => opinion('fail', ['law-and-discretion']) },
    { path: 'dispute', role: 'agency', body: () => ({ reasons: '裁量基准适用正确' }) },
    { path: 'coordination', role: 'agency-head', body: () => ({ outcome: 'overrule', forum: 'collective', participants: ['局长', '法制科长'], minutes: '集体讨论', reasons: '裁量适当' }) },
    { path: 'decision', role: 'agency-head', body: () => ({ decision: '罚款十万元', documentNumber: '市监罚决〔2026〕2号' }) },
    { path: 'publication', role: 'agency', body: () => ({ publishedOn: shanghaiToday(), channel: '县政府门户网站' }) },
  ],
  'material, pass with changes, decide': [
    { path: 'request-material', role: 'legal-review', body: () => ({ items: ['听证笔录'], note: '缺听证笔录' }) },
    { path: 'supply-material', role: 'agency', body: () => ({ note: '已补充', documents: ['听证笔录.pdf'] }) },
    { path: 'opinion', role: 'legal-review', body: () => opinion('pass-with-changes') },
    { path: 'accept', role: 'agency', body: () => ({ changesMade: '已补充裁量理由' }) },
    { path: 'decision', role: 'agency-head', body: () => ({ decision: '罚款八万元', documentNumber: '市监罚决〔2026〕3号' }) },
  ],
};

export function scenarioSubmission(name: string) {
  const submission = sampleSubmission();
  return name.startsWith('material') ? { ...submission, majorPenalty: false } : submission;
}

/** A legal-review case as comparable between two runs: no instants, no case number. */
export function legalReviewOutcome(state: any, timeline: any[]): string {
  const caseNumber: string = state.submission.caseNumber;
  const projection = {
    stage: state.stage,
    awaiting: state.awaiting,
    round: state.round,
    decisionBasis: state.decisionBasis ?? null,
    opinions: state.opinions.map((o: any) => ({ conclusion: o.conclusion, round: o.round, by: o.by.role })),
    decision: state.decision ? { decision: state.decision.decision, documentNumber: state.decision.documentNumber, decidedOn: state.decision.decidedOn } : null,
    publication: state.publication ? { late: state.publication.late, channel: state.publication.channel } : null,
    filing: state.filing ? { late: state.filing.late } : null,
    deadlines: state.deadlines.map((d: any) => ({ name: d.name, dueDate: d.dueDate, met: d.met ?? null, reminded: d.reminded, overdue: d.overdue, escalations: d.escalations })),
    timeline: timeline.map((e) => ({ action: e.action, by: e.by === 'system' ? 'system' : e.by.role, summary: e.summary, words: e.words ?? null })),
  };
  return JSON.stringify(projection, null, 1).replaceAll(caseNumber, '<case-number>');
}

/** A demonstration site as comparable between two runs. */
export function siteOutcome(state: any, timeline: any[]): string {
  const projection = {
    stage: state.stage,
    awaiting: state.awaiting,
    acceptance: state.acceptance ? { result: state.acceptance.result, late: state.acceptance.late, acceptedOn: state.acceptance.acceptedOn } : null,
    deadlines: state.deadlines.map((d: any) => ({ name: d.name, dueDate: d.dueDate, met: d.met ?? null, overdue: d.overdue, escalations: d.escalations })),
    timeline: timeline.map((e) => ({ action: e.action, by: e.by === 'system' ? 'system' : e.by.role, summary: e.summary })),
  };
  return JSON.stringify(projection, null, 1)
    .replaceAll(state.agencyId, '<agency>')
    .replaceAll(state.agencyName, '<agency-name>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<instant>');
}

/** The year whose acceptance window (August 1 - September 30) has opened by today, and a day in it. */
export function acceptanceYearAndDay(): { year: number; acceptedOn: string } {
  const today = shanghaiToday();
  const thisYear = Number(today.slice(0, 4));
  const year = today >= `${thisYear}-08-01` ? thisYear : thisYear - 1;
  const closes = `${year}-09-30`;
  return { year, acceptedOn: today < closes ? today : closes };
}

export function acceptanceBody(acceptedOn: string) {
  return {
    acceptedOn,
    methods: { reportHeard: '听取了创建工作汇报', materialsRead: '查阅了台账', siteVisit: '实地察看', partyCallBacks: ['回访当事人3名'] },
    scoreSheet: sampleScoreSheet({ bonuses: [{ bonusId: 'demonstration-lead', note: '省级通报表扬' }] }),
  };
}

/**
 * Starts a demonstration site of a past campaign year directly, as that year's campaign did when
 * the agency applied in May (the campaign itself refuses applications after May 31, and the
 * acceptance window of August-September must have opened for an acceptance to be recorded today).
 */
export async function startSiteOfYear(client: Client, taskQueue: string, agencyId: string, agencyName: string, year: number) {
  const siteId = siteWorkflowId(agencyId, year);
  // The year's campaign, knowing the site, as an application would have left it: the notice of the
  // proposed list is an Update on it.
  await client.workflow.signalWithStart('demoCampaignWorkflow', {
    workflowId: campaignWorkflowId(year),
    taskQueue,
    args: [{ year, policy: { reminderWorkingDaysBefore: 1, reminderHour: 9, escalationRepeatWorkingDays: 1, passMark: 90, officeWorkingDays: 10 } }],
    signal: siteStageSignal,
    signalArgs: [{ agencyId, stage: 'applied' }],
  });
  await client.workflow.start('demoSiteWorkflow', {
    workflowId: siteId,
    taskQueue,
    args: [
      {
        siteId,
        agencyId,
        agencyName,
        year,
        application: sampleApplication(agencyName),
        appliedBy: { role: 'agency', agencyId, name: '测试agency' },
        campaignWorkflowId: campaignWorkflowId(year),
        policy: { reminderWorkingDaysBefore: 1, reminderHour: 9, escalationRepeatWorkingDays: 1, passMark: 90, officeWorkingDays: 10 },
      },
    ],
  });
  return siteId;
}
