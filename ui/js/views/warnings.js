// The office's work list: everything with an open deadline (GET /api/warnings), soonest first, with
// its warning level (red: overdue; yellow: due within the configured working days).
import { get, seg } from '../api.js';
import { WARNING_WORDS, badge, formatDue, h, show } from '../dom.js';
import { field } from '../forms.js';

/** What a work item is, from its workflow id, with a link to its page where it has one. */
function subject(item) {
  if (item.workflowId.startsWith('legal-review:')) return { kind: '案件', text: `${item.title}（${item.caseNumber}）`, href: `#/case/${seg(item.caseId)}` };
  if (item.workflowId.startsWith('demo-site:')) return { kind: '示范点', text: `${item.year}年示范点创建`, href: `#/site/${seg(item.siteId)}` };
  return { kind: '年度职责', text: `${item.year ?? ''}年度报告与评查` };
}

export async function warningsView() {
  const rows = h('tbody');
  const filter = field('预警级别', 'level', { type: 'select', options: { '': '全部', red: '红色预警（已逾期）', yellow: '黄色预警（临近期限）', normal: '正常' } });
  const note = h('p', { class: 'muted' });

  async function load() {
    const level = filter.querySelector('select').value;
    const page = await get(`/api/warnings?pageSize=200${level ? `&level=${level}` : ''}`);
    const items = [...page.items].sort((a, b) => (a.nextDueAt ?? '').localeCompare(b.nextDueAt ?? ''));
    note.textContent = `黄色预警：${formatDue(page.yellowUntil)}（含）前到期的事项；红色预警：已逾期。共 ${items.length} 项。`;
    rows.replaceChildren(
      ...(items.length
        ? items.map((item) => {
            const s = subject(item);
            return h(
              'tr',
              { dataset: { level: item.level } },
              h('td', {}, badge(WARNING_WORDS[item.level], item.level)),
              h('td', {}, formatDue(item.nextDueAt)),
              h('td', {}, s.kind),
              h('td', {}, s.href ? h('a', { href: s.href }, s.text) : s.text),
              h('td', {}, item.agencyName ?? '—'),
              h('td', {}, item.stageLabel ?? '—'),
            );
          })
        : [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, '没有未到期的事项。'))]),
    );
  }

  filter.addEventListener('change', load);
  await load();
  show(
    '工作清单',
    h('div', { class: 'row card' }, filter),
    note,
    h(
      'div',
      { class: 'table-wrap' },
      h('table', { 'aria-label': '待办事项' }, h('thead', {}, h('tr', {}, ['预警', '期限', '类型', '事项', '机构', '阶段'].map((t) => h('th', { scope: 'col' }, t)))), rows),
    ),
  );
}
