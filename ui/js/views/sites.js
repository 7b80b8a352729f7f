// Demonstration sites: the board by stage (GET /api/sites) and a site's page with the forms of the
// actions the API offers the caller now (its `allowedActions`, in its order, with its words) —
// screening, visits, acceptance (the score sheet page), notice, objections, confirmation,
// re-inspection, revocation, the annual assessment — and its full-process record.
import { get, post, seg } from '../api.js';
import { announce, announceOnNextPage, badge, formatDue, formatTime, go, h, lines, show, todayInShanghai } from '../dom.js';
import { apiForm, choices, field, radio, text } from '../forms.js';
import * as session from '../session.js';
import { V } from '../vocabulary.js';
import { deadlineCalendar, dueWithNote, PROVISIONAL_DUE } from '../calendar.js';
import { deadlinesCard } from './case.js';
import { timelineSection } from './timeline.js';

/** Stages shown as columns even when empty: the road a site normally takes. */
const MAIN_ROAD = ['applied', 'cultivating', 'accepted', 'under-notice', 'awaiting-confirmation', 'named'];

export async function sitesView(year = '') {
  const q = new URLSearchParams({ pageSize: '200' });
  if (year) q.set('year', year);
  const { items } = await get(`/api/sites?${q}`);
  const thisYear = Number(todayInShanghai().slice(0, 4));
  const yearField = field('年度', 'year', {
    type: 'select',
    value: String(year),
    options: { '': '全部年度', ...Object.fromEntries([thisYear + 1, thisYear, thisYear - 1, thisYear - 2].map((y) => [y, `${y}年`])) },
  });
  yearField.addEventListener('change', (e) => sitesView(e.target.value));

  const stages = Object.keys(V.siteStages).filter((s) => MAIN_ROAD.includes(s) || items.some((i) => i.stage === s));
  show(
    '示范点创建',
    h(
      'div',
      { class: 'row card' },
      yearField,
      h('span', { class: 'muted' }, `共 ${items.length} 个`),
      session.current()?.role === 'agency' ? h('a', { href: '#/sites/apply', class: 'button' }, '申报示范点') : null,
    ),
    h(
      'div',
      { class: 'board' },
      stages.map((stage) => {
        const here = items.filter((i) => i.stage === stage);
        return h(
          'section',
          { class: 'column', 'aria-label': V.siteStages[stage] },
          h('h3', {}, `${V.siteStages[stage]}（${here.length}）`),
          h(
            'ul',
            {},
            here.map((site) =>
              h(
                'li',
                { class: 'card' },
                h('a', { href: `#/site/${seg(site.siteId)}` }, `${site.agencyName}`),
                h('div', { class: 'muted' }, `${site.year}年`),
                site.nextDueAt ? h('div', {}, `期限：${formatDue(site.nextDueAt)}`) : null,
                site.overdue ? badge('已逾期', 'red') : null,
                site.score !== undefined ? h('div', {}, `验收得分 ${site.score}`) : null,
              ),
            ),
          ),
        );
      }),
    ),
  );
}

const dl = (pairs) =>
  h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '').flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));

export async function siteView(id) {
  const [site, timeline] = await Promise.all([get(`/api/sites/${seg(id)}`), get(`/api/sites/${seg(id)}/timeline`)]);
  // What this caller may do now, by stage and the procedure's rules: the API decides, the page draws.
  const actions = site.allowedActions ?? [];
  const refresh = () => siteView(id);
  const a = site.application;
  const result = site.acceptance?.result;

  show(
    `${site.agencyName} · ${site.year}年示范点创建`,
    h('p', { class: 'row' }, badge(site.stageLabel), site.nextDueAt ? dueWithNote(site.deadlines, site.nextDueAt) : null, site.overdue ? badge('已逾期', 'red') : null),
    actions.length
      ? h('section', { 'aria-labelledby': 'site-actions' }, h('h2', { id: 'site-actions' }, '可办理事项'), actions.flatMap((allowed) => sitePanels(allowed, site, refresh)))
      : null,
    h(
      'section',
      { class: 'card' },
      h('h2', {}, '申报'),
      dl([
        ['申报单位', `${a.unitName}（${a.unitLevel}）`],
        ['地址', a.address],
        ['近三年工作情况', a.pastThreeYearsWork],
        ['单位意见', a.unitOpinion],
        ['创建方案', a.creationPlan],
        ['工作推进台账', a.progressLedger],
        ['申报时间', formatTime(site.appliedAt)],
        ['审核结果', site.screening && (site.screening.decision === 'target' ? '确定为培育对象' : `不予确定：${site.screening.reason}`)],
      ]),
    ),
    site.visits.length
      ? h('section', { class: 'card' }, h('h2', {}, '调研指导'), h('ul', {}, site.visits.map((v) => h('li', {}, `${v.visitedOn} 第${v.period}期 ${v.people.join('、')}：${v.findings}`))))
      : null,
    result
      ? h(
          'section',
          { class: 'card' },
          h('h2', {}, '验收'),
          dl([
            ['验收日期', site.acceptance.acceptedOn],
            ['一般标准', `${result.general} 分`],
            ['加分', `${result.bonus} 分`],
            ['结论', result.vetoed ? `否决：${result.vetoes.map((v) => v.label).join('；')}` : result.passed ? `达标（达标线 ${result.passMark} 分）` : `未达标（达标线 ${result.passMark} 分）`],
          ]),
        )
      : null,
    site.notice || site.objections.length
      ? h(
          'section',
          { class: 'card' },
          h('h2', {}, '公示与异议'),
          site.notice ? h('p', {}, `公示渠道：${site.notice.channel}，${formatTime(site.notice.startsAt)} 至 ${formatTime(site.notice.endsAt)}${site.notice.provisional ? PROVISIONAL_DUE : ''}`) : null,
          h('ul', {}, site.objections.map((o) => h('li', {}, `第 ${o.id} 件（${o.status === 'open' ? '待处理' : o.status === 'upheld' ? '异议成立' : '不成立'}）：${o.text}${o.name ? ` —— ${o.name}` : ''}${o.contact ? `（联系方式：${o.contact}，仅办公室可见）` : ''}`))),
        )
      : null,
    site.title ? h('section', { class: 'card' }, h('h2', {}, '命名'), dl([['称号', site.title], ['命名日期', site.awardedOn]])) : null,
    site.reinspections.length
      ? h('section', { class: 'card' }, h('h2', {}, '复核复查'), h('ul', {}, site.reinspections.map((r) => h('li', {}, `${r.inspectedOn} ${r.passed ? '通过' : '未通过'}：${r.findings}`))))
      : null,
    deadlinesCard(site.deadlines, 'siteDeadlines'),
    deadlineCalendar(site.deadlines, 'siteDeadlines'),
    timelineSection(timeline),
  );
}

/** A collapsible form of `action` posting to `path`; `done` re-renders the page. */
function panel({ action, summary, label, path, fields, body, done, open = true, danger = false }) {
  const form = apiForm(
    {
      submitLabel: label,
      danger,
      onSubmit: async (f) => {
        const next = await post(path, body(f));
        await done();
        announce(`${label}：已提交${next.stageLabel ? `，现为「${next.stageLabel}」` : ''}`);
      },
    },
    ...fields,
  );
  return h('details', { class: 'action mine', open, dataset: { action } }, h('summary', {}, summary ?? label), form);
}

/**
 * One form per action (keyed by the action's name): its fields, its body, whether it opens at once.
 * Which actions to offer, their words and where they post come from `allowedActions`.
 */
const SITE_FORMS = {
  screen: {
    fields: () => [
      choices('审核结果', 'decision', { target: '确定为县级示范点培育对象', reject: '不予确定' }, { required: true }),
      field('说明', 'note', { type: 'textarea', hint: '确定为培育对象时可填' }),
      field('不予确定的理由', 'reason', { type: 'textarea', hint: '不予确定时必填' }),
    ],
    // The two outcomes take different fields; the API refuses a field the outcome has not.
    body: (f) => (radio(f, 'decision') === 'reject' ? { decision: 'reject', reason: text(f, 'reason') } : { decision: radio(f, 'decision'), note: text(f, 'note') }),
  },
  recordVisit: {
    open: false,
    fields: () => [
      field('指导日期', 'visitedOn', { type: 'date', required: true, value: todayInShanghai(), hint: '每2个月1次' }),
      field('参加人员', 'people', { type: 'textarea', required: true, hint: '每行一人' }),
      field('发现的情况', 'findings', { type: 'textarea', required: true }),
      field('后续跟进', 'followUps', { type: 'textarea' }),
    ],
    body: (f) => ({ visitedOn: text(f, 'visitedOn'), people: lines(text(f, 'people')), findings: text(f, 'findings'), followUps: text(f, 'followUps') }),
  },
  startNotice: {
    fields: () => [field('公示渠道', 'channel', { required: true, hint: '公示1周；例如 县政府门户网站' })],
    body: (f, site) => ({ agencyIds: [site.agencyId], channel: text(f, 'channel') }),
  },
  confirm: {
    fields: () => [field('说明', 'note', { type: 'textarea' })],
    body: (f) => ({ note: text(f, 'note') }),
  },
  reinspect: {
    fields: () => [
      field('复查日期', 'inspectedOn', { type: 'date', required: true, value: todayInShanghai(), hint: '每两年一次' }),
      choices('复查结果', 'passed', { true: '通过', false: '未通过（撤销称号）' }, { required: true }),
      field('发现的情况', 'findings', { type: 'textarea', required: true }),
    ],
    body: (f) => ({ inspectedOn: text(f, 'inspectedOn'), passed: radio(f, 'passed') === undefined ? undefined : radio(f, 'passed') === 'true', findings: text(f, 'findings') }),
  },
  revoke: {
    open: false,
    danger: true,
    fields: () => [field('撤销依据', 'ground', { type: 'select', required: true, options: { '': '请选择', ...(V.revocationGrounds ?? {}) } }), field('具体情况', 'details', { type: 'textarea', required: true })],
    body: (f) => ({ ground: text(f, 'ground') || undefined, details: text(f, 'details') }),
  },
  recordAssessment: {
    open: false,
    fields: (site) => [
      field('考核年度', 'assessmentYear', { type: 'number', required: true, value: String(site.year) }),
      choices('影响', 'effect', { bonus: '加分', deduction: '扣分' }, { required: true }),
      field('分值', 'points', { type: 'number', required: true }),
      field('理由', 'reason', { type: 'textarea', required: true }),
    ],
    body: (f) => ({ assessmentYear: Number(text(f, 'assessmentYear')), effect: radio(f, 'effect'), points: text(f, 'points') === '' ? undefined : Number(text(f, 'points')), reason: text(f, 'reason') }),
  },
};

function sitePanels({ action, path, label }, site, done) {
  // A path of the site's (`visits`), or an absolute one (the campaign's notice).
  const url = (p) => (p.startsWith('/') ? p : `/api/sites/${seg(site.siteId)}/${p}`);
  if (action === 'recordAcceptance') {
    // Acceptance is the score sheet's own page, which posts it.
    return [
      h(
        'p',
        { class: 'card', dataset: { action } },
        h('a', { class: 'button', href: `#/site/${seg(site.siteId)}/acceptance` }, label),
        h('span', { class: 'muted' }, '　填写验收评分表；验收于8、9月份进行。'),
      ),
    ];
  }
  if (action === 'resolveObjection') {
    // One form per open objection, each posting to its own number.
    return site.objections
      .filter((o) => o.status === 'open')
      .map((o) =>
        panel({
          action,
          label,
          summary: `${label}（第 ${o.id} 件）`,
          path: url(path.replace('{n}', String(o.id))),
          fields: [
            h('blockquote', {}, o.text),
            choices('处理结果', 'outcome', { dismiss: '异议不成立', uphold: '异议成立（不予命名）' }, { required: true }),
            field('理由', 'reasons', { type: 'textarea', required: true }),
          ],
          body: (f) => ({ outcome: radio(f, 'outcome'), reasons: text(f, 'reasons') }),
          done,
        }),
      );
  }
  // An action the API offers that this page has no form for yet still shows, posting an empty body.
  const spec = SITE_FORMS[action] ?? { fields: () => [], body: () => ({}) };
  return [panel({ action, label, path: url(path), fields: spec.fields(site), body: (f) => spec.body(f, site), done, open: spec.open ?? true, danger: spec.danger })];
}

/**
 * An agency applies for a year's demonstration-site creation (附件1 申报表, with the creation plan
 * and the progress ledger). Applications close at the end of May 31: after that, next year's.
 */
export async function applyView() {
  const today = todayInShanghai();
  const thisYear = Number(today.slice(0, 4));
  const years = today <= `${thisYear}-05-31` ? [thisYear, thisYear + 1] : [thisYear + 1];
  const form = apiForm(
    {
      submitLabel: '提交申报',
      name: '示范点申报',
      onSubmit: async (f) => {
        const year = text(f, 'year');
        const site = await post(`/api/site-campaigns/${seg(year)}/applications`, {
          unitName: text(f, 'unitName'),
          unitLevel: text(f, 'unitLevel'),
          address: text(f, 'address'),
          pastThreeYearsWork: text(f, 'pastThreeYearsWork'),
          unitOpinion: text(f, 'unitOpinion'),
          creationPlan: text(f, 'creationPlan'),
          progressLedger: text(f, 'progressLedger'),
        });
        announceOnNextPage(`已提交${year}年度示范点申报，等待县司法局筛选。`);
        go(`#/site/${seg(site.siteId)}`);
      },
    },
    field('申报年度', 'year', { type: 'select', options: Object.fromEntries(years.map((y) => [y, `${y}年（${y}-05-31 截止）`])) }),
    h('div', { class: 'grid2' }, field('申报单位名称', 'unitName', { required: true }), field('单位级别', 'unitLevel', { required: true, hint: '如：正科级' })),
    field('单位地址', 'address', { required: true }),
    field('近三年行政执法责任制工作情况', 'pastThreeYearsWork', { type: 'textarea', rows: 6, required: true }),
    field('申报单位意见', 'unitOpinion', { type: 'textarea', rows: 2, required: true }),
    h('div', { class: 'grid2' }, field('创建方案', 'creationPlan', { required: true, hint: '文件编号或正文' }), field('工作推进台账', 'progressLedger', { required: true, hint: '文件编号或正文' })),
  );
  show('申报行政执法责任制示范点', h('p', { class: 'muted' }, '每年5月31日前申报，每个单位每年一次。'), h('section', { class: 'card' }, form));
}
