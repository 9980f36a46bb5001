// Loading a policy pack: YAML with positions → JSON Schema → semantic checks (known checks, unique
// ids, CEL that compiles, placeholders that resolve) → a LoadedPolicy with compiled expressions.
// Any problem is an InputError pointing at the YAML node; `collect*` variants return all of them.

import { InputError } from '../core/errors.js';
import { readInputText } from '../core/input-limits.js';
import type { Localized, Severity } from '../core/types.js';
import { errorAt, parseYaml, positionOf, nodeAt, type PathSegment, type YamlSource } from '../core/yaml-source.js';
import { compile, compileLazily, type CompiledExpr } from './cel.js';
import { celFactProblems, dottedFactProblem } from './fact-paths.js';
import { validateSchema } from './schema.js';
import { readParams, resolveEffective } from './params.js';
import { placeholders } from './template.js';
import type { LoadOptions, LoadedPolicy, LoadedRule, PolicyDocument, RuleDocument } from './types.js';

export interface PolicyCheckResult {
  policy: LoadedPolicy | null;
  errors: InputError[];
}

/** Every problem in one pack's text; `policy` is set only when there are none. */
export function checkPolicyText(text: string, file: string, opts: LoadOptions, builtin = false): PolicyCheckResult {
  const parsed = parseYaml(text, file);
  if (!parsed.ok) return { policy: null, errors: parsed.errors };
  const source = yamlLocator(parsed.source);
  // Built-in packs ship with the tool and a test validates each against the schema, so every run
  // need not pay ~50 ms to compile it; packs from users are always validated.
  if (builtin) return buildPolicy(parsed.value as PolicyDocument, source, opts, builtin);
  const schema = validateSchema(parsed.value, parsed.source);
  if (!schema.ok) return { policy: null, errors: schema.errors };
  return buildPolicy(schema.doc, source, opts, builtin);
}

/**
 * A built-in pack from the build-time cache (builtin-cache.ts): the document as parsed and the
 * position of each rule id. The build only caches packs that passed every check, CEL included, so
 * expressions are compiled when first evaluated rather than all at start-up. Null when anything
 * fails here (say, a check the registry no longer knows): the caller then loads the YAML itself, which
 * reports the problem at its exact position.
 */
export function policyFromCache(
  doc: PolicyDocument,
  ruleIds: readonly { line: number; col: number }[],
  file: string,
  opts: LoadOptions,
): LoadedPolicy | null {
  if (ruleIds.length !== doc.spec.rules.length) return null;
  const locator: PackLocator = {
    file,
    position: (path) =>
      path.length === 4 && path[2] !== undefined && typeof path[2] === 'number'
        ? (ruleIds[path[2]] ?? { line: 1, col: 1 })
        : { line: 1, col: 1 },
    errorAt: (_path, detail) => InputError.inFile(file, detail),
  };
  const result = buildPolicy(doc, locator, opts, true, true);
  return result.errors.length ? null : result.policy;
}

/** Where buildPolicy's complaints point: YAML nodes, or the positions recorded in the cache. */
interface PackLocator {
  file: string;
  position(path: readonly PathSegment[]): { line: number; col: number };
  errorAt(path: readonly PathSegment[], detail: string, key?: boolean): InputError;
}

function yamlLocator(source: YamlSource): PackLocator {
  return {
    file: source.file,
    position: (path) => positionOf(source, nodeAt(source, path)),
    errorAt: (path, detail, key) => errorAt(source, path, detail, key),
  };
}

export function loadPolicyText(text: string, file: string, opts: LoadOptions): LoadedPolicy {
  return unwrap(checkPolicyText(text, file, opts));
}

export async function loadPolicyFile(path: string, opts: LoadOptions): Promise<LoadedPolicy> {
  return unwrap(await checkPolicyFile(path, opts));
}

export async function checkPolicyFile(path: string, opts: LoadOptions, builtin = false): Promise<PolicyCheckResult> {
  let text: string;
  try {
    text = await readInputText(path, 'policy');
  } catch (err) {
    if (err instanceof InputError) return { policy: null, errors: [err] };
    return { policy: null, errors: [InputError.inFile(path, `cannot read policy file: ${readErrorText(err)}`)] };
  }
  return checkPolicyText(text, path, opts, builtin);
}

function readErrorText(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return err instanceof Error ? err.message : String(err);
}

function unwrap(result: PolicyCheckResult): LoadedPolicy {
  const [first] = result.errors;
  if (first) throw first;
  if (!result.policy) throw InputError.unlocated('policy pack did not load');
  return result.policy;
}

/**
 * Rule ids name waivers and SARIF rules, so they must be unique across every pack in a run, and
 * two packs may not share an id either. Errors point at the later declaration.
 */
export function crossPackErrors(policies: readonly LoadedPolicy[]): InputError[] {
  const errors: InputError[] = [];
  const packs = new Map<string, LoadedPolicy>();
  const rules = new Map<string, { rule: LoadedRule; policy: LoadedPolicy }>();
  for (const policy of policies) {
    const earlierPack = packs.get(policy.id);
    if (earlierPack) {
      errors.push(InputError.inFile(policy.source, `policy "${policy.id}" is also loaded from ${earlierPack.source}`));
      continue;
    }
    packs.set(policy.id, policy);
    for (const rule of policy.rules) {
      const earlier = rules.get(rule.id);
      if (earlier) {
        const where = `${earlier.policy.source}:${earlier.rule.location.line}`;
        errors.push(
          new InputError(
            rule.location.file,
            rule.location.line,
            rule.location.column,
            `rule ${rule.id}: duplicate rule id (also in policy "${earlier.policy.id}" at ${where})`,
          ),
        );
      } else {
        rules.set(rule.id, { rule, policy });
      }
    }
  }
  return errors;
}

export function assertNoCrossPackDuplicates(policies: readonly LoadedPolicy[]): void {
  const [first] = regimeAwareCrossPackErrors(policies);
  if (first) throw first;
}

/**
 * crossPackErrors for a run that may hold several security-level regime packs (vn-nd85-2016,
 * vn-nd331-2026): they are alternatives sharing rule ids — each system is judged by one of them — so
 * each is checked with the other packs, not with the other regimes. Their pack ids must still differ.
 */
function regimeAwareCrossPackErrors(policies: readonly LoadedPolicy[]): InputError[] {
  const regimes = policies.filter((p) => p.regime);
  const runs = regimes.length > 1 ? regimes.map((r) => policies.filter((p) => !p.regime || p === r)) : [policies];
  const cross = [
    ...runs.flatMap((set) => crossPackErrors(set)),
    ...crossPackErrors(regimes).filter((e) => !/duplicate rule id/.test(e.message)),
  ];
  regimes.forEach((r, i) => {
    const earlier = regimes.slice(0, i).find((x) => x.regime?.id === r.regime?.id);
    if (earlier)
      cross.push(
        InputError.inFile(
          r.source,
          `metadata.regime.id: "${r.regime?.id}" is also the regime of policy "${earlier.id}" (${earlier.source})`,
        ),
      );
  });
  return cross.filter((e, i) => cross.findIndex((x) => x.message === e.message) === i);
}

/** For `govscan policy validate FILE...`: every problem in every file, not just the first. */
export async function validatePolicyFiles(paths: readonly string[], opts: LoadOptions): Promise<InputError[]> {
  const results = await Promise.all(paths.map((p) => checkPolicyFile(p, opts)));
  const errors = results.flatMap((r) => r.errors);
  const loaded = results.flatMap((r) => (r.policy ? [r.policy] : []));
  return [...errors, ...regimeAwareCrossPackErrors(loaded)];
}

function buildPolicy(doc: PolicyDocument, source: PackLocator, opts: LoadOptions, builtin: boolean, lazyCel = false): PolicyCheckResult {
  const errors: InputError[] = [];
  const declaredParams = readParams(doc.spec.params ?? {});
  for (const p of declaredParams.problems) errors.push(source.errorAt(['spec', 'params', ...p.path], p.detail));
  const params = declaredParams.values;
  const declared = { params: new Set(Object.keys(params)), data: new Set(Object.keys(doc.spec.data ?? {})) };
  const dates = resolveEffective(doc.metadata.effective ?? {}, params, declaredParams.specs);
  for (const p of dates.problems) errors.push(source.errorAt(['metadata', 'effective', p.field], p.detail));
  const effective = dates.effective;
  if (effective.from && effective.to && effective.to < effective.from) {
    errors.push(source.errorAt(['metadata', 'effective', 'to'], `metadata.effective.to: ${effective.to} is before from ${effective.from}`));
  }

  const firstLine = new Map<string, number>();
  const rules: LoadedRule[] = [];
  doc.spec.rules.forEach((raw, i) => {
    const base: PathSegment[] = ['spec', 'rules', i];
    const fail = (field: PathSegment[], detail: string, key = false): void => {
      errors.push(source.errorAt([...base, ...field], `rule ${raw.id}: ${detail}`, key));
    };
    const idPos = source.position([...base, 'id']);
    const seen = firstLine.get(raw.id);
    if (seen !== undefined) fail(['id'], `duplicate rule id (first defined at line ${seen})`);
    else firstLine.set(raw.id, idPos.line);

    const factsSchema = opts.knownChecks.get(raw.check);
    if (!factsSchema) {
      const known = [...opts.knownChecks.keys()].sort().join(', ') || 'none';
      fail(['check'], `unknown check "${raw.check}" (known: ${known})`);
    }

    const cel = (field: PathSegment[], text: string, label: string): CompiledExpr | null => {
      if (lazyCel) return compileLazily(text, declared);
      const result = compile(text, declared);
      if (!result.ok) {
        fail(field, `invalid CEL in ${label}: ${result.message}`);
        return null;
      }
      if (factsSchema) for (const problem of celFactProblems(result.ast, result.macros, raw.check, factsSchema)) fail(field, problem);
      return result.expr;
    };
    const when = raw.when === undefined ? null : cel(['when'], raw.when, 'when');
    const requires = raw.requires === undefined ? null : cel(['requires'], raw.requires, 'requires');
    const assert = cel(['assert'], raw.assert, 'assert');
    const values = Object.entries(raw.values ?? {}).map(([name, text]) => ({ name, expr: cel(['values', name], text, `values.${name}`) }));
    const overrides = (raw.severityOverrides ?? []).map((o, j) => ({
      when: cel(['severityOverrides', j, 'when'], o.when, `severityOverrides[${j}].when`),
      severity: o.severity,
    }));

    const valueNames = new Set(Object.keys(raw.values ?? {}));
    if (raw.requiresReason && raw.requires === undefined) fail(['requiresReason'], 'requiresReason: the rule has no requires to explain');
    // Without it a reader is shown the CEL expression, which is code (and never Vietnamese).
    if (raw.requires !== undefined && !raw.requiresReason)
      fail(
        ['requires'],
        'requires: a rule whose requires can be false needs a requiresReason saying why it is then not tested, in English and Vietnamese',
      );
    for (const field of ['message', 'remediation', 'requiresReason'] as const) {
      const text = raw[field];
      if (!text) continue;
      for (const lang of ['en', 'vi'] as const) {
        for (const name of placeholders(text[lang])) {
          const problem =
            placeholderProblem(name, declared.params, valueNames) ??
            (factsSchema && !lazyCel && name.startsWith('facts.')
              ? dottedFactProblem(name.slice('facts.'.length), raw.check, factsSchema, (p) => `{facts.${p}}`)
              : null);
          if (problem) fail([field, lang], `${field}.${lang}: ${problem}`);
        }
      }
    }
    (raw.evidence ?? []).forEach((path, j) => {
      // `values.NAME`: what the rule computed (the offending cipher suites), not a recorded fact.
      const value = /^values\.(.+)$/.exec(path)?.[1];
      const problem =
        value !== undefined
          ? valueNames.has(value)
            ? null
            : `unknown value "${value}" (define it under values:)`
          : factsSchema && !lazyCel
            ? dottedFactProblem(path, raw.check, factsSchema, (p) => p)
            : null;
      if (problem) fail(['evidence', j], `evidence: ${problem}`);
    });

    // A failed compile has already recorded an error, and any error discards the whole pack.
    if (!assert) return;
    rules.push({
      id: raw.id,
      check: raw.check,
      severity: raw.severity,
      title: localized(raw.title),
      description: localized(raw.description),
      when,
      requires,
      requiresReason: raw.requiresReason ? localized(raw.requiresReason) : null,
      assert,
      values: values.flatMap((v) => (v.expr ? [{ name: v.name, expr: v.expr }] : [])),
      severityOverrides: overrides.flatMap((o) => (o.when ? [{ when: o.when, severity: o.severity }] : [])),
      bySecurityLevel: levelSeverities(raw),
      message: localized(raw.message),
      remediation: localized(raw.remediation),
      evidence: [...(raw.evidence ?? [])],
      references: [...(raw.references ?? [])],
      tags: [...(raw.tags ?? [])],
      category: raw.category ?? null,
      location: { file: source.file, line: idPos.line, column: idPos.col },
    });
  });

  if (errors.length) return { policy: null, errors };
  const m = doc.metadata;
  return {
    policy: {
      id: m.id,
      scope: m.scope ?? 'scan',
      version: m.version,
      title: localized(m.title),
      description: m.description ? localized(m.description) : null,
      legalBasis: [...m.legalBasis],
      effective: { ...(effective.from ? { from: effective.from } : {}), ...(effective.to ? { to: effective.to } : {}) },
      effectiveParams: dates.effectiveParams,
      params: { ...params },
      paramSpecs: declaredParams.specs,
      data: Object.fromEntries(
        Object.entries(doc.spec.data ?? {}).map(([name, t]) => [
          name,
          { description: localized(t.description), source: [...t.source], value: t.value },
        ]),
      ),
      ...(m.regime
        ? { regime: { id: m.regime.id, name: localized(m.regime.name), ...(m.regime.replaces ? { replaces: m.regime.replaces } : {}) } }
        : {}),
      rules,
      source: source.file,
      builtin,
    },
    errors: [],
  };
}

const PLACEHOLDER_ROOTS = ['facts', 'target', 'params', 'values', 'now'];

function placeholderProblem(name: string, params: ReadonlySet<string>, values: ReadonlySet<string>): string | null {
  const [root, second] = name.split('.');
  if (root === undefined || !PLACEHOLDER_ROOTS.includes(root)) {
    return `unknown placeholder {${name}} (use facts.*, target.*, params.*, values.* or now)`;
  }
  if (root === 'now') return second === undefined ? null : `unknown placeholder {${name}} (now is a string)`;
  if (second === undefined) return `placeholder {${name}} must name a field, e.g. {${root}.…}`;
  if (root === 'params' && !params.has(second)) return `unknown param in placeholder {${name}}`;
  if (root === 'values' && !values.has(second)) return `unknown value in placeholder {${name}} (define it under values:)`;
  return null;
}

function localized(t: Localized): Localized {
  return { en: t.en, vi: t.vi };
}

function levelSeverities(raw: RuleDocument): Partial<Record<string, Severity>> {
  const out: Partial<Record<string, Severity>> = {};
  for (const [level, v] of Object.entries(raw.bySecurityLevel ?? {})) out[level] = v.severity;
  return out;
}
