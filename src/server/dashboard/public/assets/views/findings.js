// Findings across the fleet: every open failure (or, on demand, waived / not-tested results) with
// severity, rule, where and since when; filtered, searched, sorted and paged on the server. The whole
// state lives in the address (`#/findings?severity=critical&agency=…&page=2`), so a link shares the
// exact view, and the export buttons download what the filter selects.

import { api, download } from '../api.js';
import { h, itemsOf } from '../dom.js';
import { formatNumber, lang, pick, t } from '../i18n.js';
import {
  empty,
  exportButtons,
  findingsHref,
  firstFailed,
  panel,
  ruleLink,
  severityBadge,
  outcomeBadge,
  SEVERITIES,
  packLink,
  agencyHref,
  systemHref,
} from '../widgets.js';

export const name = 'findings';

export const PAGE_SIZE = 50;
/** Filter keys as they appear in the address and in the API query. */
export const FILTER_KEYS = ['severity', 'rule', 'pack', 'agency', 'system', 'check', 'since', 'q', 'outcome', 'sort'];
const OUTCOMES = ['fail', 'waived', 'not-tested', 'all'];
const SORTS = ['severity', 'first-failed', 'newest-failure', 'rule', 'agency', 'scanned'];

/** The address's filter as the API's FindingQuery (pack → policy). */
export function apiFilter(params) {
  return {
    severity: params.severity,
    rule: params.rule,
    policy: params.pack,
    agency: params.agency,
    system: params.system,
    check: params.check,
    since: params.since,
    q: params.q,
    outcome: params.outcome,
    sort: params.sort || 'severity',
  };
}

function pageOf(params) {
  const n = Number(params.page);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

export async function load(params) {
  const page = pageOf(params);
  const [findings, agencies, rules] = await Promise.all([
    api('/findings', { ...apiFilter(params), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    api('/agencies'),
    api('/rules'),
  ]);
  return { findings: itemsOf(findings), total: findings?.total ?? 0, agencies: itemsOf(agencies), rules: itemsOf(rules), page };
}

function filterForm(params, { agencies, rules }) {
  const packs = [...new Set(rules.map((r) => r.policyId))].sort();
  const families = [...new Set(rules.map((r) => r.check.split('.')[0]).filter(Boolean))].sort();
  const field = (id, label, control) => h('div', { class: 'field' }, h('label', { for: id, text: label }), control);
  const select = (id, key, options, allText) =>
    h(
      'select',
      { id, name: key },
      h('option', { value: '', text: allText }),
      options.map(([value, text]) => h('option', { value, text, selected: (params[key] ?? '') === value ? true : null })),
    );
  const input = (id, key, attrs = {}) => h('input', { id, name: key, value: params[key] ?? '', ...attrs });
  const form = h(
    'form',
    { class: 'filters', id: 'findings-filter', role: 'search', 'aria-label': t('filter.label') },
    field('f-q', t('filter.search'), input('f-q', 'q', { type: 'search', placeholder: t('filter.searchHint'), maxlength: '200' })),
    field(
      'f-severity',
      t('filter.severity'),
      select(
        'f-severity',
        'severity',
        SEVERITIES.map((s) => [s, t('severity.' + s)]),
        t('filter.any'),
      ),
    ),
    field(
      'f-agency',
      t('filter.agency'),
      select(
        'f-agency',
        'agency',
        agencies.map((a) => [a.id, a.name || a.id]),
        t('filter.any'),
      ),
    ),
    field('f-system', t('filter.system'), input('f-system', 'system', { type: 'text', maxlength: '256' })),
    field(
      'f-rule',
      t('filter.rule'),
      input('f-rule', 'rule', { type: 'text', list: 'rule-ids', maxlength: '256', autocapitalize: 'characters' }),
    ),
    h(
      'datalist',
      { id: 'rule-ids' },
      rules.map((r) => h('option', { value: r.id })),
    ),
    field(
      'f-pack',
      t('filter.pack'),
      select(
        'f-pack',
        'pack',
        packs.map((p) => [p, p]),
        t('filter.any'),
      ),
    ),
    field(
      'f-check',
      t('filter.check'),
      select(
        'f-check',
        'check',
        families.map((f) => [f, f]),
        t('filter.any'),
      ),
    ),
    field('f-since', t('filter.since'), input('f-since', 'since', { type: 'date' })),
    field(
      'f-outcome',
      t('filter.outcome'),
      select(
        'f-outcome',
        'outcome',
        OUTCOMES.filter((o) => o !== 'fail').map((o) => [o, o === 'all' ? t('filter.allOutcomes') : t('outcome.' + o)]),
        t('outcome.fail'),
      ),
    ),
    field(
      'f-sort',
      t('filter.sort'),
      select(
        'f-sort',
        'sort',
        SORTS.filter((s) => s !== 'severity').map((s) => [s, sortLabel(s)]),
        sortLabel('severity'),
      ),
    ),
    h(
      'div',
      { class: 'field actions' },
      h('button', { type: 'submit', class: 'primary', text: t('filter.apply') }),
      h('a', { href: '#/findings', class: 'reset', text: t('filter.reset') }),
    ),
  );
  const apply = () => {
    const next = {};
    for (const key of FILTER_KEYS) {
      const el = form.elements.namedItem(key);
      const value = el && 'value' in el ? el.value.trim() : '';
      if (value) next[key] = value;
    }
    location.hash = findingsHref(next);
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
  // Choosing from a list applies at once; typed fields wait for Enter or the button.
  for (const el of form.querySelectorAll('select, input[type="date"]')) el.addEventListener('change', apply);
  return form;
}

/**
 * The form folds away on a phone unless a filter is set, so the first screen shows findings; on a
 * wider screen it is always open.
 */
function filterBox(params, data) {
  const active = FILTER_KEYS.filter((k) => k !== 'sort' && params[k]).length;
  const open = active > 0 || window.matchMedia('(min-width: 701px)').matches;
  return h(
    'details',
    { class: 'filter-box', open: open ? true : null, 'data-key': 'filters' },
    h('summary', {}, active ? t('filter.summaryActive', { n: active }) : t('filter.summary')),
    filterForm(params, data),
  );
}

function sortLabel(sort) {
  switch (sort) {
    case 'severity':
      return t('sort.severity');
    case 'first-failed':
      return t('sort.firstFailed');
    case 'newest-failure':
      return t('sort.newestFailure');
    case 'rule':
      return t('sort.rule');
    case 'agency':
      return t('sort.agency');
    default:
      return t('sort.scanned');
  }
}

export function render(data, params) {
  const names = new Map(data.agencies.map((a) => [a.id, a.name || a.id]));
  const pages = Math.max(1, Math.ceil(data.total / PAGE_SIZE));
  const first = (data.page - 1) * PAGE_SIZE;
  return h(
    'div',
    { class: 'view findings-view' },
    h(
      'div',
      { class: 'page-head' },
      h('h1', { text: t('fleetview.title') }),
      h('p', {
        class: 'muted',
        id: 'findings-count',
        'data-total': data.total,
        text: t('fleetview.count', { n: formatNumber(data.total) }),
      }),
    ),
    filterBox(params, data),
    panel(
      t('fleetview.results'),
      findingsTable(data.findings, (id) => names.get(id) ?? id),
      {
        id: 'findings',
        extra: exportButtons((format) => download(`/findings/export.${format}`, { ...apiFilter(params), lang: lang() }), {
          label: t('export.filterLabel'),
        }),
      },
    ),
    pages > 1 ? pager(data.page, pages, first, data.findings.length, data.total, params) : null,
  );
}

function pager(page, pages, first, shown, total, params) {
  const link = (n, text, rel) => h('a', { href: findingsHref({ ...params, page: n }), rel, text });
  return h(
    'nav',
    { class: 'pager', 'aria-label': t('pager.label') },
    page > 1 ? link(page - 1, t('pager.prev'), 'prev') : h('span', { class: 'muted', text: t('pager.prev') }),
    h('span', {
      text: t('pager.position', {
        from: formatNumber(first + 1),
        to: formatNumber(first + shown),
        total: formatNumber(total),
        page,
        pages,
      }),
    }),
    page < pages ? link(page + 1, t('pager.next'), 'next') : h('span', { class: 'muted', text: t('pager.next') }),
  );
}

/** The table of findings (`agencyName(id)` names agencies); on a phone each row reflows into a card (style.css). */
export function findingsTable(findings, agencyName, { compact = false } = {}) {
  if (findings.length === 0) return empty(t('fleetview.none'), 'good');
  return h(
    'table',
    { class: `data findings-table${compact ? ' compact' : ''}` },
    h('caption', { class: 'sr-only', text: t('fleetview.caption') }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', text: t('col.severity') }),
        h('th', { scope: 'col', text: t('col.rule') }),
        h('th', { scope: 'col', text: t('col.where') }),
        h('th', { scope: 'col', text: t('col.firstFailed') }),
      ),
    ),
    h(
      'tbody',
      {},
      findings.map((f) =>
        h(
          'tr',
          {
            class: `finding-row sev-row-${f.severity}`,
            'data-severity': f.severity,
            'data-rule': f.ruleId,
            'data-agency': f.agency,
            'data-outcome': f.outcome,
          },
          h('td', { class: 'sev' }, severityBadge(f.severity), f.outcome !== 'fail' ? outcomeBadge(f.outcome) : null),
          h(
            'th',
            { scope: 'row', class: 'rule' },
            h('span', { class: 'title', text: pick(f.title) || f.ruleId }),
            h('div', { class: 'sub' }, ruleLink(f.ruleId), ' · ', packLink(f.policyId)),
          ),
          h(
            'td',
            { class: 'where' },
            h('a', { href: agencyHref(f.agency), text: agencyName(f.agency) }),
            ' › ',
            h('a', { href: systemHref(f.agency, f.system), text: f.system || t('system.unassigned') }),
            h('div', { class: 'sub' }, h('code', { text: f.target })),
          ),
          h('td', { class: 'since' }, f.outcome === 'fail' ? firstFailed(f.firstFailedAt) : h('span', { class: 'muted', text: '—' })),
        ),
      ),
    ),
  );
}
