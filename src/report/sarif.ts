// SARIF 2.1.0 writer (DESIGN §5): valid against the OASIS schema and acceptable to GitHub code
// scanning, which reads a stricter subset — relative locations, fingerprints, security-severity on
// every rule, bounded runs and results.

import type { Invocation, Location, Log, Notification, ReportingDescriptor, Result, Run } from 'sarif';
import type { Finding, Lang, PolicyRef, Report, ReportWaiver, RuleDescriptor, Severity, Target } from '../core/types.js';
import { format } from '../core/i18n/index.js';
import { citationText } from '../core/i18n/citations.js';
import { sarifMessages } from './messages.js';
import { severityRank, summarize } from './summary.js';
import { findingText, oneLine, pascalCase, pick, slugify } from './text.js';
import { declaredAt, endpointOf, findingPlace } from './locations.js';
import { systemLegalBases } from './legal-basis.js';
import { terminalJson } from './terminal-text.js';
import { ruleDocUri } from './rule-links.js';

export { pascalCase, slugify } from './text.js';

const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const GOVSCAN_INFORMATION_URI = 'https://github.com/govscan/govscan';

/** GitHub code scanning rejects a file above these (docs: "SARIF results exceed one or more limits"). */
export const GITHUB_LIMITS = { runsPerFile: 20, resultsPerRun: 25_000, tagsPerRule: 20 } as const;

/**
 * GitHub maps the score to its badge: > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, ≤ 3.9 low.
 * info is 1.0, not 0.0: GitHub treats a 0 score as absent and falls back to `level` (github/docs#21221),
 * and it has no "none" band, so any value in (0, 3.9] shows as low — 1.0 also keeps info below low
 * for consumers that sort by the number.
 */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

const SARIF_LEVEL: Record<Severity, Result.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub resolves relative URIs against the repository root; CodeQL uses this base id for the same. */
const SRCROOT = '%SRCROOT%';

export interface SarifOptions {
  lang: Lang;
  /** Directory that inventory paths are made relative to (default: process.cwd()). */
  cwd?: string;
  /**
   * Emit waived findings as suppressed results (default true, for SOC consumers). GitHub uploads
   * should pass false: DESIGN §5 leaves waived results out of them.
   */
  includeWaived?: boolean;
}

export function toSarif(report: Report, opts: SarifOptions): Log {
  const lang = opts.lang;
  const cwd = opts.cwd ?? process.cwd();
  const includeWaived = opts.includeWaived ?? true;
  const targets = new Map(report.targets.map((t) => [t.key, t] as const));
  const agency = agencySlug(report);

  const policies = policyOrder(report);
  const kept = policies.slice(0, GITHUB_LIMITS.runsPerFile);
  const dropped = policies.slice(GITHUB_LIMITS.runsPerFile);

  const runs = kept.map((policy) =>
    buildRun(report, policy, {
      lang,
      cwd,
      includeWaived,
      targets,
      agency,
      waivers: new Map((report.waivers ?? []).map((w) => [w.id, w] as const)),
      baselined: report.run.baseline !== undefined,
    }),
  );
  const first = runs[0];
  if (first && dropped.length > 0) {
    const text = format(sarifMessages.runsDropped[lang], {
      count: dropped.length,
      ids: dropped.map((p) => p.id).join(', '),
      max: GITHUB_LIMITS.runsPerFile,
    });
    notify(first, text);
    first.properties = { ...first.properties, droppedPolicies: dropped.map((p) => p.id) };
  }

  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs };
}

export function writeSarif(report: Report, opts: SarifOptions): string {
  return `${terminalJson(JSON.stringify(toSarif(report, opts), null, 2))}\n`;
}

interface RunContext {
  lang: Lang;
  cwd: string;
  includeWaived: boolean;
  targets: Map<string, Target>;
  agency: string;
  waivers: Map<string, ReportWaiver>;
  /** A --baseline was given: every result says whether it is new or was already known. */
  baselined: boolean;
}

/** Report policies first in their order, then any policy only named by a rule or a finding. */
function policyOrder(report: Report): PolicyRef[] {
  const seen = new Map<string, PolicyRef>();
  for (const p of report.policies) if (!seen.has(p.id)) seen.set(p.id, p);
  const extra = [...report.rules.map((r) => r.policyId), ...report.findings.map((f) => f.policyId)];
  for (const id of extra) {
    if (seen.has(id)) continue;
    const version = report.findings.find((f) => f.policyId === id)?.policyVersion ?? '';
    seen.set(id, { id, version, title: { en: id, vi: id }, legalBasis: [], effective: {}, source: '' });
  }
  return [...seen.values()];
}

function buildRun(report: Report, policy: PolicyRef, ctx: RunContext): Run {
  const findings = report.findings.filter((f) => f.policyId === policy.id);
  const rules = rulesFor(report, policy, findings);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i] as const));
  const descriptors = rules.map((r) => descriptor(r, policy, ctx.lang));

  const emitted = findings.filter((f) => f.outcome === 'fail' || (ctx.includeWaived && f.outcome === 'waived')).sort(resultOrder);
  const results = emitted.slice(0, GITHUB_LIMITS.resultsPerRun).map((f) => result(f, ruleIndex.get(f.ruleId) ?? 0, ctx));

  const invocation: Invocation = {
    executionSuccessful: true,
    startTimeUtc: report.run.startedAt,
    endTimeUtc: report.run.finishedAt,
  };
  if (report.run.scannerHost) invocation.machine = report.run.scannerHost;

  const counts = summarize([], findings);
  const run: Run = {
    tool: {
      driver: {
        name: 'govscan',
        version: report.tool.version,
        ...(/^\d+\.\d+\.\d+/.test(report.tool.version) ? { semanticVersion: report.tool.version } : {}),
        informationUri: GOVSCAN_INFORMATION_URI,
        rules: descriptors,
      },
    },
    automationDetails: {
      id: `govscan/${policy.id.replace(/\//g, '-')}/${ctx.agency}/`,
      description: { text: pick(policy.title, ctx.lang) || policy.id },
    },
    language: ctx.lang === 'vi' ? 'vi-VN' : 'en-US',
    // Columns come from the YAML parser, which counts JavaScript string indices.
    columnKind: 'utf16CodeUnits',
    originalUriBaseIds: { [SRCROOT]: { description: { text: sarifMessages.uriBase[ctx.lang] } } },
    invocations: [invocation],
    results,
    properties: {
      policy: {
        id: policy.id,
        version: policy.version,
        title: pick(policy.title, ctx.lang),
        legalBasis: policy.legalBasis,
        effective: policy.effective,
      },
      outcomes: counts.findings,
      failedBySeverity: counts.failedBySeverity,
      ...runLegalBasis(report, policy, ctx.lang),
    },
  };

  if (emitted.length > results.length) {
    notify(
      run,
      format(sarifMessages.resultsTruncated[ctx.lang], {
        kept: results.length,
        total: emitted.length,
        max: GITHUB_LIMITS.resultsPerRun,
      }),
    );
    run.properties = { ...run.properties, truncated: { kept: results.length, total: emitted.length } };
  }
  return run;
}

/**
 * The policy's rules in report order, plus a descriptor made from the finding for any rule the
 * report lacks: GitHub drops a result whose ruleId is not among its run's rules.
 */
function rulesFor(report: Report, policy: PolicyRef, findings: Finding[]): RuleDescriptor[] {
  const rules = new Map<string, RuleDescriptor>();
  for (const r of report.rules) if (r.policyId === policy.id && !rules.has(r.id)) rules.set(r.id, r);
  for (const f of findings) {
    if (rules.has(f.ruleId)) continue;
    rules.set(f.ruleId, {
      id: f.ruleId,
      policyId: f.policyId,
      check: f.check,
      severity: f.severity,
      title: f.title,
      description: f.title,
      remediation: f.remediation ?? { en: '', vi: '' },
      references: f.references,
      tags: [],
    });
  }
  return [...rules.values()];
}

function descriptor(rule: RuleDescriptor, policy: PolicyRef, lang: Lang): ReportingDescriptor {
  const title = oneLine(pick(rule.title, lang)) || rule.id;
  const description = pick(rule.description, lang).trim() || title;
  const help = helpText(rule, policy, lang);
  const tags = [...new Set(['security', ...rule.tags])].slice(0, GITHUB_LIMITS.tagsPerRule);
  const helpUri = ruleDocUri(rule.id, lang);
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: title },
    fullDescription: { text: description },
    help: { text: help.text || description, markdown: help.markdown || description },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
    properties: {
      tags,
      'security-severity': SECURITY_SEVERITY[rule.severity],
      precision: 'high',
      severity: rule.severity,
      check: rule.check,
      policy: policy.id,
    },
  };
}

function helpText(rule: RuleDescriptor, policy: PolicyRef, lang: Lang): { text: string; markdown: string } {
  const m = sarifMessages;
  const sections: Array<{ heading: string; body: string[]; list: boolean }> = [];
  const remediation = pick(rule.remediation, lang).trim();
  if (remediation) sections.push({ heading: m.remediation[lang], body: [remediation], list: false });
  if (rule.references.length > 0)
    sections.push({ heading: m.references[lang], body: rule.references.map((r) => citationText(r, lang)), list: true });
  const basis = policy.legalBasis.map((b) => citationText(b, lang));
  if (basis.length > 0) {
    const policyTitle = pick(policy.title, lang);
    const lines = policyTitle && policyTitle !== policy.id ? [`${policyTitle} (${policy.id})`, ...basis] : basis;
    sections.push({ heading: m.legalBasis[lang], body: lines, list: true });
  }
  const text = sections.map((s) => `${s.heading}:\n${s.list ? s.body.map((b) => `- ${b}`).join('\n') : s.body.join('\n')}`).join('\n\n');
  const markdown = sections
    .map((s) => `**${s.heading}**\n\n${s.list ? s.body.map((b) => `- ${escapeMarkdown(b)}`).join('\n') : s.body.join('\n')}`)
    .join('\n\n');
  return { text, markdown };
}

function result(finding: Finding, ruleIndex: number, ctx: RunContext): Result {
  const target = ctx.targets.get(finding.target);
  const out: Result = {
    ruleId: finding.ruleId,
    ruleIndex,
    level: SARIF_LEVEL[finding.severity],
    message: { text: findingText(finding, target, ctx.lang) },
    locations: [location(finding, target, ctx.cwd)],
    // (rule, target) only, so an alert survives message, fact and inventory-line changes.
    partialFingerprints: { primaryLocationLineHash: finding.fingerprint },
    properties: {
      severity: finding.severity,
      outcome: finding.outcome,
      target: finding.target,
      system: target?.system?.id ?? null,
      policyVersion: finding.policyVersion,
      check: finding.check,
      ...(target?.system?.legalBasis ? { legalBasis: target.system.legalBasis.id } : {}),
      ...(target?.source ? { declaredAt: declaredAt(target.source.file, target.source.line, ctx.cwd) } : {}),
      evidence: finding.evidence,
    },
  };
  if (ctx.baselined) out.baselineState = finding.baselined ? 'unchanged' : 'new';
  if (finding.outcome === 'waived') {
    const waiver = finding.waiver ? ctx.waivers.get(finding.waiver.id) : undefined;
    const justification = waiver?.justification ?? finding.reason;
    out.suppressions = [
      {
        kind: 'external',
        status: 'accepted',
        ...(justification ? { justification } : {}),
        ...(waiver ? { properties: { waiver: waiver.id, approver: waiver.approver, expires: waiver.expires } } : {}),
      },
    ];
  }
  if (finding.waiver?.expired) out.properties = { ...out.properties, waiverExpired: finding.waiver.id };
  return out;
}

/**
 * A regime pack's run names the systems it judged and why that regime (the same rule ids appear in
 * the other regime's run: each run is its own category, so both stay valid and apart); every run
 * lists the parameters the scan changed in its pack.
 */
function runLegalBasis(report: Report, policy: PolicyRef, lang: Lang): Record<string, unknown> {
  const systems = systemLegalBases(report)
    .filter((s) => s.basis.policy === policy.id)
    .map((s) => ({
      system: s.system,
      id: s.basis.id,
      chosenBy: s.basis.chosenBy,
      state: s.basis.state,
      reason: pick(s.basis.reason, lang),
    }));
  const params = (report.run.params ?? [])
    .filter((p) => p.policy === policy.id)
    .map(({ name, value, default: d, source, secondary }) => ({ name, value, default: d, source, secondary }));
  return { ...(systems.length ? { legalBasis: systems } : {}), ...(params.length ? { params } : {}) };
}

function location(finding: Finding, target: Target | undefined, cwd: string): Location {
  const endpoint = endpointOf(finding, target);
  const logicalLocations = [{ name: endpoint.display, fullyQualifiedName: finding.target, kind: 'resource' }];
  const place = findingPlace(finding, target, cwd);
  if (place.kind === 'declared') {
    const region: { startLine: number; startColumn?: number } = { startLine: place.line };
    if (place.column !== undefined) region.startColumn = place.column;
    const uri = place.path.split('/').map(encodeURIComponent).join('/');
    return { physicalLocation: { artifactLocation: { uri, uriBaseId: SRCROOT }, region }, logicalLocations };
  }
  return { physicalLocation: { artifactLocation: { uri: place.path, uriBaseId: SRCROOT }, region: { startLine: 1 } }, logicalLocations };
}

/** Fails before waived, then most severe first: what survives truncation is what matters most. */
function resultOrder(a: Finding, b: Finding): number {
  return (
    Number(a.outcome !== 'fail') - Number(b.outcome !== 'fail') ||
    severityRank(b.severity) - severityRank(a.severity) ||
    compare(a.ruleId, b.ruleId) ||
    compare(a.target, b.target) ||
    compare(a.fingerprint, b.fingerprint)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function notify(run: Run, text: string): void {
  const invocation = run.invocations?.[0];
  if (!invocation) return;
  const note: Notification = { level: 'warning', message: { text } };
  invocation.toolExecutionNotifications = [...(invocation.toolExecutionNotifications ?? []), note];
}

/**
 * The agency part of automationDetails.id as an ASCII slug: GitHub derives the analysis category
 * from the id up to its last `/`, so a `/` inside an agency name would split it, and diacritics make
 * the category painful to type in API filters.
 */
function agencySlug(report: Report): string {
  const agencies = new Set(report.targets.map((t) => t.agency).filter((a): a is string => Boolean(a)));
  const name = report.run.agency ?? (agencies.size === 1 ? [...agencies][0] : undefined);
  if (!name) return 'adhoc';
  return slugify(name) || 'agency';
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>])/g, '\\$1');
}
