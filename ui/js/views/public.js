// What anyone may see without signing in: sites under public notice, with the objection form while
// the notice runs; published enforcement decisions (a person as surname + 某, never an id number);
// and the annual statistics reports the agencies submitted (counts only).
import { get, post, seg } from '../api.js';
import { formatTime, h, show, todayInShanghai } from '../dom.js';
import { apiForm, field, optional, text } from '../forms.js';
import { word } from '../vocabulary.js';

/** A site under notice with the objection form (the contact goes to the county bureau only). */
function noticeCard(site) {
  const thanks = h('p', { role: 'status' });
  const form = apiForm(
    {
      submitLabel: '提交异议',
      name: `对${site.agencyName}的异议`,
      onSubmit: async (f) => {
        const { objectionId, noticeEndsAt } = await post(`/api/public/notices/${seg(site.siteId)}/objections`, {
          text: text(f, 'text'),
          name: optional(f, 'name'),
          contact: optional(f, 'contact'),
        });
        f.reset();
        thanks.textContent = `异议已收到（第 ${objectionId} 件），县司法局将在公示期（至 ${formatTime(noticeEndsAt)}）内核实处理。`;
      },
    },
    field('异议内容', 'text', { type: 'textarea', required: true }),
    h('div', { class: 'grid2' }, field('姓名（可不填）', 'name'), field('联系方式（可不填）', 'contact', { hint: '仅县司法局可见，不会公开。' })),
  );
  return h(
    'section',
    { class: 'card', 'aria-label': site.agencyName },
    h('h2', {}, h('a', { href: `#/public/site/${seg(site.siteId)}` }, `${site.agencyName}（${site.year}年）`)),
    site.notice ? h('p', {}, `公示期：${formatTime(site.notice.startsAt)} 至 ${formatTime(site.notice.endsAt)}`) : null,
    form,
    thanks,
  );
}

export async function publicView() {
  const { items } = await get('/api/public/notices');
  show(
    '示范点拟命名公示',
    h('p', { class: 'muted' }, '公示期内，任何单位和个人均可对拟命名的行政执法责任制示范点提出异议。'),
    items.length ? items.map(noticeCard) : h('p', { class: 'card' }, '目前没有正在公示的示范点。'),
  );
}

/** One site as the public sees it (the address a printed notice can carry), with the form while it is under notice. */
export async function publicSiteView(id) {
  const site = await get(`/api/public/sites/${seg(id)}`);
  const underNotice = site.stage === 'under-notice' && site.notice && Date.parse(site.notice.endsAt) > Date.now();
  show(
    `${site.agencyName} · ${site.year}年行政执法责任制示范点`,
    h(
      'dl',
      { class: 'facts card' },
      ...[
        ['状态', site.stageLabel],
        ['验收得分', site.score ? `${site.score.general + site.score.bonus}（基本分 ${site.score.general}，加分 ${site.score.bonus}）` : '—'],
        ['公示期', site.notice ? `${formatTime(site.notice.startsAt)} 至 ${formatTime(site.notice.endsAt)}（${site.notice.channel}）` : '—'],
        ['异议', `待处理 ${site.objections.open} 件，已处理 ${site.objections.resolved} 件`],
      ].flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
    ),
    underNotice ? noticeCard(site) : h('p', { class: 'muted' }, '该示范点不在公示期内，不受理异议。'),
  );
}

export async function reportsView(year = String(Number(todayInShanghai().slice(0, 4)) - 1)) {
  const { reports } = await get(`/api/public/reports?year=${year}`);
  const thisYear = Number(todayInShanghai().slice(0, 4));
  const yearField = field('报告年度', 'year', {
    type: 'select',
    value: String(year),
    options: Object.fromEntries([thisYear, thisYear - 1, thisYear - 2, thisYear - 3].map((y) => [y, `${y}年`])),
  });
  yearField.addEventListener('change', (e) => reportsView(e.target.value));
  const byKey = (counts, table) => Object.entries(counts ?? {}).map(([k, n]) => `${word(table, k)} ${n}`).join('；') || '—';

  show(
    `行政执法统计年报（${year}年）`,
    h('div', { class: 'row card' }, yearField),
    reports.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { 'aria-label': '已报送的统计年报' },
            h('thead', {}, h('tr', {}, ['机构', '报送时间', '执法决定', '按类别', '法制审核意见', '分歧协调', '按时/逾期/未公开', '按时/逾期/未备案', '移送'].map((t) => h('th', { scope: 'col' }, t)))),
            h(
              'tbody',
              {},
              reports.map((r) =>
                h(
                  'tr',
                  {},
                  h('td', {}, r.agencyName),
                  h('td', {}, `${formatTime(r.submittedAt)}${r.late ? '（逾期报送）' : ''}`),
                  h('td', {}, String(r.figures.decisions.total)),
                  h('td', {}, byKey(r.figures.decisions.byCategory, 'categories')),
                  h('td', {}, `${r.figures.legalReviews.opinions}（${byKey(r.figures.legalReviews.byConclusion, 'conclusions')}）`),
                  h('td', {}, String(r.figures.disputes.total)),
                  h('td', {}, `${r.figures.publications.onTime} / ${r.figures.publications.late} / ${r.figures.publications.missing}`),
                  h('td', {}, `${r.figures.filings.onTime} / ${r.figures.filings.late} / ${r.figures.filings.missing}`),
                  h('td', {}, String(r.figures.transfers)),
                ),
              ),
            ),
          ),
        )
      : h('p', { class: 'card' }, '该年度尚无已报送的统计年报。'),
  );
}

export async function decisionsView(cursor) {
  const page = await get(`/api/public/decisions?pageSize=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  show(
    '行政执法决定公开',
    h('p', { class: 'muted' }, '重大执法决定经法制审核后作出，并在规定期限内公开。当事人为自然人的，只显示姓氏，不公开身份证件号码。'),
    page.items.length
      ? page.items.map((d) =>
          h(
            'article',
            { class: 'card', 'aria-label': d.caseNumber, 'data-case': d.caseId },
            h('h2', {}, d.title),
            h(
              'dl',
              { class: 'facts' },
              ...[
                ['执法机关', d.agencyName],
                ['案号', d.caseNumber],
                ['决定书文号', d.decision.documentNumber],
                ['执法类别', word('categories', d.category)],
                ['当事人', d.party],
                ['决定日期', d.decision.decidedOn],
                ['公开日期及渠道', `${d.publication.publishedOn} · ${d.publication.channel}`],
              ].flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
            ),
            h('p', { class: 'decision-text' }, d.decision.text),
            d.publication.url ? h('p', {}, h('a', { href: d.publication.url, rel: 'noopener' }, '原文链接')) : null,
          ),
        )
      : h('p', { class: 'card' }, '暂无已公开的执法决定。'),
    page.nextCursor ? h('p', {}, h('button', { type: 'button', class: 'secondary', on: { click: () => decisionsView(page.nextCursor) } }, '下一页')) : null,
  );
}
