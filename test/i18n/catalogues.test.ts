// --lang vi must translate everything a user reads. The type of defineMessages already refuses an
// entry without both keys; this test also refuses an empty or untranslated-looking one, and one whose
// placeholders differ between the languages (a {count} the Vietnamese forgot would print nothing).
// It finds catalogues by reading the source, so a catalogue kept private to a module is checked too.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/engine/registry.js';
import type { Localized } from '../../src/core/types.js';
import { loadBuiltinPolicies } from '../../src/policy/index.js';
import { KNOWN_CHECKS } from '../../src/engine/registry.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** The object literal passed to defineMessages at `start` (the index of its `{`), by brace matching that skips strings. */
function literalAt(text: string, start: number): string {
  let depth = 0;
  let quote: string | null = null;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error('unbalanced braces');
}

interface Catalogue {
  where: string;
  entries: Record<string, Localized>;
}

function catalogues(): Catalogue[] {
  const found: Catalogue[] = [];
  for (const file of [...sources('src'), ...sources('checks'), ...sources('agent')]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/defineMessages(?:<[^>(]*>)?\(\s*\{/g)) {
      const open = (m.index ?? 0) + m[0].length - 1;
      const line = text.slice(0, open).split('\n').length;
      const where = `${relative(ROOT, file)}:${line}`;
      // Catalogues are plain literals of strings: evaluating one needs no module context.
      const entries = new Function(`return (${literalAt(text, open)});`)() as Record<string, Localized>;
      found.push({ where, entries });
    }
  }
  return found;
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{([A-Za-z_][\w.]*)\}/g)].map((m) => m[1] ?? ''))].sort();
}

/** Problems with one localized text: a missing or empty language, or placeholders that differ. */
function check(where: string, key: string, text: Localized | undefined, problems: string[]): void {
  if (!text || typeof text !== 'object') return void problems.push(`${where} ${key}: not a {en, vi} text`);
  for (const lang of ['en', 'vi'] as const) {
    if (typeof text[lang] !== 'string' || text[lang].trim() === '') problems.push(`${where} ${key}: ${lang} is missing or empty`);
  }
  if (typeof text.en === 'string' && typeof text.vi === 'string') {
    const en = placeholders(text.en).join(',');
    const vi = placeholders(text.vi).join(',');
    if (en !== vi) problems.push(`${where} ${key}: placeholders differ (en: ${en || 'none'}; vi: ${vi || 'none'})`);
  }
}

describe('every user-facing text exists in Vietnamese and English', () => {
  it('finds the catalogues (the scan itself works)', () => {
    const all = catalogues();
    expect(all.length).toBeGreaterThanOrEqual(10);
    const where = all.map((c) => c.where).join('\n');
    for (const f of [
      'src/cli/messages.ts',
      'src/report/messages.ts',
      'src/report/html-messages.ts',
      'src/report/junit.ts',
      'src/policy/messages.ts',
    ])
      expect(where).toContain(f);
  });

  it('has no catalogue key missing, empty or with different placeholders in either language', () => {
    const problems: string[] = [];
    for (const c of catalogues()) for (const [key, text] of Object.entries(c.entries)) check(c.where, key, text, problems);
    expect(problems).toEqual([]);
  });

  it('has every check title and description in both languages', () => {
    const problems: string[] = [];
    for (const c of CHECKS) {
      check(`check ${c.id}`, 'title', c.title, problems);
      check(`check ${c.id}`, 'description', c.description, problems);
    }
    expect(problems).toEqual([]);
  });

  it('has every built-in rule title, description, message and remediation, and every policy title, in both languages', async () => {
    const policies = await loadBuiltinPolicies({ knownChecks: KNOWN_CHECKS });
    expect(policies.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const p of policies) {
      check(`policy ${p.id}`, 'title', p.title, problems);
      for (const r of p.rules) {
        for (const field of ['title', 'description', 'remediation'] as const) check(`${p.id} ${r.id}`, field, r[field], problems);
        // Messages may name values only one language needs (e.g. a plural form): only presence is required.
        for (const lang of ['en', 'vi'] as const)
          if (!r.message[lang]?.trim()) problems.push(`${p.id} ${r.id} message: ${lang} is missing or empty`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('catches a missing translation (the check is not a rubber stamp)', () => {
    const problems: string[] = [];
    check('x', 'a', { en: 'found {count}', vi: '' }, problems);
    check('x', 'b', { en: 'found {count}', vi: 'tìm thấy' }, problems);
    check('x', 'c', { en: 'ok' } as Localized, problems);
    expect(problems).toEqual([
      'x a: vi is missing or empty',
      'x a: placeholders differ (en: count; vi: none)',
      'x b: placeholders differ (en: count; vi: none)',
      'x c: vi is missing or empty',
    ]);
  });
});
