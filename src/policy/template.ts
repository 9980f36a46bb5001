// Message placeholders `{a.b.c}` are dotted paths into the same activation the rule's CEL sees, so a
// pack author learns one vocabulary. Paths are checked at load time and filled at evaluation time.

import type { Lang } from '../core/types.js';
import { format } from '../core/i18n/index.js';
import { displayValue, isEmptyValue, VALUE_WORDS, type CodeWords } from '../core/i18n/values.js';
import { PROBLEM_TEXT } from '../pki/problems.js';

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

// Trust-path problem ids (facts.trust.*.problems) read as their meaning in Vietnamese.
const CODES: CodeWords = PROBLEM_TEXT;

/** How a value reads inside a sentence of `lang` (see core/i18n/values.ts). */
export function display(value: unknown, lang: Lang = 'en'): string {
  return displayValue(value, lang, CODES);
}

/** True when every placeholder of `template` names something in `scope`. */
export function fillable(template: string, scope: Record<string, unknown>): boolean {
  return placeholders(template).every((name) => resolvePath(scope, name).found);
}

// A quoted placeholder ('{x}') shows an empty value as words, not as a pair of empty quotes.
const QUOTED = /'\{([A-Za-z_][\w.]*)\}'/g;

/** Fill every placeholder from `scope` in the words of `lang`; a path that resolves to nothing stays visible. */
export function fill(template: string, scope: Record<string, unknown>, lang: Lang = 'en'): string {
  const unquoted = template.replace(QUOTED, (whole, name: string) => {
    const r = resolvePath(scope, name);
    return r.found && isEmptyValue(r.value) ? VALUE_WORDS.notDeclared[lang] : whole;
  });
  const values: Record<string, string> = {};
  for (const name of placeholders(unquoted)) {
    const r = resolvePath(scope, name);
    if (r.found) values[name] = display(r.value, lang);
  }
  return format(unquoted, values);
}
