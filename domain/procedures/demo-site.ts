/**
 * The demonstration site (行政执法责任制示范点创建, seed 004) as one table: every action of a site,
 * who takes it, in which stages, and the rules of the seed it must satisfy. The site workflow's
 * validators (workflows/demo-site.ts), the API's routes (api/routes/sites.ts) and the actions
 * offered to the caller (`allowedActions`) all read it. Each action's body schema is beside it, in
 * domain/demo-site.ts (DEMO_SITE_BODIES); its transition is the handler of the same name in the
 * workflow.
 *
 * Two rows are reached other than by `POST /api/sites/{id}/<path>`:
 * - startNotice is sent by the year's campaign (POST /api/site-campaigns/{year}/notice lists the
 *   sites, all under notice or none: workflows/demo-campaign.ts); this row stays the site's own rule
 *   of record, which the campaign's Update meets site by site. Its path is the campaign's, absolute.
 * - resolveObjection is addressed to one objection: `{n}` in its path is the objection's number.
 */
import type { SiteActionName, SiteStage, SiteState } from '../../workflows/demo-site-messages.js';
import { SITE_STAGES } from '../../workflows/demo-site-messages.js';
import { acceptanceWindow } from '../demo-site-rules.js';
import type { Procedure, Refusal } from '../procedure.js';

const OFFICE_ONLY = ['office'] as const;

/**
 * The open stages of a site made a cultivation target (纳入年度依法行政考核). A site that ends
 * (not passed, not named, revoked) closes its workflow with that stage, so no action follows it.
 */
const OPEN_SINCE_SELECTED: readonly SiteStage[] = ['cultivating', 'accepted', 'under-notice', 'awaiting-confirmation', 'named'];

const refusal = (type: Refusal['type'], message: string, details?: unknown): Refusal => ({ type, message, ...(details === undefined ? {} : { details }) });
const openObjections = (state: SiteState) => state.objections.filter((o) => o.status === 'open');
const OBJECTION_STATUS = { open: '待处理', upheld: '已认定成立', dismissed: '已认定不成立' } as const;

/** A date recorded by the office: not in the future. */
const notFuture = (label: string, field: string, date: unknown, today: string) =>
  typeof date === 'string' && date > today ? refusal('RuleViolation', `${label}：${field}${date} 晚于今天（${today}）`) : undefined;

export const DEMO_SITE: Procedure<SiteActionName, SiteState, SiteStage> = {
  noun: '示范点',
  stageLabels: SITE_STAGES,
  actions: {
    screen: {
      path: 'screening',
      label: '确定培育对象',
      summary: 'Screen the application: a county cultivation target, or rejected with a reason',
      roles: OFFICE_ONLY,
      stages: ['applied'],
    },
    recordVisit: {
      path: 'visits',
      label: '记录调研指导',
      summary: 'Record a guidance visit (one is due every two months)',
      roles: OFFICE_ONLY,
      stages: ['cultivating'],
      check: (state, body, _actor, today) => {
        const future = notFuture('记录调研指导', '指导日期（visitedOn）', body.visitedOn, today);
        if (future) return future;
        if (typeof body.visitedOn === 'string' && state.selectedOn && body.visitedOn < state.selectedOn) {
          return refusal('RuleViolation', `记录调研指导：指导日期（visitedOn）${body.visitedOn} 早于确定为培育对象之日（${state.selectedOn}）`);
        }
        return undefined;
      },
    },
    recordAcceptance: {
      path: 'acceptance',
      label: '记录验收',
      summary: 'Record the acceptance (five methods) and its score sheet against the provincial standard',
      roles: OFFICE_ONLY,
      stages: ['cultivating'],
      // 每年8、9月份组织验收: not before August 1 (a later one is recorded as late).
      check: (state, body, _actor, today) => {
        const window = acceptanceWindow(state.year);
        if (typeof body.acceptedOn === 'string' && body.acceptedOn < window.opens) {
          return refusal('InvalidTransition', `记录验收：验收于${state.year}年8、9月份组织，验收日期（acceptedOn）${body.acceptedOn} 早于 ${window.opens}`);
        }
        return notFuture('记录验收', '验收日期（acceptedOn）', body.acceptedOn, today);
      },
    },
    startNotice: {
      path: '/api/site-campaigns/{year}/notice',
      label: '发布拟命名公示',
      summary: 'Put the site under public notice for one week (sent by the year’s campaign: POST /api/site-campaigns/{year}/notice)',
      roles: OFFICE_ONLY,
      stages: ['accepted'],
    },
    resolveObjection: {
      path: 'objections/{n}/resolution',
      label: '处理异议',
      summary: 'Uphold an objection (the site is not named) or dismiss it with reasons',
      roles: OFFICE_ONLY,
      stages: ['under-notice', 'awaiting-confirmation'],
      when: (state) => (openObjections(state).length ? undefined : refusal('InvalidTransition', '处理异议：没有待处理的公示异议')),
      check: (state, body) => {
        const objection = state.objections.find((o) => o.id === body.objectionId);
        if (!objection) return refusal('RuleViolation', `处理异议：没有第 ${String(body.objectionId)} 件异议（objectionId）`);
        if (objection.status !== 'open') return refusal('InvalidTransition', `处理异议：第 ${objection.id} 件异议${OBJECTION_STATUS[objection.status]}`);
        return undefined;
      },
    },
    confirm: {
      path: 'confirmation',
      label: '确认命名',
      summary: 'Confirm the title after the notice (refused while an objection is open)',
      roles: OFFICE_ONLY,
      stages: ['awaiting-confirmation'],
      when: (state) => {
        const open = openObjections(state);
        return open.length ? refusal('InvalidTransition', `确认命名：第 ${open.map((o) => o.id).join('、')} 件公示异议尚未处理，须先认定成立或不成立`) : undefined;
      },
    },
    reinspect: {
      path: 'reinspection',
      label: '复核复查',
      summary: 'Record the biennial re-inspection (a failed one revokes the title)',
      roles: OFFICE_ONLY,
      stages: ['named'],
      check: (_state, body, _actor, today) => notFuture('复核复查', '复查日期（inspectedOn）', body.inspectedOn, today),
    },
    revoke: {
      path: 'revocation',
      label: '撤销命名',
      summary: 'Revoke the title, with the ground',
      roles: OFFICE_ONLY,
      stages: ['named'],
    },
    recordAssessment: {
      path: 'assessment',
      label: '年度考核',
      summary: 'Record the effect on the agency’s annual rule-of-law assessment',
      roles: OFFICE_ONLY,
      stages: OPEN_SINCE_SELECTED,
    },
  },
};

/** The rows with a route of their own under /api/sites/{id}/ (startNotice is the campaign's). */
export const SITE_ROUTED_ACTIONS: readonly SiteActionName[] = (Object.keys(DEMO_SITE.actions) as SiteActionName[]).filter((name) => !DEMO_SITE.actions[name].path.startsWith('/'));
