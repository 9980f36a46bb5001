// One agency: its systems (worst first, each leading to its findings), its pass-rate trend over 30
// days, its agents and whether they still report, its domains' IPv6 readiness and its certificates.

import { api, download, staleAfter } from '../api.js';
import { h, itemsOf } from '../dom.js';
import { trendChart } from '../charts.js';
import { formatNumber, formatPercent, lang, t } from '../i18n.js';
import {
  agentStatus,
  compareWorst,
  ruleLink,
  empty,
  exportButtons,
  findingsHref,
  panel,
  severityCells,
  severityHeaders,
  statusBadge,
  statusRate,
  tile,
  when,
  systemHref,
} from '../widgets.js';
import { certificateTable, ipv6Score } from './overview.js';

export const name = 'agency';

export async function load({ agency }) {
  const [agencies, systems, trend, agents, ipv6, certificates] = await Promise.all([
    api('/agencies', { staleAfter: staleAfter() }),
    api('/systems', { agency }),
    api('/trend', { agency, days: 30 }),
    api('/agents', { agency, staleAfter: staleAfter() }),
    api('/ipv6', { agency }),
    api('/certificates', { days: 30, agency }),
  ]);
  const only = (rows) => itemsOf(rows).filter((r) => r.agency === agency);
  return {
    agency: itemsOf(agencies).find((a) => a.id === agency) ?? null,
    systems: only(systems),
    trend: only(trend),
    agents: only(agents),
    ipv6: only(ipv6)[0] ?? null,
    certificates: only(certificates),
  };
}

export function systemRate(row) {
  const passed = row.counts?.pass ?? 0;
  const failed = row.counts?.fail ?? 0;
  return passed + failed === 0 ? null : passed / (passed + failed);
}

export function systemLabel(row) {
  return row.id === '' ? t('system.unassigned') : row.name || row.id;
}

export function breadcrumb(items) {
  return h(
    'nav',
    { class: 'breadcrumb', 'aria-label': t('nav.breadcrumb') },
    h(
      'ol',
      {},
      items.map(([label, href], i) =>
        h('li', {}, href && i < items.length - 1 ? h('a', { href, text: label }) : h('span', { 'aria-current': 'page', text: label })),
      ),
    ),
  );
}

export function render(data, { agency: id }) {
  const a = data.agency;
  if (!a) {
    return h(
      'div',
      { class: 'view' },
      breadcrumb([
        [t('nav.overview'), '#/'],
        [id, null],
      ]),
      h('h1', { text: id }),
      empty(t('agency.unknown'), 'warn'),
    );
  }
  const stale = data.agents.filter((x) => x.stale).length;
  const failed = a.counts?.fail ?? 0;
  const level = statusRate(a.passRate, a.failedBySeverity).dataset.level;
  return h(
    'div',
    { class: 'view agency', 'data-agency': a.id },
    breadcrumb([
      [t('nav.overview'), '#/'],
      [a.name || a.id, null],
    ]),
    h(
      'div',
      { class: 'page-head' },
      h('h1', { text: a.name || a.id }),
      statusBadge(a.failedBySeverity, a.passRate),
      h('p', { class: 'muted' }, h('code', { text: a.id }), ' · ', t('agency.lastSeen'), ' ', when(a.lastSeenAt)),
      exportButtons(
        (format) =>
          format === 'csv'
            ? download('/findings/export.csv', { agency: a.id, sort: 'severity', lang: lang() })
            : download(`/export/${encodeURIComponent(a.id)}.${format}`, { lang: lang() }),
        {
          label: t('export.agencyLabel', { agency: a.name || a.id }),
        },
      ),
    ),
    h(
      'div',
      { class: 'tiles' },
      tile(t('tile.passRate'), formatPercent(a.passRate), {
        level,
        id: 'tile-rate',
        note: stale ? t('tile.passRateNoteStale', { n: stale }) : null,
      }),
      tile(t('tile.failed'), formatNumber(failed), {
        level: failed > 0 ? 'bad' : 'good',
        id: 'tile-failed',
        href: findingsHref({ agency: a.id, sort: 'severity' }),
      }),
      tile(t('tile.systems'), formatNumber(data.systems.length), { id: 'tile-systems' }),
      tile(t('tile.staleAgents'), formatNumber(stale), {
        level: stale ? 'warn' : 'good',
        note: t('tile.staleNote', { n: data.agents.length }),
        id: 'tile-stale',
      }),
    ),
    h(
      'div',
      { class: 'grid agency-grid' },
      panel(t('systems.title'), systemsTable(a.id, data.systems), { id: 'systems', cls: 'span-main' }),
      panel(t('trend.agencyTitle'), trendChart(data.trend, { days: 30, endDay: windowEnd(data.trend), title: a.name || a.id }), {
        id: 'trend',
        cls: 'span-main',
      }),
      panel(t('agents.title'), agentsTable(data.agents, a.id), { id: 'agents', cls: stale ? 'alert' : '' }),
      panel(t('ipv6.domainsTitle'), domainsTable(data.ipv6), { id: 'ipv6-domains' }),
      panel(
        t('cert.title'),
        certificateTable(data.certificates, (x) => x, { showAgency: false }),
        { id: 'certificates', cls: 'span-main' },
      ),
    ),
  );
}

/** The chart's window ends today (UTC), so days without data show as a gap at the right edge. */
export function windowEnd(points) {
  const today = new Date().toISOString().slice(0, 10);
  // Days are YYYY-MM-DD strings: compared as strings (Math.max would make them NaN and break the chart).
  let last = today;
  for (const p of points) if (p.day > last) last = p.day;
  return last;
}

function systemsTable(agency, systems) {
  if (systems.length === 0) return empty(t('systems.none'), 'none');
  const sevs = ['critical', 'high', 'medium', 'low'];
  const sorted = [...systems].sort(
    (x, y) => compareWorst({ ...x, rate: systemRate(x) }, { ...y, rate: systemRate(y) }) || systemLabel(x).localeCompare(systemLabel(y)),
  );
  return h(
    'table',
    { class: 'data systems-table' },
    h('caption', { class: 'sr-only', text: t('systems.title') }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', text: t('col.system') }),
        h('th', { scope: 'col', class: 'num', text: t('col.level') }),
        h('th', { scope: 'col', class: 'rate-col', text: t('col.passRate') }),
        severityHeaders(sevs),
        h('th', { scope: 'col', class: 'num', text: t('col.targets') }),
        h('th', { scope: 'col', text: t('col.lastScanned') }),
      ),
    ),
    h(
      'tbody',
      {},
      sorted.map((sys) =>
        h(
          'tr',
          { 'data-system': sys.id, 'data-level': statusRate(systemRate(sys), sys.failedBySeverity).dataset.level },
          h(
            'th',
            { scope: 'row' },
            h('a', { href: systemHref(agency, sys.id), text: systemLabel(sys) }),
            sys.name && sys.id ? h('div', { class: 'sub' }, h('code', { text: sys.id })) : null,
          ),
          h(
            'td',
            { class: 'num', 'data-label': t('col.level') },
            sys.level
              ? h('span', { class: 'level', title: t('system.levelTitle', { n: sys.level }) }, t('system.level', { n: sys.level }))
              : '—',
          ),
          h('td', { class: 'rate-col' }, statusRate(systemRate(sys), sys.failedBySeverity)),
          severityCells(sys.failedBySeverity, sevs, (severity) => findingsHref({ agency, system: sys.id, severity })),
          h('td', { class: 'num', 'data-label': t('col.targets'), text: formatNumber(sys.targets ?? 0) }),
          h('td', { 'data-label': t('col.lastScanned') }, when(sys.lastScannedAt)),
        ),
      ),
    ),
  );
}

function agentsTable(agents, agency) {
  if (agents.length === 0) return empty(t('agents.none', { id: agency }), 'none');
  return h(
    'table',
    { class: 'data compact' },
    h('caption', { class: 'sr-only', text: t('agents.title') }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', text: t('col.host') }),
        h('th', { scope: 'col', text: t('col.version') }),
        h('th', { scope: 'col', text: t('col.lastSeen') }),
        h('th', { scope: 'col', text: t('col.status') }),
      ),
    ),
    h(
      'tbody',
      {},
      [...agents]
        .sort((x, y) => Number(y.stale) - Number(x.stale) || x.hostname.localeCompare(y.hostname))
        .map((ag) =>
          h(
            'tr',
            { 'data-agent': ag.id, class: ag.stale ? 'stale' : '' },
            h('th', { scope: 'row' }, h('code', { text: ag.hostname })),
            h('td', { text: ag.version }),
            h('td', {}, when(ag.lastSeenAt)),
            h('td', {}, agentStatus(ag)),
          ),
        ),
    ),
  );
}

function domainsTable(row) {
  const domains = row?.domains ?? [];
  if (domains.length === 0) return empty(t('ipv6.none'), 'none');
  return h(
    'table',
    { class: 'data compact' },
    h('caption', { class: 'sr-only', text: t('ipv6.domainsTitle') }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', text: t('col.domain') }),
        h('th', { scope: 'col', class: 'rate-col', text: t('col.ipv6Score') }),
        h('th', { scope: 'col', text: t('col.failedRules') }),
      ),
    ),
    h(
      'tbody',
      {},
      [...domains]
        .sort((x, y) => (x.score ?? 101) - (y.score ?? 101))
        .map((d) =>
          h(
            'tr',
            { 'data-domain': d.domain },
            h('th', { scope: 'row' }, h('code', { text: d.domain })),
            h('td', { class: 'rate-col' }, ipv6Score(d.score)),
            h(
              'td',
              {},
              d.failedRules.length
                ? h(
                    'ul',
                    { class: 'inline-list' },
                    d.failedRules.map((r) => h('li', {}, ruleLink(r))),
                  )
                : h('span', { class: 'muted', text: t('ipv6.noFailed') }),
            ),
          ),
        ),
    ),
  );
}
