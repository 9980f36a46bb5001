// Builds an evidence folder for tests: a test signing PKI (root + document-signing leaf, and an
// unrelated root for "wrongly signed"), signed and unsigned PDFs, a tampered copy, a detached .p7s,
// and a manifest that satisfies every rule. Tests then break one thing at a time.

import { createHash, X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetDialer } from '../../src/core/net/dialer.js';
import { CachingResolver } from '../../src/core/net/resolver.js';
import type { CheckContext } from '../../src/core/types.js';
import { issueCertificate, type IssuedCert } from '../../src/lab/pki.js';
import { signDetachedCms } from '../../src/pki/cms-sign.js';
import { buildSignedPdf } from '../../src/pki/pdf-signature.js';

export interface SigningPki {
  root: IssuedCert;
  signer: IssuedCert;
  otherRoot: IssuedCert;
  otherSigner: IssuedCert;
}

export async function signingPki(): Promise<SigningPki> {
  const root = await issueCertificate({
    subject: 'CN=Test RootCA chuyen dung Chinh phu, O=govscan test',
    isCA: true,
    keyUsage: ['keyCertSign', 'cRLSign'],
    keyId: 'ev-root',
    notBefore: new Date('2019-01-01'),
    notAfter: new Date(Date.now() + 3650 * 86_400_000),
  });
  const signer = await issueCertificate({
    subjectCN: 'Nguyen Van A',
    issuer: root,
    keyUsage: ['digitalSignature', 'nonRepudiation'],
    keyId: 'ev-signer',
    notBefore: new Date('2020-01-01'),
    notAfter: new Date(Date.now() + 3650 * 86_400_000),
  });
  const otherRoot = await issueCertificate({
    subject: 'CN=Unrelated Root, O=elsewhere',
    isCA: true,
    keyUsage: ['keyCertSign'],
    keyId: 'ev-other-root',
    notBefore: new Date('2019-01-01'),
  });
  const otherSigner = await issueCertificate({
    subjectCN: 'Mallory',
    issuer: otherRoot,
    keyUsage: ['digitalSignature'],
    keyId: 'ev-other-signer',
    notBefore: new Date('2020-01-01'),
  });
  return { root, signer, otherRoot, otherSigner };
}

export function signerOf(cert: IssuedCert) {
  return { certDer: cert.der, privateKey: cert.privateKey };
}

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

export async function signedPdf(text: string, by: IssuedCert, at = new Date()): Promise<Buffer> {
  return buildSignedPdf(text, (bytes) => signDetachedCms(bytes, signerOf(by), at));
}

async function writeFiles(dir: string, files: Record<string, Buffer | string>): Promise<void> {
  for (const [name, body] of Object.entries(files)) {
    const file = join(dir, name);
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, body);
  }
}

/** YYYY-MM-DD `days` before `now`. */
function daysAgo(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

export interface EvidenceFolder {
  dir: string;
  manifest: string;
  caFile: string;
  pki: SigningPki;
}

/**
 * A complete, compliant level-3 system as of `now`: every rule of vn-nd85-2016, vn-nd331-2026 and
 * vn-ct14-2019 passes when the collector and NCSC endpoints (loopback ports) accept connections —
 * assessed before go-live and after its one recorded change, with a pen-test programme, log retention,
 * a yearly report and layer-2 monitoring data and reports.
 */
export async function compliantFolder(opts: {
  now: Date;
  collectorPort: number;
  ncscPort: number;
  pki?: SigningPki;
  level?: number;
}): Promise<EvidenceFolder & { yaml: Record<string, unknown> }> {
  const pki = opts.pki ?? (await signingPki());
  const dir = await mkdtemp(join(tmpdir(), 'govscan-evidence-'));
  const now = opts.now;
  const decision = (name: string): Promise<Buffer> => signedPdf(`${name} decision`, pki.signer, new Date(now.getTime() - 100 * 86_400_000));
  const plan = Buffer.from((await buildSignedPdf('Level-based security plan v2', null)).toString('latin1'), 'latin1');
  const approval = await decision('approval');
  const report = Buffer.from('Assessment report\n');
  const reportSig = await signDetachedCms(report, signerOf(pki.signer), new Date(now.getTime() - 30 * 86_400_000));
  await writeFiles(dir, {
    'docs/approval.pdf': approval,
    'docs/appraisal.pdf': await decision('appraisal'),
    'docs/regulation.pdf': await decision('regulation'),
    'docs/onsite.pdf': await decision('onsite'),
    'docs/ncsc.pdf': await decision('ncsc'),
    'docs/plan.pdf': plan,
    'docs/assessment.txt': report,
    'docs/assessment.txt.p7s': reportSig,
    'config/rsyslog.conf': `*.* @@127.0.0.1:${opts.collectorPort}\n`,
    'ca.pem': pki.root.certPem,
  });
  const level = opts.level ?? 3;
  const yaml = {
    apiVersion: 'govscan/v1',
    kind: 'Evidence',
    system: { id: 'cong-dvc', name: 'Cổng dịch vụ công', owner: 'UBND tỉnh', operator: 'Sở KH&CN', specialisedUnit: 'Trung tâm CNTT' },
    level: { proposed: level, approved: level, criterion: 'Art. 9' },
    appraisal: {
      number: '12/TĐ',
      date: daysAgo(now, 130),
      authority: 'ministry-of-public-security',
      document: { path: 'docs/appraisal.pdf', type: 'signed-pdf' },
    },
    regulation: { number: '5/QĐ', date: daysAgo(now, 125), document: { path: 'docs/regulation.pdf', type: 'signed-pdf' } },
    approval: {
      number: '34/QĐ',
      date: daysAgo(now, 120),
      signer: 'Chủ tịch',
      document: { path: 'docs/approval.pdf', type: 'signed-pdf', sha256: sha256(approval) },
    },
    plan: { version: '2.0', status: 'full', document: { path: 'docs/plan.pdf', type: 'pdf', sha256: sha256(plan) } },
    goLive: { date: daysAgo(now, 60) },
    changes: [{ date: daysAgo(now, 45), description: 'upgrade to v2' }],
    penetrationTestProgramme: { number: '9/QĐ', date: daysAgo(now, 110) },
    logging: { retentionDays: 400 },
    annualReport: { date: daysAgo(now, 5) },
    assessments: [
      {
        kind: 'security-assessment',
        date: daysAgo(now, 30),
        assessor: 'Công ty ATTT',
        licence: '99/GP-BCA',
        report: { path: 'docs/assessment.txt', type: 'p7s' },
      },
      { kind: 'security-assessment', date: daysAgo(now, 65), assessor: 'Công ty ATTT', licence: '99/GP-BCA' },
      { kind: 'vulnerability-scan', date: daysAgo(now, 20), assessor: 'Công ty ATTT', licence: '99/GP-BCA' },
      { kind: 'log-review', date: daysAgo(now, 10) },
      { kind: 'penetration-test', date: daysAgo(now, 40), assessor: 'Công ty ATTT', licence: '99/GP-BCA' },
    ],
    layers: {
      onsite: {
        decision: { number: '7/QĐ', date: daysAgo(now, 200), document: { path: 'docs/onsite.pdf', type: 'signed-pdf' } },
        staff: [{ name: 'Trần B', role: 'lead' }],
        onCall: '+84 1',
      },
      monitoring: {
        provider: 'SOC Co.',
        contract: { number: 'HD-1', validFrom: daysAgo(now, 100), validTo: daysAgo(now, -200) },
        forwarder: { endpoint: `127.0.0.1:${opts.collectorPort}`, config: { path: 'config/rsyslog.conf', type: 'text' } },
        dataRetentionDays: 90,
        reports: { daily: { date: daysAgo(now, 1) }, weekly: { date: daysAgo(now, 4) }, sixMonthly: { date: daysAgo(now, 90) } },
      },
      ncsc: {
        confirmation: { number: '88/NCSC', date: daysAgo(now, 300), document: { path: 'docs/ncsc.pdf', type: 'signed-pdf' } },
        forwarder: { endpoint: `127.0.0.1:${opts.ncscPort}` },
      },
    },
  };
  const manifest = join(dir, 'cong-dvc.yaml');
  await writeFile(manifest, JSON.stringify(yaml, null, 2));
  return { dir, manifest, caFile: join(dir, 'ca.pem'), pki, yaml };
}

/** What the evidence checks get from the engine: loopback network, a fixed clock, `root` as the --ca-file anchor. */
export function checkContext(now: Date, root: IssuedCert): CheckContext {
  return {
    resolver: new CachingResolver({ timeoutMs: 1000 }),
    dialer: new NetDialer(4),
    now: () => now,
    timeoutMs: 1000,
    signal: new AbortController().signal,
    trust: { public: { name: 'public', certificates: [] }, custom: { name: 'ca', certificates: [new X509Certificate(root.der)] } },
    userAgent: 'test',
  };
}
