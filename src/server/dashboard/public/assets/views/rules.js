// Rules: by default the rules the fleet fails now, worst first (how many agencies and systems fail
// each, with a click-through to those findings); `?all=1` lists every rule of the loaded packs, and
// `?pack=` one pack. Each rule id opens its reference page.

import { api } from '../api.js';
import { h, itemsOf } from '../dom.js';
import { formatNumber, pick, t } from '../i18n.js';
import { empty, findingsHref, panel, ruleLink, severityBadge, SEVERITIES, packLink } from '../widgets.js';

export const name = 'rules';

export async function load() {
  return { rules: itemsOf(await api('/rules')) };
}

export function render({ rules }, params) {
  const all = params.all === '1';
  const pack = params.pack || '';
  const shown = rules
    .filter((r) => (all || pack ? true : r.failing.findings > 0))
    .filter((r) => !pack || r.policyId === pack)
    .sort(
      (a, b) =>
        b.failing.agencies - a.failing.agencies ||
        SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
        b.failing.findings - a.failing.findings ||
        a.id.localeCompare(b.id),
    );
  const toggle = h(
    'div',
    { class: 'filter', role: 'group', 'aria-label': t('findings.filter') },
    h('a', {
      href: '#/rules',
      class: !all && !pack ? 'active' : '',
      'aria-current': !all && !pack ? 'true' : null,
      text: t('rules.failingOnly'),
    }),
    h('a', { href: '#/rules?all=1', class: all ? 'active' : '', 'aria-current': all ? 'true' : null, text: t('rules.all') }),
  );
  return h(
    'div',
    { class: 'view rules-view' },
    h(
      'div',
      { class: 'page-head' },
      h('h1', { text: pack ? t('rules.packTitle', { pack }) : t('rules.title') }),
      h('p', { class: 'muted', text: t('rules.note') }),
    ),
    panel(all || pack ? t('rules.reference') : t('rules.failingTitle'), rulesTable(shown), { id: 'rules', extra: toggle }),
  );
}

function rulesTable(rules) {
  if (rules.length === 0) return empty(t('rules.none'), 'good');
  return h(
    'table',
    { class: 'data rules-table' },
    h('caption', { class: 'sr-only', text: t('rules.title') }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', text: t('col.rule') }),
        h('th', { scope: 'col', text: t('col.severity') }),
        h('th', { scope: 'col', class: 'num', text: t('col.agenciesFailing') }),
        h('th', { scope: 'col', class: 'num', text: t('col.systemsFailing') }),
        h('th', { scope: 'col', class: 'num', text: t('col.findings') }),
      ),
    ),
    h(
      'tbody',
      {},
      rules.map((r) =>
        h(
          'tr',
          { 'data-rule': r.id, 'data-agencies': r.failing.agencies },
          h(
            'th',
            { scope: 'row' },
            h('span', { class: 'title', text: pick(r.title) }),
            h('div', { class: 'sub' }, ruleLink(r.id), ' · ', packLink(r.policyId)),
          ),
          h('td', {}, severityBadge(r.severity)),
          h(
            'td',
            { class: 'num', 'data-label': t('col.agenciesFailing') },
            r.failing.agencies
              ? h('a', { href: findingsHref({ rule: r.id, sort: 'agency' }), text: formatNumber(r.failing.agencies) })
              : h('span', { class: 'zero', text: '0' }),
          ),
          h('td', { class: 'num', 'data-label': t('col.systemsFailing'), text: formatNumber(r.failing.systems) }),
          h('td', { class: 'num', 'data-label': t('col.findings'), text: formatNumber(r.failing.findings) }),
        ),
      ),
    ),
  );
}
