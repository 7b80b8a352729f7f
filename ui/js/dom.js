// Building the page from elements and text nodes, never from HTML strings: case titles, opinions and
// objections are typed by people, and text nodes cannot smuggle markup in.

/**
 * h('p', { class: 'hint' }, 'text', child, [more]) — attributes, `on: { click }` for listeners,
 * `dataset` for data-*; children may be strings, nodes, arrays, or null/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  let initialValue;
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'on') for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'class') el.className = value;
    else if (key === 'value') initialValue = value; // set after the children: a <select> needs its options first
    else if (key === 'checked' || key === 'selected' || key === 'open') el[key] = Boolean(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  if (initialValue !== undefined) el.value = initialValue;
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

const shanghai = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
const shanghaiDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** An instant as Beijing time, 2026/11/22 14:05. */
export const formatTime = (iso) => (iso ? shanghai.format(new Date(iso)) : '—');

/** Today's date in Asia/Shanghai as YYYY-MM-DD (the API's dates are Shanghai dates). */
export const todayInShanghai = () => shanghaiDay.format(new Date());

/**
 * A deadline instant as the date it falls due: the API's due instants are the end of the due day
 * (24:00 Beijing time), which would otherwise read as 00:00 of the next day.
 */
export const formatDue = (iso) => (iso ? shanghaiDay.format(new Date(Date.parse(iso) - 1)) : '—');

export const badge = (text, kind = 'stage') => h('span', { class: `badge ${kind}` }, text);

export const WARNING_WORDS = { red: '红色预警', yellow: '黄色预警', normal: '正常' };

/** Splits a textarea of one item per line into the API's list, blank lines dropped. */
export const lines = (text) => String(text ?? '').split('\n').map((s) => s.trim()).filter(Boolean);

/**
 * Replaces the page's main content, back at the top where the announcement is, and moves focus
 * there, so screen readers hear the new page.
 */
export function show(title, ...content) {
  const main = document.getElementById('main');
  main.replaceChildren(h('h1', {}, title), ...content.flat().filter(Boolean));
  document.title = `${title} · 行政执法监督`;
  window.scrollTo(0, 0);
  main.focus({ preventScroll: true });
}

/** Opens a page of the UI; the same address again renders it again (after signing in, say). */
export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

/** A polite announcement at the top of the page (role=status). */
export function announce(text) {
  document.getElementById('status').textContent = text;
}

let pending = '';
/** An announcement for the page about to open (a new page clears the last one's). */
export function announceOnNextPage(text) {
  pending = text;
}
export function takeAnnouncement() {
  const text = pending;
  pending = '';
  return text;
}
