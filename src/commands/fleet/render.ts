// Terminal tables for `govscan fleet status|findings`: plain aligned columns, never wrapped, so grep
// and copy-paste keep working, with a summary line last.

import type { Lang, Severity } from '../../core/types.js';
import { localize } from '../../core/i18n/index.js';
import { outcomeTags, severityLabels } from '../../report/messages.js';
import { displayWidth as width, pushAll } from '../../report/text.js';
import { terminalText } from '../../report/terminal-text.js';
import type { FindingRow, FleetOverview, Page } from '../../contract/read-api.js';
import type { TokenInfo } from '../../server/store/store-types.js';
import { F } from './messages.js';

/** Aligned columns; cells hold agents' and servers' text, shown with control characters escaped. */
export function table(cells: string[][]): string[] {
  const rows = cells.map((row) => row.map(terminalText));
  const widths: number[] = [];
  for (const row of rows) for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, width(cell));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - width(cell))))
      .join('  ')
      .trimEnd(),
  );
}

export function percent(rate: number | null): string {
  return rate === null ? '–' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** `2026-11-23 11:55Z`: minutes are enough to tell a stale agent. */
export function shortTime(iso: string | null, lang: Lang): string {
  if (!iso) return localize(F.never, lang);
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

const SEVERITY_COLUMNS: [Severity, keyof typeof F][] = [
  ['critical', 'colCritical'],
  ['high', 'colHigh'],
  ['medium', 'colMedium'],
  ['low', 'colLow'],
];

export function statusText(o: FleetOverview, lang: Lang): string {
  const t = (k: keyof typeof F, p?: Record<string, unknown>): string => localize(F[k], lang, p);
  const lines: string[] = [];
  if (o.agencies.length === 0) {
    lines.push(t('noAgencies'), '');
  } else {
    const staleBy = new Map<string, number>();
    for (const a of o.agents) if (a.stale) staleBy.set(a.agency, (staleBy.get(a.agency) ?? 0) + 1);
    const rows: string[][] = [
      [
        t('colAgency'),
        t('colName'),
        t('colPassRate'),
        ...SEVERITY_COLUMNS.map(([, k]) => t(k)),
        t('colAgents'),
        t('colStale'),
        t('colLastSeen'),
      ],
    ];
    for (const a of o.agencies) {
      rows.push([
        a.id,
        a.name === a.id ? '' : a.name,
        percent(a.passRate),
        ...SEVERITY_COLUMNS.map(([s]) => String(a.failedBySeverity[s] ?? 0)),
        String(a.agents),
        String(staleBy.get(a.id) ?? 0),
        shortTime(a.lastSeenAt, lang),
      ]);
    }
    pushAll(lines, table(rows)).push('');
    if (o.policies.length > 0) {
      const prows = [[t('colPolicy'), t('colPassRate'), t('colPassedFailed')]];
      for (const p of o.policies) prows.push([p.policyId, percent(p.passRate), `${p.passed}/${p.failed}`]);
      pushAll(lines, table(prows)).push('');
    }
    const stale = o.agents.filter((a) => a.stale);
    if (stale.length > 0) {
      lines.push(t('staleHeading'));
      for (const a of stale)
        lines.push(`  ${t('staleLine', { hostname: a.hostname, agency: a.agency, lastSeen: shortTime(a.lastSeenAt, lang) })}`);
      lines.push('');
    }
  }
  lines.push(
    t('statusSummary', {
      agencies: o.totals.agencies,
      agents: o.totals.agents,
      stale: o.totals.staleAgents,
      batches: o.totals.batches,
      failed: o.totals.failed,
    }),
  );
  return lines.map(terminalText).join('\n') + '\n';
}

export function findingsText(page: Page<FindingRow>, lang: Lang): string {
  const t = (k: keyof typeof F, p?: Record<string, unknown>): string => localize(F[k], lang, p);
  const lines: string[] = [];
  if (page.items.length === 0) {
    lines.push(t('noFindings'));
  } else {
    const rows = [[t('colSeverity'), t('colOutcome'), t('colRule'), t('colAgency'), t('colSystem'), t('colTarget'), t('colMessage')]];
    for (const f of page.items) {
      rows.push([
        severityLabels[f.severity]?.[lang] ?? f.severity,
        outcomeTags[f.outcome]?.[lang] ?? f.outcome,
        f.ruleId,
        f.agency,
        f.system === '' ? t('unassigned') : f.system,
        f.target,
        (f.message[lang] || f.message.en).replace(/\s+/g, ' ').trim(),
      ]);
    }
    pushAll(lines, table(rows));
  }
  lines.push('', t('findingsSummary', { shown: page.items.length, total: page.total }));
  return lines.map(terminalText).join('\n') + '\n';
}

/** `govscan server token list`: who can reach the API, never a secret. */
export function tokensText(tokens: readonly TokenInfo[], lang: Lang): string {
  const t = (k: keyof typeof F, p?: Record<string, unknown>): string => localize(F[k], lang, p);
  if (tokens.length === 0) return t('noTokens') + '\n';
  const rows = [[t('colId'), t('colRole'), t('colFor'), t('colCreated')]];
  for (const k of tokens) {
    const who =
      k.role === 'agent'
        ? `${k.agency ?? ''} / ${k.agentId ?? ''}`
        : [k.name ?? '', k.agency ? `[${k.agency}]` : ''].filter(Boolean).join(' ');
    rows.push([k.id, k.role, who, shortTime(k.createdAt, lang)]);
  }
  return table(rows).join('\n') + '\n';
}
