// CEL for policy rules: one environment, expressions compiled once at load time, and a static pass
// that catches what @bufbuild/cel would only report at run time (unknown variables, functions and
// params), so a typo in a pack fails `policy validate` instead of turning every finding not-tested.
// Every expression is bounded in size when loaded and in cost when evaluated (cel-budget.ts).

import { CelScalar, celEnv, celList, celMap, isCelError, isCelList, isCelMap, parse, plan } from '@bufbuild/cel';
import type { CelInput, CelResult, CelValue } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import {
  CEL_LIMITS,
  CelBudgetExceeded,
  meterComprehensions,
  metered,
  meteredFunctions,
  sourceLimitProblem,
  treeLimitProblem,
  type CelNode,
} from './cel-budget.js';

/** Variables every rule expression sees. */
const CEL_VARIABLES = ['facts', 'target', 'params', 'data', 'now'] as const;

export interface Activation {
  facts: CelInput;
  target: CelInput;
  params: CelInput;
  /** The pack's reference tables (spec.data), by name. */
  data: CelInput;
  /** Evaluation time as an ISO-8601 string (`timestamp(now)` turns it into a CEL timestamp). */
  now: string;
}

const env = celEnv({
  variables: {
    facts: CelScalar.DYN,
    target: CelScalar.DYN,
    params: CelScalar.DYN,
    data: CelScalar.DYN,
    now: CelScalar.STRING,
  },
  funcs: meteredFunctions(strings),
});

type Program = (ctx: Activation) => CelResult;

export interface CompiledExpr {
  source: string;
  program: Program;
}

/** The parsed syntax tree, for checks that read it (facts paths); protobuf-shaped. */
export type CelAst = CelNode;

export type CompileResult = { ok: true; expr: CompiledExpr; ast: CelAst; macros: MacroCalls } | { ok: false; message: string };

/** The macro call (`filter`, `map`, …) each comprehension was expanded from, by the comprehension's id. */
export type MacroCalls = ReadonlyMap<bigint, string>;

// Type names are identifiers in CEL (`type(x) == int`), not variables.
const TYPE_IDENTS = new Set(['int', 'uint', 'double', 'bool', 'string', 'bytes', 'list', 'map', 'null_type', 'type', 'dyn']);

interface ParseSyntaxErrorShape {
  rawMessage?: unknown;
  location?: { start?: { column?: unknown } };
}

/** The names a pack declares: its params and its reference tables (`params.NAME`, `data.NAME`). */
export interface Declared {
  params: ReadonlySet<string>;
  data: ReadonlySet<string>;
}

export function compile(source: string, declared: Declared): CompileResult {
  // Bounded before parsing: the parser recurses on nesting and would overflow the stack.
  const tooLong = sourceLimitProblem(source);
  if (tooLong) return { ok: false, message: tooLong };
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(source);
  } catch (err) {
    return { ok: false, message: syntaxMessage(err) };
  }
  const ast = parsed.expr as CelAst;
  const problem = treeLimitProblem(ast) ?? staticCheck(parsed.expr, declared);
  if (problem) return { ok: false, message: problem };
  try {
    const planned = plan(env, meterComprehensions(ast) as typeof parsed.expr);
    return {
      ok: true,
      expr: { source, program: (ctx) => metered(() => planned(ctx), CEL_LIMITS.evaluationBudget) },
      ast,
      macros: macroCalls(parsed),
    };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

function macroCalls(parsed: ReturnType<typeof parse>): MacroCalls {
  const out = new Map<bigint, string>();
  for (const [id, call] of Object.entries(parsed.sourceInfo?.macroCalls ?? {})) {
    const kind = (call as CelAst).exprKind;
    if (kind.case === 'callExpr') out.set(BigInt(id), (kind.value as { function: string }).function);
  }
  return out;
}

/**
 * For expressions already known to compile (a built-in pack the build checked): parsing is deferred
 * to the first evaluation, so rules whose check never runs cost nothing at start-up. Should the
 * expression fail after all, every evaluation reports why, as a run-time CEL error would.
 */
export function compileLazily(source: string, declaredNames: Declared): CompiledExpr {
  let program: Program | undefined;
  const declared = { params: new Set(declaredNames.params), data: new Set(declaredNames.data) };
  return {
    source,
    program: (ctx) => {
      if (!program) {
        const result = compile(source, declared);
        const message = result.ok ? '' : result.message;
        program = result.ok
          ? result.expr.program
          : () => {
              throw new Error(`invalid CEL: ${message}`);
            };
      }
      return program(ctx);
    },
  };
}

function syntaxMessage(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const e = err as ParseSyntaxErrorShape;
    const column = e.location?.start?.column;
    if (typeof e.rawMessage === 'string') {
      return typeof column === 'number' ? `${e.rawMessage} (at column ${column} of the expression)` : e.rawMessage;
    }
  }
  return err instanceof Error ? err.message : String(err);
}

// The parsed AST is protobuf-shaped; only the parts walked here are described.
interface AstExpr {
  exprKind:
    | { case: 'identExpr'; value: { name: string } }
    | { case: 'selectExpr'; value: { operand?: AstExpr; field: string } }
    | { case: 'callExpr'; value: { target?: AstExpr; function: string; args: AstExpr[] } }
    | { case: 'listExpr'; value: { elements: AstExpr[] } }
    | { case: 'structExpr'; value: { entries: { mapKey?: AstExpr; value?: AstExpr }[] } }
    | {
        case: 'comprehensionExpr';
        value: {
          iterVar: string;
          iterVar2: string;
          accuVar: string;
          iterRange?: AstExpr;
          accuInit?: AstExpr;
          loopCondition?: AstExpr;
          loopStep?: AstExpr;
          result?: AstExpr;
        };
      }
    | { case: 'constExpr' | undefined; value?: unknown };
}

function staticCheck(root: unknown, declared: Declared): string | null {
  const known: readonly string[] = CEL_VARIABLES;
  const walk = (node: AstExpr | undefined, bound: ReadonlySet<string>): string | null => {
    if (!node) return null;
    const kind = node.exprKind;
    switch (kind.case) {
      case 'identExpr': {
        const name = kind.value.name;
        if (bound.has(name) || known.includes(name) || TYPE_IDENTS.has(name)) return null;
        return `unknown variable "${name}" (known: ${CEL_VARIABLES.join(', ')})`;
      }
      case 'selectExpr': {
        const operand = kind.value.operand;
        const root = operand?.exprKind.case === 'identExpr' && !bound.has(operand.exprKind.value.name) ? operand.exprKind.value.name : null;
        const names = root === 'params' ? declared.params : root === 'data' ? declared.data : null;
        if (names && !names.has(kind.value.field)) {
          const list = [...names].sort().join(', ') || 'none';
          return `unknown ${root === 'params' ? 'param' : 'data table'} "${kind.value.field}" (declared: ${list})`;
        }
        return walk(operand, bound);
      }
      case 'callExpr': {
        const fn = kind.value.function;
        // Operators (`_&&_`, `_?_:_`, `@not_strictly_false`…) are planned specially, not looked up.
        if (!fn.startsWith('_') && !fn.startsWith('@') && !env.funcs.find(fn)) return `unknown function "${fn}"`;
        for (const child of [kind.value.target, ...kind.value.args]) {
          const problem = walk(child, bound);
          if (problem) return problem;
        }
        return null;
      }
      case 'listExpr':
        for (const child of kind.value.elements) {
          const problem = walk(child, bound);
          if (problem) return problem;
        }
        return null;
      case 'structExpr':
        for (const entry of kind.value.entries) {
          const problem = walk(entry.mapKey, bound) ?? walk(entry.value, bound);
          if (problem) return problem;
        }
        return null;
      case 'comprehensionExpr': {
        const c = kind.value;
        const outer = walk(c.iterRange, bound) ?? walk(c.accuInit, bound);
        if (outer) return outer;
        const inner = new Set(bound);
        for (const v of [c.iterVar, c.iterVar2, c.accuVar]) if (v) inner.add(v);
        return walk(c.loopCondition, inner) ?? walk(c.loopStep, inner) ?? walk(c.result, inner);
      }
      default:
        return null;
    }
  };
  return walk(root as AstExpr, new Set());
}

/** `overBudget`: the evaluation was stopped at this many cost units (CEL_LIMITS.evaluationBudget). */
export type EvalResult = { ok: true; value: CelValue } | { ok: false; error: string; overBudget?: number };

export function run(expr: CompiledExpr, activation: Activation): EvalResult {
  let result: CelResult;
  try {
    result = expr.program(activation);
  } catch (err) {
    if (err instanceof CelBudgetExceeded) return { ok: false, error: err.message, overBudget: err.limit };
    // The planner is meant to return errors, but a thrown one must not abort a whole scan.
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  if (isCelError(result)) return { ok: false, error: result.message };
  return { ok: true, value: result };
}

export type BoolResult = { ok: true; value: boolean } | { ok: false; error: string; overBudget?: number };

export function runBool(expr: CompiledExpr, activation: Activation): BoolResult {
  const r = run(expr, activation);
  if (!r.ok) return r;
  if (typeof r.value !== 'boolean') return { ok: false, error: `expected a bool, got ${describeValue(r.value)}` };
  return { ok: true, value: r.value };
}

function describeValue(v: CelValue): string {
  if (v === null) return 'null';
  if (isCelList(v)) return 'a list';
  if (isCelMap(v)) return 'a map';
  return typeof v;
}

/** A CEL result as plain JS, for message placeholders. */
export function toPlain(v: CelValue): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (isCelList(v)) return [...v].map(toPlain);
  if (isCelMap(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, val] of v) out[String(k)] = toPlain(val);
    return out;
  }
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v);
}

/**
 * Facts arrive as `unknown` from JSON or a probe; CEL wants plain data. Undefined members are dropped
 * so `has()` sees them as absent, and Dates become the ISO strings the fact models use.
 */
export function toCelInput(value: unknown): CelInput {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'bigint') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(toCelInput);
  if (typeof value === 'object') {
    const out: Record<string, CelInput> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      out[k] = toCelInput(v);
    }
    return out;
  }
  return null;
}

/**
 * The same data as toCelInput, as CEL values built once. @bufbuild/cel wraps a plain object in a new
 * Map of all its entries on every member access (`facts.leaf.keyBits` copies `facts`, then `leaf`),
 * which made evaluation cost ~1 ms per endpoint; prebuilt CelMap/CelList values are returned as is.
 */
export function toCelValue(value: unknown): CelInput {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'bigint') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items: CelInput[] = [];
    for (const v of value as unknown[]) if (v !== undefined) items.push(toCelValue(v));
    return celList(items);
  }
  if (typeof value === 'object') {
    const entries = new Map<string, CelInput>();
    for (const k of Object.keys(value)) {
      const v: unknown = (value as Record<string, unknown>)[k];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      entries.set(k, toCelValue(v));
    }
    return celMap(entries);
  }
  return null;
}
