// Judging recorded facts against loaded packs. Pure: the same inputs give the same findings, with no
// I/O and no clock but `now`, so every rule is testable on JSON fixtures.

import { hash } from 'node:crypto';
import type { Attempt, Finding, Localized, Outcome, Severity, Target } from '../core/types.js';
import { format } from '../core/i18n/index.js';
import { technicalReason } from '../core/i18n/technical.js';
import { displayDate } from '../core/i18n/dates.js';
import { runBool, run, toCelInput, toCelValue, toPlain, type Activation, type CompiledExpr } from './cel.js';
import { POLICY_MESSAGES as M } from './messages.js';
import { fill, fillable, resolvePath } from './template.js';
import type { LoadedPolicy, LoadedRule, ParamValue } from './types.js';
import { judgesTarget } from './legal-basis.js';
import { coerceParamValue } from './params.js';

export interface EvaluateInput {
  targets: readonly Target[];
  attempts: readonly Attempt[];
  policies: readonly LoadedPolicy[];
  now: Date;
  /** Per-run overrides of pack params, by param name; applied to every pack that declares the name. */
  params?: Record<string, unknown>;
  /**
   * Passed and not-applicable findings carry no message and no evidence: for callers that only count
   * them (a lean report), which would otherwise build 18 messages per target to throw away.
   */
  lean?: boolean;
}

export function evaluate(input: EvaluateInput): Finding[] {
  const nowIso = input.now.toISOString();
  const attempts = new Map<string, Attempt>();
  for (const a of input.attempts) {
    const key = `${a.check}\u0000${a.target}`;
    // Keep the first: a probe is run once per target and check; a repeat is a caller's mistake.
    if (!attempts.has(key)) attempts.set(key, a);
  }
  const paramsByPolicy = new Map(
    input.policies.map((p) => {
      const merged = mergeParams(p, input.params ?? {});
      const data = Object.fromEntries(Object.entries(p.data).map(([name, t]) => [name, t.value]));
      return [p, { cel: toCelValue(merged), plain: toCelInput(merged), data: toCelValue(data) }] as const;
    }),
  );
  const factsCache = new Map<Attempt, Facts | Error>();
  const findings: Finding[] = [];

  for (const target of input.targets) {
    let targetScope: TargetScope | Error | undefined;
    for (const policy of input.policies) {
      // A system is judged by one security-level regime: the others' rules do not apply to it at all.
      if (!judgesTarget(policy, target)) continue;
      const inEffect = effectiveness(policy, nowIso);
      const params = paramsByPolicy.get(policy) ?? { cel: toCelValue({}), plain: {}, data: toCelValue({}) };
      for (const rule of policy.rules) {
        const attempt = attempts.get(`${rule.check}\u0000${target.key}`);
        // The check did not apply to this target at all, so neither does the rule.
        if (!attempt) continue;
        // Contained: whatever goes wrong judging one rule on one target makes that pair "not
        // tested" with the reason, never a crash, a pass, or a gap in the other rules' findings.
        try {
          targetScope ??= attemptTo(() => targetActivation(target));
          if (targetScope instanceof Error) throw targetScope;
          let facts = factsCache.get(attempt);
          if (facts === undefined && attempt.status === 'ok' && attempt.facts !== undefined) {
            const raw = attempt.facts;
            facts = attemptTo(() => new Facts(raw));
            factsCache.set(attempt, facts);
          }
          if (facts instanceof Error) throw facts;
          const scope = targetScope;
          const activation: Scope | null =
            facts === undefined
              ? null
              : {
                  cel: { facts: facts.cel, target: scope.cel, params: params.cel, data: params.data, now: nowIso },
                  plain: () => ({ facts: facts.plain, target: scope.plain, params: params.plain, now: nowIso }),
                };
          findings.push(judge({ rule, policy, target, attempt, activation, inEffect, lean: input.lean ?? false }));
        } catch (err) {
          findings.push(notJudged(rule, policy, target, err));
        }
      }
    }
  }
  return findings;
}

function attemptTo<T>(make: () => T): T | Error {
  try {
    return make();
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** The finding of a rule whose judging threw: built from the rule alone, nothing that could throw again. */
function notJudged(rule: LoadedRule, policy: LoadedPolicy, target: Target, err: unknown): Finding {
  const reason = loc(M.judgingFailed, { error: err instanceof Error ? err.message : String(err) });
  return {
    ruleId: rule.id,
    policyId: policy.id,
    policyVersion: policy.version,
    check: rule.check,
    target: target.key,
    outcome: 'not-tested',
    severity: rule.severity,
    title: { ...rule.title },
    message: outcomeMessage({ outcome: 'not-tested', reason }, rule, target),
    references: [...rule.references],
    evidence: {},
    fingerprint: fingerprint(rule.id, target.key),
    reason: reason.en,
    reasonText: reason,
  };
}

/**
 * One attempt's facts in the two shapes evaluation needs: CEL values for expressions (built once per
 * attempt, shared by every rule), and plain data for message placeholders and evidence, built only
 * when a finding shows them (a lean report shows them for failures alone).
 */
class Facts {
  readonly cel: ReturnType<typeof toCelValue>;
  private plainCopy: ReturnType<typeof toCelInput> | undefined;
  constructor(private readonly raw: unknown) {
    this.cel = toCelValue(raw);
  }
  get plain(): ReturnType<typeof toCelInput> {
    this.plainCopy ??= toCelInput(this.raw);
    return this.plainCopy;
  }
}

/** What a rule's expressions see (`cel`), and the same data as plain JS for texts and evidence. */
interface Scope {
  cel: Activation;
  plain: () => { facts: unknown; target: unknown; params: unknown; now: string };
}

interface Judgement {
  outcome: Outcome;
  reason?: Localized;
}

interface JudgeInput {
  rule: LoadedRule;
  policy: LoadedPolicy;
  target: Target;
  attempt: Attempt;
  activation: Scope | null;
  inEffect: Localized | null;
  lean: boolean;
}

const NO_TEXT: Localized = Object.freeze({ en: '', vi: '' });

function judge(j: JudgeInput): Finding {
  const { rule, policy, target, activation } = j;
  const verdict = decide(j);
  const quiet = j.lean && (verdict.outcome === 'pass' || verdict.outcome === 'not-applicable');
  let message: Localized;
  let remediation: Localized | undefined;
  let values: Record<string, unknown> | undefined;
  if (quiet) {
    message = NO_TEXT;
  } else if (verdict.outcome === 'fail' && activation) {
    values = computeValues(rule, activation.cel);
    const scope = { ...activation.plain(), values };
    message = { en: fill(rule.message.en, scope, 'en'), vi: fill(rule.message.vi, scope, 'vi') };
    remediation = { en: fill(rule.remediation.en, scope, 'en'), vi: fill(rule.remediation.vi, scope, 'vi') };
  } else {
    message = outcomeMessage(verdict, rule, target);
  }
  const finding: Finding = {
    ruleId: rule.id,
    policyId: policy.id,
    policyVersion: policy.version,
    check: rule.check,
    target: target.key,
    outcome: verdict.outcome,
    severity: severityFor(rule, target, activation),
    title: { ...rule.title },
    message,
    references: [...rule.references],
    evidence:
      activation && !quiet ? evidenceOf(rule, activation.plain().facts, () => (values ??= computeValues(rule, activation.cel))) : {},
    // Regime packs share rule ids with different meanings (SECLEVEL-ASSESSMENT-OVERDUE under Decree 85
    // and Decree 331): the pack is part of the identity, so a baseline of one never hides the other.
    fingerprint: fingerprint(rule.id, target.key, policy.regime ? policy.id : undefined),
  };
  if (remediation) finding.remediation = remediation;
  if (verdict.reason) {
    finding.reason = verdict.reason.en;
    if (verdict.reason.vi !== verdict.reason.en) finding.reasonText = verdict.reason;
  }
  return finding;
}

function decide(j: JudgeInput): Judgement {
  const { rule, attempt, activation } = j;
  const vars = { check: rule.check };
  if (j.inEffect) return { outcome: 'not-applicable', reason: j.inEffect };
  if (attempt.status === 'error')
    return { outcome: 'not-tested', reason: attempt.reasonText ?? verbatim(attempt.reason) ?? loc(M.probeFailed, vars) };
  if (attempt.status === 'not-applicable') {
    return { outcome: 'not-applicable', reason: verbatim(attempt.reason) ?? loc(M.checkNotApplicable, vars) };
  }
  if (!activation) return { outcome: 'not-tested', reason: loc(M.noFacts, vars) };

  const step = (expr: CompiledExpr | null, field: string): boolean | Localized => {
    if (!expr) return true;
    const r = runBool(expr, activation.cel);
    if (r.ok) return r.value;
    return r.overBudget
      ? loc(M.celOverBudget, { field, limit: r.overBudget.toLocaleString('en') })
      : loc(M.celError, { field, error: r.error });
  };
  const when = step(rule.when, 'when');
  if (typeof when !== 'boolean') return { outcome: 'not-tested', reason: when };
  if (!when) return { outcome: 'not-applicable', reason: condition(M.whenFalse, rule, rule.when) };
  const requires = step(rule.requires, 'requires');
  if (typeof requires !== 'boolean') return { outcome: 'not-tested', reason: requires };
  if (!requires) {
    const words = rule.requiresReason;
    const scope = words ? { ...activation.plain(), values: computeValues(rule, activation.cel) } : null;
    // Facts recorded by an older probe may lack what the words name: the expression is then the honest reason.
    if (!words || !scope || !fillable(words.en, scope) || !fillable(words.vi, scope)) {
      return { outcome: 'not-tested', reason: condition(M.requiresFalse, rule, rule.requires) };
    }
    return { outcome: 'not-tested', reason: { en: fill(words.en, scope, 'en'), vi: fill(words.vi, scope, 'vi') } };
  }
  const holds = step(rule.assert, 'assert');
  if (typeof holds !== 'boolean') return { outcome: 'not-tested', reason: holds };
  return { outcome: holds ? 'pass' : 'fail' };
}

function condition(text: Localized, rule: LoadedRule, expr: CompiledExpr | null): Localized {
  return { en: format(text.en, { condition: oneLine(expr) }), vi: format(text.vi, { condition: rule.title.vi }) };
}

// Folded YAML keeps line breaks before more-indented lines; a reason is one line.
function oneLine(expr: CompiledExpr | null): string {
  return expr ? expr.source.replace(/\s+/g, ' ').trim() : '';
}

function outcomeMessage(verdict: Judgement, rule: LoadedRule, target: Target): Localized {
  const template = verdict.outcome === 'pass' ? M.pass : verdict.outcome === 'not-applicable' ? M.notApplicable : M.notTested;
  const text = (lang: 'en' | 'vi'): string =>
    format(template[lang], { target: target.key, title: rule.title[lang], reason: verdict.reason?.[lang] ?? '' });
  return { en: text('en'), vi: text('vi') };
}

function computeValues(rule: LoadedRule, activation: Activation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { name, expr } of rule.values) {
    const r = run(expr, activation);
    // An unevaluable value leaves its placeholder visible rather than hiding the finding.
    if (r.ok) out[name] = toPlain(r.value);
  }
  return out;
}

/** Base severity, then the system's security level, then the first conditional override that holds. */
function severityFor(rule: LoadedRule, target: Target, activation: Scope | null): Severity {
  let severity = rule.severity;
  const level = target.system?.level;
  const byLevel = level === undefined ? undefined : rule.bySecurityLevel[String(level)];
  if (byLevel) severity = byLevel;
  if (activation) {
    for (const o of rule.severityOverrides) {
      const r = runBool(o.when, activation.cel);
      if (r.ok && r.value) return o.severity;
    }
  }
  return severity;
}

/** Evidence names fact paths, or `values.NAME` for what the rule computed (the offending suites). */
function evidenceOf(rule: LoadedRule, facts: unknown, values: () => Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of rule.evidence) {
    const r = path.startsWith('values.') ? resolvePath(values(), path.slice('values.'.length)) : resolvePath(facts, path);
    out[path] = r.found ? structuredClone(r.value) : null;
  }
  return out;
}

export function fingerprint(ruleId: string, targetKey: string, scope?: string): string {
  // One-shot hash: a Hash object per finding was ~0.2 ms per endpoint of setup and teardown.
  return hash('sha256', `${ruleId}\u0000${targetKey}${scope === undefined ? '' : `\u0000${scope}`}`, 'hex').slice(0, 32);
}

function effectiveness(policy: LoadedPolicy, nowIso: string): Localized | null {
  // Which regime judges a system is decided before evaluation (policy/legal-basis.ts), dates
  // included; a regime chosen outside its dates still judges, and an ended one is its own finding
  // (SECLEVEL-REGIME-ENDED) rather than a run of silent "not applicable".
  if (policy.regime) return null;
  const today = nowIso.slice(0, 10);
  const { from, to } = policy.effective;
  const dated = (text: Localized, date: string): Localized => ({
    en: format(text.en, { policy: policy.id, date }),
    vi: format(text.vi, { policy: policy.id, date: displayDate(date, 'vi') }),
  });
  if (from && today < from) return dated(M.notYetEffective, from);
  if (to && today > to) return dated(M.noLongerEffective, to);
  return null;
}

interface TargetScope {
  cel: ReturnType<typeof toCelValue>;
  plain: ReturnType<typeof toCelInput>;
}

function targetActivation(target: Target): TargetScope {
  // `level` saves every rule from writing `has(target.system) && has(target.system.level) ? … : 0`.
  const scope = { ...target, level: target.system?.level ?? 0 };
  return { cel: toCelValue(scope), plain: toCelInput(scope) };
}

/**
 * Overrides come from flags or config as strings; they take the type the pack declared so
 * `facts.leaf.daysToExpiry >= params.minDaysToExpiry` keeps comparing numbers. (Runs check them
 * first with params.ts applyParams, which also reports what is wrong.)
 */
function mergeParams(policy: LoadedPolicy, overrides: Record<string, unknown>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = { ...policy.params };
  for (const [name, value] of Object.entries(overrides)) {
    const spec = policy.paramSpecs[name];
    const coerced = spec ? coerceParamValue(spec, value) : undefined;
    if (coerced !== undefined) out[name] = coerced;
  }
  return out;
}

function loc(text: Localized, vars: Record<string, unknown>): Localized {
  return { en: format(text.en, vars), vi: format(text.vi, vars) };
}

/** A probe's English reason, in Vietnamese too when the technical catalogue knows it. */
function verbatim(text: string | undefined): Localized | null {
  return text ? technicalReason(text) : null;
}
