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

async function verify(
  manifest: string,
  extra: string[] = [],
): Promise<{ code: number | null; byRule: Map<string, Finding>; stderr: string }> {
  const r = await runCli(['evidence', 'verify', manifest, '--format', 'json', '--fail-on', 'high', ...extra], { env: ENV });
  const byRule = new Map<string, Finding>();
  if (r.stdout.trim()) for (const f of (JSON.parse(r.stdout) as { findings: Finding[] }).findings) byRule.set(f.ruleId, f);
  return { code: r.code, byRule, stderr: r.stderr };
}

// biome-ignore lint/suspicious/noExplicitAny: edits a parsed YAML manifest at any depth
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
    const failed = [...v.byRule.values()]
      .filter((f) => f.outcome === 'fail')
      .map((f) => f.ruleId)
      .sort();
    expect(failed).toEqual([
      'FOURLAYER-ASSESSMENT',
      'FOURLAYER-MONITORING',
      'FOURLAYER-MONITORING-DATA',
      'FOURLAYER-MONITORING-LIVE',
      'FOURLAYER-MONITORING-REPORTS',
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
    // scan reads the manifest's legalBasis too, and says so.
    expect(v.stderr).toMatch(/legal basis of cong-dvc: nd85-2016 .*legalBasis in the evidence manifest/);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('evidence verify: every rule', () => {
  it('passes a complete level-3 dossier with signed documents and live endpoints, under either regime', async () => {
    const f = await compliantFolder({ now: NOW, collectorPort, ncscPort, pki });
    for (const extra of [[], ND331]) {
      const v = await verify(f.manifest, ['--ca-file', f.caFile, ...extra]);
      const notPassed = [...v.byRule.values()].filter((x) => x.outcome !== 'pass' && x.outcome !== 'not-applicable');
      expect(notPassed.map((x) => `${x.ruleId}: ${x.message.en}`)).toEqual([]);
      expect(v.code).toBe(0);
    }
  });

  // The compliant dossier is approved before Decree 331 took effect, so the dates judge it under Decree 85:
  // rules only Decree 331 has are run with --legal-basis nd331-2026.
  const ND331 = ['--legal-basis', 'nd331-2026'];
  // biome-ignore lint/suspicious/noExplicitAny: edits a parsed YAML manifest at any depth
  const cases: [string, (y: Record<string, any>) => void, string[]?][] = [
    ['SECLEVEL-NOT-DECLARED', (y) => delete y.level],
    ['SECLEVEL-NOT-APPROVED', (y) => delete y.approval.number],
    ['SECLEVEL-APPRAISAL-MISSING', (y) => delete y.appraisal],
    ['SECLEVEL-PLAN-MISSING', (y) => (y.plan.status = 'none')],
    ['SECLEVEL-PLAN-PARTIAL', (y) => (y.plan.status = 'partial')],
    ['SECLEVEL-REGULATION-MISSING', (y) => delete y.regulation.number],
    [
      'SECLEVEL-ASSESSMENT-OVERDUE',
      (y) => (y.assessments = y.assessments.filter((a: { kind: string }) => a.kind !== 'security-assessment')),
    ],
    // Frequencies are new with Decree 331: nothing is overdue until a period after it took effect, so these
    // two move its effective date back a year (a --param, as an agency would when the date is corrected).
    [
      'SECLEVEL-VULNSCAN-OVERDUE',
      (y) => (y.assessments = y.assessments.filter((a: { kind: string }) => a.kind !== 'vulnerability-scan')),
      [...ND331, '--param', 'vn-nd331-2026:effectiveFrom=2025-08-19'],
    ],
    [
      'SECLEVEL-LOGREVIEW-OVERDUE',
      (y) => (y.assessments.find((a: { kind: string }) => a.kind === 'log-review').date = '2026-01-01'),
      [...ND331, '--param', 'vn-nd331-2026:effectiveFrom=2025-08-19'],
    ],
    ['SECLEVEL-PENTEST-OVERDUE', (y) => delete y.penetrationTestProgramme, ND331],
    ['SECLEVEL-LOG-RETENTION', (y) => (y.logging.retentionDays = 60), ND331],
    // As of 2026-11-20 the latest deadline passed is 2025-11-30: a report after 2024-11-30 is due.
    [
      'SECLEVEL-ANNUAL-REPORT',
      (y) => {
        y.annualReport.date = '2024-10-01';
        y.approval.date = '2024-06-01';
      },
    ],
    [
      'SECLEVEL-APPRAISER',
      (y) => {
        y.level.approved = 4;
        y.level.proposed = 4;
        y.appraisal.authority = 'specialised-unit';
      },
    ],
    ['FOURLAYER-MONITORING-DATA', (y) => (y.layers.monitoring.dataRetentionDays = 7)],
    ['FOURLAYER-MONITORING-REPORTS', (y) => delete y.layers.monitoring.reports.weekly],
    ['FOURLAYER-GOLIVE-ASSESSMENT', (y) => (y.goLive.date = '2026-09-01')],
    ['FOURLAYER-CHANGE-ASSESSMENT', (y) => (y.changes[0].date = '2026-10-25'), ['--param', 'vn-ct14-2019:changeAssessmentGraceDays=10']],
    ['EVIDENCE-DOC-MISSING', (y) => (y.plan.document.path = 'docs/nope.pdf')],
    ['FOURLAYER-ONSITE', (y) => (y.layers.onsite.staff = [])],
    ['FOURLAYER-MONITORING', (y) => (y.layers.monitoring.contract.validTo = '2026-11-01')],
    ['FOURLAYER-MONITORING-LIVE', (y) => (y.layers.monitoring.forwarder.endpoint = `127.0.0.1:${closedPort}`)],
    ['FOURLAYER-ASSESSMENT', (y) => (y.assessments[0].licence = undefined)],
    ['FOURLAYER-NCSC', (y) => delete y.layers.ncsc.confirmation.number],
    ['FOURLAYER-NCSC-LIVE', (y) => (y.layers.ncsc.forwarder.endpoint = `127.0.0.1:${closedPort}`)],
  ];
  for (const [rule, change, extra = []] of cases) {
    it(`${rule} fails when its evidence is broken`, async () => {
      const f = await variant(change);
      const v = await verify(f.manifest, ['--ca-file', f.caFile, ...extra]);
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
    expect((await verify(f.manifest)).byRule.get('EVIDENCE-DOC-UNSIGNED')?.outcome).toBe('not-tested');
    expect((await verify(f.manifest, ['--ca-file', f.caFile])).byRule.get('EVIDENCE-DOC-UNSIGNED')?.outcome).toBe('pass');
  });
});

// Issue 10: one document's damaged signature is judged on its own and never hides another's result;
// without anchors signers are not tested rather than failed; a signer certificate is judged on the
// bytes in the file.
describe('signatures judged document by document', () => {
  // The fixture signer's notBefore (2020-01-01) as the UTCTime inside every signature it makes.
  const SIGNER_NOT_BEFORE = '200101000000Z';

  /** `der` with the signer certificate's notBefore text overwritten by `text` (same length). */
  function editNotBefore(der: Buffer, text: string): Buffer {
    const at = der.indexOf(SIGNER_NOT_BEFORE, 0, 'latin1');
    expect(at).toBeGreaterThan(0);
    expect(der.indexOf(SIGNER_NOT_BEFORE, at + 1, 'latin1')).toBe(-1);
    const out = Buffer.from(der);
    out.write(text, at, 'latin1');
    return out;
  }

  /** The same edit inside a PDF's /Contents hex string (outside the signed byte range). */
  function editPdfNotBefore(pdf: Buffer, text: string): Buffer {
    const hex = (s: string): string => Buffer.from(s, 'latin1').toString('hex');
    const body = pdf.toString('latin1');
    const at = body.indexOf(hex(SIGNER_NOT_BEFORE));
    expect(at).toBeGreaterThan(0);
    return Buffer.from(body.slice(0, at) + hex(text) + body.slice(at + hex(text).length), 'latin1');
  }

  async function tamperedWithCraftedP7s(): Promise<Awaited<ReturnType<typeof compliantFolder>>> {
    const f = await compliantFolder({ now: NOW, collectorPort, ncscPort, pki });
    const approval = await readFile(join(f.dir, 'docs/approval.pdf'));
    approval[approval.indexOf('approval decision')] = 'A'.charCodeAt(0);
    await writeFile(join(f.dir, 'docs/approval.pdf'), approval);
    // Two bytes of the signer certificate's notBefore: this made the whole system "not tested".
    const p7s = await readFile(join(f.dir, 'docs/assessment.txt.p7s'));
    await writeFile(join(f.dir, 'docs/assessment.txt.p7s'), editNotBefore(p7s, 'xx'));
    return f;
  }

  function expectTamperedStillReported(byRule: Map<string, Finding>): void {
    const tampered = byRule.get('EVIDENCE-DOC-TAMPERED');
    expect(tampered?.outcome, tampered?.message.en).toBe('fail');
    expect(tampered?.message.en).toMatch(/docs\/approval\.pdf/);
    // The crafted signature is itself a signature that does not verify over the report.
    expect(tampered?.message.en).toMatch(/docs\/assessment\.txt/);
    // Every other rule of the system is still judged.
    const notTested = [...byRule.values()].filter((x) => x.outcome === 'not-tested').map((x) => `${x.ruleId}: ${x.message.en}`);
    expect(notTested).toEqual([]);
  }

  it('evidence verify: a crafted .p7s beside a tampered PDF still fails EVIDENCE-DOC-TAMPERED and exits 1', async () => {
    const f = await tamperedWithCraftedP7s();
    const v = await verify(f.manifest, ['--ca-file', f.caFile]);
    expect(v.code, v.stderr).toBe(1);
    expectTamperedStillReported(v.byRule);
  });

  it('scan --inventory: the same system still fails EVIDENCE-DOC-TAMPERED and exits 1', async () => {
    const f = await tamperedWithCraftedP7s();
    const inv = join(f.dir, 'inventory.yaml');
    await writeFile(inv, `agency: Test\nsystems:\n  - id: cong-dvc\n    level: 3\n    evidence: cong-dvc.yaml\n`);
    const r = await runCli(['scan', '--inventory', inv, '--format', 'json', '--ca-file', f.caFile, '--fail-on', 'high'], { env: ENV });
    expect(r.code, r.stderr).toBe(1);
    const byRule = new Map((JSON.parse(r.stdout) as { findings: Finding[] }).findings.map((x) => [x.ruleId, x]));
    expectTamperedStillReported(byRule);
  });

  it('without --ca-file signed documents are not tested for their signer, in both languages; an unsigned one still fails', async () => {
    const f = await compliantFolder({ now: NOW, collectorPort, ncscPort, pki });
    const v = await verify(f.manifest);
    const unsigned = v.byRule.get('EVIDENCE-DOC-UNSIGNED');
    expect(unsigned?.outcome).toBe('not-tested');
    expect(unsigned?.message.en).toMatch(/no trust anchor for document signatures/);
    expect(unsigned?.message.vi).toMatch(/không có chứng thư gốc để kiểm tra chữ ký số/);
    expect(v.code).toBe(0);

    const { buildSignedPdf } = await import('../../src/pki/pdf-signature.js');
    await writeFile(join(f.dir, 'docs/onsite.pdf'), await buildSignedPdf('onsite', null));
    const w = await verify(f.manifest);
    const failed = w.byRule.get('EVIDENCE-DOC-UNSIGNED');
    expect(failed?.outcome).toBe('fail');
    expect(failed?.message.en).toMatch(/docs\/onsite\.pdf/);
    // The signed decisions are not blamed for the missing anchor.
    expect(failed?.message.en).not.toMatch(/docs\/approval\.pdf/);
    expect(w.code).toBe(1);
  });

  it('a signature that cannot be verified leaves only that document not tested; a tampered one still fails', async () => {
    const f = await compliantFolder({ now: NOW, collectorPort, ncscPort, pki });
    // The signer's digest algorithm (outside what the signature covers) renamed SHA3-256, which this build does not check.
    const p7s = await readFile(join(f.dir, 'docs/assessment.txt.p7s'));
    const sha256 = Buffer.from('0609608648016503040201', 'hex');
    const at = p7s.lastIndexOf(sha256);
    expect(at).toBeGreaterThan(p7s.indexOf(sha256));
    p7s[at + sha256.length - 1] = 0x08;
    await writeFile(join(f.dir, 'docs/assessment.txt.p7s'), p7s);
    const v = await verify(f.manifest, ['--ca-file', f.caFile]);
    const tampered = v.byRule.get('EVIDENCE-DOC-TAMPERED');
    expect(tampered?.outcome).toBe('not-tested');
    expect(tampered?.message.en).toMatch(
      /could not check the integrity of docs\/assessment\.txt \(digest algorithm 2\.16\.840\.1\.101\.3\.4\.2\.8 is not supported\)/,
    );
    expect(tampered?.message.vi).toMatch(/không kiểm tra được tính toàn vẹn của docs\/assessment\.txt/);
    expect(v.byRule.get('EVIDENCE-DOC-UNSIGNED')?.outcome).toBe('not-tested');
    expect(v.byRule.get('EVIDENCE-DOC-MISSING')?.outcome).toBe('pass');

    const approval = await readFile(join(f.dir, 'docs/approval.pdf'));
    approval[approval.indexOf('approval decision')] = 'A'.charCodeAt(0);
    await writeFile(join(f.dir, 'docs/approval.pdf'), approval);
    const w = await verify(f.manifest, ['--ca-file', f.caFile]);
    expect(w.byRule.get('EVIDENCE-DOC-TAMPERED')?.outcome).toBe('fail');
    expect(w.byRule.get('EVIDENCE-DOC-TAMPERED')?.message.en).toMatch(/docs\/approval\.pdf changed/);
    expect(w.code).toBe(1);
  });

  // One bit, 'Z' -> 'z' ending notBefore: checked on a re-encoding, the issuer's signature still verified.
  const altered: [string, string, (bytes: Buffer) => Buffer][] = [
    ['a .p7s', 'docs/assessment.txt.p7s', (b) => editNotBefore(b, '200101000000z')],
    ['a PDF signature', 'docs/regulation.pdf', (b) => editPdfNotBefore(b, '200101000000z')],
  ];
  for (const [where, file, edit] of altered) {
    it(`a signer certificate altered inside ${where} no longer chains (judged on the bytes in the file)`, async () => {
      const f = await compliantFolder({ now: NOW, collectorPort, ncscPort, pki });
      await writeFile(join(f.dir, file), edit(await readFile(join(f.dir, file))));
      const v = await verify(f.manifest, ['--ca-file', f.caFile]);
      const unsigned = v.byRule.get('EVIDENCE-DOC-UNSIGNED');
      expect(unsigned?.outcome, unsigned?.message.en).toBe('fail');
      expect(unsigned?.message.en).toContain(file.replace(/\.p7s$/, ''));
      expect(v.code).toBe(1);
    });
  }
});

describe('legal basis', () => {
  it('switching the regime changes rules and periods (§B vs §C)', async () => {
    // Level 3: an 8-month-old vulnerability scan is fine under Decree 85 (yearly assessment) but overdue under
    // TCVN 14423 (6-monthly); a regulation issued after an approval made under Decree 331 is only a defect there.
    const f = await variant((y) => {
      y.assessments = [
        { kind: 'security-assessment', date: '2026-06-01', assessor: 'X', licence: 'Y' },
        { kind: 'vulnerability-scan', date: '2026-03-01' },
        { kind: 'log-review', date: '2026-11-01' },
      ];
      y.approval.date = '2026-09-01';
      y.regulation.date = '2026-11-01';
    });
    const nd85 = await verify(f.manifest, ['--ca-file', f.caFile, '--legal-basis', 'nd85-2016']);
    // Decree 331 moved back to 2026-01-01, so its 6-monthly scan is already due (see the no-retroactivity tests).
    const nd331 = await verify(f.manifest, [
      '--ca-file',
      f.caFile,
      '--legal-basis',
      'nd331-2026',
      '--param',
      'vn-nd331-2026:effectiveFrom=2026-01-01',
    ]);
    expect(nd85.byRule.get('SECLEVEL-ASSESSMENT-OVERDUE')?.outcome).toBe('pass');
    expect(nd85.byRule.has('SECLEVEL-VULNSCAN-OVERDUE')).toBe(false);
    expect(nd331.byRule.get('SECLEVEL-VULNSCAN-OVERDUE')?.outcome).toBe('fail');
    expect(nd85.byRule.get('SECLEVEL-REGULATION-MISSING')?.outcome).toBe('pass');
    expect(nd331.byRule.get('SECLEVEL-REGULATION-MISSING')?.outcome).toBe('fail');
    expect(nd331.byRule.get('SECLEVEL-REGULATION-MISSING')?.message.vi).toMatch(
      /quy chế 5\/QĐ ban hành ngày 01\/11\/2026, sau ngày phê duyệt cấp độ 01\/09\/2026/,
    );
    expect(nd85.stderr).toMatch(/legal basis of cong-dvc: nd85-2016 .*--legal-basis/);
  });

  it('the default follows the dates: approved before Decree 331 keeps Decree 85 until the transition ends', async () => {
    const f = await compliantFolder({ now: NOW, collectorPort, ncscPort, pki });
    const inv = join(f.dir, 'inventory.yaml');
    await writeFile(inv, `systems:\n  - id: cong-dvc\n    evidence: cong-dvc.yaml\n`);
    const scan = (now: string) =>
      runCli(['scan', '--inventory', inv, '--format', 'json', '--fail-on', 'none'], { env: { GOVSCAN_NOW: now } });
    const [before, during, after] = await Promise.all([scan('2025-01-01'), scan('2026-11-20'), scan('2027-07-15')]);
    const basis = (r: { stdout: string }) =>
      (
        JSON.parse(r.stdout) as {
          targets: { kind: string; system?: { legalBasis?: { id: string; chosenBy: string; reason: { en: string } } } }[];
        }
      ).targets.find((t) => t.kind === 'system')?.system?.legalBasis;
    expect(basis(before)).toMatchObject({ id: 'nd85-2016', chosenBy: 'dates' });
    expect(basis(before)?.reason.en).toMatch(/Decree 331\/2026\/NĐ-CP takes effect on 2026-08-19/);
    // The fixture's approval is 120 days before 2026-11-20: 2026-07-23, before 2026-08-19.
    expect(basis(during)).toMatchObject({ id: 'nd85-2016', chosenBy: 'dates', state: 'in-transition' });
    expect(basis(during)?.reason.en).toMatch(/approved on 2026-07-23, before .* took effect on 2026-08-19/);
    expect(during.stderr).toMatch(/legal basis of cong-dvc: nd85-2016 \(policy pack vn-nd85-2016\) — approved on 2026-07-23/);
    expect(basis(after)).toMatchObject({ id: 'nd331-2026', chosenBy: 'dates', state: 'in-effect' });
    expect(basis(after)?.reason.en).toMatch(/transition from Decree 85\/2016\/NĐ-CP ended on 2027-06-30/);
  });
});

describe('malformed manifests: exit 2 with file:line, nothing read outside the folder', () => {
  const bad: [string, string, RegExp][] = [
    ['bad YAML', 'apiVersion: govscan/v1\nkind: [Evidence\n', /bad\.yaml:\d+:\d+: YAML syntax error/],
    [
      'wrong type',
      'apiVersion: govscan/v1\nkind: Evidence\nsystem: { id: a }\nlevel: { approved: "three" }\n',
      /bad\.yaml:4:\d+: level\.approved/,
    ],
    ['unknown field', 'apiVersion: govscan/v1\nkind: Evidence\nsystem: { id: a }\nsurprise: 1\n', /bad\.yaml:4:1: .*surprise/],
    [
      'path escaping the folder',
      'apiVersion: govscan/v1\nkind: Evidence\nsystem: { id: a }\nplan:\n  document: { path: ../../etc/passwd }\n',
      /bad\.yaml:5:\d+: plan\.document: "\.\.\/\.\.\/etc\/passwd" leaves the manifest's folder/,
    ],
    [
      'absolute path',
      'apiVersion: govscan/v1\nkind: Evidence\nsystem: { id: a }\nplan:\n  document: { path: /etc/passwd }\n',
      /bad\.yaml:5:\d+: .*absolute path/,
    ],
    [
      'impossible date',
      'apiVersion: govscan/v1\nkind: Evidence\nsystem: { id: a }\napproval: { date: 2026-02-30 }\n',
      /bad\.yaml:4:\d+: approval\.date/,
    ],
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
    const report = JSON.parse(r.stdout) as {
      attempts: {
        check: string;
        facts?: { documents?: { path: string; present: boolean; readable: boolean; reason: string; sha256: string | null }[] };
      }[];
    };
    const doc = report.attempts.find((a) => a.check === 'evidence.documents')?.facts?.documents?.find((d) => d.path === 'docs/plan.pdf');
    expect(doc).toMatchObject({ present: true, readable: false, sha256: null });
    expect(doc?.reason).toMatch(/outside the evidence folder/);
  });
});
