/**
 * The facades of the workflow kinds the API serves, decorated on the app as `app.cases`,
 * `app.sites` and `app.duties` (api/types.ts declares them). Ids, visibility and not-found live here.
 */
import type { Client } from '@temporalio/client';
import type { AgencyDirectory } from '../../platform/agencies.js';
import { dutyActions, dutiesQuery, dutiesTimelineQuery, dutiesWorkflowId } from '../../workflows/agency-duties-messages.js';
import { DEMO_SITE_KIND, siteActions, siteStateQuery, siteTimelineQuery } from '../../workflows/demo-site-messages.js';
import { actions, agencyOfCase, legalReviewWorkflowId, stateQuery, timelineQuery } from '../../workflows/legal-review-messages.js';
import { procedureFacade } from './procedure-facade.js';

export function createFacades(client: Client, agencies: AgencyDirectory) {
  return {
    /** Legal-review cases, by case id `agencyId:caseNumber`. */
    cases: procedureFacade({
      client,
      noun: '案件',
      workflowIdOf: legalReviewWorkflowId,
      canSee: (actor, caseId) => actor.role === 'office' || actor.agencyId === agencyOfCase(caseId),
      stateQuery,
      timelineQuery,
      updates: actions,
    }),
    /** Demonstration sites, by their workflow id `demo-site:agencyId:year`. */
    sites: procedureFacade({
      client,
      noun: '示范点',
      workflowIdOf: (siteId) => siteId,
      canSee: (actor, siteId) => {
        const [kind, agencyId] = siteId.split(':');
        return kind === DEMO_SITE_KIND && (actor.role === 'office' || actor.agencyId === agencyId);
      },
      stateQuery: siteStateQuery,
      timelineQuery: siteTimelineQuery,
      updates: siteActions,
    }),
    /** An agency's yearly duties, by agency id. */
    duties: procedureFacade({
      client,
      noun: '年度职责',
      workflowIdOf: dutiesWorkflowId,
      canSee: (actor, agencyId) => agencies.has(agencyId) && (actor.role === 'office' || actor.agencyId === agencyId),
      stateQuery: dutiesQuery,
      timelineQuery: dutiesTimelineQuery,
      updates: {
        submitStatisticsReport: dutyActions.submitStatisticsReport,
        submitSelfInspection: dutyActions.submitSelfInspection,
        recordCaseFileReview: dutyActions.recordCaseFileReview,
      },
      missing: (agencyId) => `${agencyId} 的年度职责尚未建立（由工作进程启动）`,
    }),
  };
}

export type Facades = ReturnType<typeof createFacades>;
