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
import { equals } from '../visibility.js';
import { submitCase } from './submit-case.js';
import { dutyActions, dutiesQuery, dutiesTimelineQuery, dutiesWorkflowId } from '../../workflows/agency-duties-messages.js';
import { applyUpdate, campaignWorkflowId, DEMO_CAMPAIGN_KIND, DEMO_SITE_KIND, siteActions, siteStateQuery, siteTimelineQuery } from '../../workflows/demo-site-messages.js';
import { actions, agencyOfCase, LEGAL_REVIEW_KIND, legalReviewWorkflowId, stateQuery, timelineQuery } from '../../workflows/legal-review-messages.js';
import { procedureFacade } from './procedure-facade.js';

/** The visibility clause of a list: the kind, then each filter given (an agency sees only its own rows). */
function listQuery(kind: string, actor: Actor, filters: Record<string, string | number | boolean | undefined> & { agencyId?: string }, keys: Record<string, string>): string {
  const agencyId = actor.role === 'office' ? filters.agencyId : actor.agencyId;
  const clauses = [equals(SA.kind.name, kind)];
  if (agencyId) clauses.push(equals(SA.agencyId.name, agencyId));
  for (const [filter, attribute] of Object.entries(keys)) {
    const value = filters[filter];
    if (value !== undefined) clauses.push(equals(attribute, value));
  }
  return clauses.join(' AND ');
}

export function createFacades(client: Client, agencies: AgencyDirectory, config: Config) {
  const cases = {
    /** Submits a case (update-with-start: the case comes back with its review deadline). */
    submit: (agency: Agency, submission: Submission, actor: Actor) => submitCase(client, config, agency, submission, actor),
    /** The visibility query of a list of cases. */
    listQuery: (actor: Actor, filters: { agencyId?: string; stage?: string; awaiting?: string; overdue?: boolean }) =>
      listQuery(LEGAL_REVIEW_KIND, actor, filters, { stage: SA.stage.name, awaiting: SA.awaiting.name, overdue: SA.overdue.name }),
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
    listQuery: (actor: Actor, filters: { agencyId?: string; year?: number; stage?: string; overdue?: boolean }) =>
      listQuery(DEMO_SITE_KIND, actor, filters, { year: SA.year.name, stage: SA.stage.name, overdue: SA.overdue.name }),
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
