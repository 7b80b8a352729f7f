// What the UI decides about roles on its own: whose form to open first and each role's menu. Which
// actions to offer is not among them: the API's case and site state carries `allowedActions`, built
// from the procedure's own table (domain/procedures/), and the pages draw their buttons from it.

/** Whether the case is waiting for this actor (the API's `awaiting`), to open their form first. */
export const awaitsMe = (actor, state) => Boolean(actor && state.awaiting === actor.role && (actor.role === 'office' || actor.agencyId === state.agencyId));

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
