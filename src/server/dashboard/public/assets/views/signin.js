// Sign-in: paste a viewer token (or open the page once with `#token=…`). The token is kept for this
// browser tab only (sessionStorage) and sent only in the Authorization header.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { icon } from '../widgets.js';

export const name = 'signin';

/** `error` is a catalogue key (e.g. 'signin.rejected') or null. */
export function render({ error }, { onSubmit }) {
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': error ? 'signin-help signin-error' : 'signin-help',
    'aria-invalid': error ? 'true' : null,
  });
  const form = h(
    'form',
    {
      class: 'signin',
      'aria-labelledby': 'signin-title',
      onsubmit: (event) => {
        event.preventDefault();
        const value = input.value.trim();
        if (value) onSubmit(value);
      },
    },
    h('h1', { id: 'signin-title', text: t('signin.title') }),
    h('p', { id: 'signin-help', class: 'muted', text: t('signin.help') }),
    error ? h('p', { id: 'signin-error', class: 'error-box', role: 'alert' }, icon('bad'), h('span', { text: t(error) })) : null,
    h('label', { for: 'token', text: t('signin.label') }),
    input,
    h('button', { type: 'submit', class: 'primary', text: t('signin.submit') }),
    h('p', { class: 'muted small', text: t('signin.where') }),
  );
  queueMicrotask(() => input.focus());
  return h('div', { class: 'view signin-view' }, form);
}
