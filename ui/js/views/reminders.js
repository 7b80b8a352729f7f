// The caller's reminder inbox (GET /api/reminders): reminders before a deadline, escalations to the
// office after it; read/unread.
import { get, post, seg } from '../api.js';
import { announce, badge, formatDue, formatTime, h, show } from '../dom.js';

export async function remindersView() {
  const unreadOnly = h('input', { type: 'checkbox', id: 'unread-only' });
  const list = h('ul', { class: 'inbox', 'aria-label': '提醒列表' });
  const summary = h('p', { class: 'row' });

  async function load() {
    const page = await get(`/api/reminders?limit=100${unreadOnly.checked ? '&unreadOnly=true' : ''}`);
    // replaceChildren writes a null child as the text "null": only the nodes there are.
    const markAll = page.unread ? h('button', { type: 'button', class: 'secondary', on: { click: () => markRead({ all: true }) } }, '全部标为已读') : undefined;
    summary.replaceChildren(...[h('span', {}, `未读 ${page.unread} 条，共 ${page.total} 条`), markAll].filter(Boolean));
    list.replaceChildren(...(page.items.length ? page.items.map(item) : [h('li', { class: 'muted' }, '暂无提醒。')]));
  }

  async function markRead(body) {
    const { marked } = await post('/api/reminders/read', body);
    await load();
    announce(`已标为已读 ${marked} 条`);
  }

  function item(n) {
    const link =
      n.subjectRef?.type === 'legal-review' ? `#/case/${seg(n.subjectRef.id)}` : n.subjectRef?.type === 'demo-site' ? `#/site/${seg(n.subjectRef.id)}` : null;
    return h(
      'li',
      { class: `card${n.read ? '' : ' unread'}` },
      h('div', { class: 'row' }, n.kind === 'escalation' ? badge('督办', 'red') : badge('提醒', 'yellow'), n.read ? h('span', { class: 'muted' }, '已读') : h('strong', {}, '未读')),
      h('h2', {}, link ? h('a', { href: link }, n.subject) : n.subject),
      h('p', {}, n.body),
      h('p', { class: 'muted' }, `期限：${formatDue(n.dueAt)}　发出：${formatTime(n.issuedAt)}`),
      n.read ? null : h('button', { type: 'button', class: 'secondary', on: { click: () => markRead({ keys: [n.key] }) } }, '标为已读'),
    );
  }

  unreadOnly.addEventListener('change', load);
  await load();
  show('提醒', h('p', {}, h('label', { for: 'unread-only' }, unreadOnly, ' 只看未读')), summary, list);
}
