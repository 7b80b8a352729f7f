/**
 * The legal-review workflow's interface: its input, state, Updates and Queries. Imported by the
 * workflow and by its callers (API, tests), so both sides use the same names and types.
 */
import type { CaseEvent } from './agency-duties-messages.js';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { z } from 'zod';
import type {
  acceptOpinionSchema,
  coordinationSchema,
  decideSchema,
  disputeOpinionSchema,
  extendReviewSchema,
  filingSchema,
  Opinion,
  publicationSchema,
  requestMaterialSchema,
  resubmitSchema,
  Submission,
  supplyMaterialSchema,
  transferRecordSchema,
  withdrawSchema,
  publicationCorrectionSchema,
} from '../domain/legal-review.js';
import type { Actor, Role } from '../domain/roles.js';
import type { Deadline as TimerDeadline, TimerPolicy } from './deadline-timers.js';

export const LEGAL_REVIEW_KIND = 'legal-review';

export const STAGES = {
  'under-review': '法制审核中',
  'awaiting-material': '待补充材料',
  'awaiting-response': '待承办机构回复审核意见',
  'in-coordination': '分歧协调中',
  'awaiting-revision': '退回修改',
  'awaiting-decision': '待作出决定',
  'awaiting-transfer': '待移送司法机关',
  decided: '已决定（待公开/备案）',
  closed: '已办结',
  'not-approved': '审核未通过，不得作出决定',
  transferred: '已移送司法机关',
  withdrawn: '已撤回',
} as const;
export type Stage = keyof typeof STAGES;
export const TERMINAL_STAGES: readonly Stage[] = ['closed', 'not-approved', 'transferred', 'withdrawn'];

/** Time limits of the procedure, fixed when the case is submitted so later configuration changes don't move a running case's deadlines. */
export interface DeadlinePolicy extends TimerPolicy {
  reviewWorkingDays: number;
  extensionWorkingDays: number;
  materialWorkingDays: number;
  responseWorkingDays: number;
  coordinationWorkingDays: number;
  decisionWorkingDays: number;
}

export interface LegalReviewInput {
  caseId: string;
  agencyId: string;
  agencyName: string;
  submission: Submission;
  submittedBy: Actor;
  policy: DeadlinePolicy;
}

export const DEADLINE_LABELS = {
  review: '法制审核',
  material: '补充材料',
  response: '回复审核意见',
  coordination: '分歧协调',
  revision: '修改后重新送审',
  decision: '作出决定',
  transfer: '移送司法机关',
  publication: '执法决定公开',
  filing: '重大行政处罚备案',
} as const;
export type DeadlineName = keyof typeof DEADLINE_LABELS;

export type Deadline = TimerDeadline<DeadlineName>;

export interface TimelineEntry {
  at: string;
  /** Who acted; 'system' for reminders, escalations and deadlines. */
  by: Actor | 'system';
  action: string;
  summary: string;
  /** Their own words: reasons, notes, opinion text. */
  words?: string;
  data?: unknown;
}

export interface OpinionRecord extends Opinion {
  round: number;
  givenAt: string;
  by: Actor;
}

export interface CoordinationRecord extends z.output<typeof coordinationSchema> {
  round: number;
  disputeReasons: string;
  decidedAt: string;
  by: Actor;
}

export interface LegalReviewState {
  caseId: string;
  agencyId: string;
  agencyName: string;
  submission: Submission;
  submittedAt: string;
  stage: Stage;
  stageLabel: string;
  /** Whose action the case waits for; null once it is closed. */
  awaiting: Role | null;
  round: number;
  extensionUsed: boolean;
  /**
   * How many events the case has reported to its agency's ledger: each report carries the next
   * number, so the ledger counts every event once, however alike two of them are. Absent on cases
   * that reported before reports were numbered.
   */
  reportSeq?: number;
  /**
   * What the case reported, numbered (cases started since outcomes are rows of the records
   * database; earlier ones signalled them to the agency's ledger and keep doing so).
   */
  outcomes?: CaseEvent[];
  /** Review working days left while the review clock is paused for material. */
  pausedReviewWorkingDays?: number;
  opinions: OpinionRecord[];
  coordinations: CoordinationRecord[];
  /** Why a decision may be made: the review passed, or coordination overruled the opinion. */
  decisionBasis?: 'review-passed' | 'coordination-overruled' | 'coordination-upheld-pass';
  decision?: z.output<typeof decideSchema> & { decidedOn: string; decidedAt: string; by: Actor };
  publication?: z.output<typeof publicationSchema> & {
    late: boolean;
    recordedAt: string;
    /** Every version published, the first as recorded; the last is what the public reads. Absent until corrected. */
    versions?: PublishedVersion[];
    /** Taken down: the public no longer reads it; the record keeps every version. */
    withdrawn?: { reason: string; at: string; by: Actor };
  };
  filing?: z.output<typeof filingSchema> & { late: boolean; recordedAt: string };
  transfer?: z.output<typeof transferRecordSchema> & { recordedAt: string };
  withdrawal?: { reason: string; at: string };
  /** Open deadlines and the ones already met after the decision. */
  deadlines: Deadline[];
  overdue: boolean;
  nextDueAt: string | null;
}

/** A version of the published decision (执法决定信息). */
export interface PublishedVersion {
  version: number;
  text: string;
  channel: string;
  url?: string;
  at: string;
  by?: Actor;
  /** Why this version replaced the one before. */
  reason?: string;
}

type Body<S extends z.ZodType> = z.output<S>;
const update = <B>(name: string) => defineUpdate<LegalReviewState, [Actor, B]>(name);

/** Each action is one Update: [actor from the token, body]; its validator refuses what does not fit. */
export const actions = {
  requestMaterial: update<Body<typeof requestMaterialSchema>>('requestMaterial'),
  supplyMaterial: update<Body<typeof supplyMaterialSchema>>('supplyMaterial'),
  extendReview: update<Body<typeof extendReviewSchema>>('extendReview'),
  giveOpinion: update<Opinion>('giveOpinion'),
  acceptOpinion: update<Body<typeof acceptOpinionSchema>>('acceptOpinion'),
  disputeOpinion: update<Body<typeof disputeOpinionSchema>>('disputeOpinion'),
  coordinate: update<Body<typeof coordinationSchema>>('coordinate'),
  resubmit: update<Body<typeof resubmitSchema>>('resubmit'),
  decide: update<Body<typeof decideSchema>>('decide'),
  recordTransfer: update<Body<typeof transferRecordSchema>>('recordTransfer'),
  recordPublication: update<Body<typeof publicationSchema>>('recordPublication'),
  recordFiling: update<Body<typeof filingSchema>>('recordFiling'),
  withdraw: update<Body<typeof withdrawSchema>>('withdraw'),
  correctPublication: update<Body<typeof publicationCorrectionSchema>>('correctPublication'),
} as const;
export type ActionName = keyof typeof actions;

/**
 * Sent with the start (update-with-start) so the submitter gets the case back once its first
 * deadline is known, in one round trip.
 */
export const submittedUpdate = defineUpdate<LegalReviewState, []>('submitted');

export const stateQuery = defineQuery<LegalReviewState>('state');
export const timelineQuery = defineQuery<TimelineEntry[]>('timeline');

/** A case's id is its business key: the agency and its case number. */
export function caseIdOf(agencyId: string, caseNumber: string): string {
  return `${agencyId}:${caseNumber}`;
}

export function agencyOfCase(caseId: string): string {
  return caseId.slice(0, caseId.indexOf(':'));
}

/** The workflow id, so a repeated submission of the same case finds the running workflow. */
export function legalReviewWorkflowId(caseId: string): string {
  return `${LEGAL_REVIEW_KIND}:${caseId}`;
}

/** What a list of cases shows, kept in the workflow's memo so listing needs no query per case. */
export interface CaseSummary {
  caseId: string;
  agencyId: string;
  agencyName: string;
  caseNumber: string;
  title: string;
  category: string;
  majorPenalty: boolean;
  stage: Stage;
  stageLabel: string;
  awaiting: Role | null;
  nextDueAt: string | null;
  overdue: boolean;
  submittedAt: string;
}

export function caseSummary(state: LegalReviewState): CaseSummary {
  return {
    caseId: state.caseId,
    agencyId: state.agencyId,
    agencyName: state.agencyName,
    caseNumber: state.submission.caseNumber,
    title: state.submission.title,
    category: state.submission.category,
    majorPenalty: state.submission.majorPenalty,
    stage: state.stage,
    stageLabel: STAGES[state.stage],
    awaiting: state.awaiting,
    nextDueAt: state.nextDueAt,
    overdue: state.overdue,
    submittedAt: state.submittedAt,
  };
}

/** A published decision as anyone may read it (执法决定信息公开): the decision, never the party's ids. */
export interface PublicDecisionView {
  caseId: string;
  agencyId: string;
  agencyName: string;
  caseNumber: string;
  title: string;
  category: LegalReviewState['submission']['category'];
  /** An organisation by its name; a person as surname + 某, with no id number. */
  party: string;
  decision: { text: string; documentNumber: string; decidedOn: string };
  /** version and correctedAt once the published information was corrected. */
  publication: { publishedOn: string; channel: string; url?: string; version?: number; correctedAt?: string };
}

/**
 * What the public side shows of a case once its decision is published. Personal data of a party
 * who is a person is removed: the name becomes surname + 某, and the name and id number are masked
 * wherever they appear in the decision text. An organisation is named (enterprises' penalties are
 * published by name); its credit code and legal representative are left out. Undefined until the
 * publication is recorded.
 */
export function publicDecisionView(state: LegalReviewState): PublicDecisionView | undefined {
  const { decision, publication, submission } = state;
  if (!decision || !publication || publication.withdrawn) return undefined;
  const party = submission.party;
  const current = publication.versions?.at(-1);
  let text = current?.text ?? decision.decision;
  let shownParty: string;
  if (party.type === 'person') {
    shownParty = `${[...party.name][0] ?? ''}某`;
    for (const secret of [party.idNumber, party.name]) text = text.split(secret).join(secret === party.name ? shownParty : '*'.repeat(secret.length));
  } else {
    shownParty = party.name;
    for (const secret of [party.creditCode, party.legalRepresentative].filter((s): s is string => Boolean(s))) text = text.split(secret).join('*'.repeat([...secret].length));
  }
  return {
    caseId: state.caseId,
    agencyId: state.agencyId,
    agencyName: state.agencyName,
    caseNumber: submission.caseNumber,
    title: submission.title,
    category: submission.category,
    party: shownParty,
    decision: { text, documentNumber: decision.documentNumber, decidedOn: decision.decidedOn },
    publication: {
      publishedOn: publication.publishedOn,
      channel: current?.channel ?? publication.channel,
      ...((current ? current.url : publication.url) ? { url: (current ? current.url : publication.url)! } : {}),
      ...(current && current.version > 1 ? { version: current.version, correctedAt: current.at } : {}),
    },
  };
}
