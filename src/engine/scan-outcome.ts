// What a scan tells the person who ran it, decided here so every command stays parse → engine →
// print: the notices once inputs are loaded (the regime judging each system, --resolve entries that
// pin nothing, waivers naming rules no pack has) and the verdict once the report is made (the exit
// code and the lines that explain it).

import { defineMessages, localize } from '../core/i18n/index.js';
import type { Lang, Report } from '../core/types.js';
import { legalBasisNotices } from '../policy/legal-basis.js';
import { WAIVER_MESSAGES, waiversWithUnknownRules } from '../policy/waivers.js';
import { countsTowardThreshold } from '../report/summary.js';
import { nothingScanned, type PreparedScan } from './scan.js';

export const OUTCOME_MESSAGES = defineMessages({
  nothingScanned: {
    en: 'the scan could not run: no target could be probed ({reasons})',
    vi: 'không thể thực hiện quét: không thăm dò được đối tượng quét nào ({reasons})',
  },
  nothingApplies: {
    en: 'the scan could not run: no check of the chosen policies applies to these targets, so nothing was judged',
    vi: 'không thể thực hiện quét: không phép kiểm tra nào của các bộ quy tắc đã chọn áp dụng cho các đối tượng quét này, nên không có gì được đánh giá',
  },
  notTestedGate: {
    en: '{count} applicable {count:rule|rules} could not be evaluated (not tested) and --fail-on-not-tested is set: exit 1',
    vi: '{count} quy tắc áp dụng chưa kiểm tra được và có tham số --fail-on-not-tested: mã thoát 1',
  },
  resolveUnused: {
    en: 'warning: --resolve {entry} matches no target and is not used',
    vi: 'cảnh báo: --resolve {entry} không khớp với đối tượng quét nào nên không được dùng',
  },
  thresholdExceeded: {
    en: '{count} {count:finding|findings} at or above "{failOn}": exit 1',
    vi: '{count} phát hiện có mức độ từ "{failOn}" trở lên: mã thoát 1',
  },
});
const M = OUTCOME_MESSAGES;

/** Lines for stderr before probing: `info` is what --quiet silences, `warnings` always show. */
export function scanNotices(prepared: PreparedScan, lang: Lang): { info: string[]; warnings: string[] } {
  const info: string[] = [];
  const warnings: string[] = [];
  // Only runs that judge security-level evidence say which regime judges each system (and warn about ended ones).
  if (prepared.legalBases.length) {
    const notes = legalBasisNotices(prepared.legalBases, prepared.policies, lang);
    info.push(...notes.info);
    warnings.push(...notes.warnings);
  }
  // A --resolve entry that pins nothing is most likely a typo: the name it meant goes to real DNS.
  for (const entry of prepared.unusedResolves ?? []) warnings.push(localize(M.resolveUnused, lang, { entry }));
  if (prepared.waivers) {
    const ruleIds = new Set(prepared.policies.flatMap((p) => p.rules.map((r) => r.id)));
    for (const w of waiversWithUnknownRules(prepared.waivers.waivers, ruleIds)) {
      const location = `${w.source.file}:${w.source.line}:${w.source.column}`;
      warnings.push(localize(WAIVER_MESSAGES.unknownRule, lang, { location, rule: w.rule }));
    }
  }
  return { info, warnings };
}

export interface ScanVerdict {
  /** ok: nothing at or above --fail-on; findings: exit 1; scan: the scan itself did not run (exit 3). */
  exit: 'ok' | 'findings' | 'scan';
  /** Why, for stderr: `info` is what --quiet silences, `warnings` always show. */
  info: string[];
  warnings: string[];
}

export function scanVerdict(report: Report, opts: { failOnNotTested: boolean; lang: Lang }): ScanVerdict {
  const { lang } = opts;
  if (nothingScanned(report)) {
    const reasons = [...new Set(report.attempts.map((a) => a.reasonText?.[lang] ?? a.reason ?? a.errorKind ?? 'error'))]
      .slice(0, 3)
      .join('; ');
    return { exit: 'scan', info: [], warnings: [localize(reasons ? M.nothingScanned : M.nothingApplies, lang, { reasons })] };
  }
  const info: string[] = [];
  const blocking = countsTowardThreshold(report.findings, report.run.failOn);
  if (blocking.length > 0) info.push(localize(M.thresholdExceeded, lang, { count: blocking.length, failOn: report.run.failOn }));
  // Counted in the summary: a lean report keeps not-tested findings, but the summary is what every format shares.
  const untested = opts.failOnNotTested ? report.summary.findings['not-tested'] : 0;
  if (untested > 0) info.push(localize(M.notTestedGate, lang, { count: untested }));
  return { exit: blocking.length > 0 || untested > 0 ? 'findings' : 'ok', info, warnings: [] };
}
