// One system's findings: what failed, where, how bad, what to do about it, the facts that decided it
// (opened on demand) and the rule's pass/fail history on that target.

import { api } from '../api.js';
import { h, itemsOf, prose } from '../dom.js';
import { historySummary, outcomeTimeline } from '../charts.js';
import { formatNumber, formatPercent, pick, t } from '../i18n.js';
import {
  empty,
  evidenceList,
  firstFailed,
  outcomeBadge,
  packLink,
  panel,
  ruleLink,
  severityBadge,
  SEVERITIES,
  statusBadge,
  statusRate,
  tile,
  when,
} from '../widgets.js';
import { breadcrumb, systemLabel, systemRate } from './agency.js';
import { agencyHref, systemHref } from '../widgets.js';

export const name = 'system';

const PAGE = 500;
const OUTCOME_ORDER = ['fail', 'waived', 'not-tested', 'not-applicable', 'pass'];

export async function load({ agency, system, outcome }) {
  const [agencies, systems, findings] = await Promise.all([
    api('/agencies'),
    api('/systems', { agency }),
    api('/findings', { agency, system, outcome: outcome === 'all' ? 'all' : 'fail', limit: PAGE }),
  ]);
  const items = itemsOf(findings).filter((f) => f.agency === agency && f.system === system);
  return {
    agency: itemsOf(agencies).find((a) => a.id === agency) ?? null,
    system: itemsOf(systems).find((s) => s.agency === agency && s.id === system) ?? null,
    findings: items,
    total: typeof findings?.total === 'number' ? findings.total : items.length,
  };
}

export function render(data, params) {
  const { agency, system, outcome } = params;
  const agencyLabel = data.agency?.name || agency;
  const sys = data.system ?? { id: system, name: null, level: null, targets: 0, counts: {}, failedBySeverity: {} };
  const label = systemLabel(sys);
  const rate = systemRate(sys);
  const failed = sys.counts?.fail ?? 0;
  const all = outcome === 'all';
  return h(
    'div',
    { class: 'view system', 'data-system': system },
    breadcrumb([
      [t('nav.overview'), '#/'],
      [agencyLabel, agencyHref(agency)],
      [label, null],
    ]),
    h(
      'div',
      { class: 'page-head' },
      h('h1', { text: label }),
      statusBadge(sys.failedBySeverity, rate),
      h(
        'p',
        { class: 'muted' },
        sys.id ? [h('code', { text: sys.id }), ' · '] : null,
        sys.level ? t('system.levelTitle', { n: sys.level }) + ' · ' : '',
        t('system.lastScanned'),
        ' ',
        when(sys.lastScannedAt),
      ),
    ),
    h(
      'div',
      { class: 'tiles' },
      tile(t('tile.passRate'), formatPercent(rate), { level: statusRate(rate, sys.failedBySeverity).dataset.level, id: 'tile-rate' }),
      tile(t('tile.failed'), formatNumber(failed), { level: failed > 0 ? 'bad' : 'good', id: 'tile-failed' }),
      tile(t('tile.passed'), formatNumber(sys.counts?.pass ?? 0), { id: 'tile-passed' }),
      tile(t('tile.targets'), formatNumber(sys.targets ?? 0), { id: 'tile-targets' }),
    ),
    panel(all ? t('findings.titleAll') : t('findings.titleFailed'), findingsList(data, params), {
      id: 'findings',
      extra: h(
        'div',
        { class: 'filter', role: 'group', 'aria-label': t('findings.filter') },
        h('a', {
          href: systemHref(agency, system),
          class: all ? '' : 'active',
          'aria-current': all ? null : 'true',
          text: t('findings.onlyFailed'),
        }),
        h('a', {
          href: systemHref(agency, system) + '?outcome=all',
          class: all ? 'active' : '',
          'aria-current': all ? 'true' : null,
          text: t('findings.all'),
        }),
      ),
    }),
  );
}

function findingsList(data, params) {
  const findings = [...data.findings].sort(
    (a, b) =>
      OUTCOME_ORDER.indexOf(a.outcome) - OUTCOME_ORDER.indexOf(b.outcome) ||
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.target.localeCompare(b.target),
  );
  if (findings.length === 0)
    return empty(params.outcome === 'all' ? t('findings.noneAll') : t('findings.none'), params.outcome === 'all' ? 'none' : 'good');
  // Passes (and rules that did not apply) are not problems: they are listed as passes, folded away,
  // never under a failure's title.
  const open = findings.filter((f) => f.outcome !== 'pass' && f.outcome !== 'not-applicable');
  const passed = findings.filter((f) => f.outcome === 'pass' || f.outcome === 'not-applicable');
  return h(
    'div',
    {},
    data.total > findings.length
      ? h('p', { class: 'muted', text: t('findings.partial', { shown: findings.length, total: data.total }) })
      : null,
    open.length
      ? h(
          'ol',
          { class: 'findings' },
          open.map((f) => h('li', {}, findingCard(f))),
        )
      : empty(t('findings.none'), 'good'),
    passed.length
      ? h(
          'details',
          { class: 'passes', 'data-key': 'passes' },
          h('summary', {}, t('findings.passedSummary', { n: passed.length })),
          h(
            'ol',
            { class: 'findings pass-list' },
            passed.map((f) => h('li', {}, findingCard(f))),
          ),
        )
      : null,
  );
}

/**
 * One result as a card. A failure says what is wrong (title, message, severity); a pass or a rule
 * that did not apply is named neutrally ("Rule passed"), since the rule's title states the problem
 * it looks for, and carries no severity.
 */
function findingCard(f) {
  const key = f.fingerprint || `${f.ruleId}|${f.target}`;
  const passed = f.outcome === 'pass' || f.outcome === 'not-applicable';
  const facts = Object.keys(f.evidence ?? {}).length;
  const historyBody = h('div', { class: 'history-body' }, h('p', { class: 'muted', text: t('history.loading') }));
  const history = h('details', { class: 'history', 'data-key': `history:${key}` }, h('summary', {}, t('history.title')), historyBody);
  history.addEventListener('toggle', () => {
    if (history.open && !history.dataset.loaded) loadHistory(f, historyBody, history);
  });
  return h(
    'article',
    {
      class: `finding ${f.outcome}`,
      'data-severity': f.severity,
      'data-outcome': f.outcome,
      'data-rule': f.ruleId,
      'data-target': f.target,
      'aria-labelledby': `f-${cssId(key)}`,
    },
    h(
      'header',
      { class: 'finding-head' },
      passed ? null : severityBadge(f.severity),
      outcomeBadge(f.outcome),
      h(
        'h3',
        { id: `f-${cssId(key)}` },
        passed ? (f.outcome === 'pass' ? t('finding.passTitle') : t('finding.naTitle')) : pick(f.title) || f.ruleId,
      ),
      h('span', { class: 'rule-id' }, ruleLink(f.ruleId)),
    ),
    passed ? null : h('p', { class: 'message', text: pick(f.message) }),
    h(
      'dl',
      { class: 'finding-meta' },
      h('dt', { text: t('finding.target') }),
      h('dd', {}, h('code', { text: f.target })),
      h('dt', { text: t('finding.policy') }),
      h('dd', {}, packLink(f.policyId), ' · ', h('code', { text: f.check })),
      f.outcome === 'fail' ? [h('dt', { text: t('finding.firstFailed') }), h('dd', {}, firstFailed(f.firstFailedAt))] : null,
      h('dt', { text: t('finding.scanned') }),
      h('dd', {}, when(f.scannedAt)),
      f.remediation && !passed
        ? [h('dt', { text: t('finding.remediation') }), h('dd', { class: 'remediation' }, prose(pick(f.remediation)))]
        : null,
      f.references?.length
        ? [
            h('dt', { text: t('finding.references') }),
            h(
              'dd',
              {},
              h(
                'ul',
                { class: 'inline-list refs' },
                f.references.map((r) => h('li', { text: r })),
              ),
            ),
          ]
        : null,
    ),
    h(
      'details',
      { class: 'evidence', 'data-key': `evidence:${key}` },
      h('summary', {}, t('finding.evidence', { n: facts })),
      evidenceList(f.evidence),
    ),
    history,
  );
}

async function loadHistory(f, body, details) {
  details.dataset.loaded = 'loading';
  try {
    const answer = await api('/history', { agency: f.agency, system: f.system, rule: f.ruleId, target: f.target });
    const points = itemsOf(answer)
      .filter((p) => p.target === f.target && p.ruleId === f.ruleId)
      .sort((a, b) => Date.parse(a.scannedAt) - Date.parse(b.scannedAt));
    details.dataset.loaded = 'yes';
    body.replaceChildren(
      points.length ? outcomeTimeline(points) : null,
      h('p', { class: 'history-summary', text: historySummary(points) }),
      points.length ? h('p', { class: 'legend muted' }, t('history.legend')) : null,
    );
  } catch (err) {
    delete details.dataset.loaded;
    body.replaceChildren(h('p', { class: 'error-text', text: t('error.load', { message: err?.message ?? String(err) }) }));
  }
}

function cssId(key) {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) | 0;
  return (hash >>> 0).toString(36);
}
