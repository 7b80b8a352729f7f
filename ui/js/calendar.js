// Deadlines on the official calendar: the months in which a case's or a site's deadlines fall, with
// rest days (weekends and holidays, named) and 调休 make-up working days marked, as GET
// /api/calendar/{year} answers them. A deadline counted in working days lands where this grid shows.
import { get } from './api.js';
import { formatDue, h, todayInShanghai } from './dom.js';
import { word } from './vocabulary.js';

const years = new Map();
const yearOf = (year) => {
  if (!years.has(year)) years.set(year, get(`/api/calendar/${year}`).catch((err) => (years.delete(year), Promise.reject(err))));
  return years.get(year);
};
/** After the office enters a year's notice: the next calendar of that year is fetched again. */
export const forgetYear = (year) => years.delete(year);

/** Beside a due date on a provisional calendar: the year's notice is not known, holidays are the regulation's. */
export const PROVISIONAL_DUE = '（暂定：该年度放假安排尚未公布，按法定节假日推算）';

/** A page's next due date (an instant), with （暂定） when the deadline falling then is provisional. */
export function dueWithNote(deadlines, dueIso) {
  const date = formatDue(dueIso);
  const provisional = (deadlines ?? []).some((d) => !d.met && d.dueDate === date && d.provisional);
  return h('span', { title: provisional ? PROVISIONAL_DUE.slice(1, -1) : null }, `期限：${date}${provisional ? '（暂定）' : ''}`);
}

/** What decided the days of a calendar that is provisional, in the words shown under it. */
export function provisionalNote(calendars) {
  const open = calendars.filter((c) => c.provisional);
  if (!open.length) return null;
  const years = open.map((c) => `${c.year}年`).join('、');
  return open.every((c) => c.source === 'weekdays')
    ? `${years}放假安排尚未公布，暂按周一至周五计工作日。`
    : `${years}放假安排尚未公布，日期暂定：按《全国年节及纪念日放假办法》的法定节假日推算，逢周末的推定在工作日补休。`;
}

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];
const KIND_WORDS = { workday: '工作日', weekend: '周末休息', holiday: '放假', 'makeup-workday': '调休上班' };

/** A holiday as the calendar says it: a statutory day, a weekday estimated in lieu, or a day of the notice's run. */
const kindWords = (day) =>
  day.kind !== 'holiday' ? KIND_WORDS[day.kind] : day.statutory ? '法定节假日' : day.estimated ? '推定补休' : '放假调休';

/** At most three months: those of the open deadlines, else of the latest ones. */
function monthsOf(deadlines) {
  const open = deadlines.filter((d) => !d.met);
  const dates = (open.length ? open : deadlines).map((d) => d.dueDate).sort();
  return [...new Set(dates.map((d) => d.slice(0, 7)))].slice(0, 3);
}

export function monthTable(month, days, deadlines = [], labels = 'deadlines') {
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
    const words = [kindWords(day), day.holidayName, ...due.map((d) => `截止：${word(labels, d.name)}`)].filter(Boolean).join('，');
    const classes = [day.working ? 'work' : 'rest', day.kind, day.statutory ? 'statutory' : '', day.estimated ? 'estimated' : '', due.length ? 'due' : '', day.date === today ? 'today' : '']
      .filter(Boolean)
      .join(' ');
    return h(
      'td',
      { class: classes, title: words, 'data-date': day.date, 'aria-label': `${day.date} ${words}` },
      h('span', { class: 'day' }, String(Number(day.date.slice(8)))),
      day.kind === 'makeup-workday'
        ? h('span', { class: 'mark' }, '班')
        : day.kind === 'holiday'
          ? h('span', { class: 'mark' }, day.estimated ? '补休' : day.statutory ? '法定' : '休')
          : null,
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
    legend(h('span', {}, h('span', { class: 'swatch due' }), '截止日')),
    body,
  );
  Promise.all([...new Set(months.map((m) => Number(m.slice(0, 4))))].map(yearOf))
    .then((calendars) => {
      const days = calendars.flatMap((c) => c.days);
      const note = provisionalNote(calendars);
      body.replaceChildren(...months.map((m) => monthTable(m, days, deadlines, labels)), note ? h('p', { class: 'muted provisional-note' }, note) : '');
    })
    .catch((err) => body.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, `日历载入失败：${err.message}`)));
  return card;
}

/** The key to the marks; `extra` for what one screen adds (the due days). */
export function legend(...extra) {
  return h(
    'p',
    { class: 'legend muted' },
    h('span', {}, h('span', { class: 'swatch rest' }), '休息日（休）'),
    h('span', {}, h('span', { class: 'swatch statutory' }), '法定节假日（法定）'),
    h('span', {}, h('span', { class: 'swatch estimated' }), '推定补休（补休）'),
    h('span', {}, h('span', { class: 'swatch makeup-workday' }), '调休上班（班）'),
    ...extra,
  );
}

/** A whole year as the API serves it now: twelve month tables, the key, and where the days come from. */
export function yearCalendar(calendar) {
  const months = Array.from({ length: 12 }, (_, i) => `${calendar.year}-${String(i + 1).padStart(2, '0')}`);
  const from = {
    notice: `依据${calendar.notice?.document ?? '国务院放假安排'}（第 ${calendar.notice?.version ?? '—'} 版）。`,
    'published-schedule': '依据已公布的国务院放假安排。',
  }[calendar.source];
  return h(
    'div',
    { class: 'year-calendar', 'data-testid': 'year-calendar', dataset: { source: calendar.source } },
    legend(),
    h('p', { class: calendar.provisional ? 'muted provisional-note' : 'muted' }, from ?? provisionalNote([calendar])),
    h('div', { class: 'months' }, months.map((m) => monthTable(m, calendar.days))),
  );
}
