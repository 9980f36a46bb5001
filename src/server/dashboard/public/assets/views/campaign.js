// One scan campaign: what it scans and when, the progress of each run, every job that failed with
// the reason of its last failure (dead ones first: they will not be tried again), and its results
// by agency — each agency's reports are the campaign's done jobs, read on the agency's page like an
// agent's reports.

import { api, staleAfter } from '../api.js';
import { h, itemsOf } from '../dom.js';
import { formatNumber, t } from '../i18n.js';
import { agencyHref, empty, icon, panel, severityCells, severityHeaders, statusRate, tile, when } from '../widgets.js';
import { breadcrumb } from './agency.js';
import { agencyText, jobStateText, progress, runLevel, scheduleText, statusText } from './campaigns.js';

export const name = 'campaign';

export async function load({ campaign }) {
  const [detail, agencies] = await Promise.all([
    api(`/campaigns/${encodeURIComponent(campaign)}`),
    api('/agencies', { staleAfter: staleAfter() }),
  ]);
  return { detail, agencies: itemsOf(agencies) };
}

/**
 * The agencies a campaign's results are stored for: its own, else (an inventory campaign, each target
 * stored for its system's agency) the agencies its jobs named, when the server lists them.
 */
function resultAgencies(detail) {
  if (detail.campaign.agency) return [detail.campaign.agency];
  return Array.isArray(detail.agencies) ? detail.agencies.map((a) => (typeof a === 'string' ? a : a.agency)) : [];
}

export function render({ detail, agencies }, { campaign: id }) {
  const c = detail.campaign;
  const latest = detail.runs[0] ?? null;
  const state = runLevel(latest);
  const counts = latest?.counts;
  return h(
    'div',
    { class: 'view campaign', 'data-campaign': c.id, 'data-status': c.status },
    breadcrumb([
      [t('nav.campaigns'), '#/campaigns'],
      [c.name || id, null],
    ]),
    h(
      'div',
      { class: 'page-head' },
      h('h1', { text: c.name }),
      h(
        'span',
        { class: `status-badge ${c.status === 'cancelled' ? 'none' : state.level}`, 'data-level': state.level },
        icon(c.status === 'cancelled' ? 'none' : state.level),
        h('span', { text: c.status === 'cancelled' ? t('campaign.cancelled') : state.text }),
      ),
      h('p', { class: 'muted' }, h('code', { text: c.id })),
    ),
    h(
      'dl',
      { class: 'campaign-facts', id: 'campaign-facts' },
      fact(t('col.agency'), c.agency ? h('a', { href: agencyHref(c.agency) }, h('code', { text: c.agency })) : agencyText(c)),
      fact(
        t('col.targets'),
        c.source === 'inventory'
          ? t('campaign.fromInventory', { n: formatNumber(c.targetCount) })
          : t('campaign.fromList', { n: formatNumber(c.targetCount) }),
      ),
      fact(t('col.schedule'), [scheduleText(c), c.nextRunAt ? [' · ', t('campaign.nextRun'), ' ', when(c.nextRunAt)] : null]),
      fact(
        t('col.policy'),
        c.options?.policies?.length ? c.options.policies.map((p, i) => [i ? ', ' : '', h('code', { text: p })]) : t('campaign.allPacks'),
      ),
      fact(t('col.status'), [statusText(c), c.cancelledAt ? [' · ', when(c.cancelledAt)] : null]),
      fact(t('campaign.created'), when(c.createdAt)),
    ),
    counts
      ? h(
          'div',
          { class: 'tiles' },
          tile(t('job.done'), `${formatNumber(counts.done)}/${formatNumber(counts.total)}`, {
            id: 'tile-done',
            level: counts.done === counts.total ? 'good' : '',
            note: t('campaign.latestRun'),
          }),
          tile(t('campaign.tileOpen'), formatNumber(counts.queued + counts.running + counts.failed), {
            id: 'tile-open',
            note: t('campaign.tileOpenNote', { running: formatNumber(counts.running), retry: formatNumber(counts.failed) }),
          }),
          tile(t('job.dead'), formatNumber(counts.dead), {
            id: 'tile-dead',
            level: counts.dead ? 'bad' : 'good',
            note: t('campaigns.tileDeadNote'),
          }),
          tile(t('job.retried'), formatNumber(counts.retried), {
            id: 'tile-retried',
            level: counts.retried ? 'warn' : '',
            note: t('campaign.retriedNote'),
          }),
        )
      : null,
    panel(t('campaign.runsTitle'), runsTable(detail.runs), { id: 'runs' }),
    panel(t('campaign.failuresTitle'), failuresTable(detail.failures), { id: 'failures' }),
    panel(t('campaign.resultsTitle'), resultsTable(resultAgencies(detail), agencies, detail), { id: 'results' }),
  );
}

function fact(label, value) {
  return [h('dt', { text: label }), h('dd', {}, value)];
}

function runsTable(runs) {
  if (runs.length === 0) return empty(t('campaign.noRunYet'), 'info');
  return h(
    'table',
    { class: 'data runs-table' },
    h('caption', { class: 'sr-only', text: t('campaign.runsTitle') }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', text: t('col.started') }),
        h('th', { scope: 'col', text: t('col.state') }),
        h('th', { scope: 'col', class: 'progress-col', text: t('col.progress') }),
      ),
    ),
    h(
      'tbody',
      {},
      runs.map((r) => {
        const state = runLevel(r);
        return h(
          'tr',
          { 'data-run': r.id, 'data-level': state.level },
          h('th', { scope: 'row' }, when(r.startedAt), h('div', { class: 'sub' }, h('code', { text: r.id }))),
          h(
            'td',
            { 'data-label': t('col.state') },
            h('span', { class: `status ${state.level}` }, icon(state.level), h('span', { text: state.text })),
            r.finishedAt ? h('div', { class: 'sub' }, when(r.finishedAt)) : null,
          ),
          h('td', { 'data-label': t('col.progress') }, progress(r)),
        );
      }),
    ),
  );
}

function failuresTable(failures) {
  if (failures.length === 0) return empty(t('campaign.noFailures'), 'good');
  return h(
    'table',
    { class: 'data failures-table' },
    h('caption', { class: 'sr-only', text: t('campaign.failuresTitle') }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', text: t('col.target') }),
        h('th', { scope: 'col', text: t('col.state') }),
        h('th', { scope: 'col', class: 'num', text: t('col.attempts') }),
        h('th', { scope: 'col', text: t('col.reason') }),
      ),
    ),
    h(
      'tbody',
      {},
      failures.map((f) =>
        h(
          'tr',
          { 'data-job': f.jobId, 'data-state': f.state },
          h('th', { scope: 'row', class: 'where' }, h('code', { text: f.target })),
          h(
            'td',
            { 'data-label': t('col.state') },
            h(
              'span',
              { class: `status ${f.state === 'dead' ? 'bad' : f.state === 'done' ? 'good' : 'warn'}` },
              icon(f.state === 'dead' ? 'bad' : f.state === 'done' ? 'good' : 'warn'),
              h('span', { text: jobStateText(f.state) }),
            ),
          ),
          h('td', { class: 'num', 'data-label': t('col.attempts'), text: formatNumber(f.attempts) }),
          h('td', { class: 'reason', 'data-label': t('col.reason'), text: f.reason }),
        ),
      ),
    ),
  );
}

function resultsTable(ids, agencies, detail) {
  const done = detail.runs[0]?.counts?.done ?? 0;
  if (ids.length === 0 || done === 0) return empty(done === 0 ? t('campaign.noResults') : t('campaign.resultsUnlisted'), 'info');
  const rows = ids.map((id) => ({ id, row: agencies.find((a) => a.id === id) ?? null }));
  return [
    h('p', { class: 'muted foot', text: t('campaign.resultsNote', { n: formatNumber(detail.batches.length) }) }),
    h(
      'table',
      { class: 'data agencies-table campaign-results' },
      h('caption', { class: 'sr-only', text: t('campaign.resultsTitle') }),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', text: t('col.agency') }),
          h('th', { scope: 'col', class: 'rate-col', text: t('col.passRate') }),
          severityHeaders(),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map(({ id, row }) =>
          h(
            'tr',
            { 'data-agency': id },
            h(
              'th',
              { scope: 'row', class: 'agency-name' },
              h('a', { href: agencyHref(id), text: row?.name || id }),
              h('div', { class: 'sub' }, h('code', { text: id })),
            ),
            h(
              'td',
              { 'data-label': t('col.passRate') },
              row ? statusRate(row.passRate, row.failedBySeverity) : h('span', { class: 'muted', text: t('rate.none') }),
            ),
            severityCells(row?.failedBySeverity ?? {}),
          ),
        ),
      ),
    ),
  ];
}
