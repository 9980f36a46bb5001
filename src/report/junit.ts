// JUnit XML (DESIGN §5): one <testsuite> per policy, one <testcase> per rule × target, so CI systems
// that already read test reports (GitLab, Jenkins, Azure) show a failed rule where developers look.
// Outcome mapping: fail → <failure> (message + evidence + remediation), waived / not-tested /
// not-applicable → <skipped> with the reason, pass → an empty testcase. Only `fail` is a failure:
// a waiver is an accepted risk and not-tested is reported, not failed (DESIGN §1 rule 4).

import type { Finding, Lang, PolicyRef, Report, Target } from '../core/types.js';
import { defineMessages, format } from '../core/i18n/index.js';
import { displayDate } from '../core/i18n/dates.js';
import { citationText } from '../core/i18n/citations.js';
import { outcomeTags, severityLabels } from './messages.js';
import { severityRank } from './summary.js';
import { evidenceValue, findingText, oneLine, pick, reasonText, targetLabel } from './text.js';
import { legalBasisLine, paramLines, systemLegalBases } from './legal-basis.js';

/** Labels inside a failure's text; kept here rather than in messages.ts, which other reporters share. */
const junitMessages = defineMessages({
  severity: { en: 'Severity', vi: 'Mức độ' },
  target: { en: 'Target', vi: 'Đối tượng quét' },
  declaredAt: { en: 'Declared at: {location}', vi: 'Khai báo tại: {location}' },
  evidence: { en: 'Evidence', vi: 'Bằng chứng' },
  remediation: { en: 'Remediation', vi: 'Biện pháp khắc phục' },
  references: { en: 'References', vi: 'Tài liệu tham chiếu' },
  fingerprint: { en: 'Fingerprint', vi: 'Dấu vân tay' },
  baselined: {
    en: 'Already in the baseline report: not counted toward --fail-on.',
    vi: 'Đã có trong báo cáo báo cáo mốc (baseline): không tính vào --fail-on.',
  },
  waiverExpired: { en: 'Waiver {id} expired on {expires}.', vi: 'Miễn trừ {id} đã hết hạn ngày {expires}.' },
  waivedBy: { en: 'waiver {id}, until {expires}', vi: 'miễn trừ {id}, đến hết {expires}' },
});
const m = junitMessages;

export interface JunitOptions {
  lang: Lang;
}

export function toJunit(report: Report, opts: JunitOptions): string {
  const { lang } = opts;
  const targets = new Map(report.targets.map((t) => [t.key, t] as const));
  const suites = policiesOf(report).map((policy) => suite(report, policy, targets, lang));
  const total = suites.reduce(
    (acc, s) => ({ tests: acc.tests + s.tests, failures: acc.failures + s.failures, skipped: acc.skipped + s.skipped }),
    { tests: 0, failures: 0, skipped: 0 },
  );
  const time = seconds(report.run.startedAt, report.run.finishedAt);
  const head = `<testsuites name="govscan" tests="${total.tests}" failures="${total.failures}" errors="0" skipped="${total.skipped}" time="${time}" timestamp="${attr(stamp(report.run.startedAt))}">`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', head, ...suites.map((s) => s.xml), '</testsuites>', ''].join('\n');
}

interface Suite {
  xml: string;
  tests: number;
  failures: number;
  skipped: number;
}

function suite(report: Report, policy: PolicyRef, targets: Map<string, Target>, lang: Lang): Suite {
  const findings = report.findings.filter((f) => f.policyId === policy.id).sort(caseOrder(report));
  const cases = findings.map((f) => testcase(f, targets.get(f.target), lang));
  const failures = findings.filter((f) => f.outcome === 'fail').length;
  const skipped = findings.filter((f) => f.outcome !== 'fail' && f.outcome !== 'pass').length;
  const title = pick(policy.title, lang);
  const name = title && title !== policy.id ? `${policy.id} — ${oneLine(title)}` : policy.id;
  const props: Array<[string, string]> = [
    ['policy.id', policy.id],
    ['policy.version', policy.version],
    ...policy.legalBasis.map((b): [string, string] => ['policy.legalBasis', b]),
    ['tool.version', report.tool.version],
    ['lang', lang],
  ];
  if (report.run.agency) props.push(['agency', report.run.agency]);
  if (report.run.inventory) props.push(['inventory', report.run.inventory]);
  // A regime pack's suite says which systems it judged, and why that regime.
  for (const s of systemLegalBases(report))
    if (s.basis.policy === policy.id) props.push([`legalBasis.${s.system}`, legalBasisLine(s.basis, lang)]);
  for (const line of paramLines(
    report.run.params?.filter((p) => p.policy === policy.id),
    lang,
  ))
    props.push(['param', line]);
  const lines = [
    `  <testsuite name="${attr(name)}" tests="${findings.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(report.run.startedAt, report.run.finishedAt)}" timestamp="${attr(stamp(report.run.startedAt))}" hostname="${attr(report.run.scannerHost || 'localhost')}">`,
    '    <properties>',
    ...props.map(([k, v]) => `      <property name="${attr(k)}" value="${attr(v)}"/>`),
    '    </properties>',
    ...cases,
    '  </testsuite>',
  ];
  return { xml: lines.join('\n'), tests: findings.length, failures, skipped };
}

function testcase(f: Finding, target: Target | undefined, lang: Lang): string {
  const endpoint = target ? targetLabel(target) : f.target;
  const title = oneLine(pick(f.title, lang)) || f.ruleId;
  // classname groups by target in every viewer (GitLab, Jenkins): one row per endpoint, its rules beneath.
  const open = `    <testcase name="${attr(`${f.ruleId}: ${title}`)}" classname="${attr(endpoint)}" time="0"`;
  const text = findingText(f, target, lang);
  switch (f.outcome) {
    case 'pass':
      return `${open}/>`;
    case 'fail': {
      const severity = severityLabels[f.severity][lang];
      const body = failureBody(f, target, lang);
      return [
        `${open}>`,
        `      <failure message="${attr(text)}" type="${attr(severity)}">${cdata(body)}</failure>`,
        '    </testcase>',
      ].join('\n');
    }
    default: {
      const tag = outcomeTags[f.outcome][lang];
      const reason = f.waiver
        ? format(m.waivedBy[lang], { id: f.waiver.id, expires: displayDate(f.waiver.expires, lang) })
        : reasonText(f, lang);
      const message = reason ? `${tag}: ${reason}` : `${tag}: ${text}`;
      return [`${open}>`, `      <skipped message="${attr(message)}"/>`, '    </testcase>'].join('\n');
    }
  }
}

/** What a developer needs under the failure: the message, the deciding facts, how to fix, where from. */
function failureBody(f: Finding, target: Target | undefined, lang: Lang): string {
  const parts = [findingText(f, target, lang)];
  parts.push(`${m.severity[lang]}: ${severityLabels[f.severity][lang]}`);
  parts.push(`${m.target[lang]}: ${f.target}`);
  if (target?.source) parts.push(format(m.declaredAt[lang], { location: `${target.source.file}:${target.source.line}` }));
  const evidence = Object.entries(f.evidence);
  if (evidence.length > 0) {
    parts.push(`${m.evidence[lang]}:`);
    for (const [k, v] of evidence) parts.push(`  ${k} = ${evidenceValue(v, lang)}`);
  }
  const remediation = pick(f.remediation, lang).trim();
  if (remediation) parts.push(`${m.remediation[lang]}: ${remediation}`);
  if (f.references.length > 0) parts.push(`${m.references[lang]}: ${f.references.map((r) => citationText(r, lang)).join('; ')}`);
  if (f.baselined) parts.push(m.baselined[lang]);
  if (f.waiver?.expired) parts.push(format(m.waiverExpired[lang], { id: f.waiver.id, expires: displayDate(f.waiver.expires, lang) }));
  parts.push(`${m.fingerprint[lang]}: ${f.fingerprint}`);
  return parts.join('\n');
}

/** Report policies in order, then any policy only a finding names (a merged or hand-edited report). */
function policiesOf(report: Report): PolicyRef[] {
  const seen = new Map<string, PolicyRef>();
  for (const p of report.policies) if (!seen.has(p.id)) seen.set(p.id, p);
  for (const f of report.findings) {
    if (!seen.has(f.policyId)) {
      seen.set(f.policyId, {
        id: f.policyId,
        version: f.policyVersion,
        title: { en: f.policyId, vi: f.policyId },
        legalBasis: [],
        effective: {},
        source: '',
      });
    }
  }
  return [...seen.values()];
}

/** Targets in report order, then failures first and most severe first, so a truncated view shows what matters. */
function caseOrder(report: Report): (a: Finding, b: Finding) => number {
  const order = new Map(report.targets.map((t, i) => [t.key, i] as const));
  const outcome = (f: Finding): number => ['fail', 'waived', 'not-tested', 'not-applicable', 'pass'].indexOf(f.outcome);
  return (a, b) =>
    (order.get(a.target) ?? Number.MAX_SAFE_INTEGER) - (order.get(b.target) ?? Number.MAX_SAFE_INTEGER) ||
    (a.target < b.target ? -1 : a.target > b.target ? 1 : 0) ||
    outcome(a) - outcome(b) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

function seconds(from: string, to: string): string {
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms > 0 ? (ms / 1000).toFixed(3) : '0';
}

/** xs:dateTime without fractional seconds or zone suffix: the form the Ant/Jenkins schema accepts. */
function stamp(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '1970-01-01T00:00:00' : d.toISOString().slice(0, 19);
}

/**
 * Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are
 * replaced: a server banner or header in the evidence must not make the whole report unparsable.
 */
function xmlSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

function attr(text: string): string {
  return xmlSafe(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** A CDATA section keeps evidence readable in raw XML; `]]>` inside it is split across two sections. */
function cdata(text: string): string {
  return `<![CDATA[${xmlSafe(text).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}
