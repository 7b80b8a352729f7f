// The list of cases (an agency sees its own, the office all) and the agency's submission form (送审).
import { get, post, seg } from '../api.js';
import { announceOnNextPage, badge, formatDue, formatTime, h, lines, show } from '../dom.js';
import { apiForm, checkedValues, choices, field, group, optional, radio, text } from '../forms.js';
import * as session from '../session.js';
import { V, word } from '../vocabulary.js';

export async function casesView() {
  const me = session.current();
  const rows = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, '加载更多');
  let cursor = null;

  const filters = h(
    'form',
    { class: 'row card', 'aria-label': '筛选', on: { change: () => load(true), submit: (e) => e.preventDefault() } },
    field('阶段', 'stage', { type: 'select', options: { '': '全部阶段', ...V.stages } }),
    h('label', {}, h('input', { type: 'checkbox', name: 'mine' }), ` 只看待${V.roles[me.role]}办理`),
  );

  async function load(fresh) {
    const q = new URLSearchParams({ pageSize: '50' });
    const stage = filters.elements.namedItem('stage').value;
    if (stage) q.set('stage', stage);
    if (filters.elements.namedItem('mine').checked) q.set('awaiting', me.role);
    if (!fresh && cursor) q.set('cursor', cursor);
    const page = await get(`/api/decisions?${q}`);
    if (fresh) rows.replaceChildren();
    rows.append(...page.items.map(caseRow));
    if (fresh && !page.items.length) rows.append(h('tr', {}, h('td', { colspan: 6, class: 'muted' }, '暂无案件。')));
    cursor = page.nextCursor;
    more.hidden = !cursor;
  }
  more.addEventListener('click', () => load(false));

  await load(true);
  show(
    '案件',
    me.role === 'agency' ? h('p', {}, h('a', { class: 'button', href: '#/cases/new' }, '送审新案件')) : null,
    filters,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { 'aria-label': '案件列表' },
        h('thead', {}, h('tr', {}, ['案件', '承办机构', '阶段', '待办方', '下一期限', '送审时间'].map((t) => h('th', { scope: 'col' }, t)))),
        rows,
      ),
    ),
    h('p', {}, more),
  );
}

function caseRow(c) {
  return h(
    'tr',
    {},
    h('td', {}, h('a', { href: `#/case/${seg(c.caseId)}` }, c.title), h('div', { class: 'muted' }, c.caseNumber)),
    h('td', {}, c.agencyName),
    h('td', {}, badge(c.stageLabel)),
    h('td', {}, c.awaiting ? word('roles', c.awaiting) : '—'),
    h('td', {}, formatDue(c.nextDueAt), c.overdue ? [' ', badge('已逾期', 'red')] : null),
    h('td', {}, formatTime(c.submittedAt)),
  );
}

/** One officer row; names are the API's paths, so "officers.1.name: …" lands under its field. */
const officerRow = (i) =>
  h('div', { class: 'list-rows' }, h('div', { class: 'row-item three' }, field(`执法人员 ${i + 1} 姓名`, `officers.${i}.name`), field('执法证号', `officers.${i}.certificateNumber`)));

export async function newCaseView() {
  let officers = 2;
  const officerRows = h('div', {}, officerRow(0), officerRow(1));
  const organisationOnly = h('div', {}, field('统一社会信用代码', 'party.creditCode', { required: true }), field('法定代表人', 'party.legalRepresentative'));
  const personOnly = h('div', { hidden: true }, field('身份证件号码', 'party.idNumber', { required: true, hint: '仅承办机构与县司法局可见，不会公开。' }));

  const form = apiForm(
    {
      submitLabel: '提交法制审核',
      name: '送审表',
      onSubmit: async (f) => {
        const state = await post('/api/decisions', submissionFrom(f, officers));
        announceOnNextPage(`已送审，案件现为「${state.stageLabel}」`);
        location.hash = `#/case/${seg(state.caseId)}`;
      },
    },
    h(
      'div',
      { class: 'grid2' },
      field('案件编号', 'caseNumber', { required: true, hint: '本机构内唯一，例如 市监罚〔2026〕12号' }),
      field('案件名称', 'title', { required: true }),
      field('执法类别', 'category', { type: 'select', required: true, options: V.categories }),
      field('执法程序', 'procedure', { type: 'select', required: true, options: V.procedures }),
    ),
    choices('重大执法决定情形（至少一项）', 'majorGrounds', V.majorGrounds, { type: 'checkbox', required: true }),
    h(
      'div',
      { class: 'field', dataset: { field: 'majorPenalty' } },
      h('label', {}, h('input', { type: 'checkbox', name: 'majorPenalty' }), ' 重大行政处罚（决定后15日内须向县司法局备案）'),
      h('p', { class: 'field-error', id: 'majorPenalty-error' }),
    ),
    group(
      '当事人',
      'party',
      choices('类型', 'party.type', { organisation: '单位', person: '个人' }, { checked: ['organisation'], dataField: 'party.type' }),
      field('名称或姓名', 'party.name', { required: true }),
      organisationOnly,
      personOnly,
    ),
    field('案件事实', 'facts', { type: 'textarea', required: true, rows: 5 }),
    field('证据清单', 'evidence', { type: 'textarea', required: true, hint: '每行一项' }),
    field('法律依据', 'legalBasis', { type: 'textarea', required: true, rows: 3 }),
    field('适用的裁量基准', 'discretionBenchmark', { required: true }),
    field('拟作出的执法决定', 'proposedDecision', { type: 'textarea', required: true, rows: 3 }),
    group(
      '承办执法人员（至少两名）',
      'officers',
      officerRows,
      h('button', { type: 'button', class: 'secondary', on: { click: () => officerRows.append(officerRow(officers++)) } }, '添加执法人员'),
    ),
  );
  // Show the party fields of the chosen type only.
  form.addEventListener('change', (event) => {
    if (event.target.name !== 'party.type') return;
    const person = event.target.value === 'person';
    personOnly.hidden = !person;
    organisationOnly.hidden = person;
  });
  show('送审重大执法决定', h('section', { class: 'card' }, form));
}

/** The API's submission body; rows left wholly empty are not officers. */
function submissionFrom(f, officerCount) {
  const type = radio(f, 'party.type');
  const party =
    type === 'person'
      ? { type, name: text(f, 'party.name'), idNumber: text(f, 'party.idNumber') }
      : { type: 'organisation', name: text(f, 'party.name'), creditCode: text(f, 'party.creditCode'), legalRepresentative: optional(f, 'party.legalRepresentative') };
  const officers = [];
  for (let i = 0; i < officerCount; i++) {
    const name = text(f, `officers.${i}.name`);
    const certificateNumber = text(f, `officers.${i}.certificateNumber`);
    if (name || certificateNumber) officers.push({ name, certificateNumber });
  }
  return {
    caseNumber: text(f, 'caseNumber'),
    title: text(f, 'title'),
    category: text(f, 'category'),
    procedure: text(f, 'procedure'),
    majorGrounds: checkedValues(f, 'majorGrounds'),
    majorPenalty: f.elements.namedItem('majorPenalty').checked,
    party,
    facts: text(f, 'facts'),
    evidence: lines(text(f, 'evidence')),
    legalBasis: text(f, 'legalBasis'),
    discretionBenchmark: text(f, 'discretionBenchmark'),
    proposedDecision: text(f, 'proposedDecision'),
    officers,
  };
}
