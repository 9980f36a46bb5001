// govscan evidence init / verify and scan --inventory with evidence: every rule's passing and failing
// case on generated documents, loopback collector / NCSC listeners, an injected clock (GOVSCAN_NOW),
// and malformed manifests (exit 2 with file:line, nothing read outside the folder).

import { createServer, type Server } from 'node:net';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { compliantFolder, signedPdf, signingPki, type SigningPki } from '../evidence/fixture.js';

const NOW = new Date('2026-11-20T00:00:00Z');
const ENV = { GOVSCAN_NOW: '2026-11-20' };
let collector: Server;
let ncsc: Server;
let collectorPort = 0;
let ncscPort = 0;
let closedPort = 0;
let pki: SigningPki;

function listen(): Promise<Server> {
  return new Promise((resolve) => {
    const s = createServer((c) => c.destroy());
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}
const portOf = (s: Server): number => (s.address() as { port: number }).port;

beforeAll(async () => {
  [collector, ncsc, pki] = await Promise.all([listen(), listen(), signingPki()]);
  collectorPort = portOf(collector);
  ncscPort = portOf(ncsc);
  const closed = await listen();
  closedPort = portOf(closed);
  await new Promise((r) => closed.close(r));
});
afterAll(() => {
  collector.close();
  ncsc.close();
});

interface Finding {
  ruleId: string;
  outcome: string;
  message: { en: string; vi: string };
}

async function verify(manifest: string, extra: string[] = []): Promise<{ code: number | null; byRule: Map<string, Finding>; stderr: string }> {
  const r = await runCli(['evidence', 'verify', manifest, '--format', 'json', '--fail-on', 'high', ...extra], { env: ENV });
  const byRule = new Map<string, Finding>();
  if (r.stdout.trim()) for (const f of (JSON.parse(r.stdout) as { findings: Finding[] }).findings) byRule.set(f.ruleId, f);
  return { code: r.code, byRule, stderr: r.stderr };
}

async function variant(change: (y: Record<string, any>) => void, files: Record<string, Buffer | string> = {}) {
  const f = await compliantFolder({ now: NOW, collectorPort, ncscPort, pki });
  change(f.yaml);
  await writeFile(f.manifest, JSON.stringify(f.yaml, null, 2));
  for (const [name, body] of Object.entries(files)) await writeFile(join(f.dir, name), body);
  return f;
}

describe('evidence init then verify', () => {
  it('writes a commented scaffold, refuses to overwrite it, and verify lists exactly what is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'govscan-init-'));
    const init = await runCli(['evidence', 'init', '--system', 'cong-dvc', '--level', '3', '--legal-basis', 'nd85-2016'], { cwd: dir });
    expect(init.code).toBe(0);
    const text = await readFile(join(dir, 'cong-dvc.evidence.yaml'), 'utf8');
    expect(text).toMatch(/Bắt buộc từ cấp độ 3/);
    expect(text).toMatch(/Required from level 3/);
    expect((await runCli(['evidence', 'init', '--system', 'cong-dvc', '--level', '3'], { cwd: dir })).code).toBe(2);
    const v = await verify(join(dir, 'cong-dvc.evidence.yaml'));
    expect(v.code).toBe(1);
    const failed = [...v.byRule.values()].filter((f) => f.outcome === 'fail').map((f) => f.ruleId).sort();
    expect(failed).toEqual([
      'FOURLAYER-ASSESSMENT',
      'FOURLAYER-MONITORING',
      'FOURLAYER-MONITORING-LIVE',
      'FOURLAYER-NCSC',
      'FOURLAYER-NCSC-LIVE',
      'FOURLAYER-ONSITE',
      'SECLEVEL-APPRAISAL-MISSING',
      'SECLEVEL-ASSESSMENT-OVERDUE',
      'SECLEVEL-NOT-APPROVED',
      'SECLEVEL-PLAN-MISSING',
      'SECLEVEL-REGULATION-MISSING',
    ]);
    expect(v.byRule.get('SECLEVEL-NOT-APPROVED')?.message.vi).toMatch(/còn thiếu level.approved, approval.number/);
    expect(v.stderr).toMatch(/legal basis: nd85-2016/);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('evidence verify: every rule', () => {
  it('passes a complete level-3 dossier with signed documents and live endpoints', async () => {
    const f = await compliantFolder({ now: NOW, collectorPort, ncscPort, pki });
    const v = await verify(f.manifest, ['--ca-file', f.caFile]);
    const notPassed = [...v.byRule.values()].filter((x) => x.outcome !== 'pass' && x.outcome !== 'not-applicable');
    expect(notPassed.map((x) => `${x.ruleId}: ${x.message.en}`)).toEqual([]);
    expect(v.code).toBe(0);
  });

  const cases: [string, (y: Record<string, any>) => void, Record<string, Buffer | string>?][] = [
    ['SECLEVEL-NOT-DECLARED', (y) => delete y.level],
    ['SECLEVEL-NOT-APPROVED', (y) => delete y.approval.number],
    ['SECLEVEL-APPRAISAL-MISSING', (y) => delete y.appraisal],
    ['SECLEVEL-PLAN-MISSING', (y) => (y.plan.status = 'none')],
    ['SECLEVEL-PLAN-PARTIAL', (y) => (y.plan.status = 'partial')],
    ['SECLEVEL-REGULATION-MISSING', (y) => delete y.regulation.number],
    ['SECLEVEL-ASSESSMENT-OVERDUE', (y) => (y.assessments = y.assessments.filter((a: { kind: string }) => a.kind !== 'vulnerability-scan'))],
    ['EVIDENCE-DOC-MISSING', (y) => (y.plan.document.path = 'docs/nope.pdf')],
    ['FOURLAYER-ONSITE', (y) => (y.layers.onsite.staff = [])],
    ['FOURLAYER-MONITORING', (y) => (y.layers.monitoring.contract.validTo = '2026-11-01')],
    ['FOURLAYER-MONITORING-LIVE', (y) => (y.layers.monitoring.forwarder.endpoint = `127.0.0.1:${closedPort}`)],
    ['FOURLAYER-ASSESSMENT', (y) => (y.assessments[0].licence = undefined)],
    ['FOURLAYER-NCSC', (y) => delete y.layers.ncsc.confirmation.number],
    ['FOURLAYER-NCSC-LIVE', (y) => (y.layers.ncsc.forwarder.endpoint = `127.0.0.1:${closedPort}`)],
  ];
  for (const [rule, change] of cases) {
    it(`${rule} fails when its evidence is broken`, async () => {
      const f = await variant(change);
      const v = await verify(f.manifest, ['--ca-file', f.caFile]);
      expect(v.byRule.get(rule)?.outcome, v.byRule.get(rule)?.message.en).toBe('fail');
      expect(v.byRule.get(rule)?.message.vi).not.toBe(v.byRule.get(rule)?.message.en);
    });
  }

  it('SECLEVEL-LEVEL-MISMATCH compares the inventory with the approval', async () => {
    const f = await compliantFolder({ now: NOW, collectorPort, ncscPort, pki });
    const inv = join(f.dir, 'inventory.yaml');
    await writeFile(inv, `agency: Test\nsystems:\n  - id: cong-dvc\n    level: 4\n    evidence: cong-dvc.yaml\n`);
    const r = await runCli(['scan', '--inventory', inv, '--format', 'json', '--ca-file', f.caFile, '--fail-on', 'none'], { env: ENV });
    const findings = (JSON.parse(r.stdout) as { findings: (Finding & { target: string })[] }).findings;
    expect(findings.find((x) => x.ruleId === 'SECLEVEL-LEVEL-MISMATCH')?.outcome).toBe('fail');
  });

  it('EVIDENCE-DOC-TAMPERED: a PDF changed after hashing and signing', async () => {
    const f = await compliantFolder({ now: NOW, collectorPort, ncscPort, pki });
    const approval = await readFile(join(f.dir, 'docs/approval.pdf'));
    approval[approval.indexOf('approval decision')] = 'A'.charCodeAt(0);
    await writeFile(join(f.dir, 'docs/approval.pdf'), approval);
    const v = await verify(f.manifest, ['--ca-file', f.caFile]);
    expect(v.byRule.get('EVIDENCE-DOC-TAMPERED')?.outcome).toBe('fail');
    expect(v.byRule.get('EVIDENCE-DOC-TAMPERED')?.message.en).toMatch(/docs\/approval\.pdf/);
  });

  it('EVIDENCE-DOC-TAMPERED: a report changed after its detached .p7s', async () => {
    const f = await variant(() => undefined, { 'docs/assessment.txt': 'Assessment report (edited)\n' });
    const v = await verify(f.manifest, ['--ca-file', f.caFile]);
    expect(v.byRule.get('EVIDENCE-DOC-TAMPERED')?.message.en).toMatch(/docs\/assessment\.txt/);
  });

  it('EVIDENCE-DOC-UNSIGNED: a decision signed under another root, or not signed at all', async () => {
    const f = await variant(() => undefined, {
      'docs/regulation.pdf': await signedPdf('regulation decision', pki.otherSigner),
    });
    await writeFile(join(f.dir, 'docs/onsite.pdf'), await (await import('../../src/pki/pdf-signature.js')).buildSignedPdf('onsite', null));
    const v = await verify(f.manifest, ['--ca-file', f.caFile]);
    const msg = v.byRule.get('EVIDENCE-DOC-UNSIGNED')?.message.en ?? '';
    expect(v.byRule.get('EVIDENCE-DOC-UNSIGNED')?.outcome).toBe('fail');
    expect(msg).toMatch(/docs\/regulation\.pdf/);
    expect(msg).toMatch(/docs\/onsite\.pdf/);
    expect(v.byRule.get('EVIDENCE-DOC-TAMPERED')?.outcome).toBe('pass');
  });

  it('a correctly signed document verifies only with --ca-file', async () => {
    const f = await compliantFolder({ now: NOW, collectorPort, ncscPort, pki });
    expect((await verify(f.manifest)).byRule.get('EVIDENCE-DOC-UNSIGNED')?.outcome).toBe('fail');
    expect((await verify(f.manifest, ['--ca-file', f.caFile])).byRule.get('EVIDENCE-DOC-UNSIGNED')?.outcome).toBe('pass');
  });
});

describe('legal basis', () => {
  it('switching the regime changes rules and periods (§B vs §C)', async () => {
    // Level 3: an 8-month-old vulnerability scan is fine under Decree 85 (yearly assessment) but overdue under
    // TCVN 14423 (6-monthly); a regulation issued after the approval is only a defect under Decree 331.
    const f = await variant((y) => {
      y.assessments = [
        { kind: 'security-assessment', date: '2026-06-01', assessor: 'X', licence: 'Y' },
        { kind: 'vulnerability-scan', date: '2026-03-01' },
        { kind: 'log-review', date: '2026-11-01' },
      ];
      y.regulation.date = '2026-11-01';
    });
    const nd85 = await verify(f.manifest, ['--ca-file', f.caFile, '--legal-basis', 'nd85-2016']);
    const nd331 = await verify(f.manifest, ['--ca-file', f.caFile, '--legal-basis', 'nd331-2026']);
    expect(nd85.byRule.get('SECLEVEL-ASSESSMENT-OVERDUE')?.outcome).toBe('pass');
    expect(nd331.byRule.get('SECLEVEL-ASSESSMENT-OVERDUE')?.outcome).toBe('fail');
    expect(nd85.byRule.get('SECLEVEL-REGULATION-MISSING')?.outcome).toBe('pass');
    expect(nd331.byRule.get('SECLEVEL-REGULATION-MISSING')?.outcome).toBe('fail');
    expect(nd85.stderr).toMatch(/nd85-2016.*--legal-basis/);
  });

  it('the default follows the packs\' dates and is printed', async () => {
    const f = await compliantFolder({ now: NOW, collectorPort, ncscPort, pki });
    const inv = join(f.dir, 'inventory.yaml');
    await writeFile(inv, `systems:\n  - id: cong-dvc\n    evidence: cong-dvc.yaml\n`);
    const before = await runCli(['scan', '--inventory', inv, '--format', 'json', '--fail-on', 'none'], { env: { GOVSCAN_NOW: '2025-01-01' } });
    const after = await runCli(['scan', '--inventory', inv, '--format', 'json', '--fail-on', 'none'], { env: ENV });
    expect(before.stderr).toMatch(/legal basis: nd85-2016 .*effective dates/);
    expect(after.stderr).toMatch(/legal basis: nd331-2026 .*effective dates/);
    expect(JSON.parse(after.stdout).run.legalBasis).toEqual({ id: 'nd331-2026', policy: 'vn-nd331-2026', chosenBy: 'dates' });
  });
});

describe('malformed manifests: exit 2 with file:line, nothing read outside the folder', () => {
  const bad: [string, string, RegExp][] = [
    ['bad YAML', 'apiVersion: govscan/v1\nkind: [Evidence\n', /bad\.yaml:\d+:\d+: YAML syntax error/],
    ['wrong type', 'apiVersion: govscan/v1\nkind: Evidence\nsystem: { id: a }\nlevel: { approved: "three" }\n', /bad\.yaml:4:\d+: level\.approved/],
    ['unknown field', 'apiVersion: govscan/v1\nkind: Evidence\nsystem: { id: a }\nsurprise: 1\n', /bad\.yaml:4:1: .*surprise/],
    ['path escaping the folder', 'apiVersion: govscan/v1\nkind: Evidence\nsystem: { id: a }\nplan:\n  document: { path: ../../etc/passwd }\n', /bad\.yaml:5:\d+: plan\.document: "\.\.\/\.\.\/etc\/passwd" leaves the manifest's folder/],
    ['absolute path', 'apiVersion: govscan/v1\nkind: Evidence\nsystem: { id: a }\nplan:\n  document: { path: /etc/passwd }\n', /bad\.yaml:5:\d+: .*absolute path/],
    ['impossible date', 'apiVersion: govscan/v1\nkind: Evidence\nsystem: { id: a }\napproval: { date: 2026-02-30 }\n', /bad\.yaml:4:\d+: approval\.date/],
  ];
  for (const [name, text, expected] of bad) {
    it(name, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'govscan-bad-'));
      await writeFile(join(dir, 'bad.yaml'), text);
      const r = await runCli(['evidence', 'verify', join(dir, 'bad.yaml')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(expected);
      // The same manifest named by an inventory stops the scan the same way.
      await writeFile(join(dir, 'inv.yaml'), 'systems:\n  - id: a\n    evidence: bad.yaml\n');
      const s = await runCli(['scan', '--inventory', join(dir, 'inv.yaml')]);
      expect(s.code).toBe(2);
      expect(s.stderr).toMatch(expected);
    });
  }

  it('a huge manifest is refused without parsing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'govscan-bad-'));
    await writeFile(join(dir, 'bad.yaml'), '#'.repeat(2 * 1024 * 1024));
    const r = await runCli(['evidence', 'verify', join(dir, 'bad.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml: larger than 1 MB \(the limit for an evidence manifest; this one is 2\.0 MB\)/);
  });

  it('a symlink out of the folder is reported, not followed', async () => {
    const f = await compliantFolder({ now: NOW, collectorPort, ncscPort, pki });
    await rm(join(f.dir, 'docs/plan.pdf'));
    await symlink('/etc/hostname', join(f.dir, 'docs/plan.pdf'));
    const r = await runCli(['evidence', 'verify', f.manifest, '--format', 'json', '--fail-on', 'none'], { env: ENV });
    const report = JSON.parse(r.stdout) as { attempts: { check: string; facts?: { documents?: { path: string; present: boolean; readable: boolean; reason: string; sha256: string | null }[] } }[] };
    const doc = report.attempts.find((a) => a.check === 'evidence.documents')?.facts?.documents?.find((d) => d.path === 'docs/plan.pdf');
    expect(doc).toMatchObject({ present: true, readable: false, sha256: null });
    expect(doc?.reason).toMatch(/outside the evidence folder/);
  });
});
