// Exports of a findings filter (the dashboard's current view, or one agency): the same FindingQuery
// as GET /api/v1/findings, written as SARIF or govscan JSON (the agencies' latest reports merged, as
// the per-agency export does, keeping only the findings the filter selects) or as CSV (one row per
// finding, in the reader's language).

import type { Lang, Report } from '../core/types.js';
import { toJson } from '../report/json.js';
import { mergeReports } from '../report/merge.js';
import { writeSarif } from '../report/sarif.js';
import { summarize } from '../report/summary.js';
import type { FindingQuery, FindingRow } from '../contract/read-api.js';
import type { Store } from './store/store-types.js';
import { AGENT_CWD, emptyReport } from './export.js';

export type FindingsExportFormat = 'sarif' | 'json' | 'csv';

/** GitHub code scanning's limit on results per run; the export stops there and says so (header). */
const MAX_EXPORT_FINDINGS = 25_000;
const PAGE = 1000;

export interface FindingsExport {
  body: string;
  contentType: string;
  filename: string;
  /** Findings the filter selected beyond MAX_EXPORT_FINDINGS, left out. */
  truncated: number;
}

/** Every finding the filter selects (up to the cap), in the filter's order. */
async function selected(store: Store, q: FindingQuery): Promise<{ rows: FindingRow[]; total: number }> {
  const rows: FindingRow[] = [];
  let total = 0;
  for (let offset = 0; offset < MAX_EXPORT_FINDINGS; offset += PAGE) {
    const page = await store.listFindings({ ...q, limit: Math.min(PAGE, MAX_EXPORT_FINDINGS - offset), offset });
    total = page.total;
    rows.push(...page.items);
    if (page.items.length === 0 || rows.length >= total) break;
  }
  return { rows, total };
}

export async function exportFindings(
  store: Store,
  q: FindingQuery,
  format: FindingsExportFormat,
  lang: Lang,
  now: Date,
): Promise<FindingsExport> {
  const { rows, total } = await selected(store, { ...q, sort: q.sort ?? 'severity' });
  const truncated = Math.max(0, total - rows.length);
  const stamp = now.toISOString().slice(0, 10);
  const name = `govscan-findings${q.agency ? '-' + q.agency : ''}-${stamp}`;
  if (format === 'csv') return { body: toCsv(rows, lang), contentType: 'text/csv; charset=utf-8', filename: `${name}.csv`, truncated };
  const report = await filteredReport(store, rows, now);
  if (q.agency) report.run.agency ??= q.agency;
  if (format === 'json')
    return { body: toJson(report), contentType: 'application/json; charset=utf-8', filename: `${name}.json`, truncated };
  return {
    body: writeSarif(report, { lang, cwd: AGENT_CWD, includeWaived: true }),
    contentType: 'application/sarif+json; charset=utf-8',
    filename: `${name}.sarif`,
    truncated,
  };
}

/** The latest reports of the agencies the rows come from, merged, keeping only the selected findings. */
async function filteredReport(store: Store, rows: FindingRow[], now: Date): Promise<Report> {
  const agencies = [...new Set(rows.map((r) => r.agency))].sort();
  const reports: Report[] = [];
  for (const agency of agencies) reports.push(...(await store.latestReports(agency)));
  if (reports.length === 0) return emptyReport(now);
  const report = mergeReports(reports);
  const key = (target: string, rule: string, fp: string): string => `${target}\u0000${rule}\u0000${fp}`;
  const wanted = new Set(rows.map((r) => key(r.target, r.ruleId, r.fingerprint)));
  report.findings = report.findings.filter((f) => wanted.has(key(f.target, f.ruleId, f.fingerprint)));
  // Only the targets and attempts behind the kept findings travel with them.
  const targets = new Set(report.findings.map((f) => f.target));
  report.targets = report.targets.filter((t) => targets.has(t.key));
  report.attempts = report.attempts.filter((a) => targets.has(a.target));
  report.summary = summarize(report.targets, report.findings);
  // Several agencies in one file: the file is the fleet's, not one agency's.
  if (agencies.length !== 1) delete report.run.agency;
  else report.run.agency = agencies[0];
  return report;
}

const CSV_COLUMNS = [
  'severity',
  'outcome',
  'ruleId',
  'policyId',
  'check',
  'title',
  'agency',
  'system',
  'target',
  'firstFailedAt',
  'scannedAt',
  'message',
  'remediation',
] as const;

/** RFC 4180 CSV with a header row; cells a spreadsheet would run as a formula are prefixed with '. */
function toCsv(rows: readonly FindingRow[], lang: Lang): string {
  const cell = (v: string): string => {
    const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const values: Record<(typeof CSV_COLUMNS)[number], string> = {
      severity: r.severity,
      outcome: r.outcome,
      ruleId: r.ruleId,
      policyId: r.policyId,
      check: r.check,
      title: r.title[lang] || r.title.en,
      agency: r.agency,
      system: r.system,
      target: r.target,
      firstFailedAt: r.firstFailedAt ?? '',
      scannedAt: r.scannedAt,
      message: r.message[lang] || r.message.en,
      remediation: r.remediation ? r.remediation[lang] || r.remediation.en : '',
    };
    lines.push(CSV_COLUMNS.map((c) => cell(values[c])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
