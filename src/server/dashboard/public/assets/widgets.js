// The pieces every screen is made of: pass-rate bars, severity counts, status icons, tiles, panels
// and the evidence list. Every coloured thing also says what it means in text or shape.

import { prose, h, s, srOnly } from './dom.js';
import { formatAgo, formatDate, formatDateTime, formatNumber, formatPercent, t } from './i18n.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

/** Pass-rate bands: good at 90 % and above, a warning from 70 %, bad below. */
export function rateLevel(rate) {
  if (rate === null || rate === undefined) return 'none';
  if (rate >= 0.9) return 'good';
  if (rate >= 0.7) return 'warn';
  return 'bad';
}

const ICONS = {
  good: 'M4 12.5 9.5 18 20 6.5',
  bad: 'M6 6l12 12M18 6 6 18',
  warn: 'M12 3 22.5 21h-21zM12 10v5M12 17.6v.4',
  none: 'M6 12h12',
  info: 'M12 7v.4M12 11v7',
};

/** A status icon whose shape, not only its colour, tells good / warning / bad apart. */
export function icon(kind, label) {
  const svg = s('svg', {
    viewBox: '0 0 24 24',
    class: `icon ${kind}`,
    'aria-hidden': label ? null : 'true',
    role: label ? 'img' : null,
    'aria-label': label ?? null,
    focusable: 'false',
  });
  svg.append(s('path', { d: ICONS[kind] ?? ICONS.none }));
  return svg;
}

function levelLabel(level) {
  return t('level.' + level);
}

/** Bar + number + icon; the number is the figure, the bar only helps the eye. */
export function passRate(rate, { big = false } = {}) {
  const level = rateLevel(rate);
  const pct = rate === null || rate === undefined ? 0 : Math.max(0, Math.min(1, rate));
  return h(
    'div',
    { class: `rate ${level}${big ? ' big' : ''}`, 'data-rate': rate ?? '' },
    icon(level),
    h('span', { class: 'rate-text', text: rate === null || rate === undefined ? t('rate.none') : formatPercent(rate) }),
    srOnly(levelLabel(level)),
    h('span', { class: 'bar', 'aria-hidden': 'true' }, h('span', { class: 'fill', style: { width: `${(pct * 100).toFixed(1)}%` } })),
  );
}

/** One table cell per severity; zero is dimmed, not hidden, so columns line up and read as "none". */
export function severityCells(failedBySeverity, severities = SEVERITIES, hrefFor = null) {
  return severities.map((sev) => {
    const n = failedBySeverity?.[sev] ?? 0;
    const count = h('span', { class: 'sev-count', text: formatNumber(n) });
    return h(
      'td',
      { class: `num sev-cell ${n > 0 ? 'sev-' + sev : 'zero'}`, 'data-severity': sev, 'data-label': t('severity.' + sev) },
      n > 0 && hrefFor
        ? h(
            'a',
            { href: hrefFor(sev), 'aria-label': t('severity.linkLabel', { n: formatNumber(n), severity: t('severity.' + sev) }) },
            count,
          )
        : count,
    );
  });
}

export function severityHeaders(severities = SEVERITIES) {
  return severities.map((sev) => h('th', { scope: 'col', class: `num sev-head sev-${sev}`, text: t('severity.' + sev) }));
}

export function severityBadge(sev) {
  return h('span', { class: `badge sev-${sev}` }, h('span', { class: 'sev-dot', 'aria-hidden': 'true' }), t('severity.' + sev));
}

export function outcomeBadge(outcome) {
  const kind = outcome === 'pass' ? 'good' : outcome === 'fail' ? 'bad' : 'none';
  return h('span', { class: `badge outcome ${outcome}` }, icon(kind), t('outcome.' + outcome));
}

export function tile(label, value, { level = '', note = '', id, href } = {}) {
  return h(
    'section',
    { class: `tile ${level}`, 'aria-label': label, id: id ?? null },
    h('h2', { class: 'tile-label', text: label }),
    h(
      'p',
      { class: 'tile-value' },
      level && level !== 'none' ? icon(level) : null,
      href ? h('a', { href, text: value }) : h('span', { text: value }),
    ),
    note ? h('p', { class: 'tile-note', text: note }) : null,
  );
}

export function panel(title, body, { id, cls = '', extra = null } = {}) {
  const headingId = id ? `${id}-title` : null;
  return h(
    'section',
    { class: `panel ${cls}`, id: id ?? null, 'aria-labelledby': headingId },
    h('div', { class: 'panel-head' }, h('h2', { id: headingId }, title), extra),
    body,
  );
}

export function empty(text, kind = 'good') {
  return h('p', { class: `empty-state ${kind}` }, icon(kind), h('span', {}, prose(text)));
}

/**
 * What a fleet with no agent shows instead of green "all fine" panels: how to enrol the first one, with
 * the commands to type (this server's own address filled in).
 */
export function enrolFirstAgent() {
  const server = `${location.protocol}//${location.host}`;
  const step = (text, command) => h('li', {}, h('p', {}, prose(text)), h('pre', {}, h('code', { text: command })));
  return h(
    'div',
    { class: 'enrol-first' },
    h('p', {}, prose(t('enrol.intro'))),
    h(
      'ol',
      {},
      step(t('enrol.step1'), `govscan server enrollment create --agency so-vi-du --name "…"`),
      step(t('enrol.step2'), `govscan-agent enroll --server ${server} --secret SECRET --config agent.yaml`),
      step(t('enrol.step3'), 'govscan-agent run --once --config agent.yaml'),
    ),
  );
}

export function when(iso) {
  if (!iso) return h('span', { class: 'muted', text: t('time.never') });
  return h('time', { datetime: iso, title: formatDateTime(iso) }, formatAgo(iso));
}

/** Days left on a certificate, in words and with an icon; expired ones say so. */
export function daysLeft(days) {
  const kind = days < 0 ? 'bad' : days <= 7 ? 'bad' : 'warn';
  const text = days < 0 ? t('cert.expiredAgo', { n: -days }) : days === 0 ? t('cert.today') : t('cert.daysLeft', { n: days });
  return h('span', { class: `days ${days < 0 ? 'expired' : kind}`, 'data-days': days }, icon(kind), h('span', { text }));
}

/** How many of its intervals an agent has missed (stale agents are flagged by the API). */
function missedIntervals(agent, now = Date.now()) {
  if (!agent.lastSeenAt || !agent.intervalSeconds) return null;
  return Math.floor((now - Date.parse(agent.lastSeenAt)) / 1000 / agent.intervalSeconds);
}

export function agentStatus(agent) {
  if (!agent.stale) return h('span', { class: 'status ok' }, icon('good'), t('agent.onTime'));
  const missed = missedIntervals(agent);
  const text = missed === null ? t('agent.neverSeen') : t('agent.stale', { n: missed });
  return h('span', { class: 'status stale' }, icon('warn'), text);
}

// ── Evidence ───────────────────────────────────────────────────────────────────────────────────

const MAX_TEXT = 600;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const MAX_DEPTH = 4;
const MAX_ITEMS = 50;

/** The facts behind a finding as a key/value list; nested objects become nested lists. */
export function evidenceList(evidence) {
  const entries = Object.entries(evidence ?? {});
  if (entries.length === 0) return h('p', { class: 'muted', text: t('evidence.none') });
  return factList(entries, 0);
}

function factList(entries, depth) {
  return h(
    'dl',
    { class: depth === 0 ? 'facts' : 'facts nested' },
    entries.slice(0, MAX_ITEMS).map(([key, value]) => [h('dt', {}, h('code', { text: key })), h('dd', {}, factValue(value, depth))]),
    entries.length > MAX_ITEMS ? [h('dt', { text: '…' }), h('dd', { text: t('evidence.more', { n: entries.length - MAX_ITEMS }) })] : null,
  );
}

function factValue(value, depth) {
  if (value === null || value === undefined) return h('span', { class: 'muted', text: t('evidence.null') });
  if (typeof value === 'boolean') return h('span', { class: `bool ${value}`, text: value ? t('evidence.true') : t('evidence.false') });
  if (typeof value === 'number') return h('span', { class: 'num-val', text: String(value) });
  if (typeof value === 'string') {
    const text = h('span', { class: 'str', text: value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) + '…' : value });
    // Timestamps in facts are ISO 8601; say them in the reader's language beside the exact value.
    if (ISO_DATE.test(value)) return [text, h('span', { class: 'fact-date' }, '(', when(value), ')')];
    return text;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return h('span', { class: 'muted', text: t('evidence.emptyList') });
    if (value.every((v) => v === null || typeof v !== 'object')) {
      return h(
        'ul',
        { class: 'fact-items' },
        value.slice(0, MAX_ITEMS).map((v) => h('li', {}, factValue(v, depth + 1))),
      );
    }
    if (depth >= MAX_DEPTH) return h('code', { text: truncate(JSON.stringify(value)) });
    return h(
      'ol',
      { class: 'fact-objects' },
      value.slice(0, MAX_ITEMS).map((v) => h('li', {}, factValue(v, depth + 1))),
    );
  }
  if (typeof value === 'object') {
    if (depth >= MAX_DEPTH) return h('code', { text: truncate(JSON.stringify(value)) });
    const entries = Object.entries(value);
    if (entries.length === 0) return h('span', { class: 'muted', text: t('evidence.emptyObject') });
    return factList(entries, depth + 1);
  }
  return h('span', { text: String(value) });
}

function truncate(text) {
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) + '…' : text;
}

// ── Severity-aware status ──────────────────────────────────────────────────────────────────────

/** The most severe severity with an open failure, or null when nothing fails. */
function worstSeverity(failedBySeverity) {
  return SEVERITIES.find((sev) => (failedBySeverity?.[sev] ?? 0) > 0) ?? null;
}

/**
 * Status of an agency or system: an open critical or high failure is bad whatever the pass rate,
 * medium or low needs attention; only then does the pass rate decide, so nothing failing critically
 * is ever shown green.
 */
export function statusLevel(failedBySeverity, rate) {
  const worst = worstSeverity(failedBySeverity);
  const byRate = rateLevel(rate);
  if (worst === 'critical' || worst === 'high') return 'bad';
  if ((worst === 'medium' || worst === 'low') && byRate === 'good') return 'warn';
  return byRate;
}

/** Worst first: highest open severity, then more failures of each severity in turn, then pass rate. */
export function compareWorst(a, b) {
  const wa = worstSeverity(a.failedBySeverity);
  const wb = worstSeverity(b.failedBySeverity);
  const ra = wa === null ? SEVERITIES.length : SEVERITIES.indexOf(wa);
  const rb = wb === null ? SEVERITIES.length : SEVERITIES.indexOf(wb);
  if (ra !== rb) return ra - rb;
  for (const sev of SEVERITIES) {
    const d = (b.failedBySeverity?.[sev] ?? 0) - (a.failedBySeverity?.[sev] ?? 0);
    if (d !== 0) return d;
  }
  return (a.rate ?? 2) - (b.rate ?? 2);
}

/** "Critical open" / "Nothing failing": the status in words, with the icon shape. */
export function statusBadge(failedBySeverity, rate) {
  const level = statusLevel(failedBySeverity, rate);
  const worst = worstSeverity(failedBySeverity);
  const text =
    worst === 'critical'
      ? t('status.worstCritical')
      : worst === 'high'
        ? t('status.worstHigh')
        : worst === 'medium'
          ? t('status.worstMedium')
          : worst === 'low'
            ? t('status.worstLow')
            : rate === null || rate === undefined
              ? t('rate.none')
              : t('status.noneFailing');
  return h('span', { class: `status-badge ${level}`, 'data-level': level, 'data-worst': worst ?? '' }, icon(level), h('span', { text }));
}

/** Pass-rate bar whose colour never says "good" while a critical or high failure is open. */
export function statusRate(rate, failedBySeverity) {
  const el = passRate(rate);
  const level = statusLevel(failedBySeverity, rate);
  el.classList.remove('good', 'warn', 'bad', 'none');
  el.classList.add(level);
  el.dataset.level = level;
  el.querySelector('svg.icon')?.replaceWith(icon(level));
  const sr = el.querySelector('.sr-only');
  if (sr) sr.textContent = levelLabel(level);
  return el;
}

// ── Links and actions ──────────────────────────────────────────────────────────────────────────

function ruleHref(ruleId) {
  return `#/rule/${encodeURIComponent(ruleId)}`;
}

/** A rule id that opens its reference page. */
export function ruleLink(ruleId) {
  return h('a', { href: ruleHref(ruleId), class: 'rule-link' }, h('code', { text: ruleId }));
}

export function packLink(policyId) {
  return h('a', { href: `#/rules?pack=${encodeURIComponent(policyId)}`, class: 'pack-link' }, h('code', { text: policyId }));
}

/** `#/findings?…` with the given filter (empty values left out). */
export function findingsHref(filter = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  return '#/findings' + (q.size ? '?' + q.toString() : '');
}

/** Export buttons: each downloads the file for `params` (the current filter, or one agency). */
export function exportButtons(onExport, { label } = {}) {
  const button = (format, text) =>
    h('button', {
      type: 'button',
      class: 'export',
      'data-format': format,
      text,
      onclick: async (event) => {
        const b = event.currentTarget;
        b.disabled = true;
        try {
          await onExport(format);
        } finally {
          b.disabled = false;
        }
      },
    });
  return h(
    'div',
    { class: 'exports', role: 'group', 'aria-label': label ?? t('export.label') },
    h('span', { class: 'muted', 'aria-hidden': 'true', text: t('export.title') }),
    button('sarif', t('export.sarif')),
    button('json', t('export.json')),
    button('csv', t('export.csv')),
  );
}

/** "First failed 3 May (12 days)" for a failure; nothing for other outcomes. */
export function firstFailed(iso) {
  if (!iso) return h('span', { class: 'muted', text: '—' });
  const days = Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 86_400_000));
  return h(
    'span',
    { class: 'first-failed' },
    h('time', { datetime: iso, title: formatDateTime(iso) }, formatDate(iso)),
    ' ',
    h('span', { class: 'age muted', text: t('finding.age', { n: days }) }),
  );
}

/** Links between views (hash routes), shared by the views that point at each other. */
export function agencyHref(id) {
  return `#/agency/${encodeURIComponent(id)}`;
}

export function systemHref(agency, system) {
  return `${agencyHref(agency)}/system/${system === '' ? '~' : encodeURIComponent(system)}`;
}
