// The facts a rule reads must be facts its check records. A misspelt path (`facts.leaf.expird`) is
// valid CEL and reads as "field not found" only at run time, silently turning a critical rule into
// "not tested" on every target; here it is refused at load with the closest real name, by following
// each path through the JSON Schema of the check's facts (checks/*/facts.schema.ts).
//
// Followed: `facts.a.b`, `has(facts.a.b)`, `facts.a['b']`, `facts.list[0]`, and the variables of
// comprehensions over fact lists (`facts.hosts.all(h, h.name …)`, also after `.filter()`). Anything
// whose shape is not known from the schema (a computed value, a map's key, a `dyn` fact) is not
// judged: a false alarm would block a valid pack.

import type { CelAst, MacroCalls } from './cel.js';
import { children, type CelNode } from './cel-budget.js';

type Schema = Record<string, unknown>;

/** A value whose schema is known, and how the expression reached it (for messages). */
interface Known {
  schema: Schema;
  /** As written: `facts.leaf`, `h.aaaa`. */
  path: string;
  /** What a comprehension variable stands for: `h is each of facts.hosts`. */
  about?: string;
}

type Lookup = { kind: 'found'; schema: Schema } | { kind: 'unknown' } | { kind: 'missing'; names: string[]; parentType?: string };

/** Every `facts.` path of one parsed expression that the check does not record, as sentences. */
export function celFactProblems(ast: CelAst, macros: MacroCalls, check: string, schema: Schema): string[] {
  const problems = new Set<string>();
  /** One step from a known value: `.key` (select) or `['key']` (index). */
  const follow = (base: Known | null, key: string, indexed: boolean): Known | null => {
    if (!base) return null;
    const step = (name: string): string => (indexed ? `${base.path}['${name}']` : `${base.path}.${name}`);
    const found = property(base.schema, key);
    if (found.kind === 'missing') problems.add(notAFact(step(key), check, found, step, base.about, base.path, key));
    return found.kind === 'found' ? { schema: found.schema, path: step(key), ...(base.about ? { about: base.about } : {}) } : null;
  };
  const walk = (node: CelNode, scope: ReadonlyMap<string, Known | null>): Known | null => {
    const kind = node.exprKind;
    const v = kind.value as Record<string, unknown>;
    switch (kind.case) {
      case 'identExpr': {
        const name = v.name as string;
        if (scope.has(name)) return scope.get(name) ?? null;
        return name === 'facts' ? { schema, path: 'facts' } : null;
      }
      case 'selectExpr': {
        const field = v.field as string;
        return follow(walk(v.operand as CelNode, scope), field, false);
      }
      case 'callExpr': {
        const args = (v.args as CelNode[] | undefined) ?? [];
        const [operand, key] = args;
        if (v.function === '_[_]' && operand && key) {
          const base = walk(operand, scope);
          walk(key, scope);
          const constant = constantOf(key);
          if (typeof constant === 'string') return follow(base, constant, true);
          const list = base ? itemsOf(base.schema) : null;
          return base && list ? { ...base, schema: list, path: `${base.path}[${String(constant ?? '…')}]` } : null;
        }
        for (const c of children(node)) walk(c.node, scope);
        return null;
      }
      case 'comprehensionExpr': {
        const range = walk(v.iterRange as CelNode, scope);
        walk(v.accuInit as CelNode, scope);
        const inner = new Map(scope);
        const items = range ? itemsOf(range.schema) : null;
        const iterVar = v.iterVar as string;
        const iterVar2 = v.iterVar2 as string;
        // One variable: each item of a list (or each key of a map). Two: index and item (key and value).
        const item = (name: string): Known | null =>
          items && range ? { schema: items, path: name, about: `${name} is each of ${range.path}` } : null;
        if (iterVar2) {
          inner.set(iterVar, null);
          inner.set(iterVar2, item(iterVar2));
        } else {
          inner.set(iterVar, item(iterVar));
        }
        inner.set(v.accuVar as string, null);
        for (const part of ['loopCondition', 'loopStep', 'result']) walk(v[part] as CelNode, inner);
        // `.filter()` keeps the items as they were: a chained `.map(c, c.path)` is still checked.
        return macros.get(node.id) === 'filter' ? range : null;
      }
      default:
        for (const c of children(node)) walk(c.node, scope);
        return null;
    }
  };
  walk(ast, new Map());
  return [...problems];
}

/**
 * A dotted path into the facts (`leaf.notAfter`, the rule's `evidence:`), or a placeholder's path
 * after `facts.`. Keys may contain dots (`protocols.TLSv1.1`): the longest run naming a key wins, as
 * when the path is resolved (template.ts resolvePath).
 */
export function dottedFactProblem(path: string, check: string, schema: Schema, shown: (p: string) => string): string | null {
  const segments = path.split('.');
  let current = schema;
  let i = 0;
  let reached = '';
  while (i < segments.length) {
    const list = itemsOf(current);
    if (list && /^\d+$/.test(segments[i] ?? '')) {
      reached = join(reached, segments[i] ?? '');
      current = list;
      i++;
      continue;
    }
    let found: Lookup | null = null;
    for (let j = segments.length; j > i; j--) {
      const key = segments.slice(i, j).join('.');
      const hit = property(current, key);
      if (hit.kind === 'missing' && j > i + 1) continue;
      found = hit;
      if (hit.kind !== 'missing') {
        reached = join(reached, key);
        i = j;
      }
      break;
    }
    if (!found || found.kind === 'unknown') return null;
    if (found.kind === 'missing') {
      const name = segments[i] ?? '';
      return notAFact(
        shown(join(reached, segments.slice(i).join('.'))),
        check,
        found,
        (n) => shown(join(reached, n)),
        undefined,
        shown(reached),
        name,
      );
    }
    current = found.schema;
  }
  return null;
}

function join(a: string, b: string): string {
  return a ? `${a}.${b}` : b;
}

function notAFact(
  path: string,
  check: string,
  found: Lookup & { kind: 'missing' },
  suggest: (name: string) => string,
  about: string | undefined,
  parent: string,
  name: string,
): string {
  const hints: string[] = [];
  if (about) hints.push(about);
  if (found.parentType) hints.push(`${parent} is ${found.parentType}`);
  const near = closest(name, found.names);
  if (near !== null) hints.push(`did you mean ${suggest(near)}?`);
  return `${path} is not a fact of check ${check}${hints.length ? ` (${hints.join('; ')})` : ''}`;
}

/** The alternatives a value may take (`oneOf: [null, {…}]`). */
function alternatives(schema: Schema): Schema[] {
  const alts = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  return Array.isArray(alts) ? alts.flatMap(alternatives) : [schema];
}

/** JSON types a schema admits; null when it does not say (then nothing is judged about it). */
function typesOf(schema: Schema): Set<string> | null {
  if (typeof schema.type === 'string') return new Set([schema.type]);
  if (Array.isArray(schema.type)) return new Set(schema.type as string[]);
  if (schema.properties || schema.additionalProperties !== undefined) return new Set(['object']);
  if (schema.items) return new Set(['array']);
  const values = (schema.enum as unknown[] | undefined) ?? ('const' in schema ? [schema.const] : undefined);
  if (values)
    return new Set(values.map((x) => (x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x === 'number' ? 'number' : typeof x)));
  return null;
}

function property(schema: Schema, name: string): Lookup {
  const names: string[] = [];
  const others = new Set<string>();
  for (const alt of alternatives(schema)) {
    const types = typesOf(alt);
    if (types === null) return { kind: 'unknown' };
    if (!types.has('object')) {
      for (const t of types) if (t !== 'null') others.add(t);
      continue;
    }
    const props = (alt.properties ?? {}) as Record<string, Schema>;
    if (Object.hasOwn(props, name)) return { kind: 'found', schema: props[name] ?? {} };
    const extra = alt.additionalProperties;
    if (extra && typeof extra === 'object') return { kind: 'found', schema: extra as Schema };
    if (extra !== false) return { kind: 'unknown' };
    names.push(...Object.keys(props));
  }
  if (names.length === 0 && others.size > 0) return { kind: 'missing', names, parentType: article([...others].sort().join(' or ')) };
  return { kind: 'missing', names };
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function itemsOf(schema: Schema): Schema | null {
  for (const alt of alternatives(schema)) {
    if (alt.items && typeof alt.items === 'object' && !Array.isArray(alt.items)) return alt.items as Schema;
  }
  return null;
}

function constantOf(node: CelNode): unknown {
  if (node.exprKind.case !== 'constExpr') return undefined;
  const c = (node.exprKind.value as { constantKind?: { case?: string; value?: unknown } }).constantKind;
  return c?.case === 'stringValue' ? c.value : c?.case === 'int64Value' || c?.case === 'uint64Value' ? Number(c.value) : undefined;
}

/** The candidate nearest to `name` in edit distance, when near enough to be a likely typo. */
function closest(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
