// The office's 放假安排 screen (#/calendar-notice/<year>): it enters the year's State Council holiday
// notice festival by festival (PUT /api/calendar/{year}/notice), sees the version in force and the
// earlier ones, and beside the form the year's calendar as the API serves it now. Running deadlines
// move with each version entered; the API's refusals name the date and land at its row.
import { get, getFresh, put } from '../api.js';
import { forgetYear, yearCalendar } from '../calendar.js';
import { announce, badge, formatTime, go, h, show, todayInShanghai } from '../dom.js';
import { apiForm, errorSlotFor, field, text } from '../forms.js';
import { word } from '../vocabulary.js';

/** The festivals of the regulation (全国年节及纪念日放假办法 art. 2), one row each to begin with. */
const FESTIVALS = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'];

/** This year and the next: the notice for a year comes out late in the year before. */
function noticeYears() {
  const today = todayInShanghai();
  const year = Number(today.slice(0, 4));
  return { years: [year, year + 1], usual: Number(today.slice(5, 7)) >= 10 ? year + 1 : year };
}

const enteredBy = (actor) => [word('roles', actor?.role), actor?.name].filter(Boolean).join(' ');

export async function calendarNoticeView(yearParam) {
  const { years, usual } = noticeYears();
  const year = yearParam ? Number(yearParam) : usual;
  if (!years.includes(year)) {
    return show('放假安排', h('p', {}, `只能录入${years.join('年或')}年的放假安排。`), h('p', { class: 'row' }, years.map((y) => h('a', { href: `#/calendar-notice/${y}` }, `${y}年`))));
  }
  const [state, calendar] = await Promise.all([get(`/api/calendar/${year}/notice`), getFresh(`/api/calendar/${year}`)]);
  render(year, years, state, calendar);
}

function render(year, years, state, calendar) {
  show(
    `${year}年放假安排`,
    h(
      'div',
      { class: 'notice-layout' },
      h('div', {}, versionsCard(state), noticeForm(year, years, state)),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'year-calendar-title' },
        h('h2', { id: 'year-calendar-title' }, `${year}年日历`),
        yearCalendar(calendar),
      ),
    ),
  );
}

function versionsCard(state) {
  const current = state.current;
  const adjusted = (version) => state.replans.find((r) => r.version === version);
  const adjustedWords = (version) => {
    const r = adjusted(version);
    return r ? `已调整进行中的期限 ${r.signalled} 项（${formatTime(r.finishedAt)}）` : '正在调整进行中的期限';
  };
  const earlier = state.versions.filter((v) => v.version !== current?.version).reverse();
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'in-force-title', 'data-testid': 'notice-in-force' },
    h('h2', { id: 'in-force-title' }, '现行版本'),
    current
      ? [
          h(
            'dl',
            { class: 'facts' },
            [
              ['版本', h('span', {}, `第 ${current.version} 版 `, badge('现行', 'green'))],
              ['通知文号', current.document],
              ['录入人', enteredBy(current.enteredBy)],
              ['录入时间', formatTime(current.enteredAt)],
              ['期限调整', adjustedWords(current.version)],
            ].flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
          ),
          h('h3', {}, '历次版本'),
          earlier.length
            ? h(
                'div',
                { class: 'table-wrap' },
                h(
                  'table',
                  { 'aria-label': '历次版本', 'data-testid': 'notice-versions' },
                  h('thead', {}, h('tr', {}, ['版本', '通知文号', '录入人', '录入时间'].map((t) => h('th', { scope: 'col' }, t)))),
                  h(
                    'tbody',
                    {},
                    earlier.map((v) => h('tr', {}, h('td', {}, `第 ${v.version} 版`), h('td', {}, v.document), h('td', {}, enteredBy(v.enteredBy)), h('td', {}, formatTime(v.enteredAt)))),
                  ),
                ),
              )
            : h('p', { class: 'muted' }, '无更早的版本。'),
        ]
      : h('p', { class: 'muted' }, '尚未录入。录入前，本年度期限暂按法定节假日推算（逢周末的推定在工作日补休）。'),
  );
}

/** Sets the path a container answers to (festivals.1.makeupWorkdays.0), and its control's name. */
function setPath(container, path) {
  container.dataset.field = path;
  if (container.classList.contains('field')) container.querySelector('input, select, textarea').name = path;
}

function makeupDay(value, onRemove) {
  const day = field('调休上班日', 'makeup', { type: 'date', value });
  day.dataset.part = 'day';
  day.classList.add('makeup-day');
  day.querySelector('input').after(h('button', { type: 'button', class: 'secondary small', 'aria-label': '删除此调休上班日', on: { click: () => onRemove(day) } }, '删除'));
  return day;
}

function festivalRow(festival, renumber) {
  const name = field('节日名称', 'name', { required: true, value: festival.name });
  name.dataset.part = 'name';
  const from = field('放假首日', 'from', { type: 'date', required: true, value: festival.holidays.from });
  from.dataset.part = 'from';
  const to = field('放假末日', 'to', { type: 'date', required: true, value: festival.holidays.to });
  to.dataset.part = 'to';
  const holidays = h('div', { class: 'holidays', dataset: { part: 'holidays' } }, h('div', { class: 'grid2' }, from, to), errorSlotFor());

  const days = h('div', { class: 'makeup-days' });
  const removeDay = (el) => {
    el.remove();
    renumber();
  };
  const addDay = h('button', { type: 'button', class: 'secondary small', on: { click: () => {
    days.insertBefore(makeupDay('', removeDay), addDay);
    renumber();
    [...days.querySelectorAll('.makeup-day input')].at(-1)?.focus();
  } } }, '添加调休上班日');
  days.append(...festival.makeupWorkdays.map((d) => makeupDay(d, removeDay)), addDay);
  const removeRow = h('button', { type: 'button', class: 'secondary small remove-row', on: { click: () => { row.remove(); renumber(); } } }, '删除此行');
  const makeup = h('div', { class: 'makeup', dataset: { part: 'makeup' } }, h('p', { class: 'label' }, '调休上班日（周六或周日，可无）'), h('div', { class: 'makeup-line' }, days, removeRow), errorSlotFor());

  const row = h('fieldset', { class: 'festival' }, h('legend', {}), h('div', { class: 'festival-grid' }, name, holidays), makeup, errorSlotFor());
  name.querySelector('input').addEventListener('input', () => renumber());
  return row;
}

function noticeForm(year, years, state) {
  const start = state.current ?? { document: '', festivals: FESTIVALS.map((name) => ({ name, holidays: { from: '', to: '' }, makeupWorkdays: [] })) };
  const list = h('div', { class: 'festivals' });
  const rows = () => [...list.querySelectorAll(':scope > fieldset.festival')];
  /** Paths follow the rows as they stand, so a refusal naming festivals.1 lands on the second row shown. */
  const renumber = () =>
    rows().forEach((row, i) => {
      setPath(row, `festivals.${i}`);
      const festivalName = row.querySelector('[data-part="name"] input').value.trim();
      row.querySelector(':scope > legend').textContent = festivalName || `第 ${i + 1} 项`;
      setPath(row.querySelector('[data-part="name"]'), `festivals.${i}.name`);
      setPath(row.querySelector('[data-part="holidays"]'), `festivals.${i}.holidays`);
      setPath(row.querySelector('[data-part="from"]'), `festivals.${i}.holidays.from`);
      setPath(row.querySelector('[data-part="to"]'), `festivals.${i}.holidays.to`);
      setPath(row.querySelector('[data-part="makeup"]'), `festivals.${i}.makeupWorkdays`);
      row.querySelectorAll('[data-part="day"]').forEach((day, j) => {
        setPath(day, `festivals.${i}.makeupWorkdays.${j}`);
        day.querySelector('label').textContent = `调休上班日 ${j + 1}`;
      });
    });
  list.append(...start.festivals.map((f) => festivalRow(f, renumber)));
  renumber();

  const value = (row, part) => row.querySelector(`[data-part="${part}"] input`).value.trim();
  /** The notice as typed: empty make-up day boxes and untouched added rows are left out. */
  const body = (form) => {
    for (const day of list.querySelectorAll('[data-part="day"]')) if (!day.querySelector('input').value) day.remove();
    for (const row of rows()) if (!value(row, 'name') && !value(row, 'from') && !value(row, 'to') && !row.querySelector('[data-part="day"]')) row.remove();
    renumber();
    return {
      document: text(form, 'document'),
      festivals: rows().map((row) => ({
        name: value(row, 'name'),
        holidays: { from: value(row, 'from'), to: value(row, 'to') },
        makeupWorkdays: [...row.querySelectorAll('[data-part="day"] input')].map((i) => i.value),
      })),
    };
  };

  const yearField = field('年度', 'year', { type: 'select', value: String(year), options: Object.fromEntries(years.map((y) => [String(y), `${y}年`])) });
  yearField.querySelector('select').addEventListener('change', (event) => go(`#/calendar-notice/${event.target.value}`));

  const form = apiForm(
    {
      submitLabel: state.current ? `录入第 ${state.current.version + 1} 版` : '录入放假安排',
      name: '录入放假安排',
      plainMessages: true,
      onSubmit: async (f) => {
        const next = await put(`/api/calendar/${year}/notice`, body(f));
        forgetYear(year);
        const calendar = await getFresh(`/api/calendar/${year}`);
        render(year, years, next, calendar);
        announce(`已录入${year}年放假安排第 ${next.current.version} 版，进行中的期限随之调整。`);
      },
    },
    yearField,
    field('通知文号', 'document', { required: true, value: start.document, hint: '例如 国办发明电〔2026〕5号' }),
    h('h3', {}, '节日安排'),
    list,
    h('div', { class: 'actions-bar' }, h('button', { type: 'button', class: 'secondary', on: { click: () => {
      list.append(festivalRow({ name: '', holidays: { from: '', to: '' }, makeupWorkdays: [] }, renumber));
      renumber();
      rows().at(-1).querySelector('input').focus();
    } } }, '添加一行')),
  );
  return h('section', { class: 'card', 'aria-labelledby': 'notice-form-title' }, h('h2', { id: 'notice-form-title' }, state.current ? '录入新版本' : '录入'), form);
}
