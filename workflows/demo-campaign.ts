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
import { applicationCloses, CITY_RECOMMENDATION } from '../domain/demo-site-rules.js';
import { endOfShanghaiDay } from '../domain/shanghai-time.js';
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
  type CampaignInput,
  type CampaignState,
  SITE_STAGES,
  type SiteStage,
  type SiteState,
} from './demo-site-messages.js';
import { demoSiteWorkflow } from './demo-site.js';
import { refuse, requireBody } from './refuse.js';


/** Stages in which a site is (or was) a county cultivation target with a good enough basis. */
const TARGET_STAGES: SiteStage[] = ['cultivating', 'accepted', 'under-notice', 'awaiting-confirmation', 'named'];
/** Stages from which a site may still be (or is) 'accepted'; from any other it never will be. */
const BEFORE_NOTICE: SiteStage[] = ['applied', 'cultivating', 'accepted'];
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

  /*
   * The public notice of the proposed list (公示确认): every listed site goes under notice, or none.
   *
   * The site's own startNotice Update validator stays the rule of record; the campaign cannot send
   * another workflow an Update, so activities send it as a client would (activities/site-notice.ts).
   * "All or none" is made of four parts:
   *
   * 1. This validator refuses what the campaign can know for certain, writing nothing to the
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
  const noticing = new Set<string>();
  const who = (agencyId: string) => `${state.applications.find((a) => a.agencyId === agencyId)?.agencyName ?? agencyId}（${agencyId}）`;
  const notAccepted = (unfit: Array<[string, SiteStage | 'missing']>) =>
    `以下单位的示范点不在“${SITE_STAGES.accepted}”阶段，不能列入${year}年度拟命名公示名单：` +
    unfit.map(([id, stage]) => `${who(id)}：${stage === 'missing' ? '示范点不存在' : SITE_STAGES[stage]}`).join('；') +
    '。整份名单未公示，名单中的示范点均未进入公示';

  setHandler(
    noticeUpdate,
    async (actor: Actor, body) => {
      const ids: string[] = body.agencyIds;
      for (const id of ids) noticing.add(id);
      try {
        const siteIds = ids.map((id) => siteWorkflowId(id, year));
        const stages = await siteStages({ siteIds });
        const unfit = ids.map((id, i) => [id, stages[siteIds[i]!]!] as [string, SiteStage | 'missing']).filter(([, stage]) => stage !== 'accepted');
        if (unfit.length) refuse('InvalidTransition', notAccepted(unfit), { agencyIds: unfit.map(([id]) => id) });

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
    },
    {
      validator: (actor, body) => {
        if (actor.role !== 'office') refuse('Forbidden', `拟命名名单由县法治政府建设领导小组办公室公示，${actor.role} 不能发布`);
        requireBody(body);
        const ids: unknown = body.agencyIds;
        if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string' || !id)) refuse('RuleViolation', 'agencyIds：公示名单须列明至少一个单位');
        if (typeof body.channel !== 'string' || !body.channel.trim()) refuse('RuleViolation', 'channel：须写明公示渠道');
        const twice = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
        if (twice.length) refuse('RuleViolation', `agencyIds：${twice.map(who).join('、')}在名单中重复列出`);
        const unknown = ids.filter((id) => !(id in state.sites));
        if (unknown.length) refuse('RuleViolation', `agencyIds：${unknown.join('、')}未申报${year}年度示范点创建，没有该年度的示范点`);
        const busy = ids.filter((id) => noticing.has(id));
        if (busy.length) refuse('InvalidTransition', `${busy.map(who).join('、')}正在另一份公示名单的发布中，请稍后再试`);
        const past = ids.filter((id) => !BEFORE_NOTICE.includes(state.sites[id]!));
        if (past.length) refuse('InvalidTransition', notAccepted(past.map((id) => [id, state.sites[id]!])), { agencyIds: past });
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
  // The notice of its sites is the campaign's too (the 'notice' Update above): a site accepted late,
  // or not yet, must still find its campaign to be published, so the campaign ends only once none
  // of its sites can still await a notice. Campaigns that ended before this rule keep their end.
  if (patched('campaign-open-until-notices')) await condition(() => Object.values(state.sites).every((stage) => !BEFORE_NOTICE.includes(stage)));
  await condition(allHandlersFinished);
  return state;
}

