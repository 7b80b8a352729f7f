// Sign-in for development and demos: paste a token (from `npm start` or `npm run token`), or pick a
// role of the demo agency when the server offers GET /api/dev/tokens (never in production).
import { ApiError, get } from '../api.js';
import { go, h, show } from '../dom.js';
import { apiForm, field, text } from '../forms.js';
import { homeOf } from '../permissions.js';
import * as session from '../session.js';

/** After signing in: the page that asked for it, or the role's home page. */
const next = (role) => (location.hash.startsWith('#/') && location.hash !== '#/login' ? location.hash : homeOf(role));

export async function loginView(reason) {
  const tokenForm = apiForm(
    {
      submitLabel: '登录',
      name: '令牌登录',
      onSubmit: async (form) => {
        const token = text(form, 'token');
        let claims;
        try {
          claims = session.signIn(token);
          // The API is the judge of a token: one call it must accept.
          await get('/api/reminders?limit=1');
        } catch (err) {
          session.signOut();
          throw new ApiError(err.status ?? 0, { error: err.error ?? '令牌无效', message: `令牌：${err.message}`, details: [{ path: 'token', message: `令牌：${err.message}` }] });
        }
        go(next(claims.role));
      },
    },
    field('访问令牌（Bearer token）', 'token', {
      type: 'textarea',
      required: true,
      rows: 5,
      hint: '由 npm start 启动时打印，或用 npm run token -- --role legal-review --agency county-market 生成。',
      attrs: { spellcheck: 'false', autocomplete: 'off' },
    }),
  );

  let demo = null;
  try {
    const dev = await get('/api/dev/tokens');
    demo = h(
      'section',
      { class: 'card', 'aria-labelledby': 'demo-title' },
      h('h2', { id: 'demo-title' }, `演示机构：${dev.agency.name}`),
      h('p', { class: 'muted' }, '开发环境：选择一个角色直接登录（生产环境不提供）。'),
      h(
        'div',
        { class: 'actions-bar' },
        dev.tokens.map((t) =>
          h('button', { type: 'button', class: 'secondary', on: { click: () => { session.signIn(t.token); go(next(t.role)); } } }, t.label),
        ),
      ),
    );
  } catch {
    // Production: no development tokens; the pasted token is the only way in.
  }

  show(
    '登录',
    reason ? h('p', { class: 'form-error', role: 'alert' }, reason) : null,
    h('div', { class: 'grid2' }, h('section', { class: 'card', 'aria-label': '粘贴令牌' }, tokenForm), demo),
  );
}
