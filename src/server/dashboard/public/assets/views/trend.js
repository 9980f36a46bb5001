// Over 30 days: open failures of the fleet by severity (with how many started and were fixed) on
// top, then the pass rate of the fleet and one small chart per agency, worst first, so a falling
// agency is seen before it reaches the bottom of the overview table.

import { api } from '../api.js';
import { h, itemsOf } from '../dom.js';
import { severityChart, trendChart } from '../charts.js';
import { t } from '../i18n.js';
import { empty, panel, statusRate } from '../widgets.js';
import { windowEnd } from './agency.js';
import { sortAgencies } from './overview.js';
import { agencyHref } from '../widgets.js';

export const name = 'trend';
const DAYS = 30;

export async function load() {
  const [agencies, trend, severity] = await Promise.all([
    api('/agencies'),
    api('/trend', { days: DAYS }),
    api('/trend/severity', { days: DAYS }),
  ]);
  return { agencies: itemsOf(agencies), trend: itemsOf(trend), severity: itemsOf(severity) };
}

/** The fleet's own line: every agency's passed and failed counts added up per day. */
export function fleetTrend(points) {
  const byDay = new Map();
  for (const p of points) {
    const d = byDay.get(p.day) ?? { day: p.day, agency: '', passed: 0, failed: 0, passRate: null };
    d.passed += p.passed ?? 0;
    d.failed += p.failed ?? 0;
    byDay.set(p.day, d);
  }
  for (const d of byDay.values()) d.passRate = d.passed + d.failed === 0 ? null : d.passed / (d.passed + d.failed);
  return [...byDay.values()];
}

export function render({ agencies, trend, severity }) {
  const end = windowEnd(trend);
  const per = new Map();
  for (const p of trend) {
    if (!per.has(p.agency)) per.set(p.agency, []);
    per.get(p.agency).push(p);
  }
  return h(
    'div',
    { class: 'view trend' },
    h('div', { class: 'page-head' }, h('h1', { text: t('trend.title') }), h('p', { class: 'muted', text: t('trend.note', { n: DAYS }) })),
    panel(t('sevtrend.title'), severityChart(severity ?? [], { days: DAYS, endDay: end }), { id: 'trend-severity' }),
    panel(t('trend.fleet'), trendChart(fleetTrend(trend), { days: DAYS, endDay: end, title: t('trend.fleet') }), { id: 'trend-fleet' }),
    agencies.length === 0
      ? empty(t('agencies.none'), 'none')
      : h(
          'div',
          { class: 'small-multiples' },
          sortAgencies(agencies).map((a) =>
            h(
              'div',
              { class: 'multiple', 'data-agency': a.id },
              panel(
                h('a', { href: agencyHref(a.id), text: a.name || a.id }),
                trendChart(per.get(a.id) ?? [], { days: DAYS, endDay: end, compact: true, title: a.name || a.id }),
                {
                  extra: statusRate(a.passRate, a.failedBySeverity),
                },
              ),
            ),
          ),
        ),
  );
}
