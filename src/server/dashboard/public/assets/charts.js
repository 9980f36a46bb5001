// Charts drawn as inline SVG from the API's numbers: no chart library, nothing fetched. Each chart
// carries its numbers as text too (point titles, a screen-reader table), so colour is never the only
// way to read it.

import { h, s } from './dom.js';
import { formatDateTime, formatDay, formatPercent, t } from './i18n.js';
import { rateLevel } from './widgets.js';

const DAY_MS = 86_400_000;

function dayIndex(day, startMs) {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - startMs) / DAY_MS);
}

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Pass rate per day as a line over a fixed window ending `endDay` (UTC), so a day without data shows
 * as a gap rather than being silently joined to its neighbours.
 */
export function trendChart(points, { days = 30, endDay, compact = false, title = '' } = {}) {
  const sorted = [...points].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const end = endDay ?? sorted.at(-1)?.day ?? isoDay(Date.now());
  const endMs = Date.parse(`${end}T00:00:00Z`);
  const startMs = endMs - (days - 1) * DAY_MS;
  const W = compact ? 560 : 1100;
  const H = compact ? 200 : 320;
  const m = { l: compact ? 58 : 78, r: 18, t: 14, b: compact ? 34 : 44 };
  const x = (i) => m.l + (days === 1 ? 0 : (i / (days - 1)) * (W - m.l - m.r));
  const floor = axisFloor(sorted);
  const y = (rate) => m.t + ((1 - rate) / (1 - floor)) * (H - m.t - m.b);

  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: compact ? 'chart trend compact' : 'chart trend',
    role: 'img',
    'aria-label': trendSummary(sorted, title),
    preserveAspectRatio: 'xMidYMid meet',
  });

  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => floor + f * (1 - floor));
  for (const rate of ticks) {
    const major = rate === ticks[0] || rate === ticks[2] || rate === ticks[4];
    svg.append(s('line', { x1: m.l, x2: W - m.r, y1: y(rate), y2: y(rate), class: major ? 'grid major' : 'grid' }));
    if (major || (!compact && floor === 0))
      svg.append(s('text', { x: m.l - 10, y: y(rate) + 6, class: 'axis', 'text-anchor': 'end', text: formatPercent(rate) }));
  }
  const step = compact ? 14 : 7;
  for (let i = days - 1; i >= 0; i -= step) {
    svg.append(s('line', { x1: x(i), x2: x(i), y1: H - m.b, y2: H - m.b + 6, class: 'tick' }));
    svg.append(
      s('text', {
        x: x(i),
        y: H - m.b + (compact ? 24 : 30),
        class: 'axis',
        'text-anchor': i === 0 ? 'start' : i === days - 1 ? 'end' : 'middle',
        text: formatDay(isoDay(startMs + i * DAY_MS)),
      }),
    );
  }

  const inWindow = sorted.filter((p) => {
    const i = dayIndex(p.day, startMs);
    return i >= 0 && i < days && p.passRate !== null && p.passRate !== undefined;
  });
  let path = '';
  let area = '';
  let prev = -2;
  let runStart = null;
  const closeArea = (lastX) => {
    if (runStart !== null) area += `L${lastX},${y(floor)}L${runStart},${y(floor)}Z`;
  };
  let lastX = 0;
  for (const p of inWindow) {
    const i = dayIndex(p.day, startMs);
    const px = x(i);
    const py = y(p.passRate);
    if (i === prev + 1) {
      path += `L${px},${py}`;
      area += `L${px},${py}`;
    } else {
      closeArea(lastX);
      path += `M${px},${py}`;
      area += `M${px},${y(floor)}L${px},${py}`;
      runStart = px;
    }
    prev = i;
    lastX = px;
  }
  closeArea(lastX);
  if (area) svg.append(s('path', { d: area, class: 'area' }));
  if (path) svg.append(s('path', { d: path, class: 'line' }));
  for (const p of inWindow) {
    const i = dayIndex(p.day, startMs);
    const label = t('trend.pointTitle', {
      day: formatDay(p.day, 'long'),
      rate: formatPercent(p.passRate),
      failed: p.failed,
      passed: p.passed,
    });
    svg.append(
      s(
        'circle',
        {
          cx: x(i),
          cy: y(p.passRate),
          r: compact ? 5 : 7,
          class: `point ${rateLevel(p.passRate)}`,
          'data-day': p.day,
          'data-rate': p.passRate,
        },
        s('title', { text: label }),
      ),
    );
  }
  if (inWindow.length === 0) {
    svg.append(s('text', { x: W / 2, y: H / 2, class: 'empty', 'text-anchor': 'middle', text: t('trend.noData') }));
  }

  const table = h(
    'table',
    {},
    h('caption', { text: title || t('trend.title') }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', text: t('col.day') }),
        h('th', { scope: 'col', text: t('col.passRate') }),
        h('th', { scope: 'col', text: t('col.failed') }),
      ),
    ),
    h(
      'tbody',
      {},
      inWindow.map((p) =>
        h(
          'tr',
          {},
          h('td', { text: formatDay(p.day, 'long') }),
          h('td', { text: formatPercent(p.passRate) }),
          h('td', { text: String(p.failed) }),
        ),
      ),
    ),
  );
  // A table sizes to its content whatever its width says: the hiding box around it keeps it from
  // widening the page on a phone.
  return h('figure', { class: 'chart-figure' }, svg, h('div', { class: 'sr-only' }, table));
}

/**
 * The y axis starts at 0 % unless every rate is high: a fleet moving between 94 % and 97 % would be a
 * flat line on a 0–100 % axis. The lowest tick is then a round 10 % below the lowest rate, and is
 * labelled, so the zoom is never hidden.
 */
function axisFloor(points) {
  const rates = points.map((p) => p.passRate).filter((r) => r !== null && r !== undefined);
  if (rates.length === 0) return 0;
  const low = Math.min(...rates);
  if (low < 0.5) return 0;
  return Math.max(0, Math.min(0.9, Math.floor((low - 0.02) * 10) / 10));
}

function trendSummary(points, title) {
  const judged = points.filter((p) => p.passRate !== null && p.passRate !== undefined);
  if (judged.length === 0) return `${title} ${t('trend.noData')}`.trim();
  const first = judged[0];
  const last = judged.at(-1);
  return t('trend.summary', {
    title,
    from: formatPercent(first.passRate),
    fromDay: formatDay(first.day, 'long'),
    to: formatPercent(last.passRate),
    toDay: formatDay(last.day, 'long'),
  }).trim();
}

/**
 * A rule's outcome over its stored scans, oldest left: a filled square is a failure, a ring a pass,
 * a dash anything else, so it reads the same in greyscale.
 */
export function outcomeTimeline(points, { max = 60 } = {}) {
  const shown = points.slice(-max);
  const cell = 26;
  const W = Math.max(shown.length * cell, cell);
  const H = 30;
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`,
    width: W,
    height: H,
    class: 'chart timeline',
    role: 'img',
    'aria-label': t('history.aria', { n: shown.length }),
  });
  shown.forEach((p, i) => {
    const cx = i * cell + cell / 2;
    const label = `${formatDateTime(p.scannedAt)} — ${t('outcome.' + p.outcome)}`;
    let mark;
    if (p.outcome === 'fail') mark = s('rect', { x: cx - 10, y: 5, width: 20, height: 20, rx: 3, class: 'tl fail' });
    else if (p.outcome === 'pass') mark = s('circle', { cx, cy: 15, r: 8.5, class: 'tl pass' });
    else mark = s('rect', { x: cx - 10, y: 12, width: 20, height: 6, class: 'tl other' });
    mark.append(s('title', { text: label }));
    mark.setAttribute('data-outcome', p.outcome);
    svg.append(mark);
  });
  return svg;
}

/** Plain-language summary of a rule's history: since when it fails, when it last passed. */
export function historySummary(points) {
  if (points.length === 0) return t('history.none');
  const last = points.at(-1);
  let i = points.length - 1;
  while (i > 0 && points[i - 1].outcome === last.outcome) i--;
  const since = points[i];
  const lastPass = [...points].reverse().find((p) => p.outcome === 'pass');
  const parts = [
    t('history.since', { outcome: t('outcome.' + last.outcome), since: formatDateTime(since.scannedAt), n: points.length - i }),
  ];
  if (last.outcome !== 'pass')
    parts.push(
      lastPass ? t('history.lastPassed', { when: formatDateTime(lastPass.scannedAt) }) : t('history.neverPassed', { n: points.length }),
    );
  // When it was fixed: the last pass that followed a failure.
  let fixedAt = null;
  for (let k = 1; k < points.length; k++)
    if (points[k].outcome === 'pass' && points[k - 1].outcome === 'fail') fixedAt = points[k].scannedAt;
  if (fixedAt) parts.push(t('history.fixedOn', { when: formatDateTime(fixedAt) }));
  return parts.join(' · ');
}

const TREND_SEVERITIES = ['critical', 'high', 'medium', 'low'];
/** Each severity's line also has its own dash pattern, so the chart reads in greyscale too. */
const DASH = { critical: '', high: '10 5', medium: '3 5', low: '14 4 3 4' };

/**
 * Open failures per severity per day on one count axis (starting at 0), over a fixed window ending
 * `endDay`, with how many failures started and were fixed in the window said in words beside it.
 */
export function severityChart(points, { days = 30, endDay } = {}) {
  const sorted = [...points].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const end = endDay ?? sorted.at(-1)?.day ?? isoDay(Date.now());
  const startMs = Date.parse(`${end}T00:00:00Z`) - (days - 1) * DAY_MS;
  const inWindow = sorted.filter((p) => {
    const i = dayIndex(p.day, startMs);
    return i >= 0 && i < days;
  });
  const W = 1100;
  const H = 320;
  const m = { l: 70, r: 18, t: 14, b: 44 };
  const max = Math.max(4, ...inWindow.flatMap((p) => TREND_SEVERITIES.map((s) => p.open?.[s] ?? 0)));
  const top = niceCeil(max);
  const x = (i) => m.l + (days === 1 ? 0 : (i / (days - 1)) * (W - m.l - m.r));
  const y = (n) => m.t + (1 - n / top) * (H - m.t - m.b);
  const opened = inWindow.reduce((s, p) => s + (p.opened ?? 0), 0);
  const fixed = inWindow.reduce((s, p) => s + (p.fixed ?? 0), 0);
  const last = inWindow.at(-1);
  const summary = last
    ? t('sevtrend.summary', {
        day: formatDay(last.day, 'long'),
        critical: last.open.critical ?? 0,
        high: last.open.high ?? 0,
        medium: last.open.medium ?? 0,
        low: last.open.low ?? 0,
        opened,
        fixed,
      })
    : t('trend.noData');
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: 'chart trend severity-trend',
    role: 'img',
    'aria-label': summary,
    preserveAspectRatio: 'xMidYMid meet',
  });
  for (let k = 0; k <= 4; k++) {
    const n = (top * k) / 4;
    svg.append(s('line', { x1: m.l, x2: W - m.r, y1: y(n), y2: y(n), class: k % 2 === 0 ? 'grid major' : 'grid' }));
    svg.append(s('text', { x: m.l - 10, y: y(n) + 6, class: 'axis', 'text-anchor': 'end', text: String(Math.round(n)) }));
  }
  for (let i = days - 1; i >= 0; i -= 7) {
    svg.append(
      s('text', {
        x: x(i),
        y: H - m.b + 30,
        class: 'axis',
        'text-anchor': i === 0 ? 'start' : i === days - 1 ? 'end' : 'middle',
        text: formatDay(isoDay(startMs + i * DAY_MS)),
      }),
    );
  }
  for (const sev of TREND_SEVERITIES) {
    let d = '';
    let prev = -2;
    for (const p of inWindow) {
      const i = dayIndex(p.day, startMs);
      d += `${i === prev + 1 ? 'L' : 'M'}${x(i)},${y(p.open?.[sev] ?? 0)}`;
      prev = i;
    }
    if (d) svg.append(s('path', { d, class: `sev-line sev-${sev}`, 'stroke-dasharray': DASH[sev] || null, 'data-severity': sev }));
    for (const p of inWindow) {
      const i = dayIndex(p.day, startMs);
      svg.append(
        s(
          'circle',
          { cx: x(i), cy: y(p.open?.[sev] ?? 0), r: 4, class: `sev-point sev-${sev}` },
          s('title', { text: `${formatDay(p.day, 'long')}: ${t('severity.' + sev)} ${p.open?.[sev] ?? 0}` }),
        ),
      );
    }
  }
  const legend = h(
    'ul',
    { class: 'legend-list' },
    TREND_SEVERITIES.map((sev) =>
      h(
        'li',
        {},
        s(
          'svg',
          { viewBox: '0 0 36 10', width: 36, height: 10, 'aria-hidden': 'true', class: 'legend-swatch' },
          s('line', { x1: 0, x2: 36, y1: 5, y2: 5, class: `sev-line sev-${sev}`, 'stroke-dasharray': DASH[sev] || null }),
        ),
        h('span', { text: t('severity.' + sev) }),
      ),
    ),
  );
  const table = h(
    'table',
    {},
    h('caption', { text: t('sevtrend.title') }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', text: t('col.day') }),
        TREND_SEVERITIES.map((sev) => h('th', { scope: 'col', text: t('severity.' + sev) })),
        h('th', { scope: 'col', text: t('sevtrend.opened') }),
        h('th', { scope: 'col', text: t('sevtrend.fixed') }),
      ),
    ),
    h(
      'tbody',
      {},
      inWindow.map((p) =>
        h(
          'tr',
          {},
          h('td', { text: formatDay(p.day, 'long') }),
          TREND_SEVERITIES.map((sev) => h('td', { text: String(p.open?.[sev] ?? 0) })),
          h('td', { text: String(p.opened) }),
          h('td', { text: String(p.fixed) }),
        ),
      ),
    ),
  );
  return h(
    'figure',
    { class: 'chart-figure' },
    svg,
    legend,
    h(
      'figcaption',
      { class: 'changes', id: 'sev-changes', 'data-opened': opened, 'data-fixed': fixed },
      t('sevtrend.changes', { opened, fixed, n: days }),
    ),
    h('div', { class: 'sr-only' }, table),
  );
}

function niceCeil(n) {
  const steps = [4, 8, 12, 20, 40, 60, 80, 100, 200, 400, 600, 800, 1000, 2000, 4000, 10000, 20000, 40000, 100000];
  return steps.find((v) => v >= n) ?? Math.ceil(n / 100000) * 100000;
}
