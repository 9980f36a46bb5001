// Custom packs are checked before they can cost anything: a misspelt fact is refused with the
// closest real name (issue 10 item 6), and an expression too large or too deeply nested is refused
// when loaded (item 15); what passes the static bound is still stopped at run time, one rule at a
// time, while the others are judged as usual. Offline: `evidence verify` judges a scaffolded
// manifest with no network, and scans name `.test` hosts refused before any probe.

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-policy-limits-'));
});

interface RuleSpec {
  id: string;
  check?: string;
  assert: string;
  when?: string;
  message?: string;
  evidence?: string[];
}

/** A one-pack YAML file; expressions are written as JSON strings (valid YAML double-quoted scalars). */
async function pack(name: string, rules: RuleSpec[]): Promise<string> {
  const lines = [
    'apiVersion: govscan/v1',
    'kind: Policy',
    'metadata:',
    `  id: ${name}`,
    '  version: "1.0.0"',
    '  title: { en: "Test pack", vi: "Bộ thử nghiệm" }',
    '  legalBasis: ["none"]',
    'spec:',
    '  rules:',
  ];
  for (const r of rules) {
    lines.push(
      `    - id: ${r.id}`,
      `      check: ${r.check ?? 'tls.endpoint'}`,
      '      severity: critical',
      '      title: { en: "Rule", vi: "Quy tắc" }',
      '      description: { en: "Rule.", vi: "Quy tắc." }',
      ...(r.when ? [`      when: ${JSON.stringify(r.when)}`] : []),
      `      assert: ${JSON.stringify(r.assert)}`,
      `      message: { en: ${JSON.stringify(r.message ?? 'Failed.')}, vi: "Không đạt." }`,
      '      remediation: { en: "Fix it.", vi: "Khắc phục." }',
      ...(r.evidence ? [`      evidence: ${JSON.stringify(r.evidence)}`] : []),
    );
  }
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, lines.join('\n') + '\n');
  return file;
}

const LIST = `[${Array.from({ length: 100 }, (_, i) => i).join(', ')}]`;
const nestedAll = (depth: number): string => {
  let body = 'true';
  for (let i = depth; i > 0; i--) body = `${LIST}.all(v${i}, ${body})`;
  return body;
};

describe('facts a rule reads must be facts of its check', () => {
  it('policy validate refuses a misspelt fact with file:line and the closest real name', async () => {
    const file = await pack('typo', [{ id: 'TYPO-EXPIRED', assert: '!facts.leaf.expird' }]);
    const r = await runCli(['policy', 'validate', file]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe(
      `error: ${file}:15:15: rule TYPO-EXPIRED: facts.leaf.expird is not a fact of check tls.endpoint (did you mean facts.leaf.expired?)\n`,
    );
    expect(r.stdout).toBe('');
  });

  it('follows comprehension variables, filter chains, map keys, placeholders and evidence paths', async () => {
    const file = await pack('paths', [
      { id: 'P-VAR', assert: 'facts.chain.certificates.all(c, !c.expird)' },
      { id: 'P-FILTER', assert: 'facts.chain.certificates.filter(c, c.isCA).map(c, c.subjet).size() >= 0' },
      { id: 'P-KEY', assert: "facts.protocols['TLSv1.1'].acepted" },
      { id: 'P-SCALAR', assert: "facts.leaf.subject.cn == ''" },
      { id: 'P-MESSAGE', assert: 'true', message: 'expires {facts.leaf.notAftr}' },
      { id: 'P-EVIDENCE', assert: 'true', evidence: ['leaf.notAfter', 'leaf.daysToExpiri'] },
      { id: 'P-IPV6', check: 'ipv6.web', assert: 'facts.hosts.all(h, h.aaaa.exists(a, a.usabel))' },
      // Valid: keys with dots, a nullable object, shadowing, a computed map, list items.
      {
        id: 'P-VALID',
        assert:
          "facts.protocols['TLSv1.2'].accepted && (facts.trust.custom == null || facts.trust.custom.trusted) && [1].all(facts, facts > 0) && {'a': 1}.all(k, k == 'a') && facts.leaf.sans.dns.all(n, n != '')",
        message: '{facts.protocols.TLSv1.2.accepted} {facts.chain.certificates.0.subject}',
        evidence: ['protocols.TLSv1.3.accepted', 'leaf.sans.dns'],
      },
    ]);
    const r = await runCli(['policy', 'validate', file]);
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr
      .trim()
      .split('\n')
      .map((l) => l.replace(/^error: .*?:\d+:\d+: /, ''));
    expect(lines).toEqual([
      'rule P-VAR: c.expird is not a fact of check tls.endpoint (c is each of facts.chain.certificates; did you mean c.expired?)',
      'rule P-FILTER: c.subjet is not a fact of check tls.endpoint (c is each of facts.chain.certificates; did you mean c.subject?)',
      "rule P-KEY: facts.protocols['TLSv1.1'].acepted is not a fact of check tls.endpoint (did you mean facts.protocols['TLSv1.1'].accepted?)",
      'rule P-SCALAR: facts.leaf.subject.cn is not a fact of check tls.endpoint (facts.leaf.subject is a string)',
      'rule P-MESSAGE: message.en: {facts.leaf.notAftr} is not a fact of check tls.endpoint (did you mean {facts.leaf.notAfter}?)',
      'rule P-EVIDENCE: evidence: leaf.daysToExpiri is not a fact of check tls.endpoint (did you mean leaf.daysToExpiry?)',
      'rule P-IPV6: a.usabel is not a fact of check ipv6.web (a is each of h.aaaa; did you mean a.usable?)',
    ]);
  });

  it('scan refuses such a pack before probing anything', async () => {
    const file = await pack('typo-scan', [{ id: 'TYPO-SCAN', assert: '!facts.leaf.expird' }]);
    // Pinned to a closed loopback port: even a scan that went ahead would reach nothing else.
    const r = await runCli([
      'scan',
      'https://portal.example.test:9',
      '--resolve',
      'portal.example.test:9:127.0.0.1',
      '--policy',
      file,
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /^error: .*typo-scan\.yaml:15:15: rule TYPO-SCAN: facts\.leaf\.expird is not a fact of check tls\.endpoint \(did you mean facts\.leaf\.expired\?\)$/m,
    );
    expect(r.stdout).toBe('');
  });
});

describe('the cost of an expression', () => {
  it('refuses at load comprehensions nested five deep, a 50,000-term expression and runaway nesting', async () => {
    const file = await pack('costly', [
      { id: 'COST-NESTED', assert: nestedAll(5) },
      { id: 'COST-TERMS', assert: `${Array.from({ length: 50_000 }, () => '1').join(' + ')} > 0` },
      { id: 'COST-PARENS', assert: `${'('.repeat(2000)}true${')'.repeat(2000)}` },
    ]);
    const r = await runCli(['policy', 'validate', file]);
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr
      .trim()
      .split('\n')
      .map((l) => l.replace(/^error: .*?:\d+:\d+: /, ''));
    expect(lines).toEqual([
      'rule COST-NESTED: invalid CEL in assert: too costly: comprehensions (all, exists, exists_one, map, filter) nested 5 deep (at most 4)',
      'rule COST-TERMS: invalid CEL in assert: too costly: 200001 characters (at most 8192)',
      'rule COST-PARENS: invalid CEL in assert: too costly: brackets nested 2000 deep (at most 48)',
    ]);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('stops an evaluation that overspends: that rule is not tested with the reason, the others are judged', async () => {
    const manifest = join(dir, 'heavy.evidence.yaml');
    const init = await runCli(['evidence', 'init', '--system', 'heavy', '--level', '2', '--output', manifest]);
    expect(init.code, init.stderr).toBe(0);
    const file = await pack('heavy', [
      { id: 'HEAVY-LOOPS', check: 'seclevel.dossier', assert: nestedAll(4) },
      { id: 'HEAVY-MAPS', check: 'seclevel.dossier', assert: `size(${LIST}.map(a, ${LIST}.map(b, ${LIST}.map(c, ${LIST})))) > 0` },
      { id: 'LIGHT', check: 'seclevel.dossier', assert: '!facts.manifest.found', message: 'The manifest was found.' },
    ]);
    const r = await runCli(['evidence', 'verify', manifest, '--policy', file, '--format', 'json', '--fail-on', 'critical']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as {
      findings: { ruleId: string; outcome: string; reason?: string; reasonText?: { vi: string } }[];
    };
    const byRule = new Map(report.findings.map((f) => [f.ruleId, f]));
    for (const id of ['HEAVY-LOOPS', 'HEAVY-MAPS']) {
      const f = byRule.get(id);
      expect(f?.outcome, id).toBe('not-tested');
      expect(f?.reason).toBe('cannot evaluate assert: the expression exceeded its cost limit of 100,000 steps and was stopped');
      expect(f?.reasonText?.vi).toBe('không tính được assert: biểu thức vượt giới hạn 100,000 bước tính toán nên đã bị dừng');
    }
    expect(byRule.get('LIGHT')?.outcome).toBe('fail');
  });
});
