// `govscan report merge`: several JSON reports (shards of one inventory, or scans run from different
// networks) become one. A target scanned in more than one report is taken whole — its attempts and
// findings — from the report that finished last, so a re-scan replaces what it re-checked instead of
// doubling it; everything else is a union.

import {
  SEVERITIES,
  type Attempt,
  type Finding,
  type PolicyRef,
  type Report,
  type ReportWaiver,
  type RuleDescriptor,
  type Severity,
  type Target,
} from '../core/types.js';
import { countFindings, emptySummary } from './summary.js';
import { pushAll } from './text.js';

export function mergeReports(reports: readonly Report[]): Report {
  const first = reports[0];
  if (!first) throw new Error('mergeReports needs at least one report');
  // Oldest first, so a later report's entries overwrite an earlier one's in the maps below.
  const ordered = reports
    .map((r, i) => ({ r, i }))
    .sort((a, b) => Date.parse(a.r.run.finishedAt) - Date.parse(b.r.run.finishedAt) || a.i - b.i)
    .map((x) => x.r);

  // Which report owns each target: the last to have scanned it.
  const owner = new Map<string, Report>();
  for (const r of ordered) {
    for (const key of targetKeys(r)) owner.set(key, r);
  }

  const targets = new Map<string, Target>();
  const policies = new Map<string, PolicyRef>();
  const rules = new Map<string, RuleDescriptor>();
  const waivers = new Map<string, ReportWaiver>();
  const attempts: Attempt[] = [];
  const findings: Finding[] = [];
  let summary = emptySummary(0);
  for (const r of ordered) {
    for (const p of r.policies) policies.set(p.id, p);
    for (const rule of r.rules) rules.set(`${rule.policyId}\u0000${rule.id}`, rule);
    // Listed once, as each report lists them; findings refer to them by id (file:line).
    for (const w of r.waivers ?? []) waivers.set(w.id, w);
    for (const t of r.targets) if (owner.get(t.key) === r) targets.set(t.key, t);
    pushAll(
      attempts,
      r.attempts.filter((a) => owner.get(a.target) === r),
    );
    const kept = r.findings.filter((f) => owner.get(f.target) === r);
    pushAll(findings, kept);
    summary = countFindings(summary, kept);
    // A lean report counts passes it did not keep; those counts can be carried over only when no
    // target of the report was superseded, since they cannot be attributed to a target.
    if ([...targetKeys(r)].every((k) => owner.get(k) === r)) addUnlisted(summary, r);
  }

  // Report order, not age order: the first report's targets first, as a reader listed them.
  const order = new Map<string, number>();
  for (const r of reports) for (const key of targetKeys(r)) if (!order.has(key)) order.set(key, order.size);
  const byTarget = (a: { target: string }, b: { target: string }): number => (order.get(a.target) ?? 0) - (order.get(b.target) ?? 0);
  const targetList = [...targets.values()].sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
  summary.targets = new Set([...targetList.map((t) => t.key), ...findings.map((f) => f.target)]).size;

  const hosts = [...new Set(reports.map((r) => r.run.scannerHost).filter(Boolean))];
  const inventories = new Set(reports.map((r) => r.run.inventory));
  const agencies = new Set(reports.map((r) => r.run.agency));
  const run: Report['run'] = {
    startedAt: reports.map((r) => r.run.startedAt).sort()[0] ?? first.run.startedAt,
    finishedAt:
      reports
        .map((r) => r.run.finishedAt)
        .sort()
        .at(-1) ?? first.run.finishedAt,
    scannerHost: hosts.join(', '),
    failOn: strictest(reports.map((r) => r.run.failOn)),
  };
  // Kept only when every input agrees: a merged report must not claim one inventory for all of it.
  const inventory = single(inventories);
  if (inventory) run.inventory = inventory;
  const agency = single(agencies);
  if (agency) run.agency = agency;
  const waiverFile = single(new Set(reports.map((r) => r.run.waivers)));
  if (waiverFile) run.waivers = waiverFile;
  const baseline = single(new Set(reports.map((r) => r.run.baseline)));
  if (baseline) run.baseline = baseline;

  return {
    schemaVersion: 1,
    tool: { name: 'govscan', version: ordered.at(-1)?.tool.version ?? first.tool.version },
    run,
    policies: [...policies.values()],
    rules: [...rules.values()],
    targets: targetList,
    attempts: attempts.sort(byTarget),
    findings: findings.sort(byTarget),
    summary,
    ...(waivers.size > 0 ? { waivers: [...waivers.values()] } : {}),
  };
}

function targetKeys(r: Report): Set<string> {
  return new Set([...r.targets.map((t) => t.key), ...r.findings.map((f) => f.target), ...r.attempts.map((a) => a.target)]);
}

function addUnlisted(summary: Report['summary'], r: Report): void {
  const listed = countFindings(emptySummary(0), r.findings);
  for (const o of Object.keys(summary.findings) as Array<keyof typeof summary.findings>) {
    summary.findings[o] += Math.max(0, r.summary.findings[o] - listed.findings[o]);
  }
  for (const s of SEVERITIES) summary.failedBySeverity[s] += Math.max(0, r.summary.failedBySeverity[s] - listed.failedBySeverity[s]);
  const baselined = Math.max(0, (r.summary.baselined ?? 0) - (listed.baselined ?? 0));
  if (baselined > 0) summary.baselined = (summary.baselined ?? 0) + baselined;
}

/** The strictest threshold of the inputs, so merging can never make a blocking finding pass. */
function strictest(values: Array<Severity | 'none'>): Severity | 'none' {
  const set = values.filter((v): v is Severity => v !== 'none');
  if (set.length === 0) return 'none';
  // SEVERITIES runs critical → info; the strictest floor is the least severe named.
  return set.reduce((a, b) => (SEVERITIES.indexOf(b) > SEVERITIES.indexOf(a) ? b : a));
}

function single<T>(values: Set<T | undefined>): T | undefined {
  return values.size === 1 ? [...values][0] : undefined;
}
