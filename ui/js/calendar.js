// Deadlines on the official calendar: the months in which a case's or a site's deadlines fall, with
// rest days (weekends and holidays, named) and 调休 make-up working days marked, as GET
// /api/calendar/{year} answers them. A deadline counted in working days lands where this grid shows.
import { get } from './api.js';
import { h, todayInShanghai } from './dom.js';
import { word } from './vocabulary.js';

const years = new Map();
const yearOf = (year) => {
  if (!years.has(year)) years.set(year, get(`/api/calendar/${year}`).catch((err) => (years.delete(year), Promise.reject(err))));
  return years.get(year);
};

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];
const KIND_WORDS = { workday: '工作日', weekend: '周末休息', holiday: '法定节假日', 'makeup-workday': '调休上班' };

/** At most three months: those of the open deadlines, else of the latest ones. */
function monthsOf(deadlines) {
  const open = deadlines.filter((d) => !d.met);
  const dates = (open.length ? open : deadlines).map((d) => d.dueDate).sort();
  return [...new Set(dates.map((d) => d.slice(0, 7)))].slice(0, 3);
}

function monthTable(month, days, deadlines, labels) {
  const first = days.findIndex((d) => d.date.startsWith(month));
  const inMonth = days.slice(first).filter((d) => d.date.startsWith(month));
  const lead = (new Date(`${month}-01T00:00:00Z`).getUTCDay() + 6) % 7; // Monday first
  const today = todayInShanghai();
  const cells = [...Array(lead).fill(null), ...inMonth];
  const rows = [];
  for (let i = 0; i < cells.length; i += 7) rows.push(cells.slice(i, i + 7));
  const cell = (day) => {
    if (!day) return h('td', {});
    const due = deadlines.filter((d) => d.dueDate === day.date);
    const words = [KIND_WORDS[day.kind], day.holidayName, ...due.map((d) => `截止：${word(labels, d.name)}`)].filter(Boolean).join('，');
    const classes = [day.working ? 'work' : 'rest', day.kind, due.length ? 'due' : '', day.date === today ? 'today' : ''].filter(Boolean).join(' ');
    return h(
      'td',
      { class: classes, title: words, 'data-date': day.date, 'aria-label': `${day.date} ${words}` },
      h('span', { class: 'day' }, String(Number(day.date.slice(8)))),
      day.kind === 'makeup-workday' ? h('span', { class: 'mark' }, '班') : day.kind === 'holiday' ? h('span', { class: 'mark' }, '休') : null,
      due.length ? h('span', { class: 'mark due-mark' }, '截止') : null,
    );
  };
  return h(
    'table',
    { class: 'month' },
    h('caption', {}, `${month.slice(0, 4)}年${Number(month.slice(5))}月`),
    h('thead', {}, h('tr', {}, WEEKDAYS.map((w) => h('th', { scope: 'col' }, w)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, [...r, ...Array(7 - r.length).fill(null)].map(cell)))),
  );
}

/** A card that fills itself once the calendar years it needs have loaded. */
export function deadlineCalendar(deadlines, labels) {
  const months = monthsOf(deadlines ?? []);
  if (!months.length) return null;
  const body = h('div', { class: 'months' }, h('p', { class: 'muted' }, '正在载入日历…'));
  const card = h(
    'section',
    { class: 'card', 'aria-labelledby': 'calendar-title', 'data-testid': 'deadline-calendar' },
    h('h2', { id: 'calendar-title' }, '期限日历'),
    h('p', { class: 'legend muted' }, h('span', { class: 'swatch rest' }), ' 休息日 ', h('span', { class: 'swatch makeup-workday' }), ' 调休上班（班） ', h('span', { class: 'swatch due' }), ' 截止日'),
    body,
  );
  Promise.all([...new Set(months.map((m) => Number(m.slice(0, 4))))].map(yearOf))
    .then((calendars) => {
      const days = calendars.flatMap((c) => c.days);
      const provisional = calendars.some((c) => c.provisional);
      body.replaceChildren(...months.map((m) => monthTable(m, days, deadlines, labels)), provisional ? h('p', { class: 'muted' }, '该年度国务院放假安排尚未公布，暂按周一至周五计工作日。') : '');
    })
    .catch((err) => body.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, `日历载入失败：${err.message}`)));
  return card;
}
