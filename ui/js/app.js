// The shell: a hash router (#/cases, #/case/<id> …) so the server serves one page and every screen is
// a bookmarkable address, the menu of the signed-in role, and one place that handles a lost session.
import { ApiError, get } from './api.js';
import { go, h, show, takeAnnouncement } from './dom.js';
import { homeOf, menuFor } from './permissions.js';
import * as session from './session.js';
import { V } from './vocabulary.js';
import { calendarNoticeView } from './views/calendar-notice.js';
import { caseView } from './views/case.js';
import { casesView, newCaseView } from './views/cases.js';
import { complianceView } from './views/compliance.js';
import { loginView } from './views/login.js';
import { decisionsView, publicSiteView, publicView, reportsView } from './views/public.js';
import { remindersView } from './views/reminders.js';
import { scoreSheetView } from './views/score-sheet.js';
import { applyView, siteView, sitesView } from './views/sites.js';
import { dutiesView } from './views/duties.js';
import { warningsView } from './views/warnings.js';

const ANYONE = null;
const SIGNED_IN = ['agency', 'legal-review', 'agency-head', 'office'];

/** [pattern, view, roles that may open it (null: anyone, signed in or not)]. */
const ROUTES = [
  [/^#\/login$/, loginView, ANYONE],
  [/^#\/public$/, publicView, ANYONE],
  [/^#\/public\/reports$/, reportsView, ANYONE],
  [/^#\/public\/decisions$/, decisionsView, ANYONE],
  [/^#\/public\/site\/([^/]+)$/, publicSiteView, ANYONE],
  [/^#\/cases$/, casesView, SIGNED_IN],
  [/^#\/cases\/new$/, newCaseView, ['agency']],
  [/^#\/case\/([^/]+)$/, caseView, SIGNED_IN],
  [/^#\/reminders$/, remindersView, SIGNED_IN],
  [/^#\/warnings$/, warningsView, ['office']],
  [/^#\/compliance$/, complianceView, ['office']],
  [/^#\/calendar-notice$/, calendarNoticeView, ['office']],
  [/^#\/calendar-notice\/(\d{4})$/, calendarNoticeView, ['office']],
  [/^#\/sites$/, sitesView, SIGNED_IN],
  [/^#\/sites\/apply$/, applyView, ['agency']],
  [/^#\/duties$/, dutiesView, ['agency', 'office']],
  [/^#\/duties\/([^/]+)$/, dutiesView, ['agency', 'office']],
  [/^#\/site\/([^/]+)\/acceptance$/, scoreSheetView, ['office']],
  [/^#\/site\/([^/]+)$/, siteView, SIGNED_IN],
];

let agencyNames = {};

async function route() {
  const hash = location.hash;
  if (!hash.startsWith('#/') || hash === '#/') {
    location.replace(homeOf(session.current()?.role));
    return;
  }
  renderHeader();
  document.getElementById('status').textContent = takeAnnouncement();
  const match = ROUTES.map(([pattern, view, roles]) => ({ found: pattern.exec(hash), view, roles })).find((r) => r.found);
  if (!match) return show('页面不存在', h('p', {}, h('a', { href: homeOf(session.current()?.role) }, '返回首页')));
  const me = session.current();
  if (match.roles && !me) return loginView('请先登录。');
  if (match.roles && !match.roles.includes(me.role)) return show('无权访问', h('p', {}, `${V.roles[me.role]}不能使用此页面。`));
  try {
    await match.view(...match.found.slice(1).map(decodeURIComponent));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      session.signOut();
      renderHeader();
      return loginView(`登录已失效，请重新登录（${err.message}）。`);
    }
    show('无法显示此页面', h('p', { class: 'form-error', role: 'alert' }, err instanceof ApiError ? err.message : String(err?.message ?? err)));
  }
}

function renderHeader() {
  const me = session.current();
  const here = location.hash.split('?')[0];
  document.getElementById('nav').replaceChildren(
    ...menuFor(me?.role).map(([href, text]) => h('a', { href, 'aria-current': here === href ? 'page' : null }, text)),
  );
  const who = document.getElementById('who');
  if (!me) {
    who.replaceChildren(h('a', { href: '#/login' }, '登录'));
    return;
  }
  const agency = me.agencyId ? `${agencyNames[me.agencyId] ?? me.agencyId} · ` : '';
  who.replaceChildren(
    h('span', {}, `${agency}${V.roles[me.role]}`),
    h('button', { type: 'button', class: 'secondary', on: { click: () => { session.signOut(); go('#/login'); } } }, '退出'),
  );
}

// The skip link moves focus without touching the hash, which the router owns.
document.querySelector('.skip').addEventListener('click', (event) => {
  event.preventDefault();
  document.getElementById('main').focus();
});

agencyNames = Object.fromEntries((await get('/api/agencies').catch(() => [])).map((a) => [a.id, a.name]));
window.addEventListener('hashchange', route);
await route();
