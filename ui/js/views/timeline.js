// The full-process record (全过程记录) of a case or a site, as the API's …/timeline returns it: who,
// when, what, and their own words.
import { formatTime, h } from '../dom.js';
import { V } from '../vocabulary.js';

export const actorWords = (by) => (by === 'system' ? '系统' : `${V.roles[by.role] ?? by.role}${by.name ? `（${by.name}）` : ''}`);

export function timelineSection(entries) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'timeline-title' },
    h('h2', { id: 'timeline-title' }, '全过程记录'),
    entries.length
      ? h(
          'ol',
          { class: 'timeline' },
          entries.map((e) =>
            h(
              'li',
              { class: e.by === 'system' ? 'system' : null, dataset: { action: e.action } },
              h('time', { datetime: e.at }, formatTime(e.at)),
              h('span', { class: 'who-acted' }, actorWords(e.by)),
              h('div', {}, e.summary),
              e.words ? h('blockquote', {}, e.words) : null,
            ),
          ),
        )
      : h('p', { class: 'muted' }, '暂无记录。'),
  );
}
