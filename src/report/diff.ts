// `govscan report diff OLD NEW`: which findings a change introduced, which it fixed, which remain.
// Findings are matched by rule id and target fingerprint, exactly as --baseline matches them, so the
// diff and the CI gate always agree on what is "new". Pure: recorded reports in, a diff out.

import type { Lang, Localized, Outcome, Severity } from '../core/types.js';
import { defineMessages, format } from '../core/i18n/index.js';
import { findingKey, type RecordedFinding, type RecordedReport } from './baseline.js';
import { severityLabels } from './messages.js';
import { severityRank } from './summary.js';
import { largest, oneLine, pick } from './text.js';
import { terminalJson, terminalText } from './terminal-text.js';

interface DiffEntry {
  ruleId: string;
  fingerprint: string;
  target: string;
  severity: Severity | null;
  /** In NEW for new and unchanged entries, in OLD for fixed and not-retested ones. */
  outcome: Outcome;
  /** Unchanged entries whose outcome moved (a finding waived since, or a waiver expired). */
  previousOutcome?: Outcome;
  message: Localized;
}

export interface ReportDiff {
  schemaVersion: 1;
  old: string;
  new: string;
  summary: { new: number; fixed: number; unchanged: number; notRetested: number };
  findings: {
    /** In NEW, not in OLD. */
    new: DiffEntry[];
    /** In OLD, and NEW judged the rule on the target without finding it. */
    fixed: DiffEntry[];
    /** In both. */
    unchanged: DiffEntry[];
    /** In OLD, but NEW could not test it: not fixed, not known to remain. */
    notRetested: DiffEntry[];
  };
}

export function diffReports(oldReport: RecordedReport, newReport: RecordedReport): ReportDiff {
  const oldByKey = byKey(oldReport.findings);
  const newByKey = byKey(newReport.findings);
  const added: DiffEntry[] = [];
  const unchanged: DiffEntry[] = [];
  const fixed: DiffEntry[] = [];
  const notRetested: DiffEntry[] = [];
  for (const [key, f] of newByKey) {
    const before = oldByKey.get(key);
    if (!before) added.push(entry(f));
    else unchanged.push(before.outcome === f.outcome ? entry(f) : { ...entry(f), previousOutcome: before.outcome });
  }
  for (const [key, f] of oldByKey) {
    if (newByKey.has(key)) continue;
    (newReport.notTested.has(key) ? notRetested : fixed).push(entry(f));
  }
  const sorted = (list: DiffEntry[]): DiffEntry[] => list.sort(entryOrder);
  return {
    schemaVersion: 1,
    old: oldReport.file,
    new: newReport.file,
    summary: { new: added.length, fixed: fixed.length, unchanged: unchanged.length, notRetested: notRetested.length },
    findings: { new: sorted(added), fixed: sorted(fixed), unchanged: sorted(unchanged), notRetested: sorted(notRetested) },
  };
}

/** One entry per key: a merged report may repeat a finding, and counting it twice would mislead. */
function byKey(findings: readonly RecordedFinding[]): Map<string, RecordedFinding> {
  const out = new Map<string, RecordedFinding>();
  for (const f of findings) if (!out.has(findingKey(f))) out.set(findingKey(f), f);
  return out;
}

function entry(f: RecordedFinding): DiffEntry {
  return { ruleId: f.ruleId, fingerprint: f.fingerprint, target: f.target, severity: f.severity, outcome: f.outcome, message: f.message };
}

function entryOrder(a: DiffEntry, b: DiffEntry): number {
  const rank = (e: DiffEntry): number => (e.severity ? severityRank(e.severity) : -1);
  return rank(b) - rank(a) || cmp(a.ruleId, b.ruleId) || cmp(a.target, b.target) || cmp(a.fingerprint, b.fingerprint);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function diffToJson(diff: ReportDiff): string {
  return `${terminalJson(JSON.stringify(diff, null, 2))}\n`;
}

const messages = defineMessages({
  header: { en: 'govscan report diff: {old} → {new}', vi: 'govscan so sánh báo cáo: {old} → {new}' },
  new: { en: 'New ({n}):', vi: 'Mới ({n}):' },
  fixed: { en: 'Fixed ({n}):', vi: 'Đã khắc phục ({n}):' },
  unchanged: { en: 'Unchanged ({n}):', vi: 'Không đổi ({n}):' },
  notRetested: {
    en: 'Not re-tested ({n}): in OLD, but NEW could not test them',
    vi: 'Chưa kiểm tra lại ({n}): có trong báo cáo cũ, báo cáo mới không kiểm tra được',
  },
  none: { en: '(none)', vi: '(không có)' },
  waived: { en: '[waived]', vi: '[miễn trừ]' },
  wasWaived: { en: '[was waived]', vi: '[trước đây được miễn trừ]' },
  summary: {
    en: '{new} new · {fixed} fixed · {unchanged} unchanged',
    vi: '{new} mới · {fixed} đã khắc phục · {unchanged} không đổi',
  },
  summaryNotRetested: { en: '{n} not re-tested', vi: '{n} chưa kiểm tra lại' },
  unknownSeverity: { en: '?', vi: '?' },
});

/** The diff for a terminal: one section per kind, most severe first, a count line last. */
export function diffToTable(diff: ReportDiff, lang: Lang): string {
  const lines = [format(messages.header[lang], { old: diff.old, new: diff.new }), ''];
  const sections: Array<[keyof ReportDiff['findings'], Localized]> = [
    ['new', messages.new],
    ['fixed', messages.fixed],
    ['unchanged', messages.unchanged],
  ];
  if (diff.findings.notRetested.length > 0) sections.push(['notRetested', messages.notRetested]);
  const all = Object.values(diff.findings).flat();
  const tagWidth = largest(all, (e) => tag(e, lang).length);
  const ruleWidth = largest(all, (e) => terminalText(e.ruleId).length);
  for (const [kind, heading] of sections) {
    const list = diff.findings[kind];
    lines.push(format(heading[lang], { n: list.length }));
    if (list.length === 0) lines.push(`  ${messages.none[lang]}`);
    for (const e of list) {
      const marks = [e.outcome === 'waived' ? messages.waived[lang] : '', e.previousOutcome === 'waived' ? messages.wasWaived[lang] : '']
        .filter(Boolean)
        .join(' ');
      const text = oneLine(pick(e.message, lang)) || e.target;
      lines.push(
        `  ${tag(e, lang).padEnd(tagWidth)}  ${terminalText(e.ruleId).padEnd(ruleWidth)}  ${e.target}  ${text}${marks ? ` ${marks}` : ''}`.trimEnd(),
      );
    }
    lines.push('');
  }
  let summary = format(messages.summary[lang], diff.summary);
  if (diff.summary.notRetested > 0) summary += ` · ${format(messages.summaryNotRetested[lang], { n: diff.summary.notRetested })}`;
  lines.push(summary);
  // Names and messages come from the reports read: shown, never obeyed, by the terminal.
  return `${lines.map(terminalText).join('\n')}\n`;
}

function tag(e: DiffEntry, lang: Lang): string {
  return e.severity ? severityLabels[e.severity][lang].toLocaleUpperCase(lang) : messages.unknownSeverity[lang];
}
