// Mail endpoints end to end through the built CLI: `smtp://` runs STARTTLS before every TLS
// connection of the check, so versions, chain, trust and hostname are judged as for HTTPS; HSTS is
// not asked of mail; a server that does not offer STARTTLS is reported as such, never probed in clear.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/core/types.js';
import type { TlsFacts } from '../../checks/tls/facts.js';
import { issueCertificate, type IssuedCert } from '../../src/lab/pki.js';
import { startSmtpServer, type SmtpServer } from '../../src/lab/smtp-server.js';
import { runCli } from '../helpers/cli.js';

const HOST = 'mail.lab.test';
let dir: string;
let rootFile: string;
let leaf: IssuedCert;
let modern: SmtpServer;
let legacy: SmtpServer;
let plain: SmtpServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-smtp-'));
  const root = await issueCertificate({ subject: 'C=VN, O=govscan lab, CN=Mail Test Root', isCA: true });
  leaf = await issueCertificate({ subjectCN: HOST, sans: { dns: [HOST] }, issuer: root });
  rootFile = join(dir, 'root.pem');
  await writeFile(rootFile, root.certPem);
  modern = await startSmtpServer({ chain: [leaf] });
  legacy = await startSmtpServer({ chain: [leaf], minVersion: 'TLSv1', maxVersion: 'TLSv1.2', ciphers: 'DEFAULT:@SECLEVEL=0' });
  plain = await startSmtpServer({ chain: [leaf], offerStartTls: false });
});

afterAll(async () => {
  await Promise.all([modern, legacy, plain].map((s) => s?.close()));
  await rm(dir, { recursive: true, force: true });
});

async function scan(server: SmtpServer, extra: string[] = []): Promise<{ code: number | null; report: Report; stderr: string }> {
  const r = await runCli(
    [
      'scan',
      `smtp://${HOST}:${server.port}`,
      '--resolve',
      `${HOST}:${server.port}:${server.address}`,
      '--policy',
      'vn-ct02-2022-tls',
      '--format',
      'json',
      '--quiet',
      '--timeout',
      '3000',
      ...extra,
    ],
    { env: { NODE_EXTRA_CA_CERTS: rootFile } },
  );
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

describe('scan smtp:// (STARTTLS)', () => {
  it('judges a modern mail server like any TLS endpoint, every connection after STARTTLS, and asks no HSTS of it', async () => {
    const { code, report, stderr } = await scan(modern);
    expect(code, stderr).toBe(0);
    expect(report.targets[0]).toMatchObject({ key: `smtp://${HOST}:${modern.port}`, scheme: 'smtp', kind: 'host', port: modern.port });
    const facts = report.attempts[0]?.facts as TlsFacts;
    expect(report.attempts[0]?.status).toBe('ok');
    expect(facts.negotiated.protocol).toBe('TLSv1.3');
    expect(facts.protocols['TLSv1.2']).toMatchObject({ status: 'ok', accepted: true });
    expect(facts.protocols.TLSv1).toMatchObject({ status: 'ok', accepted: false });
    expect(facts.trust.public.trusted).toBe(true);
    expect(facts.hostname.matches).toBe(true);
    expect(facts.hsts.status).toBe('not-applicable');
    expect(report.findings.filter((f) => f.outcome === 'fail')).toEqual([]);
    // The full enumeration ran behind STARTTLS, and the lab's good configuration (Mozilla
    // intermediate, src/lab/servers.ts GOOD_TLS) passes the suite and group rules on it.
    expect(facts.enumeration?.status).toBe('ok');
    const outcome = (id: string): string | undefined => report.findings.find((f) => f.ruleId === id)?.outcome;
    for (const id of ['TLS-CIPHER-INSUFFICIENT', 'TLS-CIPHER-PHASE-OUT', 'TLS-CIPHER-ORDER', 'TLS-KEX-GROUP-WEAK'])
      expect(outcome(id), id).toBe('pass');
    // Every TLS connection of the check began with the SMTP dialogue, none spoke TLS to the greeting.
    expect(modern.sessions.length).toBeGreaterThanOrEqual(4);
    for (const session of modern.sessions) expect(session).toEqual(['EHLO govscan.invalid', 'STARTTLS']);
  });

  it('finds legacy protocols behind STARTTLS, and gates on them', async () => {
    const { code, report } = await scan(legacy, ['--fail-on', 'medium']);
    expect(code).toBe(1);
    const facts = report.attempts[0]?.facts as TlsFacts;
    expect(facts.protocols.TLSv1).toMatchObject({ status: 'ok', accepted: true });
    expect(report.findings.filter((f) => f.outcome === 'fail').map((f) => f.ruleId)).toContain('TLS-PROTO-LEGACY');
  });

  it('a mail server that does not offer STARTTLS: not tested with that reason, and never a TLS byte in clear', async () => {
    const { code, report } = await scan(plain);
    // Nothing could be gathered at all: the scan did not run (exit 3), and the report says why.
    expect(code).toBe(3);
    expect(report.attempts[0]).toMatchObject({
      status: 'error',
      errorKind: 'protocol',
      reason: 'the SMTP server does not offer STARTTLS (EHLO lists: PIPELINING, 8BITMIME)',
    });
    expect(report.findings.every((f) => f.outcome === 'not-tested')).toBe(true);
    // EHLO, and at most a parting QUIT: the client never started TLS on a server that did not offer it.
    // The version probes start beside the main handshake and are cut short when it fails, so some
    // connections end before their greeting was even read (nothing sent at all).
    expect(plain.sessions.some((session) => session.includes('EHLO govscan.invalid'))).toBe(true);
    for (const session of plain.sessions) expect(session.filter((c) => c !== 'QUIT' && c !== 'EHLO govscan.invalid')).toEqual([]);
  });
});
