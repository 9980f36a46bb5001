// Scan campaigns (issue 15): every campaign the token may read, newest first, each with the progress
// of its latest run (done of total, queued, running, waiting for a retry, dead, cancelled, retried).
// With none yet, the page says how to create one and how to start the workers that scan it.

import { api } from '../api.js';
import { h, itemsOf, prose } from '../dom.js';
import { formatNumber, t } from '../i18n.js';
import { empty, icon, panel, tile, when } from '../widgets.js';

export const name = 'campaigns';

export async function load() {
  return { campaigns: itemsOf(await api('/campaigns')) };
}

/** The job states a run's counts hold, in the order they are shown. */
export const STATES = ['done', 'running', 'queued', 'failed', 'dead', 'cancelled'];

/** A job state in words (literal keys: the catalogue test finds every key the code asks for). */
export function jobStateText(state) {
  if (state === 'done') return t('job.done');
  if (state === 'running') return t('job.running');
  if (state === 'queued') return t('job.queued');
  if (state === 'failed') return t('job.failed');
  if (state === 'dead') return t('job.dead');
  if (state === 'cancelled') return t('job.cancelled');
  return state;
}

export function campaignHref(id) {
  return `#/campaign/${encodeURIComponent(id)}`;
}

/**
 * The state of a run in one word and icon: running while any job is open, then done (every job
 * scanned), with failures (some dead), or cancelled.
 */
export function runLevel(run) {
  if (!run) return { level: 'none', text: t('campaign.noRun') };
  const c = run.counts;
  if (!run.finishedAt) return { level: 'info', text: t('campaign.inProgress') };
  if (c.dead > 0) return { level: 'bad', text: t('campaign.finishedDead', { n: formatNumber(c.dead) }) };
  if (c.cancelled > 0 && c.done < c.total) return { level: 'warn', text: t('campaign.finishedCancelled') };
  return { level: 'good', text: t('campaign.finishedOk') };
}

/**
 * Done of total as a bar with the figure beside it, plus each other state's count. The bar is split
 * into done (green), dead (red) and cancelled (grey); the words carry the numbers.
 */
export function progress(run) {
  if (!run) return h('span', { class: 'muted', text: t('campaign.noRun') });
  const c = run.counts;
  const total = Math.max(1, c.total);
  const part = (cls, n) => (n > 0 ? h('span', { class: `seg ${cls}`, style: { width: `${((100 * n) / total).toFixed(2)}%` } }) : null);
  const counts = STATES.filter((s) => s !== 'done' && c[s] > 0).map((s) =>
    h('li', { class: `count ${s}`, 'data-state': s }, jobStateText(s), ': ', h('strong', { text: formatNumber(c[s]) })),
  );
  if (c.retried > 0) {
    counts.push(
      h('li', { class: 'count retried', 'data-state': 'retried' }, t('job.retried'), ': ', h('strong', { text: formatNumber(c.retried) })),
    );
  }
  return h(
    'div',
    { class: 'progress', 'data-done': c.done, 'data-total': c.total },
    h('span', { class: 'progress-text', text: t('campaign.doneOf', { done: formatNumber(c.done), total: formatNumber(c.total) }) }),
    h('span', { class: 'progress-bar', 'aria-hidden': 'true' }, part('done', c.done), part('dead', c.dead), part('cancelled', c.cancelled)),
    counts.length ? h('ul', { class: 'inline-list counts' }, counts) : null,
  );
}

export function scheduleText(campaign) {
  return campaign.schedule ? t('campaign.scheduleCron', { cron: campaign.schedule }) : t('campaign.once');
}

export function statusText(campaign) {
  return campaign.status === 'cancelled' ? t('campaign.cancelled') : t('campaign.active');
}

export function agencyText(campaign) {
  return campaign.agency ?? t('campaign.ownAgencies');
}

/** What a SOC with no campaign yet types: a soc token, the campaign, two workers. */
function firstCampaign() {
  const server = `${location.protocol}//${location.host}`;
  const step = (text, command) => h('li', {}, h('p', {}, prose(text)), h('pre', {}, h('code', { text: command })));
  return h(
    'div',
    { class: 'enrol-first', id: 'first-campaign' },
    h('p', {}, prose(t('campaign.emptyIntro'))),
    h(
      'ol',
      {},
      step(
        t('campaign.emptyStep1'),
        'govscan server token create --role soc > soc.token\ngovscan server token create --role worker > worker.token',
      ),
      step(
        t('campaign.emptyStep2'),
        `govscan campaign create --server ${server} --token-file soc.token --name "Cổng thông tin" --agency so-vi-du cong.so-vi-du.gov.vn`,
      ),
      step(t('campaign.emptyStep3'), `govscan worker --server ${server} --token-file worker.token`),
    ),
  );
}

export function render({ campaigns }) {
  const active = campaigns.filter((c) => c.status === 'active');
  const open = (state) => campaigns.reduce((n, c) => n + (c.latestRun?.counts?.[state] ?? 0), 0);
  const dead = open('dead');
  return h(
    'div',
    { class: 'view campaigns-view' },
    h('div', { class: 'page-head' }, h('h1', { text: t('campaigns.title') }), h('p', { class: 'muted', text: t('campaigns.note') })),
    campaigns.length
      ? h(
          'div',
          { class: 'tiles' },
          tile(t('campaigns.tileActive'), formatNumber(active.length), {
            id: 'tile-active',
            note: t('campaigns.tileOf', { n: formatNumber(campaigns.length) }),
          }),
          tile(t('campaigns.tileRunning'), formatNumber(open('running')), {
            id: 'tile-running',
            note: t('campaigns.tileQueued', { n: formatNumber(open('queued') + open('failed')) }),
          }),
          tile(t('campaigns.tileDone'), formatNumber(open('done')), { id: 'tile-done', note: t('campaigns.tileLatest') }),
          tile(t('campaigns.tileDead'), formatNumber(dead), {
            id: 'tile-dead',
            level: dead ? 'bad' : 'good',
            note: t('campaigns.tileDeadNote'),
          }),
        )
      : null,
    panel(t('campaigns.listTitle'), campaigns.length ? campaignTable(campaigns) : [empty(t('campaigns.none'), 'info'), firstCampaign()], {
      id: 'campaigns',
    }),
  );
}

function campaignTable(campaigns) {
  return h(
    'table',
    { class: 'data campaigns-table' },
    h('caption', { class: 'sr-only', text: t('campaigns.listTitle') }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', text: t('col.campaign') }),
        h('th', { scope: 'col', text: t('col.agency') }),
        h('th', { scope: 'col', text: t('col.latestRun') }),
        h('th', { scope: 'col', class: 'progress-col', text: t('col.progress') }),
        h('th', { scope: 'col', text: t('col.schedule') }),
      ),
    ),
    h(
      'tbody',
      {},
      campaigns.map((c) => {
        const state = runLevel(c.latestRun);
        return h(
          'tr',
          { 'data-campaign': c.id, 'data-status': c.status, 'data-level': state.level },
          h(
            'th',
            { scope: 'row', class: 'campaign-name' },
            h('a', { href: campaignHref(c.id), text: c.name }),
            h(
              'div',
              { class: 'sub' },
              h('code', { text: c.id }),
              ' · ',
              t('campaign.targets', { n: formatNumber(c.targetCount) }),
              c.status === 'cancelled' ? h('span', { class: 'tag', text: t('campaign.cancelled') }) : null,
            ),
          ),
          h(
            'td',
            { 'data-label': t('col.agency') },
            c.agency ? h('code', { text: c.agency }) : h('span', { class: 'muted', text: agencyText(c) }),
          ),
          h(
            'td',
            { 'data-label': t('col.latestRun') },
            h(
              'span',
              { class: `status ${state.level}` },
              icon(state.level === 'info' ? 'info' : state.level),
              h('span', { text: state.text }),
            ),
            c.latestRun ? h('div', { class: 'sub' }, t('campaign.started'), ' ', when(c.latestRun.startedAt)) : null,
          ),
          h('td', { 'data-label': t('col.progress') }, progress(c.latestRun)),
          h(
            'td',
            { 'data-label': t('col.schedule') },
            h('span', { text: scheduleText(c) }),
            c.nextRunAt ? h('div', { class: 'sub' }, t('campaign.nextRun'), ' ', when(c.nextRunAt)) : null,
          ),
        );
      }),
    ),
  );
}
