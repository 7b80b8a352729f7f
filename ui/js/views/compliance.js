// The office's compliance overview (GET /api/compliance) as three plain charts — on-time publication
// rate per agency (CSS bars), open items by warning level (an SVG of stacked bars) and the year's
// demonstration sites by stage — the table they come from, and the CSV download.
import { getBlob, get, getFresh } from '../api.js';
import { WARNING_WORDS, h, show, todayInShanghai } from '../dom.js';
import { field } from '../forms.js';

const COLOURS = { normal: '#2e8b57', yellow: '#d9a400', red: '#c0262d' };
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

function onTimeChart(rows) {
  return h(
    'div',
    { class: 'bars' },
    rows.flatMap((r) => {
      const rate = r.publication.onTimeRate;
      return [
        h('span', {}, r.agencyName),
        h('div', { class: 'bar-track', 'aria-hidden': 'true' }, h('div', { class: 'bar', style: `width:${rate ?? 0}%` })),
        h('span', { dataset: { rate: r.agencyId } }, rate === null ? '无决定' : `${rate}%`),
      ];
    }),
  );
}

function openItemsChart(rows) {
  const levels = ['normal', 'yellow', 'red'];
  const max = Math.max(1, ...rows.map((r) => levels.reduce((n, l) => n + r.openItems[l], 0)));
  const labelWidth = 170;
  const barWidth = 380;
  const rowHeight = 30;
  const [width, height] = [labelWidth + barWidth + 60, rows.length * rowHeight + 10];
  const chart = svg('svg', { class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': '各机构未办结事项（按预警级别）' });
  rows.forEach((r, i) => {
    const y = i * rowHeight + 5;
    chart.append(svg('text', { x: 0, y: y + 17, 'font-size': 14, fill: '#1d2430' }, r.agencyName));
    let x = labelWidth;
    for (const level of levels) {
      const width = (r.openItems[level] / max) * barWidth;
      if (width > 0) chart.append(svg('rect', { x, y, width, height: 20, fill: COLOURS[level] }, svg('title', {}, `${r.agencyName} ${WARNING_WORDS[level]} ${r.openItems[level]} 项`)));
      x += width;
    }
    const total = levels.reduce((n, l) => n + r.openItems[l], 0);
    chart.append(svg('text', { x: x + 6, y: y + 16, 'font-size': 13, fill: '#5b6575' }, `${total}`));
  });
  return [
    h('div', { class: 'legend' }, levels.map((l) => h('span', {}, h('span', { class: 'swatch', style: `background:${COLOURS[l]}` }), WARNING_WORDS[l]))),
    chart,
  ];
}

/** The year's sites by stage, counted from the rows (one site per agency and year at most). */
function sitesByStageChart(rows) {
  const counts = new Map();
  for (const r of rows) {
    const label = r.demoSite?.stageLabel ?? '未申报';
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const max = Math.max(1, ...counts.values());
  return h(
    'div',
    { class: 'bars' },
    [...counts].flatMap(([label, n]) => [
      h('span', {}, label),
      h('div', { class: 'bar-track', 'aria-hidden': 'true' }, h('div', { class: 'bar', style: `width:${(n / max) * 100}%` })),
      h('span', { dataset: { stageCount: label } }, `${n} 个`),
    ]),
  );
}

const REPORT_WORDS = { open: '待报送', done: '已报送', missing: '缺报', 'not-tracked': '未跟踪' };

function table(rows) {
  const cols = ['机构', '正常', '黄色', '红色', '按时公开', '逾期公开', '未公开', '按时备案', '逾期备案', '审核逾期', '不合格案卷', '统计报告', '回头看', '示范点'];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'aria-label': '合规明细' },
      h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        {},
        rows.map((r) =>
          h(
            'tr',
            {},
            [
              r.agencyName, r.openItems.normal, r.openItems.yellow, r.openItems.red, r.publication.onTime, r.publication.late, r.publication.missing,
              r.filing.onTime, r.filing.late, r.reviewsOverdue, r.failingCaseFiles,
              REPORT_WORDS[r.reports.statistics.status] ?? r.reports.statistics.status, REPORT_WORDS[r.reports.selfInspection.status] ?? r.reports.selfInspection.status,
              r.demoSite?.stageLabel ?? '—',
            ].map((v) => h('td', {}, String(v))),
          ),
        ),
      ),
    ),
  );
}

export async function complianceView(year = todayInShanghai().slice(0, 4), { fresh = false } = {}) {
  const overview = await (fresh ? getFresh : get)(`/api/compliance?year=${year}`);
  const csvPath = `/api/compliance?year=${year}&format=csv`;
  // A plain link cannot carry the bearer token: the click fetches the CSV with it and saves the file.
  const csv = h(
    'a',
    {
      href: csvPath,
      download: `compliance-${year}.csv`,
      class: 'button secondary',
      on: {
        click: async (event) => {
          event.preventDefault();
          const url = URL.createObjectURL(await getBlob(csvPath));
          const a = h('a', { href: url, download: `compliance-${year}.csv`, hidden: true });
          document.body.append(a);
          a.click();
          a.remove();
          setTimeout(() => URL.revokeObjectURL(url), 10_000);
        },
      },
    },
    '下载 CSV',
  );
  const thisYear = Number(todayInShanghai().slice(0, 4));
  const years = Object.fromEntries([thisYear, thisYear - 1, thisYear - 2].map((y) => [y, `${y}年`]));
  const yearField = field('年度', 'year', { type: 'select', options: years, value: String(year) });
  yearField.addEventListener('change', (e) => complianceView(e.target.value));

  const generated = new Date(overview.generatedAt).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  const refresh = h('button', { type: 'button', class: 'secondary', on: { click: () => complianceView(year, { fresh: true }) } }, '刷新');

  show(
    `合规概览（${year}年）`,
    h('div', { class: 'row card' }, yearField, csv, refresh, h('p', { class: 'muted', 'data-testid': 'generated-at' }, `数据生成于 ${generated}（北京时间）`)),
    h('section', { class: 'card', 'aria-labelledby': 'chart-1' }, h('h2', { id: 'chart-1' }, '执法决定按时公开率'), onTimeChart(overview.agencies)),
    h('section', { class: 'card', 'aria-labelledby': 'chart-2' }, h('h2', { id: 'chart-2' }, '未办结事项（按预警级别）'), openItemsChart(overview.agencies)),
    h('section', { class: 'card', 'aria-labelledby': 'chart-3' }, h('h2', { id: 'chart-3' }, `${year}年示范点（按阶段，各机构）`), sitesByStageChart(overview.agencies)),
    h('section', { 'aria-labelledby': 'detail' }, h('h2', { id: 'detail' }, '明细'), table(overview.agencies)),
  );
}
