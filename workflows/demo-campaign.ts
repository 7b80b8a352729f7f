/**
 * The county's demonstration-site campaign of one year: takes applications until the end of May 31
 * (Asia/Shanghai), starts one site workflow per applicant, knows its sites' stages, and records the
 * 2-3 targets recommended to the city office. It ends with its year; the sites live on.
 */
import {
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { applicationCloses, CITY_RECOMMENDATION } from '../domain/demo-site-rules.js';
import { endOfShanghaiDay } from '../domain/shanghai-time.js';
import { SA } from '../platform/search-attributes.js';
import {
  applyUpdate,
  campaignQuery,
  DEMO_CAMPAIGN_KIND,
  recommendedSignal,
  recommendUpdate,
  siteStageSignal,
  siteWorkflowId,
  type CampaignInput,
  type CampaignState,
  type SiteStage,
} from './demo-site-messages.js';
import { demoSiteWorkflow } from './demo-site.js';
import { refuse, requireBody } from './refuse.js';


/** Stages in which a site is (or was) a county cultivation target with a good enough basis. */
const TARGET_STAGES: SiteStage[] = ['cultivating', 'accepted', 'under-notice', 'awaiting-confirmation', 'named'];

export async function demoCampaignWorkflow({ year, policy }: CampaignInput): Promise<CampaignState> {
  const closes = applicationCloses(year);
  const state: CampaignState = { year, applicationsClose: closes, applicationsClosed: false, applications: [], sites: {} };
  const closesAt = endOfShanghaiDay(closes);

  setHandler(
    applyUpdate,
    async (actor, { agencyName, application }) => {
      const siteId = siteWorkflowId(actor.agencyId!, year);
      await startChild(demoSiteWorkflow, {
        workflowId: siteId,
        args: [{ siteId, agencyId: actor.agencyId!, agencyName, year, application, appliedBy: actor, campaignWorkflowId: workflowInfo().workflowId, policy }],
        // A named site outlives its campaign by decades.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      state.applications.push({ agencyId: actor.agencyId!, agencyName, siteId, appliedAt: new Date().toISOString() });
      state.sites[actor.agencyId!] = 'applied';
      return { campaign: state, siteId };
    },
    {
      validator: (actor, body) => {
        if (actor.role !== 'agency') refuse('Forbidden', `applications are made by an agency, not ${actor.role}`);
        if (Date.now() >= closesAt) {
          refuse('InvalidTransition', `applications for ${year} closed at the end of ${closes} (Asia/Shanghai)`);
        }
        if (state.applications.some((a) => a.agencyId === actor.agencyId)) {
          refuse('InvalidTransition', `${actor.agencyId} has already applied for ${year}`);
        }
        requireBody(body);
        requireBody(body.application);
      },
    },
  );

  setHandler(
    recommendUpdate,
    async (actor, body) => {
      const at = new Date().toISOString();
      state.recommendation = { ...body, at, by: actor };
      await Promise.all(body.agencyIds.map((id: string) => getExternalWorkflowHandle(siteWorkflowId(id, year)).signal(recommendedSignal, { opinion: body.opinion, at })));
      return state;
    },
    {
      validator: (actor, body) => {
        if (actor.role !== 'office') refuse('Forbidden', `the recommendation is made by the office, not ${actor.role}`);
        requireBody(body);
        if (!Array.isArray(body.agencyIds)) refuse('RuleViolation', 'agencyIds: must be a list of agency ids');
        if (state.recommendation) refuse('InvalidTransition', `the ${year} recommendation was already made`);
        const targets = Object.entries(state.sites).filter(([, stage]) => TARGET_STAGES.includes(stage)).map(([id]) => id);
        const notTarget = body.agencyIds.filter((id: string) => !targets.includes(id));
        if (notTarget.length) refuse('RuleViolation', `agencyIds: not a cultivation target of ${year}: ${notTarget.join(', ')}`);
        if (new Set(body.agencyIds).size !== body.agencyIds.length) refuse('RuleViolation', 'agencyIds: an agency is named twice');
        const { min, max } = CITY_RECOMMENDATION;
        const needed = Math.min(min, targets.length);
        if (body.agencyIds.length < needed || body.agencyIds.length > max) {
          refuse('RuleViolation', `agencyIds: recommend ${min}-${max} targets to the city office (${targets.length} targets exist), not ${body.agencyIds.length}`);
        }
      },
    },
  );

  setHandler(siteStageSignal, ({ agencyId, stage }) => {
    state.sites[agencyId] = stage;
  });
  setHandler(campaignQuery, () => state);

  upsertSearchAttributes([
    { key: SA.kind, value: DEMO_CAMPAIGN_KIND },
    { key: SA.year, value: year },
  ]);

  await condition(() => Date.now() >= closesAt, Math.max(closesAt - Date.now(), 1));
  state.applicationsClosed = true;
  // The campaign's work (the recommendation, the sites' reports) belongs to its year.
  const endOfYear = endOfShanghaiDay(`${year}-12-31`);
  if (Date.now() < endOfYear) await sleep(endOfYear - Date.now());
  await condition(allHandlersFinished);
  return state;
}

