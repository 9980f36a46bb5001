// Message placeholders `{a.b.c}` are dotted paths into the same activation the rule's CEL sees, so a
// pack author learns one vocabulary. Paths are checked at load time and filled at evaluation time.

import { format } from '../i18n/index.js';

// Same grammar as i18n.format, so every placeholder found here is one format() will fill.
const PLACEHOLDER = /\{([A-Za-z_][\w.]*)\}/g;

export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/**
 * Follow a dotted path. Object keys may themselves contain dots (`protocols.TLSv1.1`), so at each
 * level the longest run of segments naming an existing key wins.
 */
export function resolvePath(root: unknown, path: string): { found: boolean; value: unknown } {
  const segments = path.split('.');
  let node: unknown = root;
  let i = 0;
  while (i < segments.length) {
    // An absent parent (`trust.custom` is null without custom anchors) reads as an absent value.
    if (node === null) return { found: true, value: null };
    if (typeof node !== 'object') return { found: false, value: undefined };
    let matched = false;
    for (let j = segments.length; j > i; j--) {
      const key = segments.slice(i, j).join('.');
      if (Array.isArray(node) ? /^\d+$/.test(key) && Number(key) < node.length : Object.hasOwn(node, key)) {
        node = (node as Record<string, unknown>)[key];
        i = j;
        matched = true;
        break;
      }
    }
    if (!matched) return { found: false, value: undefined };
  }
  return { found: node !== undefined, value: node };
}

/** How a value reads inside a sentence in either language. */
export function display(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.length ? value.map(display).join(', ') : '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** True when every placeholder of `template` names something in `scope`. */
export function fillable(template: string, scope: Record<string, unknown>): boolean {
  return placeholders(template).every((name) => resolvePath(scope, name).found);
}

/** Fill every placeholder from `scope`; a path that resolves to nothing stays visible. */
export function fill(template: string, scope: Record<string, unknown>): string {
  const values: Record<string, string> = {};
  for (const name of placeholders(template)) {
    const r = resolvePath(scope, name);
    if (r.found) values[name] = display(r.value);
  }
  return format(template, values);
}
