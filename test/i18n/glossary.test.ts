// One Vietnamese term per idea (src/core/i18n/glossary.ts): no banned wording in any Vietnamese string of
// the source (catalogues and every `vi:` text), the built-in packs, the --help texts, the dashboard
// or the agent.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bannedTerms, GLOSSARY } from '../../src/core/i18n/glossary.js';
import * as helpVi from '../../src/cli/help-vi.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function files(dir: string, ext: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext) && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** Every string literal written right after `vi:` in a source file (catalogue entries, inline texts). */
function viLiterals(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\bvi:\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)) out.push(m[2] ?? '');
  return out;
}

function strings(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) for (const v of node) strings(v, out);
  else if (node && typeof node === 'object') for (const v of Object.values(node)) strings(v, out);
  return out;
}

function viValues(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const v of node) viValues(v, out);
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) k === 'vi' && typeof v === 'string' ? out.push(v) : viValues(v, out);
  return out;
}

interface Text {
  where: string;
  text: string;
}

function vietnameseTexts(): Text[] {
  const texts: Text[] = [];
  for (const file of [...files('src', '.ts'), ...files('checks', '.ts'), ...files('agent', '.ts')]) {
    if (file.endsWith('glossary.ts')) continue; // the banned wordings are written there on purpose
    const where = relative(ROOT, file);
    for (const text of viLiterals(readFileSync(file, 'utf8'))) texts.push({ where, text });
  }
  for (const file of files('policies', '.yaml')) {
    for (const text of viValues(parse(readFileSync(file, 'utf8')))) texts.push({ where: relative(ROOT, file), text });
  }
  for (const text of strings(helpVi)) texts.push({ where: 'src/cli/help-vi.ts', text });
  const dashboard = JSON.parse(readFileSync(join(ROOT, 'src/server/dashboard/public/assets/i18n.json'), 'utf8')) as {
    vi: Record<string, string>;
  };
  for (const [key, text] of Object.entries(dashboard.vi)) texts.push({ where: `dashboard i18n.json ${key}`, text });
  return texts;
}

describe('the Vietnamese glossary', () => {
  it('finds Vietnamese texts everywhere it looks (the scan itself works)', () => {
    const texts = vietnameseTexts();
    for (const where of ['src/policy/messages.ts', 'policies/vn-ct14-2019.yaml', 'src/cli/help-vi.ts', 'dashboard i18n.json', 'agent/']) {
      expect(
        texts.some((t) => t.where.startsWith(where)),
        where,
      ).toBe(true);
    }
    expect(bannedTerms('Chính sách vn-ct02 · 3 mục tiêu · đường cơ sở · neo tin cậy · Agent · mô hình 4 lớp')).toHaveLength(6);
    expect(bannedTerms('govscan-agent trên máy chủ; tác tử; `agent.yaml`; --agent-id; bộ quy tắc; mô hình bảo vệ 4 lớp')).toEqual([]);
  });

  it('has one Vietnamese term per English one', () => {
    const vi = GLOSSARY.map((t) => t.vi.toLowerCase());
    expect(new Set(vi).size).toBe(vi.length);
  });

  it('no Vietnamese string uses a banned wording', () => {
    const problems = vietnameseTexts().flatMap(({ where, text }) =>
      bannedTerms(text).map((why) => `${where}: ${why}: ${text.slice(0, 120)}`),
    );
    expect(problems).toEqual([]);
  });
});
