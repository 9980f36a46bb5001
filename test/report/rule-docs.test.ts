// The rule reference (docs/rules/): the committed pages are what the packs say today, the Vietnamese
// pages read as Vietnamese, and SARIF, the HTML report and `govscan policy show RULE-ID` all lead to them.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECKS, KNOWN_CHECKS } from '../../src/engine/registry.js';
import { bannedTerms } from '../../src/core/i18n/glossary.js';
import { loadBuiltinPolicies } from '../../src/policy/index.js';
import { toHtml } from '../../src/report/html.js';
import { repositoryDocsBase, ruleDocUri, type PackageLinks } from '../../src/report/rule-links.js';
import { findRuleReference, ruleDocFiles, ruleTextLines } from '../../src/report/rule-reference.js';
import { toSarif } from '../../src/report/sarif.js';
import { runCli } from '../helpers/cli.js';
import { validateSarif } from '../helpers/sarif.js';
import { reviewVietnamese } from '../helpers/vietnamese-review.js';
import { CWD, clone, makeReport } from './fixture.js';

const DOCS = fileURLToPath(new URL('../../docs/rules/', import.meta.url));
const checkTitles = new Map(CHECKS.map((c) => [c.id, c.title]));

function committed(): Map<string, string> {
  const files = new Map<string, string>();
  for (const dir of ['', 'vi/']) {
    for (const name of readdirSync(join(DOCS, dir)))
      if (name.endsWith('.md')) files.set(dir + name, readFileSync(join(DOCS, dir, name), 'utf8'));
  }
  return files;
}

/** The fixture report with one of its rules renamed to a built-in rule id, which has a page. */
function reportNamingBuiltinRule(): ReturnType<typeof makeReport> {
  const report = clone(makeReport());
  for (const r of report.rules) if (r.id === 'VN-TLS-CERT-EXPIRY') r.id = 'TLS-CERT-EXPIRED';
  for (const f of report.findings) if (f.ruleId === 'VN-TLS-CERT-EXPIRY') f.ruleId = 'TLS-CERT-EXPIRED';
  return report;
}

describe('the rule reference', () => {
  it('docs/rules/ is what the built-in packs say (run `npm run docs:rules` after changing a pack)', async () => {
    const policies = await loadBuiltinPolicies({ knownChecks: KNOWN_CHECKS });
    const expected = ruleDocFiles(policies, checkTitles);
    const ids = new Set(policies.flatMap((p) => p.rules.map((r) => r.id)));
    // Every rule has its page in both languages, plus an index in each.
    expect(expected.size).toBe(2 * (ids.size + 1));
    const actual = committed();
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    const stale = [...expected].filter(([path, text]) => actual.get(path) !== text).map(([path]) => path);
    expect(stale).toEqual([]);
  });

  it('says what the rule checks, why, how to fix it, its parameters with defaults and the facts it reads', () => {
    const page = readFileSync(join(DOCS, 'TLS-CERT-EXPIRING.md'), 'utf8');
    for (const text of [
      'Certificate expires soon',
      'What it checks',
      'Why the law asks it',
      '02/CT-TTg §1.o',
      'How to fix it',
      'Renew and install',
      '`minDaysToExpiry` — default `30`',
      '`leaf.daysToExpiry`',
      'Severity: high',
    ]) {
      expect(page).toContain(text);
    }
    const vi = readFileSync(join(DOCS, 'vi', 'TLS-CERT-EXPIRING.md'), 'utf8');
    for (const text of [
      'Chứng thư số sắp hết hạn',
      'Cách khắc phục',
      '02/CT-TTg mục 1.o',
      '`minDaysToExpiry` — mặc định `30`',
      'Mức độ nghiêm trọng: cao',
    ])
      expect(vi).toContain(text);
    // Regime packs share rule ids: the page has the rule under each regime.
    const shared = readFileSync(join(DOCS, 'vi', 'SECLEVEL-APPRAISER.md'), 'utf8');
    expect(shared).toContain('## Theo Nghị định 331/2026/NĐ-CP');
    expect(shared).toContain('## Theo Nghị định 85/2016/NĐ-CP');
  });

  it('lists the reference tables a rule reads with their sources, and words a computed not-tested reason', () => {
    const page = readFileSync(join(DOCS, 'TLS-CIPHER-INSUFFICIENT.md'), 'utf8');
    expect(page).toContain('## Reference tables');
    expect(page).toContain('- `ncscSuites` — Cipher suites by NCSC-NL category');
    expect(page).toContain('english.ncsc.nl/publications');
    expect(page).toContain('`mozillaProfile` — default `intermediate`');
    expect(page).toContain('When the facts it needs were not gathered; each finding says which and why.');
    expect(page).not.toContain('{values.');
    const vi = readFileSync(join(DOCS, 'vi', 'TLS-CIPHER-INSUFFICIENT.md'), 'utf8');
    expect(vi).toContain('## Bảng tham chiếu');
    expect(vi).toContain('Hướng dẫn TLS của NCSC-NL (Hà Lan) 2.1');
  });

  it('the Vietnamese pages read as Vietnamese (reviewer and glossary) and carry no CEL', () => {
    const problems: string[] = [];
    for (const [path, text] of committed()) {
      if (!path.startsWith('vi/')) continue;
      // Links to the pages are paths, not words.
      const prose = text.replace(/\]\([^)]*\)/g, ']');
      problems.push(...reviewVietnamese(prose, path), ...bannedTerms(prose).map((why) => `${path}: ${why}`));
      if (/&&|\|\||\bsize\(/.test(text)) problems.push(`${path}: CEL`);
    }
    expect(problems).toEqual([]);
  });

  it('SARIF rules link their page with helpUri and stay valid', () => {
    for (const lang of ['en', 'vi'] as const) {
      const log = toSarif(reportNamingBuiltinRule(), { lang, cwd: CWD });
      expect(validateSarif(log)).toEqual([]);
      const rules = log.runs.flatMap((r) => r.tool.driver.rules ?? []);
      const linked = rules.filter((r) => r.helpUri);
      expect(linked.map((r) => r.id)).toEqual(['TLS-CERT-EXPIRED']);
      const uri = linked[0]?.helpUri ?? '';
      const page = lang === 'vi' ? 'vi/TLS-CERT-EXPIRED.md' : 'TLS-CERT-EXPIRED.md';
      const web = repositoryDocsBase(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as PackageLinks);
      if (web) expect(uri).toBe(web + page);
      else {
        // No repository in package.json: the page the package ships, by file: URL.
        expect(uri).toMatch(/^file:\/\//);
        expect(fileURLToPath(uri)).toBe(join(DOCS, page));
        expect(existsSync(fileURLToPath(uri))).toBe(true);
      }
    }
  });

  it('links to the repository at the release tag when package.json names one', () => {
    const at = (repository: string | { url: string } | undefined, homepage?: string): string | null =>
      repositoryDocsBase({ version: '1.2.3', ...(repository ? { repository } : {}), ...(homepage ? { homepage } : {}) });
    const github = 'https://github.com/org/govscan/blob/v1.2.3/docs/rules/';
    expect(at('github:org/govscan')).toBe(github);
    expect(at('org/govscan')).toBe(github);
    expect(at({ url: 'git+https://github.com/org/govscan.git' })).toBe(github);
    expect(at(undefined, 'https://github.com/org/govscan#readme')).toBe(github);
    expect(at({ url: 'https://git.example.gov.vn/soc/govscan.git' })).toBe('https://git.example.gov.vn/soc/govscan/docs/rules/');
    expect(at(undefined)).toBeNull();
  });

  it('the HTML report links each built-in rule to its page', () => {
    const html = toHtml(reportNamingBuiltinRule(), { lang: 'en' });
    const uri = ruleDocUri('TLS-CERT-EXPIRED', 'en') ?? '';
    expect(html).toContain(`<a class="rid" href="${uri}"><code>TLS-CERT-EXPIRED</code></a>`);
    // A rule of a user's own pack has no page and no link.
    expect(html).not.toMatch(/href="[^"]*VN-TLS-HSTS/);
  });

  it('`govscan policy show RULE-ID` prints the same reference in the terminal, in English and Vietnamese', {
    timeout: 60_000,
  }, async () => {
    const policies = await loadBuiltinPolicies({ knownChecks: KNOWN_CHECKS });
    const ref = findRuleReference(policies, 'TLS-CERT-EXPIRED');
    if (!ref) throw new Error('TLS-CERT-EXPIRED is not a built-in rule');
    const [en, vi, unknown] = await Promise.all([
      runCli(['policy', 'show', 'TLS-CERT-EXPIRED']),
      runCli(['policy', 'show', 'TLS-CERT-EXPIRED', '--lang', 'vi']),
      runCli(['policy', 'show', 'TLS-CERT-EXPIRD']),
    ]);
    for (const [r, lang] of [
      [en, 'en'],
      [vi, 'vi'],
    ] as const) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(`${ruleTextLines(ref, lang, checkTitles).join('\n')}\n\n${ruleDocUri('TLS-CERT-EXPIRED', lang)}\n`);
    }
    expect(reviewVietnamese(vi.stdout.replace(/^file:\S+$/m, ''), 'policy show TLS-CERT-EXPIRED')).toEqual([]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown rule "TLS-CERT-EXPIRD"');
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });
});
