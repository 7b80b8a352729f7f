/**
 * The facades of the workflow kinds the API serves, decorated on the app as `app.cases`,
 * `app.sites` and `app.duties` (api/types.ts declares them). Ids, visibility and not-found live here.
 */
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { z } from 'zod';
import type { applicationSchema } from '../../domain/demo-site.js';
import type { Submission } from '../../domain/legal-review.js';
import type { Actor } from '../../domain/roles.js';
import type { Agency, AgencyDirectory } from '../../platform/agencies.js';
import type { Config } from '../../platform/config.js';
import { sitePolicy } from '../../platform/policies.js';
import { SA } from '../../platform/search-attributes.js';
import { submitCase } from './submit-case.js';
import { dutyActions, dutiesQuery, dutiesTimelineQuery, dutiesWorkflowId } from '../../workflows/agency-duties-messages.js';
import { applyUpdate, campaignWorkflowId, DEMO_CAMPAIGN_KIND, DEMO_SITE_KIND, siteActions, siteStateQuery, siteTimelineQuery } from '../../workflows/demo-site-messages.js';
import { actions, agencyOfCase, LEGAL_REVIEW_KIND, legalReviewWorkflowId, stateQuery, timelineQuery } from '../../workflows/legal-review-messages.js';
import { procedureFacade } from './procedure-facade.js';
import type { RecordsDb } from '../../platform/records/database.js';
import { lastStateOf, recordOf } from '../records.js';

/** What the records database keeps of a kind's workflows, for the facades to answer once Temporal has forgotten them. */
function archiveOf(records: RecordsDb | undefined, table: 'cases' | 'sites') {
  if (!records) return undefined;
  return { state: (workflowId: string) => lastStateOf(records, table, workflowId), timeline: (workflowId: string) => recordOf(records, workflowId) };
}

export function createFacades(client: Client, agencies: AgencyDirectory, config: Config, records?: RecordsDb) {
  const cases = {
    /** Submits a case (update-with-start: the case comes back with its review deadline). */
    submit: (agency: Agency, submission: Submission, actor: Actor) => submitCase(client, config, agency, submission, actor),
  };
  const sites = {
    /** An application: the year's campaign starts with its first one and starts the agency's site. */
    async apply(actor: Actor, agency: Agency, year: number, application: z.output<typeof applicationSchema>): Promise<string> {
      const { siteId } = await client.workflow.executeUpdateWithStart(applyUpdate, {
        args: [actor, { agencyName: agency.name, application }],
        startWorkflowOperation: new WithStartWorkflowOperation('demoCampaignWorkflow', {
          workflowId: campaignWorkflowId(year),
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          args: [{ year, policy: sitePolicy(config) }],
          // The first application of a year opens its campaign; later ones join it.
          workflowIdConflictPolicy: 'USE_EXISTING',
          typedSearchAttributes: [
            { key: SA.kind, value: DEMO_CAMPAIGN_KIND },
            { key: SA.year, value: year },
          ],
        }),
      });
      return siteId;
    },
  };
  return {
    /** Legal-review cases, by case id `agencyId:caseNumber`. */
    cases: { ...cases, ...procedureFacade({
      client,
      noun: '案件',
      workflowIdOf: legalReviewWorkflowId,
      canSee: (actor, caseId) => actor.role === 'office' || actor.agencyId === agencyOfCase(caseId),
      stateQuery,
      timelineQuery,
      updates: actions,
      archive: archiveOf(records, 'cases'),
    }) },
    /** Demonstration sites, by their workflow id `demo-site:agencyId:year`. */
    sites: { ...sites, ...procedureFacade({
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
      archive: archiveOf(records, 'sites'),
    }) },
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
