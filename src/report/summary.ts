// Counting findings and deciding the exit-code threshold. Shared by every reporter and the CLI so the
// summary line, the JSON summary and `--fail-on` can never disagree.

import { SEVERITIES, type Finding, type Outcome, type ReportSummary, type Severity, type Target } from '../core/types.js';

const OUTCOMES: readonly Outcome[] = ['pass', 'fail', 'not-applicable', 'not-tested', 'waived'];

/** Higher is more severe: critical 4 … info 0. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(severity);
}

export function summarize(targets: readonly Target[], findings: readonly Finding[]): ReportSummary {
  return countFindings(emptySummary(targets.length), findings);
}

export function emptySummary(targets: number): ReportSummary {
  const byOutcome = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  const failedBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  return { targets, findings: byOutcome, failedBySeverity };
}

/** Adds findings to a running summary: a scan counts each target's findings as it completes. */
export function countFindings(summary: ReportSummary, findings: readonly Finding[]): ReportSummary {
  for (const f of findings) {
    summary.findings[f.outcome] += 1;
    if (f.outcome === 'fail') summary.failedBySeverity[f.severity] += 1;
    if (f.outcome === 'fail' && f.baselined) summary.baselined = (summary.baselined ?? 0) + 1;
  }
  return summary;
}

/**
 * True when a failed finding is at or above `failOn`. Waived, baselined and not-tested findings never
 * count: a waiver is an accepted risk, a baselined finding was already known before this change, and
 * not-tested is reported, not failed (DESIGN §1 rule 4).
 */
export function exceedsThreshold(findings: readonly Finding[], failOn: Severity | 'none'): boolean {
  return countsTowardThreshold(findings, failOn).length > 0;
}

/** The findings that make `exceedsThreshold` true, for telling the user how many and which. */
export function countsTowardThreshold(findings: readonly Finding[], failOn: Severity | 'none'): Finding[] {
  if (failOn === 'none') return [];
  const floor = severityRank(failOn);
  return findings.filter((f) => f.outcome === 'fail' && !f.baselined && severityRank(f.severity) >= floor);
}
