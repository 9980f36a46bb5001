// Human-readable report for a terminal: one block per target, failed checks first, and a summary
// line. Never wraps: long messages stay on one line so grep and copy-paste keep working. Every
// piece of text from the report (names, messages, reasons, waivers) goes through terminalText before
// it is measured, coloured or printed; the colours are the only control sequences written.

import { SEVERITIES, type Finding, type Lang, type Outcome, type Report, type Severity, type Target } from '../core/types.js';
import { format } from '../core/i18n/index.js';
import { displayDate } from '../core/i18n/dates.js';
import { gatingMessages, outcomeTags, severityLabels, tableMessages as m } from './messages.js';
import { severityRank } from './summary.js';
import { displayWidth as width, findingText, largest, oneLine, pushAll, reasonText } from './text.js';
import { ipv6ScoreLines } from './ipv6-table.js';
import { pqReadinessLines } from './pq-readiness.js';
import { paramLines, targetLegalBasis } from './legal-basis.js';
import { terminalText as safe } from './terminal-text.js';

export interface TableOptions {
  lang: Lang;
  color: boolean;
  /** List passed checks too (default: only counted in the summary). */
  showPassed?: boolean;
}

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  boldRed: '\x1b[1;31m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
  green: '\x1b[32m',
  magenta: '\x1b[35m',
} as const;

const SEVERITY_COLOR: Record<Severity, string> = {
  critical: ANSI.boldRed,
  high: ANSI.red,
  medium: ANSI.yellow,
  low: ANSI.cyan,
  info: ANSI.dim,
};

interface Row {
  tag: string;
  tagColor: string;
  ruleId: string;
  text: string;
}

interface Block {
  key: string;
  target: Target | undefined;
  rows: Row[];
  failed: number;
  notTested: Finding[];
}

export function toTable(report: Report, opts: TableOptions): string {
  const { lang } = opts;
  const paint = (code: string, text: string): string => (opts.color && text ? `${code}${safe(text)}${ANSI.reset}` : safe(text));

  const blocks = groupByTarget(report).map((b) => buildBlock(b.key, b.target, b.findings, opts));
  const rows = blocks.flatMap((b) => b.rows);
  const tagWidth = largest(rows, (r) => width(r.tag));
  const ruleWidth = largest(rows, (r) => width(r.ruleId));

  const lines: string[] = [safe(header(report, lang)), ...paramLines(report.run.params, lang).map((l) => paint(ANSI.dim, l)), ''];
  for (const block of blocks) {
    lines.push(paint(ANSI.bold, block.key));
    const detail = detailLine(block.target, lang);
    if (detail) lines.push(`  ${paint(ANSI.dim, detail)}`);
    const basis = targetLegalBasis(block.target, lang);
    if (basis) lines.push(`  ${paint(ANSI.dim, basis)}`);
    for (const row of block.rows) {
      const tag = paint(row.tagColor, row.tag) + ' '.repeat(tagWidth - width(row.tag));
      const rule = row.ruleId + ' '.repeat(ruleWidth - width(row.ruleId));
      lines.push(`  ${tag}  ${rule}  ${row.text}`.trimEnd());
    }
    if (block.failed === 0) lines.push(`  ${paint(ANSI.green, m.noFailures[lang])}`);
    if (block.notTested.length > 0) lines.push(`  ${paint(ANSI.yellow, notTestedLine(block.notTested, lang))}`);
    lines.push('');
  }
  if (blocks.length === 0) lines.push(m.noTargets[lang], '');
  const ipv6 = ipv6ScoreLines(report, lang);
  if (ipv6.length) pushAll(lines, [paint(ANSI.bold, ipv6[0] ?? ''), ...ipv6.slice(1).map(safe), '']);
  const pq = pqReadinessLines(report, lang);
  if (pq.length) pushAll(lines, [paint(ANSI.bold, pq[0] ?? ''), ...pq.slice(1).map(safe), '']);
  if (report.waivers && report.waivers.length > 0) pushAll(lines, waiverLines(report, lang, paint)).push('');
  lines.push(summaryLine(report, lang, paint));
  return `${lines.join('\n')}\n`;
}

/** The one-line summary, also usable on its own (e.g. after a SARIF file is written). */
export function summaryLine(
  report: Pick<Report, 'summary'>,
  lang: Lang,
  paint: (code: string, text: string) => string = (_c, t) => t,
): string {
  // The report's own summary: a lean report keeps passes only as counts (see ExecuteOptions.keepFacts).
  const s = report.summary;
  const n = (template: { en: string; vi: string }, count: number): string => format(template[lang], { n: count });
  const failedTotal = s.findings.fail;
  const breakdown = SEVERITIES.filter((sev) => s.failedBySeverity[sev] > 0)
    .map((sev) => `${s.failedBySeverity[sev]} ${severityLabels[sev][lang]}`)
    .join(', ');
  const failed = n(m.failed, failedTotal) + (breakdown ? ` (${breakdown})` : '');
  const parts = [
    n(s.targets === 1 ? m.targetsOne : m.targetsMany, s.targets),
    failedTotal > 0 ? paint(ANSI.red, failed) : failed,
    n(m.passed, s.findings.pass),
    n(m.notTestedCount, s.findings['not-tested']),
    n(m.notApplicableCount, s.findings['not-applicable']),
  ];
  if (s.findings.waived > 0) parts.push(n(m.waivedCount, s.findings.waived));
  if (s.baselined) parts.push(n(gatingMessages.baselinedCount, s.baselined));
  return parts.join(' · ');
}

/** Each waiver once, with what it did in this run: the justification is read here, not per finding. */
function waiverLines(report: Report, lang: Lang, paint: (code: string, text: string) => string): string[] {
  const waivers = report.waivers ?? [];
  const lines = [
    paint(ANSI.bold, format(gatingMessages.waiversHeading[lang], { file: report.run.waivers ?? waivers[0]?.source.file ?? '' })),
  ];
  for (const w of waivers) {
    const status = w.expired
      ? paint(ANSI.red, format(gatingMessages.waiverExpired[lang], { expires: displayDate(w.expires, lang) }))
      : safe(format(gatingMessages.waiverActive[lang], { expires: displayDate(w.expires, lang) }));
    const parts = [
      safe(`${w.id}  ${w.rule}  ${w.target}`),
      status,
      safe(format(gatingMessages.waiverApprover[lang], { approver: oneLine(w.approver) })),
      format(gatingMessages.waiverCounts[lang], { waived: w.waived, expired: w.expiredMatches }),
    ];
    lines.push(`  ${parts.join(' · ')}`, `    ${safe(oneLine(w.justification))}`);
  }
  return lines;
}

function header(report: Report, lang: Lang): string {
  const policies = report.policies.map((p) => (p.version ? `${p.id}@${p.version}` : p.id)).join(', ');
  const head = format(m.header[lang], { version: report.tool.version, policies: policies || m.noPolicies[lang] });
  return report.run.agency ? `${head} · ${format(m.headerAgency[lang], { agency: report.run.agency })}` : head;
}

/** Targets in report order; findings naming a target the report lacks still get a block, last. */
function groupByTarget(report: Report): Array<{ key: string; target: Target | undefined; findings: Finding[] }> {
  const groups = new Map<string, { key: string; target: Target | undefined; findings: Finding[] }>();
  for (const t of report.targets) if (!groups.has(t.key)) groups.set(t.key, { key: t.key, target: t, findings: [] });
  for (const f of report.findings) {
    let g = groups.get(f.target);
    if (!g) {
      g = { key: f.target, target: undefined, findings: [] };
      groups.set(f.target, g);
    }
    g.findings.push(f);
  }
  return [...groups.values()];
}

function buildBlock(key: string, target: Target | undefined, findings: Finding[], opts: TableOptions): Block {
  const { lang } = opts;
  const byOutcome = (o: Outcome): Finding[] => findings.filter((f) => f.outcome === o);
  const failed = byOutcome('fail').sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || cmp(a.ruleId, b.ruleId) || cmp(a.fingerprint, b.fingerprint),
  );
  const rows: Row[] = failed.map((f) => ({
    tag: severityLabels[f.severity][lang].toLocaleUpperCase(lang),
    tagColor: f.baselined ? ANSI.dim : SEVERITY_COLOR[f.severity],
    ruleId: safe(f.ruleId),
    text: safe(findingText(f, target, lang) + (f.baselined ? ` ${gatingMessages.baselined[lang]}` : '')),
  }));
  for (const f of byOutcome('waived').sort((a, b) => cmp(a.ruleId, b.ruleId))) {
    // The waiver's justification is printed once in the waivers section; the row only names it.
    const note = f.waiver
      ? format(gatingMessages.waivedBy[lang], { id: f.waiver.id, expires: displayDate(f.waiver.expires, lang) })
      : reasonText(f, lang);
    const reason = note ? ` — ${oneLine(note)}` : '';
    rows.push({
      tag: outcomeTags.waived[lang],
      tagColor: ANSI.magenta,
      ruleId: safe(f.ruleId),
      text: safe(findingText(f, target, lang) + reason),
    });
  }
  if (opts.showPassed) {
    for (const f of byOutcome('pass').sort((a, b) => cmp(a.ruleId, b.ruleId))) {
      rows.push({ tag: outcomeTags.pass[lang], tagColor: ANSI.green, ruleId: safe(f.ruleId), text: safe(findingText(f, target, lang)) });
    }
  }
  return { key, target, rows, failed: failed.length, notTested: byOutcome('not-tested') };
}

function detailLine(target: Target | undefined, lang: Lang): string {
  if (!target) return '';
  const parts: string[] = [];
  const sys = target.system;
  if (sys) {
    let text = sys.id;
    if (sys.name) text += ` — ${oneLine(sys.name)}`;
    if (sys.level !== undefined) text += ` (${format(m.level[lang], { level: sys.level })})`;
    parts.push(format(m.system[lang], { system: text }));
  }
  if (target.source) {
    parts.push(format(m.declaredAt[lang], { location: `${target.source.file}:${target.source.line}` }));
  }
  return parts.join(' · ');
}

/** Not-tested findings usually share a cause (one unreachable port fails every rule): count by reason. */
function notTestedLine(findings: Finding[], lang: Lang): string {
  const counts = new Map<string, number>();
  for (const f of findings) {
    const reason = reasonText(f, lang) || m.unknownReason[lang];
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const reasons = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))
    .map(([reason, count]) => `${reason} (${count})`)
    .join(', ');
  return `${format(m.notTested[lang], { count: findings.length })} — ${reasons}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
