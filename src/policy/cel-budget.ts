// What one CEL expression may cost. @bufbuild/cel has no cost tracking of its own, and a custom pack
// could hang a scan (five nested `.all()` ran for minutes, deaf to Ctrl-C), exhaust memory (nested
// `.map()`) or overflow the stack (a 50,000-term sum). Two guards, in the spirit of cel-go and the
// Kubernetes admission limits:
// - at load, a static bound on the expression: its length and bracket nesting (so the parser's
//   recursion stays shallow), the depth and size of its syntax tree, and how deeply comprehensions
//   (all, exists, exists_one, map, filter) nest — each level multiplies the work by a list's length;
// - at run time, a budget of cost units per evaluation: every comprehension step, and every function
//   call in proportion to the size of what it reads and returns (a list concatenation costs its
//   length, a string 1 unit per 16 characters). An evaluation that overspends stops at once with
//   an error, so the rule is "not tested" with that reason and the scan goes on.

import { celEnv, celFunc, CelScalar, isCelList, isCelMap } from '@bufbuild/cel';
import type { CelFunc, CelResult, CelValue } from '@bufbuild/cel';

export const CEL_LIMITS = {
  /** Characters of one expression (the longest built-in one is far below). */
  maxLength: 8192,
  /** Brackets ( [ { open at once: the parser recurses on each. */
  maxBracketDepth: 48,
  /** Depth of the syntax tree: planning and evaluation recurse on it. */
  maxTreeDepth: 96,
  /** Nodes of the syntax tree. */
  maxNodes: 2000,
  /** Comprehensions inside comprehensions: the built-in packs need 3 (hosts → addresses → ports). */
  maxComprehensionDepth: 4,
  /**
   * Cost units one evaluation (one expression, one target) may spend: about 50 ms. The built-in
   * rules spend a few hundred; Kubernetes allows 1,000,000 per call, but a scan evaluates every
   * rule on every target.
   */
  evaluationBudget: 100_000,
} as const;

/** Why an expression's text is refused before it is parsed; null when it is within bounds. */
export function sourceLimitProblem(source: string): string | null {
  if (source.length > CEL_LIMITS.maxLength) {
    return `too costly: ${source.length} characters (at most ${CEL_LIMITS.maxLength})`;
  }
  let depth = 0;
  let deepest = 0;
  let quote: string | null = null;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') deepest = Math.max(deepest, ++depth);
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
  }
  if (deepest > CEL_LIMITS.maxBracketDepth) return `too costly: brackets nested ${deepest} deep (at most ${CEL_LIMITS.maxBracketDepth})`;
  return null;
}

/** The parts of the protobuf-shaped syntax tree this module walks and rewrites. */
export interface CelNode {
  id: bigint;
  exprKind: { case: string | undefined; value?: unknown };
}

/** Children of a node, in source order, with whether each is the body of a comprehension. */
export function children(node: CelNode): { node: CelNode; inLoop: boolean }[] {
  const v = node.exprKind.value as Record<string, unknown> | undefined;
  const out: { node: CelNode; inLoop: boolean }[] = [];
  const add = (n: unknown, inLoop = false): void => {
    if (n) out.push({ node: n as CelNode, inLoop });
  };
  switch (node.exprKind.case) {
    case 'selectExpr':
      add(v?.operand);
      break;
    case 'callExpr':
      add(v?.target);
      for (const a of (v?.args as unknown[] | undefined) ?? []) add(a);
      break;
    case 'listExpr':
      for (const e of (v?.elements as unknown[] | undefined) ?? []) add(e);
      break;
    case 'structExpr':
      for (const e of (v?.entries as { keyKind?: { case?: string; value?: unknown }; value?: unknown }[] | undefined) ?? []) {
        if (e.keyKind?.case === 'mapKey') add(e.keyKind.value);
        add(e.value);
      }
      break;
    case 'comprehensionExpr':
      add(v?.iterRange);
      add(v?.accuInit);
      add(v?.loopCondition, true);
      add(v?.loopStep, true);
      add(v?.result);
      break;
  }
  return out;
}

/** Why a parsed expression is refused as too costly; null when it is within bounds. Iterative: any tree is safe to measure. */
export function treeLimitProblem(root: CelNode): string | null {
  let nodes = 0;
  let deepest = 0;
  let loops = 0;
  const stack: { node: CelNode; depth: number; loops: number }[] = [{ node: root, depth: 1, loops: 0 }];
  while (stack.length) {
    const { node, depth, loops: nested } = stack.pop()!;
    nodes++;
    deepest = Math.max(deepest, depth);
    const inner = node.exprKind.case === 'comprehensionExpr' ? nested + 1 : nested;
    loops = Math.max(loops, inner);
    if (nodes > CEL_LIMITS.maxNodes) return `too costly: more than ${CEL_LIMITS.maxNodes} terms`;
    if (deepest > CEL_LIMITS.maxTreeDepth) return `too costly: terms nested more than ${CEL_LIMITS.maxTreeDepth} deep`;
    for (const c of children(node)) stack.push({ node: c.node, depth: depth + 1, loops: c.inLoop ? inner : nested });
  }
  if (loops > CEL_LIMITS.maxComprehensionDepth) {
    return `too costly: comprehensions (all, exists, exists_one, map, filter) nested ${loops} deep (at most ${CEL_LIMITS.maxComprehensionDepth})`;
  }
  return null;
}

/** Thrown out of an evaluation that spent its budget; evaluation turns it into a per-rule error. */
export class CelBudgetExceeded extends Error {
  constructor(readonly limit: number) {
    super(`evaluation stopped: it exceeded the cost limit of ${limit.toLocaleString('en')} steps`);
    this.name = 'CelBudgetExceeded';
  }
}

/** The meter of the evaluation running now (evaluation is synchronous: one at a time). */
let meter: { left: number; limit: number; exceeded: boolean } | null = null;

function charge(units: number): void {
  if (!meter) return;
  meter.left -= units;
  if (meter.left < 0) {
    meter.exceeded = true;
    // Thrown, not returned as a CEL error: `||`, `&&` and `?:` absorb errors, an exception unwinds
    // the whole evaluation at once.
    throw new CelBudgetExceeded(meter.limit);
  }
}

function sizeOf(v: CelValue | undefined): number {
  if (typeof v === 'string') return v.length >>> 4;
  if (v instanceof Uint8Array) return v.length >>> 4;
  if (isCelList(v) || isCelMap(v)) return v.size;
  return 0;
}

/** Runs one evaluation under the budget; throws CelBudgetExceeded when it overspends. */
export function metered(program: () => CelResult, limit: number = CEL_LIMITS.evaluationBudget): CelResult {
  const outer = meter;
  const mine = { left: limit, limit, exceeded: false };
  meter = mine;
  try {
    const result = program();
    // The planner turns exceptions into CEL errors, which an `||` may then absorb: the meter decides.
    if (mine.exceeded) throw new CelBudgetExceeded(limit);
    return result;
  } finally {
    meter = outer;
  }
}

const COST_FUNCTION = '@govscan_cost';

/** A function with the same identity (name, overload id) whose every call is charged. */
function chargedCall(func: CelFunc): CelFunc {
  const wrapped = Object.create(func) as CelFunc;
  Object.defineProperty(wrapped, 'call', {
    value(id: number, target: CelValue | undefined, args: CelValue[]): CelResult | undefined {
      let units = 1 + sizeOf(target);
      for (const a of args) units += sizeOf(a);
      charge(units);
      const result = func.call(id, target, args);
      if (result !== undefined) charge(sizeOf(result as CelValue));
      return result;
    },
  });
  return wrapped;
}

/** `@govscan_cost(x)`: charges one step plus the size of x, and returns x. Not callable from pack text (`@` does not parse). */
function costFunction(): CelFunc {
  const f = Object.create(celFunc(COST_FUNCTION, [CelScalar.DYN], CelScalar.DYN, (v) => v)) as CelFunc;
  Object.defineProperty(f, 'call', {
    value(_id: number, _target: CelValue | undefined, args: CelValue[]): CelResult | undefined {
      const [v] = args;
      charge(1 + sizeOf(v));
      return v;
    },
  });
  return f;
}

/**
 * The functions for `celEnv({ funcs })` that make every call charged to the running meter: the
 * standard ones and `extra`, each wrapped. Overloads are keyed by id and a later one replaces an
 * earlier one, so each wrapped function replaces its plain twin.
 */
export function meteredFunctions(extra: CelFunc[]): CelFunc[] {
  return [...[...celEnv({ funcs: extra }).funcs].map(chargedCall), costFunction()];
}

/**
 * A copy of the tree in which every comprehension charges its range's size once and one step per
 * iteration: `@govscan_cost(range)` and `@govscan_cost(loopCondition)`. Other nodes are shared.
 */
export function meterComprehensions<T extends CelNode>(node: T): T {
  const kind = node.exprKind;
  const v = kind.value as Record<string, unknown> | undefined;
  const map = (n: unknown): unknown => (n ? meterComprehensions(n as CelNode) : n);
  const wrap = (n: unknown): CelNode => ({
    id: 0n,
    exprKind: { case: 'callExpr', value: { function: COST_FUNCTION, args: [map(n)] } },
  });
  switch (kind.case) {
    case 'selectExpr':
      return { ...node, exprKind: { case: kind.case, value: { ...v, operand: map(v?.operand) } } };
    case 'callExpr':
      return {
        ...node,
        exprKind: { case: kind.case, value: { ...v, target: map(v?.target), args: ((v?.args as unknown[] | undefined) ?? []).map(map) } },
      };
    case 'listExpr':
      return { ...node, exprKind: { case: kind.case, value: { ...v, elements: ((v?.elements as unknown[] | undefined) ?? []).map(map) } } };
    case 'structExpr': {
      const entries = ((v?.entries as { keyKind?: { case?: string; value?: unknown }; value?: unknown }[] | undefined) ?? []).map((e) => ({
        ...e,
        ...(e.keyKind?.case === 'mapKey' ? { keyKind: { case: 'mapKey', value: map(e.keyKind.value) } } : {}),
        value: map(e.value),
      }));
      return { ...node, exprKind: { case: kind.case, value: { ...v, entries } } };
    }
    case 'comprehensionExpr':
      return {
        ...node,
        exprKind: {
          case: kind.case,
          value: {
            ...v,
            iterRange: wrap(v?.iterRange),
            accuInit: map(v?.accuInit),
            loopCondition: wrap(v?.loopCondition),
            loopStep: map(v?.loopStep),
            result: map(v?.result),
          },
        },
      };
    default:
      return node;
  }
}
