// What a run evaluates and what it reports, as the tools agencies know do it:
// - --rule GLOB / --skip-rule GLOB (Checkov --check / --skip-check) choose the rules evaluated: a rule
//   is evaluated when it matches some --rule (or none is given) and no --skip-rule; skip wins. Rules
//   left out are not judged at all, and their checks are not probed unless another rule needs them.
// - --severity LEVEL[,…] (Trivy --severity) chooses the findings reported: others are dropped before
//   waivers, baseline, summary, reports and the exit code see them, so a finding that is not reported
//   can never fail the run (Trivy: `--exit-code 1 --severity CRITICAL` fails on critical ones only).

import { InputError } from '../core/errors.js';
import type { Finding, Severity } from '../core/types.js';
import { defineMessages, format } from '../core/i18n/index.js';
import type { LoadedPolicy } from './types.js';
import { globRegExp } from './waivers.js';

export interface RuleSelection {
  /** Globs on rule ids: only matching rules are evaluated (all when empty). */
  rules?: readonly string[];
  /** Globs on rule ids never evaluated. */
  skipRules?: readonly string[];
}

const MESSAGES = defineMessages({
  matchesNothing: {
    en: '{flag} {glob} matches no rule of the selected policy packs (see govscan policy list)',
    vi: '{flag} {glob} không khớp quy tắc nào của các bộ quy tắc đã chọn (xem govscan policy list)',
  },
});

/**
 * The packs with only the rules the selection keeps. A glob that matches no rule is bad input
 * (exit 2): a mistyped --skip-rule would otherwise silently judge what the user meant to leave out.
 */
export function selectRules(policies: readonly LoadedPolicy[], selection: RuleSelection): LoadedPolicy[] {
  const include = selection.rules ?? [];
  const skip = selection.skipRules ?? [];
  if (!include.length && !skip.length) return [...policies];
  const ids = policies.flatMap((p) => p.rules.map((r) => r.id));
  for (const [flag, globs] of [
    ['--rule', include],
    ['--skip-rule', skip],
  ] as const) {
    for (const glob of globs) {
      if (!ids.some((id) => globRegExp(glob).test(id)))
        throw new InputError(null, null, null, {
          en: format(MESSAGES.matchesNothing.en, { flag, glob }),
          vi: format(MESSAGES.matchesNothing.vi, { flag, glob }),
        });
    }
  }
  const kept = (id: string): boolean =>
    (!include.length || include.some((g) => globRegExp(g).test(id))) && !skip.some((g) => globRegExp(g).test(id));
  return policies.map((p) => ({ ...p, rules: p.rules.filter((r) => kept(r.id)) }));
}

/** Whether a finding is reported under --severity (every finding when none is given). */
export function severityFilter(severities: readonly Severity[] | undefined): ((f: Finding) => boolean) | null {
  if (!severities?.length) return null;
  const wanted = new Set(severities);
  return (f) => wanted.has(f.severity);
}
