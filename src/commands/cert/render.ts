// `cert verify` output: a table a person reads (the path, the verdict, each problem with its id and a
// sentence) or JSON for CI, the API's result as it is.

import type { Lang } from '../../core/types.js';
import { localize } from '../../core/i18n/index.js';
import { displayDate } from '../../core/i18n/dates.js';
import { PROBLEM_TEXT } from '../../pki/problems.js';
import type { PathEntry, VerifyResult } from '../../pki/verify.js';
import { terminalText } from '../../report/terminal-text.js';
import { C, KEY_NAMES } from './messages.js';

export interface VerifyReport extends VerifyResult {
  name: string | null;
  at: string;
  files: string[];
}

export function renderJson(report: VerifyReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

export function renderTable(report: VerifyReport, lang: Lang): string {
  const t = (text: (typeof C)[keyof typeof C], params?: Record<string, unknown>): string => localize(text, lang, params);
  const lines: string[] = [t(C.pathHeading)];
  if (!report.path.length) lines.push(`  ${t(C.noPath)}`);
  report.path.forEach((entry, i) => {
    // The path ends with the anchor whenever one was reached.
    const isAnchor = report.anchor !== null && i === report.path.length - 1;
    lines.push(`  ${i + 1}. ${terminalText(entry.subject)}${isAnchor ? ` ${t(C.anchorMark)}` : ''}`);
    lines.push(`     ${t(C.issuer)}: ${terminalText(entry.issuer)}`);
    lines.push(`     ${t(C.validity)}: ${t(C.validityRange, { from: day(entry.notBefore, lang), to: day(entry.notAfter, lang) })}`);
    lines.push(`     ${t(C.key)}: ${keyText(entry, lang)}`);
  });
  lines.push('');
  lines.push(t(report.valid ? C.verdictValid : C.verdictInvalid));
  lines.push(`  ${report.trusted ? t(C.trustedBy, { anchor: terminalText(report.anchor ?? '') }) : t(C.notTrusted)}`);
  if (report.name === null) lines.push(`  ${t(C.noName)}`);
  else lines.push(`  ${t(report.hostnameMatches ? C.nameMatches : C.nameDiffers, { name: terminalText(report.name) })}`);
  lines.push(`  ${t(C.at, { at: moment(report.at, lang) })}`);
  lines.push('');
  if (!report.problems.length) lines.push(t(C.noProblems));
  else {
    lines.push(t(C.problemsHeading));
    for (const p of report.problems) lines.push(`  ${p}: ${localize(PROBLEM_TEXT[p], lang)}`);
  }
  return lines.join('\n') + '\n';
}

function keyText(entry: PathEntry, lang: Lang): string {
  const type = KEY_NAMES[entry.key.type] ?? entry.key.type;
  return entry.key.curve
    ? localize(C.keyCurve, lang, { type, curve: entry.key.curve })
    : localize(C.keyBits, lang, { type, bits: entry.key.bits });
}

/** The calendar day of an ISO time (dd/mm/yyyy in Vietnamese). */
function day(iso: string, lang: Lang): string {
  return displayDate(iso.slice(0, 10), lang);
}

/** A moment for a reader: the day, and the time of day in UTC when it is not midnight. */
function moment(iso: string, lang: Lang): string {
  const time = iso.slice(11, 19);
  const date = day(iso, lang);
  return time === '00:00:00' ? date : `${date} ${time} UTC`;
}
