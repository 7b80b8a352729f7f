/**
 * The county's demonstration-site campaign of one year: takes applications until the end of May 31
 * (Asia/Shanghai), starts one site workflow per applicant, knows its sites' stages, and records the
 * 2-3 targets recommended to the city office. It ends with its year; the sites live on.
 */
import {
  ParentClosePolicy,
  allHandlersFinished,
  ActivityFailure,
  ApplicationFailure,
  condition,
  currentUpdateInfo,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { applicationCloses } from '../domain/demo-site-rules.js';
import { refusalOf } from '../domain/procedure.js';
import { applicantName, BEFORE_NOTICE, campaignSubject, DEMO_CAMPAIGN, notAcceptedMessage, type CampaignActionName } from '../domain/procedures/demo-campaign.js';
import { endOfShanghaiDay, shanghaiDateOf } from '../domain/shanghai-time.js';
import type { Activities } from '../activities/index.js';
import type { RefusalType } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { SA } from '../platform/search-attributes.js';
import {
  applyUpdate,
  campaignQuery,
  DEMO_CAMPAIGN_KIND,
  noticeUpdate,
  recommendedSignal,
  recommendUpdate,
  siteStageSignal,
  siteWorkflowId,
  type Application,
  type CampaignInput,
  type CampaignState,
  type SiteStage,
  type SiteState,
} from './demo-site-messages.js';
import { demoSiteWorkflow } from './demo-site.js';
import { refuse } from './refuse.js';


type Refusal = Exclude<RefusalType, 'NotFound'>;
const REFUSALS: Refusal[] = ['Forbidden', 'InvalidTransition', 'RuleViolation'];

const { siteStages, startSiteNotice } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // Transient failures (a worker or the server away) are retried until the sites answer; a site's
  // refusal is final.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: REFUSALS },
});

/** The refusal an activity carried (a site's), or a plain one. */
function refusalFrom(err: unknown): { type: Refusal; message: string } {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && REFUSALS.includes(cause.type as Refusal)) return { type: cause.type as Refusal, message: cause.message };
  return { type: 'InvalidTransition', message: err instanceof Error ? err.message : String(err) };
}

/**
 * The campaign's actions: each Update's handler is a method, its validator the action's row of the
 * table (domain/procedures/demo-campaign.ts).
 */
class DemoCampaign {
  readonly state: CampaignState;
  /** The sites of a notice being sent (reserved by the notice's handler until it has answered). */
  readonly noticing = new Set<string>();

  constructor(private readonly input: CampaignInput) {
    const { year } = input;
    this.state = { year, applicationsClose: applicationCloses(year), applicationsClosed: false, applications: [], sites: {} };
  }

  /** The validator of an action: its row of the table, on the campaign as it is now. */
  validatorOf(name: CampaignActionName) {
    return (actor: Actor, body: unknown): void => {
      const now = Date.now();
      const refusal = refusalOf(DEMO_CAMPAIGN, name, campaignSubject(this.state, this.noticing, now), actor, body, shanghaiDateOf(now));
      if (refusal) refuse(refusal.type, refusal.message, refusal.details);
    };
  }

  private who = (agencyId: string) => applicantName(this.state, agencyId);

  async apply(actor: Actor, { agencyName, application }: { agencyName: string; application: Application }) {
    const { state } = this;
    const { year, policy } = this.input;
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
  }

  async recommend(actor: Actor, body: { agencyIds: string[]; opinion: string }) {
    const { state } = this;
    const at = new Date().toISOString();
    state.recommendation = { ...body, at, by: actor };
    await Promise.all(body.agencyIds.map((id: string) => getExternalWorkflowHandle(siteWorkflowId(id, this.input.year)).signal(recommendedSignal, { opinion: body.opinion, at })));
    return state;
  }

  /*
   * The public notice of the proposed list (公示确认): every listed site goes under notice, or none.
   *
   * The site's own startNotice Update validator stays the rule of record; the campaign cannot send
   * another workflow an Update, so activities send it as a client would (activities/site-notice.ts).
   * "All or none" is made of four parts:
   *
   * 1. The validator (the table's row, domain/procedures/demo-campaign.ts) refuses what the campaign can know for certain, writing nothing to the
   *    history: not the office; an empty list or one naming an agency twice; an agency that did not
   *    apply this year; a site whose reported stage is already past 'accepted' or can never reach it
   *    (stages only move forward); a site in a notice still being sent. The stages the sites report
   *    (siteStageSignal) may lag behind: a site accepted a moment ago may still read 'cultivating'
   *    here, so the validator does not refuse on an earlier stage.
   * 2. The handler first reserves the listed sites (synchronously, right after the validator: a
   *    second notice naming one of them is refused by (1)), then asks every site its stage as the
   *    site itself holds it (siteStages). If any is not 'accepted' the Update is refused, naming
   *    them, before any site was sent anything: none goes under notice.
   * 3. Only then is each site sent its startNotice Update. Once this handler has begun, its progress
   *    is in the campaign's history: after a crash of a worker the handler resumes and the
   *    activities retry until every site has answered, so a half-sent notice completes instead of
   *    stopping half-way. Each site Update carries an id derived from this Update's, so a retry is
   *    the same Update to the server, not a second notice.
   * 4. A site cannot refuse in step 3 for a reason step 2 did not see: 'accepted' is left only by
   *    startNotice (no timer moves it), and the campaign sends the notices of its sites one list at
   *    a time. The one way left is a startNotice sent straight to that site by another client in
   *    between; that site is then under notice too, which is what this list asks
   *    (startSiteNotice returns its state). Were a site still to refuse, the others are not
   *    abandoned half-way: all are sent, and the refusal names who is and who is not under notice.
   *
   * No patched() is needed for the Update itself: registering a handler emits no command, and the
   * commands this handler emits appear only in histories holding a 'notice' Update, which no
   * campaign had before it. The campaign's end does change (it waits for its sites' notices, below):
   * that is behind patched('campaign-open-until-notices').
   */
  async notice(actor: Actor, body: { agencyIds: string[]; channel: string }) {
    const { state, noticing, who } = this;
    const { year } = this.input;
    const ids: string[] = body.agencyIds;
    for (const id of ids) noticing.add(id);
    try {
      const siteIds = ids.map((id) => siteWorkflowId(id, year));
      const stages = await siteStages({ siteIds });
      const unfit = ids.map((id, i) => [id, stages[siteIds[i]!]!] as [string, SiteStage | 'missing']).filter(([, stage]) => stage !== 'accepted');
      if (unfit.length) refuse('InvalidTransition', notAcceptedMessage(state, unfit), { agencyIds: unfit.map(([id]) => id) });

      const updateId = currentUpdateInfo()!.id;
      const sent = await Promise.allSettled(siteIds.map((siteId, i) => startSiteNotice({ siteId, actor, channel: body.channel, updateId: `${updateId}:${ids[i]}` })));
      const sites: SiteState[] = [];
      sent.forEach((result, i) => {
        if (result.status === 'fulfilled') {
          sites.push(result.value);
          state.sites[ids[i]!] = result.value.stage;
        }
      });
      const failed = ids.filter((_, i) => sent[i]!.status === 'rejected');
      if (failed.length) {
        const first = refusalFrom((sent[ids.indexOf(failed[0]!)] as PromiseRejectedResult).reason);
        refuse(first.type, `${failed.map(who).join('、')}未能进入公示（${first.message}）；已进入公示：${sites.map((s) => who(s.agencyId)).join('、') || '无'}`, {
          agencyIds: failed,
        });
      }
      (state.notices ??= []).push({ agencyIds: ids, channel: body.channel, at: new Date().toISOString(), by: actor });
      return { campaign: state, sites };
    } finally {
      for (const id of ids) noticing.delete(id);
    }
  }
}

export async function demoCampaignWorkflow(input: CampaignInput): Promise<CampaignState> {
  const campaign = new DemoCampaign(input);
  const { state } = campaign;
  const { year } = input;
  const closesAt = endOfShanghaiDay(state.applicationsClose);

  setHandler(applyUpdate, (actor, body) => campaign.apply(actor, body), { validator: campaign.validatorOf('apply') });
  setHandler(recommendUpdate, (actor, body) => campaign.recommend(actor, body), { validator: campaign.validatorOf('recommend') });
  // The public notice of the proposed list: every listed site goes under notice, or none (DemoCampaign.notice).
  setHandler(noticeUpdate, (actor, body) => campaign.notice(actor, body), { validator: campaign.validatorOf('notice') });

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
  // The notice of its sites is the campaign's too (the 'notice' Update, DemoCampaign.notice): a site accepted late,
  // or not yet, must still find its campaign to be published, so the campaign ends only once none
  // of its sites can still await a notice. Campaigns that ended before this rule keep their end.
  if (patched('campaign-open-until-notices')) await condition(() => Object.values(state.sites).every((stage) => !BEFORE_NOTICE.includes(stage)));
  await condition(allHandlersFinished);
  return state;
}

