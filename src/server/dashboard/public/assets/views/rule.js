// One rule's reference page: what it checks, why, how to fix it and where the law says so, in the
// reader's language, with how much of the fleet fails it now and a link to those findings.

import { api } from '../api.js';
import { h, itemsOf, prose } from '../dom.js';
import { formatNumber, pick, t } from '../i18n.js';
import { empty, findingsHref, packLink, panel, severityBadge, tile } from '../widgets.js';
import { breadcrumb } from './agency.js';

export const name = 'rule';

export async function load() {
  return { rules: itemsOf(await api('/rules')) };
}

export function render({ rules }, { rule: id }) {
  const r = rules.find((x) => x.id === id);
  const crumbs = breadcrumb([
    [t('nav.overview'), '#/'],
    [t('nav.rules'), '#/rules'],
    [id, null],
  ]);
  if (!r) return h('div', { class: 'view rule-view' }, crumbs, h('h1', { text: id }), empty(t('rule.unknown'), 'warn'));
  return h(
    'div',
    { class: 'view rule-view', 'data-rule': r.id },
    crumbs,
    h(
      'div',
      { class: 'page-head' },
      h('h1', { text: pick(r.title) }),
      h('p', { class: 'muted' }, h('code', { text: r.id }), ' · ', packLink(r.policyId), ' · ', severityBadge(r.severity)),
    ),
    h(
      'div',
      { class: 'tiles' },
      tile(t('col.agenciesFailing'), formatNumber(r.failing.agencies), {
        level: r.failing.agencies ? 'bad' : 'good',
        id: 'tile-rule-agencies',
      }),
      tile(t('col.systemsFailing'), formatNumber(r.failing.systems), {
        level: r.failing.systems ? 'bad' : 'good',
        id: 'tile-rule-systems',
      }),
    ),
    r.failing.findings
      ? h(
          'p',
          {},
          h('a', {
            class: 'see-all',
            href: findingsHref({ rule: r.id, sort: 'agency' }),
            text: t('rule.seeFailures', { n: formatNumber(r.failing.findings) }),
          }),
        )
      : null,
    panel(
      t('rule.reference'),
      h(
        'dl',
        { class: 'rule-ref' },
        pick(r.description) ? [h('dt', { text: t('rule.description') }), h('dd', { class: 'prose', text: pick(r.description) })] : null,
        pick(r.remediation)
          ? [h('dt', { text: t('finding.remediation') }), h('dd', { class: 'prose remediation' }, prose(pick(r.remediation)))]
          : null,
        r.check ? [h('dt', { text: t('rule.check') }), h('dd', {}, h('code', { text: r.check }))] : null,
        r.references.length
          ? [
              h('dt', { text: t('finding.references') }),
              h(
                'dd',
                {},
                h(
                  'ul',
                  { class: 'refs' },
                  r.references.map((ref) => h('li', { text: ref })),
                ),
              ),
            ]
          : null,
      ),
      { id: 'rule-reference' },
    ),
  );
}
