/**
 * The demonstration-site workflows' interface (the yearly campaign and one site per agency and
 * year): inputs, state, Updates and Queries, shared by the workflows and their callers.
 */
import type { RecordsCarry } from './procedure.js';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { z } from 'zod';
import type {
  acceptanceSchema,
  applicationSchema,
  assessmentSchema,
  confirmationSchema,
  objectionResolutionSchema,
  objectionSchema,
  reinspectionSchema,
  revocationSchema,
  screeningSchema,
  visitSchema,
  recommendationSchema,
  noticeSchema,
  REVOCATION_GROUNDS,
} from '../domain/demo-site.js';
import type { ScoreResult } from '../domain/demo-site-scoring.js';
import type { Actor, Role } from '../domain/roles.js';
import type { Deadline as TimerDeadline, TimerPolicy } from './deadline-timers.js';
import type { TimelineEntry } from './legal-review-messages.js';

export const DEMO_SITE_KIND = 'demo-site';
export const DEMO_CAMPAIGN_KIND = 'demo-campaign';

export const SITE_STAGES = {
  applied: '已申报，待审核',
  rejected: '未确定为培育对象',
  cultivating: '培育对象（指导中）',
  accepted: '验收达标，待公示',
  'not-passed': '验收未达标',
  'under-notice': '公示中',
  'awaiting-confirmation': '公示期满，待确认',
  named: '已命名示范点',
  'not-named': '公示异议成立，不予命名',
  revoked: '称号已撤销',
} as const;
export type SiteStage = keyof typeof SITE_STAGES;
export const SITE_TERMINAL_STAGES: readonly SiteStage[] = ['rejected', 'not-passed', 'not-named', 'revoked'];

export const SITE_DEADLINE_LABELS = {
  screening: '审核确定培育对象',
  visit: '调研指导（每2个月1次）',
  acceptance: '组织验收（8、9月份）',
  notice: '公示拟命名名单',
  confirmation: '公示期满确认命名',
  reinspection: '两年复核复查',
} as const;
export type SiteDeadlineName = keyof typeof SITE_DEADLINE_LABELS;

export interface SitePolicy extends TimerPolicy {
  /** Pass mark of general score + bonus (the seed states none; see README). */
  passMark: number;
  /** Working days the office has to screen an application, publish a notice, confirm. */
  officeWorkingDays: number;
}

export type Application = z.output<typeof applicationSchema>;

export interface SiteInput {
  siteId: string;
  agencyId: string;
  agencyName: string;
  year: number;
  application: Application;
  appliedBy: Actor;
  campaignWorkflowId: string;
  policy: SitePolicy;
  /** A named site continuing as new after a re-inspection cycle. */
  carried?: { state: SiteState; timeline: TimelineEntry[]; records?: RecordsCarry };
}

export interface Objection {
  id: number;
  text: string;
  name?: string;
  /** Seen by the office only; never in public views. */
  contact?: string;
  raisedAt: string;
  status: 'open' | 'upheld' | 'dismissed';
  resolution?: { reasons: string; at: string; by: Actor };
}

export interface SiteState {
  siteId: string;
  agencyId: string;
  agencyName: string;
  year: number;
  application: Application;
  appliedAt: string;
  stage: SiteStage;
  stageLabel: string;
  awaiting: Role | null;
  screening?: z.output<typeof screeningSchema> & { at: string; by: Actor };
  recommendedToCity?: { at: string; opinion: string };
  selectedOn?: string;
  guidancePeriod: number;
  visits: Array<z.output<typeof visitSchema> & { period: number; recordedAt: string; by: Actor }>;
  missedVisits: Array<{ period: number; dueDate: string }>;
  acceptance?: z.output<typeof acceptanceSchema> & { result: ScoreResult; late: boolean; recordedAt: string; by: Actor };
  /** endsOn: the notice's last day, by the calendar (absent for notices started before it counted holidays). */
  notice?: { channel: string; startsAt: string; endsAt: string; startsOn?: string; endsOn?: string; provisional?: boolean };
  objections: Objection[];
  title?: string;
  awardedOn?: string;
  /** Re-inspection cycles passed since the award (the workflow continues as new after each). */
  cycle: number;
  reinspections: Array<z.output<typeof reinspectionSchema> & { late: boolean; recordedAt: string }>;
  revocation?: z.output<typeof revocationSchema> & { groundLabel: (typeof REVOCATION_GROUNDS)[keyof typeof REVOCATION_GROUNDS]; at: string };
  assessments: Array<z.output<typeof assessmentSchema> & { recordedAt: string; by: Actor }>;
  deadlines: Array<TimerDeadline<SiteDeadlineName>>;
  overdue: boolean;
  nextDueAt: string | null;
}

type Body<S extends z.ZodType> = z.output<S>;
const update = <B>(name: string) => defineUpdate<SiteState, [Actor, B]>(name);

export const siteActions = {
  screen: update<Body<typeof screeningSchema>>('screen'),
  recordVisit: update<Body<typeof visitSchema>>('recordVisit'),
  recordAcceptance: update<Body<typeof acceptanceSchema>>('recordAcceptance'),
  startNotice: update<{ channel: string }>('startNotice'),
  resolveObjection: update<Body<typeof objectionResolutionSchema> & { objectionId: number }>('resolveObjection'),
  confirm: update<Body<typeof confirmationSchema>>('confirm'),
  reinspect: update<Body<typeof reinspectionSchema>>('reinspect'),
  revoke: update<Body<typeof revocationSchema>>('revoke'),
  recordAssessment: update<Body<typeof assessmentSchema>>('recordAssessment'),
} as const;
export type SiteActionName = keyof typeof siteActions;

/** Anyone may object while a site is under notice; the answer is the objection's number. */
export const objectUpdate = defineUpdate<{ objectionId: number; noticeEndsAt: string }, [Body<typeof objectionSchema>]>('object');

/** Sent by the campaign when the office recommends the site to the city office. */
export const recommendedSignal = defineSignal<[{ opinion: string; at: string }]>('recommendedToCity');

export const siteStateQuery = defineQuery<SiteState>('siteState');
export const siteTimelineQuery = defineQuery<TimelineEntry[]>('siteTimeline');

/** What the public may see of a site under notice: no contacts, no personal data. */
export interface PublicSiteView {
  siteId: string;
  agencyName: string;
  year: number;
  stage: SiteStage;
  stageLabel: string;
  notice?: { channel: string; startsAt: string; endsAt: string };
  score?: { general: number; bonus: number; passed: boolean };
  objections: { open: number; resolved: number };
}

export function publicSiteView(state: SiteState): PublicSiteView {
  return {
    siteId: state.siteId,
    agencyName: state.agencyName,
    year: state.year,
    stage: state.stage,
    stageLabel: state.stageLabel,
    notice: state.notice,
    score: state.acceptance ? { general: state.acceptance.result.general, bonus: state.acceptance.result.bonus, passed: state.acceptance.result.passed } : undefined,
    objections: { open: state.objections.filter((o) => o.status === 'open').length, resolved: state.objections.filter((o) => o.status !== 'open').length },
  };
}

export interface SiteSummary {
  siteId: string;
  agencyId: string;
  agencyName: string;
  year: number;
  stage: SiteStage;
  stageLabel: string;
  awaiting: Role | null;
  nextDueAt: string | null;
  overdue: boolean;
  notice?: { startsAt: string; endsAt: string };
  awardedOn?: string;
  score?: number;
}

export function siteSummary(state: SiteState): SiteSummary {
  return {
    siteId: state.siteId,
    agencyId: state.agencyId,
    agencyName: state.agencyName,
    year: state.year,
    stage: state.stage,
    stageLabel: state.stageLabel,
    awaiting: state.awaiting,
    nextDueAt: state.nextDueAt,
    overdue: state.overdue,
    notice: state.notice ? { startsAt: state.notice.startsAt, endsAt: state.notice.endsAt } : undefined,
    awardedOn: state.awardedOn,
    score: state.acceptance ? state.acceptance.result.general + state.acceptance.result.bonus : undefined,
  };
}

export function siteWorkflowId(agencyId: string, year: number): string {
  return `${DEMO_SITE_KIND}:${agencyId}:${year}`;
}

// ---------------------------------------------------------------------------------------------
// The yearly campaign.

export interface CampaignInput {
  year: number;
  policy: SitePolicy;
}

export interface CampaignState {
  year: number;
  applicationsClose: string;
  applicationsClosed: boolean;
  applications: Array<{ agencyId: string; agencyName: string; siteId: string; appliedAt: string }>;
  /** Latest stage of each applicant's site, as the sites report it. */
  sites: Record<string, SiteStage>;
  recommendation?: { agencyIds: string[]; opinion: string; at: string; by: Actor };
  /** The proposed lists published (公示), each all at once (absent before the first). */
  notices?: Array<{ agencyIds: string[]; channel: string; at: string; by: Actor }>;
}

export const applyUpdate = defineUpdate<{ campaign: CampaignState; siteId: string }, [Actor, { agencyName: string; application: Application }]>('apply');
export const recommendUpdate = defineUpdate<CampaignState, [Actor, Body<typeof recommendationSchema>]>('recommend');
/** Puts every listed site under public notice, or none (workflows/demo-campaign.ts). */
export const noticeUpdate = defineUpdate<{ campaign: CampaignState; sites: SiteState[] }, [Actor, Body<typeof noticeSchema>]>('notice');
export const siteStageSignal = defineSignal<[{ agencyId: string; stage: SiteStage }]>('siteStage');
export const campaignQuery = defineQuery<CampaignState>('campaign');

export function campaignWorkflowId(year: number): string {
  return `${DEMO_CAMPAIGN_KIND}:${year}`;
}
