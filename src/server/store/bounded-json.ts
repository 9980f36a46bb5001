// Parsed JSON from the database made safe for the recursive code that reads it next (fastify's
// JSON.stringify of a findings page, the SARIF and JSON writers of exports, report merging). Ingest
// refuses deep bodies (body-shape.ts), but rows stored before that, or written by other tools, may
// nest 20,000 levels: such a subtree is cut at a fixed depth and replaced by a marker string, so one
// stored report cannot make a read fail for every viewer. Both walks here are iterative.

/** Deeper than anything ingest accepts (32), so only reports that bypassed it are ever cut. */
const MAX_STORED_DEPTH = 64;
export const CUT_MARKER = '[nested too deep: not shown]';

/** Replaces every array or object deeper than `maxDepth` (the root is level 1) by CUT_MARKER, in place; returns how many were cut. */
export function cutDeepNesting(root: unknown, maxDepth = MAX_STORED_DEPTH): number {
  if (root === null || typeof root !== 'object') return 0;
  let cut = 0;
  const stack: [Record<string, unknown> | unknown[], number][] = [[root as Record<string, unknown>, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [Record<string, unknown> | unknown[], number];
    const keys = Array.isArray(node) ? node.keys() : Object.keys(node);
    for (const k of keys) {
      const child = (node as Record<string | number, unknown>)[k];
      if (child === null || typeof child !== 'object') continue;
      if (depth >= maxDepth) {
        (node as Record<string | number, unknown>)[k] = CUT_MARKER;
        cut++;
      } else stack.push([child as Record<string, unknown>, depth + 1]);
    }
  }
  return cut;
}

/**
 * About how many bytes of heap a parsed value holds (V8: ~16 bytes per value slot, ~56 per object
 * or array, strings at one or two bytes a character). An estimate for a cache's byte budget, not
 * an exact count.
 */
export function heapEstimate(root: unknown): number {
  let bytes = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') bytes += 16 + 2 * v.length;
    else if (v === null || typeof v !== 'object') bytes += 16;
    else if (Array.isArray(v)) {
      bytes += 56 + 8 * v.length;
      for (const x of v) stack.push(x);
    } else {
      bytes += 56;
      for (const k of Object.keys(v)) {
        bytes += 24 + 2 * k.length;
        stack.push((v as Record<string, unknown>)[k]);
      }
    }
  }
  return bytes;
}
