// Accessible form pieces (every control has a label; hints and errors are tied to it with
// aria-describedby) and the placing of the API's refusals next to the field they name.
import { ApiError } from './api.js';
import { h } from './dom.js';

let seq = 0;
const nextId = () => `f${++seq}`;

/**
 * A labelled control. `name` is the field's path in the API's body (party.name, checks.2.note), so a
 * refusal naming that path lands here. type: text | date | number | url | textarea | select.
 */
export function field(label, name, { type = 'text', required, hint, value, rows, options, attrs = {} } = {}) {
  const id = nextId();
  const common = { id, name, required, value, ...attrs };
  const control =
    type === 'textarea'
      ? h('textarea', { rows: rows ?? 4, ...common })
      : type === 'select'
        ? h('select', common, Object.entries(options).map(([v, text]) => h('option', { value: v }, text)))
        : h('input', { type, ...common });
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field', dataset: { field: name } }, h('label', { for: id, class: required ? 'req' : null }, label), control, hintEl, errorSlot(id));
}

/** A group of radio buttons or checkboxes under one legend; `options` maps API value → words. */
export function choices(legend, name, options, { type = 'radio', checked = [], required, hint, dataField = name } = {}) {
  const id = nextId();
  return h(
    'fieldset',
    { dataset: { field: dataField }, 'aria-describedby': hint ? `${id}-hint` : null },
    h('legend', { class: required ? 'req' : null }, legend),
    h(
      'div',
      { class: 'choices' },
      Object.entries(options).map(([value, text]) => h('label', {}, h('input', { type, name, value, checked: checked.includes(value) }), text)),
    ),
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
    errorSlot(id),
  );
}

const errorSlot = (id) => h('p', { class: 'field-error', id: `${id}-error` });

/** The slot for refusals of a container built by hand (a `data-field` element that is no field or group). */
export const errorSlotFor = () => errorSlot(nextId());

/** A fieldset for a list or a sub-object (officers, checks.3): refusals naming it land in its slot. */
export function group(legend, dataField, ...children) {
  return h('fieldset', { dataset: { field: dataField } }, h('legend', {}, legend), ...children, errorSlot(nextId()));
}

/**
 * A form that posts through `onSubmit(form)`. The browser's own validation is off (novalidate): the
 * API is the one that decides, and its message is shown where it belongs.
 */
export function apiForm({ submitLabel, onSubmit, danger = false, name, plainMessages = false }, ...children) {
  const button = h('button', { type: 'submit', class: danger ? 'danger' : null }, submitLabel);
  const form = h(
    'form',
    {
      novalidate: true,
      'aria-label': name ?? submitLabel,
      // A form whose API words every message in Chinese, naming the field itself: shown without the path.
      dataset: plainMessages ? { plainMessages: 'true' } : null,
      on: {
        submit: async (event) => {
          event.preventDefault();
          clearErrors(form);
          button.disabled = true;
          try {
            await onSubmit(form);
          } catch (err) {
            showError(form, err);
          } finally {
            button.disabled = false;
          }
        },
      },
    },
    ...children,
    // Beside the button the person just pressed, so a long form's refusal is not out of sight.
    h('div', { class: 'form-error', role: 'alert', tabindex: '-1' }),
    h('div', { class: 'actions-bar' }, button),
  );
  return form;
}

export function clearErrors(form) {
  form.querySelector('.form-error').textContent = '';
  for (const slot of form.querySelectorAll('.field-error')) slot.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/** A problem's path as the form's data-field names it: '/party/name', 'body.party.name' or ['party', 'name'] → 'party.name'. */
function fieldPath(path) {
  const text = Array.isArray(path) ? path.join('.') : String(path ?? '');
  return text.replace(/^\//, '').replace(/\//g, '.').replace(/^(body|querystring|params)(\.|$)/, '');
}

/**
 * Shows a refusal in the API's own words, which are Chinese and name the field by its label
 * ("执法人员：至少两名"): each problem the body lists in its details (a 400's `[{ path, message }]`,
 * a rule's `{ problems }`) goes under the field its path names (or the nearest group holding it);
 * the rest at the top of the form, without the HTTP status.
 */
export function showError(form, err) {
  const general = form.querySelector('.form-error');
  if (!(err instanceof ApiError)) {
    general.textContent = err?.message ?? String(err);
    return;
  }
  const unplaced = [];
  let first;
  const problems = Array.isArray(err.details) ? err.details : Array.isArray(err.details?.problems) ? err.details.problems : null;
  for (const problem of problems ?? []) {
    const container = findField(form, fieldPath(problem.path));
    if (!container) {
      unplaced.push(problem.message);
      continue;
    }
    markInvalid(container, problem.message);
    first ??= container;
  }
  if (!problems) unplaced.push(err.message);
  general.textContent = unplaced.length ? unplaced.join('；') : '请按标出的字段修改后再提交';
  (first?.querySelector('input, select, textarea') ?? general).focus();
}

/** The container of the longest prefix of `path` the form has: checks.2.note, else checks.2, else checks. */
function findField(form, path) {
  if (!path) return null;
  const segments = path.replace(/\[(\d*)\]/g, (_m, i) => (i ? `.${i}` : '')).split('.').filter(Boolean);
  for (let n = segments.length; n > 0; n--) {
    const found = form.querySelector(`[data-field="${CSS.escape(segments.slice(0, n).join('.'))}"]`);
    if (found) return found;
  }
  return null;
}

function markInvalid(container, text) {
  const slot = container.querySelector(':scope > .field-error');
  slot.textContent = slot.textContent ? `${slot.textContent}；${text}` : text;
  for (const control of container.querySelectorAll('input, select, textarea')) {
    control.setAttribute('aria-invalid', 'true');
    const described = new Set((control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
    described.add(slot.id);
    control.setAttribute('aria-describedby', [...described].join(' '));
  }
}

// Reading values: trimmed text, optional text left out (the API refuses unknown or empty optional
// fields such as an empty url), checked boxes.
export const text = (form, name) => String(form.elements.namedItem(name)?.value ?? '').trim();
export const optional = (form, name) => text(form, name) || undefined;
export const checkedValues = (form, name) => [...form.querySelectorAll(`input[name="${CSS.escape(name)}"]:checked`)].map((i) => i.value);
export const radio = (form, name) => checkedValues(form, name)[0];
export const number = (form, name) => {
  const raw = text(form, name);
  return raw === '' ? undefined : Number(raw);
};
