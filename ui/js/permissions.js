// Which actions to offer: the UI never shows one the signed-in role cannot take now. These tables
// mirror the workflows' own (ACTIONS in workflows/legal-review.ts, SITE_ACTIONS in
// workflows/demo-site.ts); the API refuses anything else anyway, so a stale row here can only hide a
// button or show one the API then refuses, never let an action through. Listed in the order a
// panel is offered: what the stage is mostly for first.

const CASE_ACTIONS = {
  giveOpinion: { roles: ['legal-review'], stages: ['under-review'] },
  requestMaterial: { roles: ['legal-review'], stages: ['under-review'] },
  extendReview: { roles: ['legal-review'], stages: ['under-review'] },
  supplyMaterial: { roles: ['agency'], stages: ['awaiting-material'] },
  acceptOpinion: { roles: ['agency'], stages: ['awaiting-response'] },
  disputeOpinion: { roles: ['agency'], stages: ['awaiting-response'] },
  coordinate: { roles: ['agency-head', 'office'], stages: ['in-coordination'] },
  resubmit: { roles: ['agency'], stages: ['awaiting-revision'] },
  decide: { roles: ['agency-head'], stages: ['awaiting-decision'] },
  recordTransfer: { roles: ['agency'], stages: ['awaiting-transfer'] },
  recordPublication: { roles: ['agency'], stages: ['decided'] },
  recordFiling: { roles: ['agency'], stages: ['decided'] },
  withdraw: { roles: ['agency'], stages: ['under-review', 'awaiting-material', 'awaiting-response', 'in-coordination', 'awaiting-revision', 'awaiting-decision'] },
};

/** The rules the workflows check beyond role and stage. */
const CASE_EXTRA = {
  extendReview: (state) => !state.extensionUsed,
  disputeOpinion: (state) => state.opinions?.at(-1)?.conclusion !== 'pass',
  recordPublication: (state) => !state.publication,
  recordFiling: (state) => state.submission?.majorPenalty && !state.filing,
};

/**
 * The case actions `actor` may take on `state`, the one(s) the case waits for first. An agency's
 * roles act on their own agency's cases only; the office on any.
 */
export function caseActions(actor, state) {
  if (!actor || (actor.role !== 'office' && actor.agencyId !== state.agencyId)) return [];
  const allowed = Object.entries(CASE_ACTIONS)
    .filter(([name, rule]) => rule.roles.includes(actor.role) && rule.stages.includes(state.stage) && (CASE_EXTRA[name]?.(state) ?? true))
    .map(([name]) => name);
  // What the case is waiting for comes before a withdrawal, which is possible but rarely meant.
  return allowed.sort((a, b) => (a === 'withdraw') - (b === 'withdraw'));
}

/** Whether the case is waiting for this actor (the API's `awaiting`), to open their form first. */
export const awaitsMe = (actor, state) => Boolean(actor && state.awaiting === actor.role && (actor.role === 'office' || actor.agencyId === state.agencyId));

const SITE_ACTIONS = {
  screen: ['applied'],
  recordVisit: ['cultivating'],
  recordAcceptance: ['cultivating'],
  startNotice: ['accepted'],
  resolveObjection: ['under-notice', 'awaiting-confirmation'],
  confirm: ['awaiting-confirmation'],
  reinspect: ['named'],
};

/** Site actions are the office's alone; confirmation waits until every objection is resolved. */
export function siteActions(actor, site) {
  if (actor?.role !== 'office') return [];
  const open = (site.objections ?? []).some((o) => o.status === 'open');
  return Object.entries(SITE_ACTIONS)
    .filter(([name, stages]) => stages.includes(site.stage) && (name !== 'resolveObjection' || open) && (name !== 'confirm' || !open))
    .map(([name]) => name);
}

/** The menu of each role (path, words). */
export function menuFor(role) {
  const menus = {
    agency: [['#/cases', '案件'], ['#/cases/new', '送审'], ['#/reminders', '提醒'], ['#/sites', '示范点'], ['#/duties', '年度职责']],
    'legal-review': [['#/cases', '案件'], ['#/reminders', '提醒']],
    'agency-head': [['#/cases', '案件'], ['#/reminders', '提醒']],
    office: [['#/warnings', '工作清单'], ['#/cases', '案件'], ['#/compliance', '合规概览'], ['#/sites', '示范点'], ['#/duties', '年度职责'], ['#/calendar-notice', '放假安排'], ['#/reminders', '提醒']],
  };
  return [...(menus[role] ?? []), ['#/public', '公示'], ['#/public/decisions', '执法决定公开'], ['#/public/reports', '年度报告']];
}

export const homeOf = (role) => (role === 'office' ? '#/warnings' : role ? '#/cases' : '#/public');
