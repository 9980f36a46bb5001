// GitLab Code Quality report (artifacts:reports:codequality): the failed findings as GitLab shows
// them in merge requests, new and resolved by fingerprint. Fields as GitLab documents them
// (docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format): description, check_name,
// fingerprint, severity (info, minor, major, critical, blocker), location.path, location.lines.begin.
// A finding that could not be evaluated is listed too (severity info, "not tested: why"): an error
// is never a silent pass.

import { createHash } from 'node:crypto';
import type { Finding, Lang, Report, Severity, Target } from '../core/types.js';
import { defineMessages, format } from '../core/i18n/index.js';
import { findingPlace } from './locations.js';
import { findingText, pick, reasonText, targetLabel } from './text.js';

interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number } };
  categories: string[];
}

/** govscan's five levels onto GitLab's five: critical is what blocks a merge. */
const CODE_QUALITY_SEVERITY: Record<Severity, CodeQualityIssue['severity']> = {
  critical: 'blocker',
  high: 'critical',
  medium: 'major',
  low: 'minor',
  info: 'info',
};

const CQ = defineMessages({
  notTested: { en: '{title} ({target}): not tested: {reason}', vi: '{title} ({target}): chưa kiểm tra được: {reason}' },
  failed: { en: '{title}: {message}', vi: '{title}: {message}' },
});

export function toCodeQuality(report: Report, opts: { lang: Lang; cwd?: string }): string {
  const cwd = opts.cwd ?? process.cwd();
  const targets = new Map(report.targets.map((t) => [t.key, t]));
  const issues: CodeQualityIssue[] = [];
  for (const f of report.findings) {
    if (f.outcome !== 'fail' && f.outcome !== 'not-tested') continue;
    const target = targets.get(f.target);
    issues.push({
      description: describe(f, target, opts.lang),
      check_name: f.ruleId,
      // One issue per rule × target and outcome: a failure that turns into "not tested" is another issue.
      fingerprint:
        f.outcome === 'fail' ? f.fingerprint : createHash('sha256').update(`${f.fingerprint}:not-tested`).digest('hex').slice(0, 32),
      severity: f.outcome === 'fail' ? CODE_QUALITY_SEVERITY[f.severity] : 'info',
      location: place(f, target, cwd),
      categories: ['Security'],
    });
  }
  return JSON.stringify(issues, null, 2) + '\n';
}

function describe(f: Finding, target: Target | undefined, lang: Lang): string {
  const title = pick(f.title, lang);
  if (f.outcome === 'not-tested')
    return format(CQ.notTested[lang], { title, target: target ? targetLabel(target) : f.target, reason: reasonText(f, lang) });
  return format(CQ.failed[lang], { title, message: findingText(f, target, lang) });
}

/** GitLab links the line declaring the target in the merge request; SARIF points at the same place. */
function place(f: Finding, target: Target | undefined, cwd: string): CodeQualityIssue['location'] {
  const at = findingPlace(f, target, cwd);
  return { path: at.path, lines: { begin: at.kind === 'declared' ? at.line : 1 } };
}
