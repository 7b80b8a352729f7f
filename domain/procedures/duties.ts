/**
 * An agency's yearly duties (年度统计报告、“回头看”自查报告、季度案卷评查) as one table: every action,
 * who takes it and the rules it must satisfy. The duties workflow's validators
 * (workflows/agency-duties.ts), the API's routes (api/routes/duties.ts) and the actions offered to
 * the caller (`allowedActions`) all read it. Each action's body schema is beside it, in
 * domain/duties.ts (DUTIES_BODIES); its transition is the method of the same name of AgencyDuties.
 *
 * The duties have no stages: a year's duties are open until the year ends (the run then continues as
 * new). `dutiesSubject` gives the table the one stage it needs, 'open', without touching the state.
 */
import type { DutiesActionName, DutiesState } from '../../workflows/agency-duties-messages.js';
import type { Procedure, Refusal } from '../procedure.js';

export type DutiesStage = 'open';
export type DutiesSubject = DutiesState & { stage: DutiesStage };

/** The duties as a subject of the table: the year's one stage. */
export const dutiesSubject = (state: DutiesState): DutiesSubject => ({ ...state, stage: 'open' });

const AGENCY_ONLY = ['agency'] as const;
const refusal = (type: Refusal['type'], message: string): Refusal => ({ type, message });

const reportSubmitted = (label: string) => (state: DutiesSubject) =>
  state.statisticsReport.submitted ? refusal('InvalidTransition', `${label}：${state.statisticsReport.coversYear}年度统计报告已报送`) : undefined;

export const DUTIES: Procedure<DutiesActionName, DutiesSubject, DutiesStage> = {
  noun: '年度职责',
  stageLabels: { open: '本年度' },
  actions: {
    submitStatisticsReport: {
      path: 'statistics-report',
      label: '报送年度统计报告',
      summary: 'Submit the previous year’s enforcement statistics report (drafted from the system’s records)',
      roles: AGENCY_ONLY,
      stages: ['open'],
      when: reportSubmitted('报送年度统计报告'),
    },
    submitSelfInspection: {
      path: 'self-inspection',
      label: '报送自查报告',
      summary: 'Submit the self-inspection report of the three systems (回头看), due April 30',
      roles: AGENCY_ONLY,
      stages: ['open'],
      when: (state) => (state.selfInspection.submitted ? refusal('InvalidTransition', `报送自查报告：${state.year}年度自查报告已报送`) : undefined),
    },
    recordCaseFileReview: {
      path: 'case-file-reviews',
      label: '记录案卷评查',
      summary: 'Record a quarter’s case-file review (案卷评查): files and scores; 70 or less fails (70分以下 includes 70)',
      roles: AGENCY_ONLY,
      stages: ['open'],
      check: (state, body) => {
        const review = state.caseFileReviews[String(body.quarter) as '1'];
        if (!review) return refusal('RuleViolation', `记录案卷评查：季度（quarter）须为 1 至 4，不是 ${String(body.quarter)}`);
        return review.record ? refusal('InvalidTransition', `记录案卷评查：第${String(body.quarter)}季度案卷评查已记录`) : undefined;
      },
    },
    redraftStatisticsReport: {
      path: 'statistics-report/redraft',
      label: '重新生成统计报告草稿',
      summary: 'Draft the statistics report again from the records as they are now',
      roles: AGENCY_ONLY,
      stages: ['open'],
      when: reportSubmitted('重新生成统计报告草稿'),
    },
  },
};
