// A case: what it is, where it stands, the actions the signed-in role may take now (the API's
// `allowedActions`, in its order, with its words), the opinions and decisions so far, its deadlines
// and its full-process record.
import { deadlineCalendar, dueWithNote, PROVISIONAL_DUE } from '../calendar.js';
import { get, post, seg } from '../api.js';
import { announce, badge, h, lines, show, todayInShanghai } from '../dom.js';
import { apiForm, choices, field, group, optional, radio, text } from '../forms.js';
import { awaitsMe } from '../permissions.js';
import * as session from '../session.js';
import { V, word } from '../vocabulary.js';
import { timelineSection } from './timeline.js';

export async function caseView(id) {
  const me = session.current();
  const [state, timeline] = await Promise.all([get(`/api/decisions/${seg(id)}`), get(`/api/decisions/${seg(id)}/timeline`)]);
  const s = state.submission;
  const mine = awaitsMe(me, state);
  // What this caller may do now, by stage and the procedure's rules: the API decides, the page draws.
  const actions = state.allowedActions ?? [];

  show(
    s.title,
    h(
      'p',
      { class: 'row' },
      h('span', {}, s.caseNumber),
      h('span', {}, state.agencyName),
      badge(state.stageLabel),
      state.awaiting ? h('span', {}, `待${word('roles', state.awaiting)}办理`) : null,
      state.nextDueAt ? dueWithNote(state.deadlines, state.nextDueAt) : null,
      state.overdue ? badge('已逾期', 'red') : null,
    ),
    actions.length
      ? h(
          'section',
          { 'aria-labelledby': 'actions-title' },
          h('h2', { id: 'actions-title' }, mine ? '待您办理' : '可办理事项'),
          actions.map((allowed, i) => actionPanel(allowed, state, { open: mine && i === 0, onDone: () => caseView(id) })),
        )
      : null,
    submissionCard(state),
    state.opinions.length ? opinionsCard(state) : null,
    state.coordinations.length ? coordinationCard(state) : null,
    state.decision || state.transfer || state.withdrawal ? outcomeCard(state) : null,
    deadlinesCard(state.deadlines, 'deadlines'),
    deadlineCalendar(state.deadlines, 'deadlines'),
    timelineSection(timeline),
  );
}

const dl = (pairs) =>
  h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '').flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));

function submissionCard({ submission: s }) {
  const party = s.party.type === 'person' ? `${s.party.name}（个人）` : `${s.party.name}（${s.party.creditCode}）`;
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, '送审材料'),
    dl([
      ['执法类别', word('categories', s.category)],
      ['执法程序', word('procedures', s.procedure)],
      ['重大情形', s.majorGrounds.map((g) => word('majorGrounds', g)).join('；')],
      ['重大行政处罚', s.majorPenalty ? '是（须备案）' : '否'],
      ['当事人', party],
      ['案件事实', s.facts],
      ['证据', s.evidence.join('\n')],
      ['法律依据', s.legalBasis],
      ['裁量基准', s.discretionBenchmark],
      ['拟作出的决定', s.proposedDecision],
      ['执法人员', s.officers.map((o) => `${o.name}（${o.certificateNumber}）`).join('、')],
    ]),
  );
}

function opinionsCard(state) {
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, '审核意见'),
    state.opinions.map((o) => [
      h('h3', {}, `第 ${o.round} 轮：${word('conclusions', o.conclusion)}`),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          {},
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '审核内容'), h('th', { scope: 'col' }, '结果'), h('th', { scope: 'col' }, '说明'))),
          h('tbody', {}, o.checks.map((c) => h('tr', {}, h('td', {}, word('checks', c.check)), h('td', {}, c.passed ? badge('通过', 'green') : badge('不通过', 'red')), h('td', {}, c.note || '—')))),
        ),
      ),
      dl([
        ['审核意见', o.opinion],
        ['修改要求', o.requiredChanges],
      ]),
    ]),
  );
}

function coordinationCard(state) {
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, '分歧协调'),
    state.coordinations.map((c) =>
      dl([
        ['协调结果', word('coordinationOutcomes', c.outcome)],
        ['协调方式', word('coordinationForums', c.forum)],
        ['参加人员', c.participants.join('、')],
        ['异议理由', c.disputeReasons],
        ['会议纪要', c.minutes],
        ['理由', c.reasons],
      ]),
    ),
  );
}

function outcomeCard(state) {
  const late = (x) => (x.late ? badge('逾期', 'red') : badge('按时', 'green'));
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, '结果'),
    dl([
      ['决定书文号', state.decision?.documentNumber],
      ['决定日期', state.decision?.decidedOn],
      ['执法决定', state.decision?.decision],
      ['公开', state.publication && h('span', {}, `${state.publication.publishedOn} ${state.publication.channel} `, late(state.publication))],
      ['备案', state.filing && h('span', {}, `${state.filing.filedOn} ${state.filing.fileNumber} `, late(state.filing))],
      ['移送', state.transfer && `${state.transfer.transferredOn} ${state.transfer.organ}（${state.transfer.letterNumber}）`],
      ['撤回理由', state.withdrawal?.reason],
    ]),
  );
}

/** The deadlines of a case or a site; `labels` is the vocabulary table that names them. */
export function deadlinesCard(deadlines, labels) {
  if (!deadlines?.length) return null;
  const status = (d) =>
    d.met ? (d.met.late ? badge(`逾期完成 ${d.met.on}`, 'red') : badge(`已完成 ${d.met.on}`, 'green')) : d.overdue ? badge('已逾期', 'red') : badge('进行中', 'normal');
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, '期限'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, ['事项', '截止日期', '状态'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, deadlines.map((d) => h('tr', {}, h('td', {}, word(labels, d.name)), h('td', {}, `${d.dueDate}${d.provisional ? PROVISIONAL_DUE : ''}`), h('td', {}, status(d))))),
      ),
    ),
  );
}

// -------------------------------------------------------------------------------------------------
// One form per action (keyed by the action's name): its fields and body. Field names are the API's
// paths. Which actions to offer, their words and where they post come from `allowedActions`.

const ACTION_FORMS = {
  giveOpinion: {
    fields: () => [
      ...Object.entries(V.checks).map(([check, label], i) =>
        checkRow(
          `${i + 1}. ${label}`,
          `checks.${i}`,
          h(
            'div',
            { class: 'choices' },
            h('label', {}, h('input', { type: 'radio', name: `checks.${i}.passed`, value: 'pass', checked: true, dataset: { check } }), '通过'),
            h('label', {}, h('input', { type: 'radio', name: `checks.${i}.passed`, value: 'fail' }), '不通过'),
          ),
          field('说明（不通过时必填）', `checks.${i}.note`),
        ),
      ),
      choices('审核结论', 'conclusion', V.conclusions, { required: true }),
      field('审核意见书', 'opinion', { type: 'textarea', required: true, rows: 5 }),
      field('修改要求', 'requiredChanges', { type: 'textarea', hint: '结论为「修改后同意」时必填' }),
    ],
    body: (f) => ({
      checks: Object.keys(V.checks).map((check, i) => ({ check, passed: radio(f, `checks.${i}.passed`) === 'pass', note: text(f, `checks.${i}.note`) })),
      conclusion: radio(f, 'conclusion'),
      opinion: text(f, 'opinion'),
      requiredChanges: optional(f, 'requiredChanges'),
    }),
  },
  requestMaterial: {
    fields: () => [field('补充材料清单', 'items', { type: 'textarea', required: true, hint: '每行一项；补充期间审核期限暂停计算' }), field('说明', 'note', { type: 'textarea' })],
    body: (f) => ({ items: lines(text(f, 'items')), note: text(f, 'note') }),
  },
  extendReview: {
    fields: () => [field('延期理由', 'reason', { type: 'textarea', required: true })],
    body: (f) => ({ reason: text(f, 'reason') }),
  },
  supplyMaterial: {
    fields: () => [field('补充说明', 'note', { type: 'textarea', required: true }), field('补充的材料', 'documents', { type: 'textarea', hint: '每行一项' })],
    body: (f) => ({ note: text(f, 'note'), documents: lines(text(f, 'documents')) }),
  },
  acceptOpinion: {
    fields: (state) => [
      field('说明', 'note', { type: 'textarea' }),
      state.opinions.at(-1)?.conclusion === 'pass-with-changes' ? field('如何按修改要求修改', 'changesMade', { type: 'textarea', required: true }) : null,
    ],
    body: (f) => ({ note: text(f, 'note'), changesMade: optional(f, 'changesMade') }),
  },
  disputeOpinion: {
    fields: () => [field('异议理由', 'reasons', { type: 'textarea', required: true })],
    body: (f) => ({ reasons: text(f, 'reasons') }),
  },
  coordinate: {
    fields: () => {
      // The county office records coordination by the county office; the head, the other two forms.
      const forums = Object.fromEntries(Object.entries(V.coordinationForums).filter(([k]) => (session.current().role === 'office') === (k === 'county-office')));
      return [
        choices('协调结果', 'outcome', V.coordinationOutcomes, { required: true }),
        field('协调方式', 'forum', { type: 'select', required: true, options: forums }),
        field('参加人员', 'participants', { type: 'textarea', required: true, hint: '每行一人，含法律顾问、公职律师' }),
        field('会议纪要', 'minutes', { type: 'textarea', required: true }),
        field('理由', 'reasons', { type: 'textarea', required: true }),
      ];
    },
    body: (f) => ({ outcome: radio(f, 'outcome'), forum: text(f, 'forum'), participants: lines(text(f, 'participants')), minutes: text(f, 'minutes'), reasons: text(f, 'reasons') }),
  },
  resubmit: {
    fields: () => [field('修改内容', 'changes', { type: 'textarea', required: true }), field('修改后的材料', 'documents', { type: 'textarea', hint: '每行一项' })],
    body: (f) => ({ changes: text(f, 'changes'), documents: lines(text(f, 'documents')) }),
  },
  decide: {
    fields: (state) => [
      field('执法决定', 'decision', { type: 'textarea', required: true, value: state.submission.proposedDecision }),
      field('决定书文号', 'documentNumber', { required: true }),
    ],
    body: (f) => ({ decision: text(f, 'decision'), documentNumber: text(f, 'documentNumber') }),
  },
  recordTransfer: {
    fields: () => [
      field('接收移送的司法机关', 'organ', { required: true }),
      field('移送日期', 'transferredOn', { type: 'date', required: true, value: todayInShanghai() }),
      field('移送函文号', 'letterNumber', { required: true }),
    ],
    body: (f) => ({ organ: text(f, 'organ'), transferredOn: text(f, 'transferredOn'), letterNumber: text(f, 'letterNumber') }),
  },
  recordPublication: {
    fields: () => [
      field('公开日期', 'publishedOn', { type: 'date', required: true, value: todayInShanghai() }),
      field('公开渠道', 'channel', { required: true, hint: '例如 县政府门户网站 行政执法公示专栏' }),
      field('网址', 'url', { type: 'url' }),
    ],
    body: (f) => ({ publishedOn: text(f, 'publishedOn'), channel: text(f, 'channel'), url: optional(f, 'url') }),
  },
  recordFiling: {
    fields: () => [field('备案号', 'fileNumber', { required: true }), field('备案日期', 'filedOn', { type: 'date', required: true, value: todayInShanghai() })],
    body: (f) => ({ fileNumber: text(f, 'fileNumber'), filedOn: text(f, 'filedOn') }),
  },
  withdraw: {
    danger: true,
    fields: () => [field('撤回理由', 'reason', { type: 'textarea', required: true })],
    body: (f) => ({ reason: text(f, 'reason') }),
  },
  correctPublication: {
    fields: (state) => [
      choices('更正方式', 'kind', { update: '更正公开内容', withdraw: '撤下公开信息（如决定被依法撤销）' }, { required: true }),
      field('更正后的公开内容', 'text', { type: 'textarea', hint: '撤下时不填；不填则沿用上一版内容', value: state?.publication?.versions?.at(-1)?.text ?? state?.decision?.decision }),
      field('公开渠道', 'channel', { hint: '不变可不填' }),
      field('理由', 'reason', { type: 'textarea', required: true }),
    ],
    body: (f) => {
      const kind = radio(f, 'kind');
      return kind === 'withdraw'
        ? { kind, reason: text(f, 'reason') }
        : { kind, reason: text(f, 'reason'), ...(text(f, 'text') ? { text: text(f, 'text') } : {}), ...(text(f, 'channel') ? { channel: text(f, 'channel') } : {}) };
    },
  },
};

/** One of the eight checks: pass or fail, and the note a failure needs, on one line where it fits. */
function checkRow(...args) {
  const row = group(...args);
  row.classList.add('check');
  return row;
}

function actionPanel({ action, path, label }, state, { open, onDone }) {
  // An action the API offers that this page has no form for yet still shows, posting an empty body.
  const spec = ACTION_FORMS[action] ?? { fields: () => [], body: () => ({}) };
  const form = apiForm(
    {
      submitLabel: label,
      danger: spec.danger,
      onSubmit: async (f) => {
        const next = await post(path.startsWith('/') ? path : `/api/decisions/${seg(state.caseId)}/${path}`, spec.body(f, state));
        await onDone();
        announce(`${label}：已提交，案件现为「${next.stageLabel}」`);
      },
    },
    ...spec.fields(state).filter(Boolean),
  );
  return h('details', { class: `action${open ? ' mine' : ''}`, open, dataset: { action } }, h('summary', {}, label), form);
}
