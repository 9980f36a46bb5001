// Fleet overview: the wall screen. The most severe open failures first (a bounded list, each a link,
// "see all" to the findings view), then the totals, every agency worst-first by its highest open
// severity, and what needs someone's attention today: stale agents and the certificates closest to
// expiry, with pass rate per policy pack and IPv6 readiness beside them.

import { api, staleAfter } from '../api.js';
import { byKey, h, itemsOf } from '../dom.js';
import { formatDate, formatDateTime, formatNumber, formatPercent, t } from '../i18n.js';
import {
  agentStatus,
  compareWorst,
  daysLeft,
  empty,
  enrolFirstAgent,
  findingsHref,
  icon,
  packLink,
  panel,
  passRate,
  severityCells,
  severityHeaders,
  statusBadge,
  statusLevel,
  statusRate,
  tile,
  when,
  agencyHref,
} from '../widgets.js';
import { findingsTable } from './findings.js';

/** Rows of the overview's bounded lists; the rest is one "see all" away. */
export const TOP_FAILURES = 8;
export const TOP_CERTIFICATES = 8;

export const name = 'overview';

export async function load() {
  const [overview, certificates, ipv6, worst] = await Promise.all([
    api('/overview', { staleAfter: staleAfter() }),
    api('/certificates', { days: 30 }),
    api('/ipv6'),
    api('/findings', { sort: 'severity', limit: TOP_FAILURES }),
  ]);
  return { overview, certificates: itemsOf(certificates), ipv6: itemsOf(ipv6), worst: itemsOf(worst), worstTotal: worst?.total ?? 0 };
}

/**
 * Worst first: the agency a SOC lead must call is at the top — highest open severity, then how many
 * failures of each severity, then pass rate; never-judged ones after the rest.
 */
export function sortAgencies(agencies) {
  return [...agencies].sort(
    (a, b) => compareWorst({ ...a, rate: a.passRate }, { ...b, rate: b.passRate }) || (a.name ?? a.id).localeCompare(b.name ?? b.id),
  );
}

/** The fleet's pass rate over the agents reporting on time (rateCounts), as each agency's is. */
export function fleetRate(agencies) {
  let passed = 0;
  let failed = 0;
  for (const a of agencies) {
    passed += a.rateCounts?.pass ?? a.counts?.pass ?? 0;
    failed += a.rateCounts?.fail ?? a.counts?.fail ?? 0;
  }
  return passed + failed === 0 ? null : passed / (passed + failed);
}

/** Fleet-wide failures by severity, for the status of the whole fleet. */
function fleetSeverities(agencies) {
  const out = {};
  for (const a of agencies) for (const [sev, n] of Object.entries(a.failedBySeverity ?? {})) out[sev] = (out[sev] ?? 0) + n;
  return out;
}

export function render({ overview, certificates, ipv6, worst, worstTotal }) {
  const agencies = itemsOf(overview.agencies);
  const agents = itemsOf(overview.agents);
  const names = byKey(agencies, 'id');
  const agencyName = (id) => names.get(id)?.name ?? id;
  const totals = overview.totals ?? {};
  const rate = fleetRate(agencies);
  const stale = agents.filter((a) => a.stale);
  // A new server: nothing is "on time" or "without failures" yet, so say how to enrol the first agent.
  const noAgents = (totals.agents ?? agents.length) === 0;

  return h(
    'div',
    { class: 'view overview' },
    h(
      'div',
      { class: 'page-head' },
      h('h1', { text: t('overview.title') }),
      h('p', { class: 'muted' }, t('overview.generated', { when: formatDateTime(overview.generatedAt) })),
    ),
    noAgents ? panel(t('enrol.title'), enrolFirstAgent(), { id: 'enrol-first' }) : null,
    panel(t('worst.title'), noAgents ? empty(t('worst.noResults'), 'none') : worstList(worst ?? [], worstTotal ?? 0, agencyName), {
      id: 'worst',
      cls: (worst ?? []).length ? 'alert-bad' : '',
    }),
    h(
      'div',
      { class: 'tiles', id: 'totals' },
      tile(t('tile.passRate'), formatPercent(rate), {
        level: statusLevel(fleetSeverities(agencies), rate),
        note: stale.length ? t('tile.passRateNoteStale', { n: stale.length }) : t('tile.passRateNote'),
        id: 'tile-rate',
      }),
      tile(t('tile.failed'), formatNumber(totals.failed ?? 0), {
        level: (totals.failed ?? 0) > 0 ? 'bad' : noAgents ? 'none' : 'good',
        note: t('tile.failedNote'),
        id: 'tile-failed',
        href: findingsHref({ sort: 'severity' }),
      }),
      tile(t('tile.staleAgents'), formatNumber(totals.staleAgents ?? stale.length), {
        level: (totals.staleAgents ?? stale.length) > 0 ? 'warn' : noAgents ? 'none' : 'good',
        note: t('tile.staleNote', { n: formatNumber(totals.agents ?? agents.length) }),
        id: 'tile-stale',
      }),
      tile(t('tile.agencies'), formatNumber(totals.agencies ?? agencies.length), { id: 'tile-agencies' }),
      tile(t('tile.agents'), formatNumber(totals.agents ?? agents.length), {
        note: t('tile.batchesNote', { n: formatNumber(totals.batches ?? 0) }),
        id: 'tile-agents',
      }),
    ),
    h(
      'div',
      { class: 'grid overview-grid' },
      h(
        'div',
        { class: 'col-main' },
        panel(
          t('agencies.title'),
          [
            agencyTable(agencies, agents),
            stale.length ? h('p', { class: 'muted foot', id: 'stale-note', text: t('agencies.staleNote') }) : null,
          ],
          { id: 'agencies' },
        ),
        h(
          'div',
          { class: 'pair' },
          panel(t('policies.title'), policyTable(overview.policies ?? []), { id: 'policies' }),
          panel(t('ipv6.title'), ipv6Table(ipv6, agencyName), { id: 'ipv6' }),
        ),
      ),
      h(
        'div',
        { class: 'col-side' },
        panel(t('stale.title'), noAgents ? empty(t('stale.noAgents'), 'none') : staleTable(stale, agents.length, agencyName), {
          id: 'stale-agents',
          cls: stale.length ? 'alert' : '',
        }),
        panel(t('cert.title'), noAgents ? empty(t('cert.noResults'), 'none') : boundedCertificates(certificates, agencyName), {
          id: 'certificates',
          cls: certificates.some((c) => c.daysLeft < 0) ? 'alert' : '',
        }),
      ),
    ),
  );
}

function worstList(worst, total, agencyName) {
  if (worst.length === 0) return empty(t('worst.none'), 'good');
  return h(
    'div',
    {},
    findingsTable(worst, agencyName, { compact: true }),
    h(
      'p',
      { class: 'foot' },
      h('a', { class: 'see-all', href: findingsHref({ sort: 'severity' }), text: t('worst.seeAll', { n: formatNumber(total) }) }),
    ),
  );
}

function boundedCertificates(certificates, agencyName) {
  const sorted = [...certificates].sort((a, b) => a.daysLeft - b.daysLeft);
  return h(
    'div',
    {},
    certificateTable(sorted.slice(0, TOP_CERTIFICATES), agencyName),
    sorted.length > TOP_CERTIFICATES
      ? h(
          'p',
          { class: 'foot' },
          h('a', { class: 'see-all', href: '#/certificates', text: t('cert.seeAll', { n: formatNumber(sorted.length) }) }),
        )
      : null,
  );
}

function agencyTable(agencies, agents) {
  if (agencies.length === 0) return empty(t('agencies.none'), 'none');
  const staleBy = new Map();
  for (const a of agents) if (a.stale) staleBy.set(a.agency, (staleBy.get(a.agency) ?? 0) + 1);
  const sevs = ['critical', 'high', 'medium', 'low'];
  return h(
    'table',
    { class: 'data agencies-table' },
    h('caption', { class: 'sr-only', text: t('agencies.caption') }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', text: t('col.agency') }),
        h('th', { scope: 'col', text: t('col.status') }),
        h('th', { scope: 'col', class: 'rate-col', text: t('col.passRate') }),
        severityHeaders(sevs),
        h('th', { scope: 'col', text: t('col.agents') }),
        h('th', { scope: 'col', text: t('col.lastSeen') }),
      ),
    ),
    h(
      'tbody',
      {},
      sortAgencies(agencies).map((a) => {
        const staleCount = staleBy.get(a.id) ?? 0;
        const rate = statusRate(a.passRate, a.failedBySeverity);
        return h(
          'tr',
          { 'data-agency': a.id, 'data-level': rate.dataset.level, class: rate.dataset.level },
          h('th', { scope: 'row', class: 'agency-name' }, h('a', { href: agencyHref(a.id), text: a.name || a.id })),
          h('td', { class: 'status-col' }, statusBadge(a.failedBySeverity, a.passRate)),
          h('td', { class: 'rate-col' }, rate),
          severityCells(a.failedBySeverity, sevs, (severity) => findingsHref({ agency: a.id, severity })),
          h(
            'td',
            { class: 'agents-cell', 'data-label': t('col.agents') },
            h('span', { text: formatNumber(a.agents ?? 0) }),
            staleCount ? h('span', { class: 'status stale' }, icon('warn'), t('agents.staleCount', { n: staleCount })) : null,
          ),
          h('td', { 'data-label': t('col.lastSeen') }, when(a.lastSeenAt)),
        );
      }),
    ),
  );
}

function policyTable(policies) {
  if (policies.length === 0) return empty(t('policies.none'), 'none');
  return h(
    'table',
    { class: 'data compact' },
    h('caption', { class: 'sr-only', text: t('policies.title') }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', text: t('col.policy') }),
        h('th', { scope: 'col', class: 'rate-col', text: t('col.passRate') }),
        h('th', { scope: 'col', class: 'num', text: t('col.failed') }),
      ),
    ),
    h(
      'tbody',
      {},
      [...policies]
        .sort((a, b) => (a.passRate ?? 2) - (b.passRate ?? 2))
        .map((p) =>
          h(
            'tr',
            { 'data-policy': p.policyId },
            h('th', { scope: 'row' }, packLink(p.policyId)),
            h('td', { class: 'rate-col' }, passRate(p.passRate)),
            h('td', { class: `num ${p.failed > 0 ? 'sev-high' : 'zero'}`, text: formatNumber(p.failed) }),
          ),
        ),
    ),
  );
}

function ipv6Table(rows, agencyName) {
  if (rows.length === 0) return empty(t('ipv6.none'), 'none');
  return h(
    'table',
    { class: 'data compact' },
    h('caption', { class: 'sr-only', text: t('ipv6.title') }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', text: t('col.agency') }),
        h('th', { scope: 'col', class: 'rate-col', text: t('col.ipv6Score') }),
        h('th', { scope: 'col', class: 'num', text: t('col.domains') }),
      ),
    ),
    h(
      'tbody',
      {},
      [...rows]
        .sort((a, b) => (a.score ?? 101) - (b.score ?? 101))
        .map((r) =>
          h(
            'tr',
            { 'data-agency': r.agency },
            h('th', { scope: 'row' }, h('a', { href: agencyHref(r.agency), text: agencyName(r.agency) })),
            h('td', { class: 'rate-col' }, ipv6Score(r.score)),
            h('td', { class: 'num', text: formatNumber(r.domains?.length ?? 0) }),
          ),
        ),
    ),
  );
}

/** IPv6 scores are 0–100 points, shown as points (not a percentage) on the same colour bands. */
export function ipv6Score(score) {
  const el = passRate(score === null || score === undefined ? null : score / 100);
  el.classList.add('score');
  const text = el.querySelector('.rate-text');
  if (text && score !== null && score !== undefined) text.textContent = t('ipv6.score', { n: Math.round(score) });
  return el;
}

function staleTable(stale, total, agencyName) {
  if (stale.length === 0) return empty(t('stale.none', { n: total }), 'good');
  return h(
    'div',
    {},
    h(
      'table',
      { class: 'data compact' },
      h('caption', { class: 'sr-only', text: t('stale.title') }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t('col.agent') }), h('th', { scope: 'col', text: t('col.status') }))),
      h(
        'tbody',
        {},
        [...stale]
          .sort((a, b) => Date.parse(a.lastSeenAt ?? 0) - Date.parse(b.lastSeenAt ?? 0))
          .map((a) =>
            h(
              'tr',
              { 'data-agent': a.id, class: 'stale' },
              h(
                'th',
                { scope: 'row' },
                h('code', { text: a.hostname }),
                h('div', { class: 'sub' }, h('a', { href: agencyHref(a.agency), text: agencyName(a.agency) })),
              ),
              h('td', {}, agentStatus(a), h('div', { class: 'sub' }, t('agent.lastReport'), ' ', when(a.lastSeenAt))),
            ),
          ),
      ),
    ),
    h('p', { class: 'muted foot', text: t('stale.onTime', { n: total - stale.length, total }) }),
  );
}

export function certificateTable(certs, agencyName, { showAgency = true } = {}) {
  if (certs.length === 0) return empty(t('cert.none'), 'good');
  return h(
    'table',
    { class: 'data compact certs' },
    h('caption', { class: 'sr-only', text: t('cert.title') }),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t('col.daysLeft') }), h('th', { scope: 'col', text: t('col.certificate') }))),
    h(
      'tbody',
      {},
      [...certs]
        .sort((a, b) => a.daysLeft - b.daysLeft)
        .map((c) =>
          h(
            'tr',
            {
              class: c.daysLeft < 0 ? 'expired' : c.daysLeft <= 7 ? 'soon' : '',
              'data-days': c.daysLeft,
              'data-where': c.where,
              'data-agency': c.agency,
            },
            h('td', {}, daysLeft(c.daysLeft)),
            h(
              'td',
              { class: 'where' },
              h('code', { text: shortWhere(c.where), title: c.where }),
              c.source === 'file' ? h('span', { class: 'tag', text: t('cert.file') }) : null,
              h(
                'div',
                { class: 'sub' },
                showAgency ? [h('a', { href: agencyHref(c.agency), text: agencyName(c.agency) }), ' · '] : null,
                t('cert.expiresOn'),
                ' ',
                h('time', { datetime: c.notAfter, title: formatDateTime(c.notAfter) }, formatDate(c.notAfter)),
              ),
              h('div', { class: 'sub subject', text: c.subject }),
            ),
          ),
        ),
    ),
  );
}

/** `https://host:443` → `host`, `file:/path@host` → `/path @ host`: the full form stays in the tooltip. */
export function shortWhere(where) {
  const file = /^file:(.*)@([^@]+)$/.exec(where);
  if (file) return `${file[1]} @ ${file[2]}`;
  return where.replace(/^https:\/\//, '').replace(/:443$/, '');
}
