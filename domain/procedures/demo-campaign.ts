/**
 * The yearly demonstration-site campaign (示范点创建活动) as one table: its three actions — an
 * agency's application (申报示范点), the office's recommendation to the city office (推荐上报市级)
 * and the public notice of the proposed list (发布拟命名公示) — who takes each and the rules it must
 * satisfy. The campaign workflow's validators (workflows/demo-campaign.ts) read it; the body schemas
 * are in domain/demo-site.ts.
 *
 * The campaign has no stage of its own: `campaignSubject` derives one, 'applications-open' until the
 * end of its closing day (Asia/Shanghai) and 'applications-closed' after, and carries what the rules
 * read besides the state (the sites in a notice being sent).
 */
import type { CampaignState, SiteStage } from '../../workflows/demo-site-messages.js';
import { SITE_STAGES } from '../../workflows/demo-site-messages.js';
import { CITY_RECOMMENDATION } from '../demo-site-rules.js';
import type { Procedure, Refusal } from '../procedure.js';
import { endOfShanghaiDay } from '../shanghai-time.js';

export type CampaignActionName = 'apply' | 'recommend' | 'notice';
export type CampaignStage = 'applications-open' | 'applications-closed';
export type CampaignSubject = CampaignState & { stage: CampaignStage; noticing: ReadonlySet<string> };

/** Stages in which a site is (or was) a county cultivation target with a good enough basis. */
export const TARGET_STAGES: readonly SiteStage[] = ['cultivating', 'accepted', 'under-notice', 'awaiting-confirmation', 'named'];
/** Stages from which a site may still be (or is) 'accepted'; from any other it never will be. */
export const BEFORE_NOTICE: readonly SiteStage[] = ['applied', 'cultivating', 'accepted'];

/** The campaign as a subject of the table at `now`: its stage, and the sites in a notice being sent. */
export const campaignSubject = (state: CampaignState, noticing: ReadonlySet<string>, now: number): CampaignSubject => ({
  ...state,
  stage: now >= endOfShanghaiDay(state.applicationsClose) ? 'applications-closed' : 'applications-open',
  noticing,
});

/** An applicant as the refusals name it: 县市场监督管理局（county-market）. */
export const applicantName = (state: CampaignState, agencyId: string): string =>
  `${state.applications.find((a) => a.agencyId === agencyId)?.agencyName ?? agencyId}（${agencyId}）`;

/** Why a list cannot go under notice: the sites not (or no longer) 'accepted'. */
export const notAcceptedMessage = (state: CampaignState, unfit: Array<[string, SiteStage | 'missing']>): string =>
  `以下单位的示范点不在“${SITE_STAGES.accepted}”阶段，不能列入${state.year}年度拟命名公示名单：` +
  unfit.map(([id, stage]) => `${applicantName(state, id)}：${stage === 'missing' ? '示范点不存在' : SITE_STAGES[stage]}`).join('；') +
  '。整份名单未公示，名单中的示范点均未进入公示';

const refusal = (type: Refusal['type'], message: string, details?: unknown): Refusal => ({ type, message, ...(details === undefined ? {} : { details }) });
const BOTH_STAGES = ['applications-open', 'applications-closed'] as const;
const APPLY = '申报示范点';
const RECOMMEND = '推荐上报市级';
const NOTICE = '发布拟命名公示';

export const DEMO_CAMPAIGN: Procedure<CampaignActionName, CampaignSubject, CampaignStage> = {
  noun: '示范点创建活动',
  stageLabels: { 'applications-open': '申报中', 'applications-closed': '申报已截止' },
  actions: {
    apply: {
      path: 'applications',
      label: APPLY,
      summary: 'Apply for the year’s demonstration-site campaign (until the end of May 31, Asia/Shanghai)',
      roles: ['agency'],
      stages: ['applications-open'],
      when: (state, actor) =>
        state.applications.some((a) => a.agencyId === actor.agencyId) ? refusal('InvalidTransition', `${APPLY}：${actor.agencyId}已申报${state.year}年度示范点创建`) : undefined,
      check: (_state, body) =>
        typeof body.application !== 'object' || body.application === null || Array.isArray(body.application)
          ? refusal('RuleViolation', `${APPLY}：申报表：须为对象`)
          : undefined,
    },
    recommend: {
      path: 'recommendation',
      label: RECOMMEND,
      summary: 'Recommend 2-3 targets to the city office (附件2)',
      roles: ['office'],
      stages: BOTH_STAGES,
      when: (state) => (state.recommendation ? refusal('InvalidTransition', `${RECOMMEND}：${state.year}年度已推荐上报`) : undefined),
      check: (state, body) => {
        const ids = body.agencyIds;
        if (!Array.isArray(ids)) return refusal('RuleViolation', `${RECOMMEND}：推荐单位：须为单位列表`);
        const targets = Object.entries(state.sites).filter(([, stage]) => TARGET_STAGES.includes(stage)).map(([id]) => id);
        const notTarget = ids.filter((id) => !targets.includes(id));
        if (notTarget.length) return refusal('RuleViolation', `${RECOMMEND}：推荐单位：${notTarget.join('、')}不是${state.year}年度培育对象`);
        if (new Set(ids).size !== ids.length) return refusal('RuleViolation', `${RECOMMEND}：推荐单位：有单位重复列出`);
        const { min, max } = CITY_RECOMMENDATION;
        const needed = Math.min(min, targets.length);
        if (ids.length < needed || ids.length > max) {
          return refusal('RuleViolation', `${RECOMMEND}：推荐单位：须推荐${min}至${max}个培育对象（现有${targets.length}个），不是${ids.length}个`);
        }
        return undefined;
      },
    },
    notice: {
      path: 'notice',
      label: NOTICE,
      summary: 'Publish the proposed list: every listed site goes under public notice for one week, or none does',
      roles: ['office'],
      stages: BOTH_STAGES,
      check: (state, body) => {
        const ids: unknown = body.agencyIds;
        if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string' || !id)) return refusal('RuleViolation', `${NOTICE}：公示单位：公示名单须列明至少一个单位`);
        if (typeof body.channel !== 'string' || !body.channel.trim()) return refusal('RuleViolation', `${NOTICE}：公示渠道：须写明公示渠道`);
        const list = ids as string[];
        const who = (id: string) => applicantName(state, id);
        const twice = [...new Set(list.filter((id, i) => list.indexOf(id) !== i))];
        if (twice.length) return refusal('RuleViolation', `${NOTICE}：公示单位：${twice.map(who).join('、')}在名单中重复列出`);
        const unknown = list.filter((id) => !(id in state.sites));
        if (unknown.length) return refusal('RuleViolation', `${NOTICE}：公示单位：${unknown.join('、')}未申报${state.year}年度示范点创建，没有该年度的示范点`);
        const busy = list.filter((id) => state.noticing.has(id));
        if (busy.length) return refusal('InvalidTransition', `${NOTICE}：${busy.map(who).join('、')}正在另一份公示名单的发布中，请稍后再试`);
        const past = list.filter((id) => !BEFORE_NOTICE.includes(state.sites[id]!));
        if (past.length) return refusal('InvalidTransition', `${NOTICE}：${notAcceptedMessage(state, past.map((id) => [id, state.sites[id]!]))}`, { agencyIds: past });
        return undefined;
      },
    },
  },
};
