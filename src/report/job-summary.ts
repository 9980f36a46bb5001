// A CI job summary in Markdown ($GITHUB_STEP_SUMMARY, or a merge-request note): the verdict against
// --fail-on, failed findings by severity, the most severe findings, and a link to where every
// finding is listed (GitHub code scanning). Text from policies and scanned servers goes into table
// cells escaped: it can neither break the table nor bring HTML or links of its own.

import { SEVERITIES, type Lang, type Report, type Severity } from '../core/types.js';
import { defineMessages, format } from '../core/i18n/index.js';
import { severityLabels } from './messages.js';
import { countsTowardThreshold, severityRank } from './summary.js';
import { findingText, pick, targetLabel } from './text.js';

export interface JobSummaryOptions {
  lang: Lang;
  /** How many failed findings to list (the most severe first). */
  top?: number;
  /** Where every finding is listed, e.g. https://github.com/OWNER/REPO/security/code-scanning. */
  codeScanningUrl?: string;
}

const S = defineMessages({
  failing: {
    en: 'govscan: {count} failed {count:finding|findings} at or above {failOn}',
    vi: 'govscan: {count} phát hiện không đạt từ mức {failOn} trở lên',
  },
  passing: { en: 'govscan: nothing failed at or above {failOn}', vi: 'govscan: không có phát hiện không đạt nào từ mức {failOn} trở lên' },
  noGate: {
    en: 'govscan: {count} failed {count:finding|findings} (no --fail-on threshold)',
    vi: 'govscan: {count} phát hiện không đạt (không đặt ngưỡng --fail-on)',
  },
  counts: {
    en: '{targets} {targets:target|targets} · {pass} passed · {fail} failed · {notTested} not tested · {waived} waived · {na} not applicable',
    vi: '{targets} đối tượng quét · {pass} đạt · {fail} không đạt · {notTested} chưa kiểm tra · {waived} được miễn trừ · {na} không áp dụng',
  },
  notTestedNote: {
    en: '{count} applicable {count:rule|rules} could not be evaluated (not tested): see the report for why.',
    vi: '{count} quy tắc áp dụng chưa kiểm tra được: xem lý do trong báo cáo.',
  },
  severity: { en: 'Severity', vi: 'Mức độ' },
  failed: { en: 'Failed', vi: 'Không đạt' },
  top: { en: 'Most severe findings', vi: 'Các phát hiện nghiêm trọng nhất' },
  rule: { en: 'Rule', vi: 'Quy tắc' },
  target: { en: 'Target', vi: 'Đối tượng quét' },
  finding: { en: 'Finding', vi: 'Phát hiện' },
  baselined: { en: '(in the baseline)', vi: '(đã có trong báo cáo mốc (baseline))' },
  more: {
    en: '… and {count} more failed {count:finding|findings} in the report.',
    vi: '… và {count} phát hiện không đạt khác trong báo cáo.',
  },
  codeScanning: { en: 'All findings in code scanning', vi: 'Mọi phát hiện trong mục code scanning' },
});

export function toJobSummary(report: Report, opts: JobSummaryOptions): string {
  const { lang } = opts;
  const s = report.summary;
  const failOn = report.run.failOn;
  const blocking = countsTowardThreshold(report.findings, failOn);
  const failedCount = s.findings.fail;
  const heading =
    failOn === 'none'
      ? format(S.noGate[lang], { count: failedCount }, lang)
      : format((blocking.length ? S.failing : S.passing)[lang], { count: blocking.length, failOn: severityLabels[failOn][lang] }, lang);
  const out: string[] = [`### ${blocking.length ? '❌' : '✅'} ${escapeText(heading)}`, ''];
  out.push(
    format(
      S.counts[lang],
      {
        targets: s.targets,
        pass: s.findings.pass,
        fail: failedCount,
        notTested: s.findings['not-tested'],
        waived: s.findings.waived,
        na: s.findings['not-applicable'],
      },
      lang,
    ),
    '',
  );
  if (s.findings['not-tested'] > 0) out.push(`⚠️ ${format(S.notTestedNote[lang], { count: s.findings['not-tested'] }, lang)}`, '');

  out.push(`| ${S.severity[lang]} | ${S.failed[lang]} |`, '|---|---:|');
  for (const sev of SEVERITIES) out.push(`| ${severityLabels[sev][lang]} | ${s.failedBySeverity[sev]} |`);
  out.push('');

  const targets = new Map(report.targets.map((t) => [t.key, t]));
  // The most severe first; among equals, those that count toward --fail-on before baselined ones.
  const failed = report.findings
    .filter((f) => f.outcome === 'fail')
    .sort(
      (a, b) =>
        severityRank(b.severity) - severityRank(a.severity) ||
        Number(Boolean(a.baselined)) - Number(Boolean(b.baselined)) ||
        a.ruleId.localeCompare(b.ruleId),
    );
  const top = failed.slice(0, opts.top ?? 10);
  if (top.length) {
    out.push(
      `#### ${S.top[lang]}`,
      '',
      `| ${S.severity[lang]} | ${S.rule[lang]} | ${S.target[lang]} | ${S.finding[lang]} |`,
      '|---|---|---|---|',
    );
    for (const f of top) {
      const target = targets.get(f.target);
      const text = `${pick(f.title, lang)}: ${findingText(f, target, lang)}${f.baselined ? ` ${S.baselined[lang]}` : ''}`;
      out.push(
        `| ${label(f.severity, lang)} | \`${escapeCode(f.ruleId)}\` | ${escapeText(target ? targetLabel(target) : f.target)} | ${escapeText(text)} |`,
      );
    }
    out.push('');
    // Counted from the summary: a lean report keeps only what it must, the summary counts everything.
    if (failedCount > top.length) out.push(format(S.more[lang], { count: failedCount - top.length }, lang), '');
  }
  if (opts.codeScanningUrl)
    out.push(
      `[${S.codeScanning[lang]}](${encodeURI(opts.codeScanningUrl).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)})`,
      '',
    );
  return out.join('\n');
}

function label(sev: Severity, lang: Lang): string {
  return `**${severityLabels[sev][lang]}**`;
}

/**
 * Text for a table cell: one line, Markdown and HTML characters escaped (a `|` would end the cell,
 * `<` start a tag, `[` a link, `!` an image).
 */
function escapeText(text: string): string {
  return text
    .slice(0, 500)
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|!#~])/g, '\\$1');
}

function escapeCode(text: string): string {
  return text.replace(/[`|\r\n]/g, '');
}
