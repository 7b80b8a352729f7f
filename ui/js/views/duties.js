// An agency's recurring duties of the year (GET /api/duties/<agencyId>): the statistics report the
// system drafted from its records (reviewed, then submitted), the self-inspection report (回头看),
// the quarterly case-file reviews with their grades, the deadlines and the duties' record. The
// agency acts on its own duties; the office reads any agency's.
import { get, post, seg } from '../api.js';
import { announce, badge, formatTime, h, lines, show } from '../dom.js';
import { apiForm, field, text } from '../forms.js';
import * as session from '../session.js';
import { deadlineCalendar } from '../calendar.js';
import { word } from '../vocabulary.js';
import { deadlinesCard } from './case.js';
import { timelineSection } from './timeline.js';

/** Done (late in red), missing in red, open as a stage, not tracked in the muted colour. */
function statusBadge(status, late) {
  if (status === 'done') return badge(late ? '已完成（逾期）' : '已完成', late ? 'red' : 'green');
  return badge(word('dutyStatuses', status), status === 'missing' ? 'red' : status === 'open' ? 'stage' : 'muted');
}

const counts = (map, table) => Object.entries(map ?? {}).map(([k, n]) => `${word(table, k)} ${n}`).join('；') || '—';

function figuresTable(f) {
  const rows = [
    ['执法决定', `${f.decisions.total}（${counts(f.decisions.byCategory, 'categories')}）`],
    ['按程序', counts(f.decisions.byProcedure, 'procedures')],
    ['法制审核意见', `${f.legalReviews.opinions}（${counts(f.legalReviews.byConclusion, 'conclusions')}）`],
    ['分歧协调', `${f.disputes.total}（${counts(f.disputes.byOutcome, 'coordinationOutcomes')}）`],
    ['执法决定公开', `按时 ${f.publications.onTime}，逾期 ${f.publications.late}，未公开 ${f.publications.missing}`],
    ['重大处罚备案', `按时 ${f.filings.onTime}，逾期 ${f.filings.late}，未备案 ${f.filings.missing}`],
    ['移送司法机关', String(f.transfers)],
  ];
  return h('dl', { class: 'facts', 'data-testid': 'statistics-figures' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/** "案卷编号 分数 [评查人]" per line → the API's files; a line it cannot read is sent as written, so the API names it. */
function parseFiles(value) {
  return lines(value).map((line) => {
    const [ref, score, ...reviewer] = line.split(/[\s,，]+/);
    return { ref, score: Number(score), ...(reviewer.length ? { reviewer: reviewer.join(' ') } : {}) };
  });
}

export async function dutiesView(agencyId = session.current()?.agencyId) {
  const me = session.current();
  if (!agencyId) {
    const agencies = await get('/api/agencies');
    return show('年度职责', h('ul', { class: 'card' }, agencies.map((a) => h('li', {}, h('a', { href: `#/duties/${seg(a.id)}` }, a.name)))));
  }
  const [duties, record] = await Promise.all([get(`/api/duties/${seg(agencyId)}`), get(`/api/duties/${seg(agencyId)}/timeline`)]);
  const mine = me?.role === 'agency' && me.agencyId === agencyId;
  const act = async (path, body, done) => {
    await post(`/api/duties/${seg(agencyId)}/${path}`, body);
    announce(done);
    await dutiesView(agencyId);
  };
  const report = duties.statisticsReport;
  const inspection = duties.selfInspection;

  const reportCard = h(
    'section',
    { class: 'card', 'aria-labelledby': 'report-title' },
    h('h2', { id: 'report-title' }, `${report.coversYear}年度行政执法统计报告 `, statusBadge(report.status, report.submitted?.late)),
    report.submitted
      ? [h('p', {}, `报送于 ${formatTime(report.submitted.submittedAt)}`), figuresTable(report.submitted.figures), report.submitted.note ? h('p', {}, report.submitted.note) : null]
      : report.draft
        ? [
            h('p', { class: 'muted' }, `系统于 ${formatTime(report.draft.draftedAt)} 依据本系统记录生成草稿，请核对后报送（截止 ${report.coversYear + 1}-01-31）。`),
            figuresTable(report.draft),
            mine
              ? h(
                  'div',
                  { class: 'row' },
                  h('button', { type: 'button', class: 'secondary', on: { click: () => act('statistics-report/redraft', undefined, '已按当前记录重新生成草稿。') } }, '按当前记录重新生成'),
                )
              : null,
            mine
              ? apiForm(
                  { submitLabel: '报送统计报告', name: '报送统计报告', onSubmit: (f) => act('statistics-report', { note: f.elements.note.value.trim() }, '统计报告已报送。') },
                  field('说明（可不填）', 'note', { type: 'textarea', rows: 2 }),
                )
              : null,
          ]
        : h('p', { class: 'muted' }, word('dutyStatuses', report.status)),
  );

  const inspectionCard = h(
    'section',
    { class: 'card', 'aria-labelledby': 'inspection-title' },
    h('h2', { id: 'inspection-title' }, `${duties.year}年度三项制度“回头看”自查报告 `, statusBadge(inspection.status, inspection.submitted?.late)),
    inspection.submitted
      ? [
          h('p', {}, `报送于 ${formatTime(inspection.submitted.submittedAt)}`),
          h('p', {}, inspection.submitted.summary),
          inspection.submitted.problems.length ? h('div', {}, h('h3', {}, '存在问题'), h('ul', {}, inspection.submitted.problems.map((p) => h('li', {}, p)))) : null,
          inspection.submitted.measures.length ? h('div', {}, h('h3', {}, '整改措施'), h('ul', {}, inspection.submitted.measures.map((m) => h('li', {}, m)))) : null,
        ]
      : mine && inspection.status !== 'not-tracked'
        ? apiForm(
            {
              submitLabel: '报送自查报告',
              name: '报送自查报告',
              onSubmit: (f) => act('self-inspection', { summary: text(f, 'summary'), problems: lines(f.elements.problems.value), measures: lines(f.elements.measures.value) }, '自查报告已报送。'),
            },
            field('自查情况', 'summary', { type: 'textarea', required: true, hint: '执法公示、执法全过程记录、重大执法决定法制审核三项制度的落实情况。' }),
            field('存在问题（每行一条）', 'problems', { type: 'textarea', rows: 3 }),
            field('整改措施（每行一条）', 'measures', { type: 'textarea', rows: 3 }),
          )
        : h('p', { class: 'muted' }, `截止 ${duties.year}-04-30。`),
  );

  const quarters = ['1', '2', '3', '4'];
  const open = quarters.filter((q) => duties.caseFileReviews[q].status === 'open');
  const reviewsCard = h(
    'section',
    { class: 'card', 'aria-labelledby': 'reviews-title' },
    h('h2', { id: 'reviews-title' }, `${duties.year}年度案卷评查`),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { 'aria-label': '各季度案卷评查' },
        h('thead', {}, h('tr', {}, ['季度', '状态', '评查案卷', '不合格案卷'].map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          {},
          quarters.map((q) => {
            const r = duties.caseFileReviews[q];
            return h(
              'tr',
              { dataset: { quarter: q } },
              h('td', {}, `第${q}季度`),
              h('td', {}, statusBadge(r.status, r.record?.late)),
              h('td', {}, r.record ? r.record.files.map((f) => `${f.ref} ${f.score}分（${f.grade}）`).join('；') : '—'),
              h('td', {}, r.record?.failing.length ? r.record.failing.join('、') : '—'),
            );
          }),
        ),
      ),
    ),
    mine && open.length
      ? apiForm(
          {
            submitLabel: '记录评查结果',
            name: '记录案卷评查',
            onSubmit: (f) => act('case-file-reviews', { quarter: Number(f.elements.quarter.value), files: parseFiles(f.elements.files.value) }, '案卷评查结果已记录。'),
          },
          field('季度', 'quarter', { type: 'select', options: Object.fromEntries(open.map((q) => [q, `第${q}季度`])) }),
          field('评查案卷（每行：案卷编号 分数 评查人）', 'files', { type: 'textarea', required: true, hint: '70分以下（含70分）为不合格。' }),
        )
      : null,
  );

  show(
    `${duties.agencyName} · ${duties.year}年度职责`,
    reportCard,
    inspectionCard,
    reviewsCard,
    deadlinesCard(duties.deadlines, 'duties'),
    deadlineCalendar(duties.deadlines, 'duties'),
    timelineSection(record),
  );
}
