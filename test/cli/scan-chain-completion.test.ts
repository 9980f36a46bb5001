// Chain completion through AIA caIssuers, end to end through bin/run.js: a server of a private CA that
// sends only its leaf is untrusted (high, exit 1) unless the missing intermediate can be downloaded,
// in which case only the missing intermediate is reported. The CA's site is a loopback HTTP server
// named ca.lab.test, reached through --resolve like every other name of the scan.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding, Report } from '../../src/core/types.js';
import { createOcspResponse, issueCertificate, type CertSpec, type IssuedCert } from '../../src/lab/pki.js';
import { startRepository, type Repository } from '../../src/lab/repository.js';
import { BASELINE_CIPHERS, closeAll, createHttpsEndpoint, listen, SocketTracker } from '../../src/lab/servers.js';
import { runCli } from '../helpers/cli.js';

const DAY = 86_400_000;
const CA_HOST = 'ca.lab.test';

interface Site {
  host: string;
  port: number;
}

let dir: string;
let repo: Repository;
let root: IssuedCert;
let rootFile: string;
const tracker = new SocketTracker();
const servers: http.Server[] = [];
const sites: Record<'leafOnly' | 'viaAia' | 'aiaDown', Site> = {} as never;
let deadPort: number;

/** A loopback HTTPS server sending exactly `chain`, with a fresh staple and HSTS (nothing else to report). */
async function serve(host: string, chain: IssuedCert[], issuer: IssuedCert): Promise<Site> {
  const now = Date.now();
  const staple = await createOcspResponse({
    cert: chain[0]!,
    issuer,
    status: 'good',
    thisUpdate: new Date(now - 3_600_000),
    nextUpdate: new Date(now + 7 * DAY),
  });
  const server = createHttpsEndpoint({
    chain,
    staple,
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.3',
    ciphers: BASELINE_CIPHERS,
    hsts: true,
    banner: host,
  });
  tracker.track(server);
  servers.push(server);
  return { host, port: await listen(server, '127.0.0.1') };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-aia-'));
  repo = await startRepository('127.0.0.1', tracker);
  servers.push(repo.server);
  const repoPort = new URL(repo.url).port;
  // A port nothing listens on: the CA's site is down.
  const probe = http.createServer();
  deadPort = await listen(probe, '127.0.0.1');
  await new Promise<void>((r) => probe.close(() => r()));

  const now = Date.now();
  const caDates = { notBefore: new Date(now - 365 * DAY), notAfter: new Date(now + 5 * 365 * DAY) };
  root = await issueCertificate({
    subject: 'CN=Agency Private Root CA, O=Nobody Else Knows Me, C=VN',
    key: { type: 'ec' },
    isCA: true,
    ...caDates,
  });
  const intermediate = await issueCertificate({
    subject: 'CN=Agency Private Issuing CA, O=Nobody Else Knows Me, C=VN',
    key: { type: 'ec' },
    isCA: true,
    pathLength: 0,
    issuer: root,
    ...caDates,
  });
  repo.addCa(intermediate);
  const aiaUrl = repo.caIssuersUrl(intermediate).replace('127.0.0.1', CA_HOST);
  expect(aiaUrl).toContain(`http://${CA_HOST}:${repoPort}/`);
  const leaf = (host: string, change: Partial<CertSpec>): Promise<IssuedCert> =>
    issueCertificate({
      subjectCN: host,
      sans: { dns: [host] },
      key: { type: 'ec' },
      issuer: intermediate,
      notBefore: new Date(now - 10 * DAY),
      notAfter: new Date(now + 80 * DAY),
      ...change,
    });
  const [leafOnly, viaAia, aiaDown] = await Promise.all([
    leaf('leaf-only.lab.test', {}),
    leaf('via-aia.lab.test', { caIssuersUrl: aiaUrl }),
    leaf('aia-down.lab.test', { caIssuersUrl: `http://${CA_HOST}:${deadPort}/ca/gone.crt` }),
  ]);
  sites.leafOnly = await serve('leaf-only.lab.test', [leafOnly], intermediate);
  sites.viaAia = await serve('via-aia.lab.test', [viaAia], intermediate);
  sites.aiaDown = await serve('aia-down.lab.test', [aiaDown], intermediate);
  rootFile = join(dir, 'private-root.pem');
  await writeFile(rootFile, root.certPem);
});

afterAll(async () => {
  await closeAll(servers, tracker);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** `govscan scan` of one site, every name (the site's and the CA's) pinned to loopback. */
async function scan(site: Site, extra: string[], env: Record<string, string> = {}): Promise<{ code: number | null; report: Report }> {
  const repoPort = new URL(repo.url).port;
  const args = [
    'scan',
    `https://${site.host}:${site.port}`,
    '--resolve',
    `${site.host}:${site.port}:127.0.0.1`,
    '--resolve',
    `${CA_HOST}:${repoPort}:127.0.0.1`,
    '--resolve',
    `${CA_HOST}:${deadPort}:127.0.0.1`,
    '--format',
    'json',
    '--quiet',
    '--timeout',
    '3000',
    ...extra,
  ];
  const r = await runCli(args, { env });
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
}

const failed = (report: Report): string[] =>
  report.findings
    .filter((f) => f.outcome === 'fail')
    .map((f) => f.ruleId)
    .sort();
const finding = (report: Report, id: string): Finding => report.findings.find((f) => f.ruleId === id)!;

describe('chain completion through AIA caIssuers', () => {
  it('fails TLS-CERT-UNTRUSTED (high, exit 1) for a private-CA leaf sent alone with no issuer to download', {
    timeout: 60_000,
  }, async () => {
    const { code, report } = await scan(sites.leafOnly, []);
    expect(failed(report)).toEqual(['TLS-CERT-UNTRUSTED']);
    expect(code).toBe(1);
    const untrusted = finding(report, 'TLS-CERT-UNTRUSTED');
    expect(untrusted.severity).toBe('high');
    expect(untrusted.evidence['trust.public.problems']).toEqual(['incomplete-chain']);
    expect(untrusted.evidence['aia.status']).toBe('ok');
  });

  it('fails TLS-CERT-UNTRUSTED too when the private root is given with --ca-file but the intermediate is nowhere', {
    timeout: 60_000,
  }, async () => {
    const { code, report } = await scan(sites.leafOnly, ['--ca-file', rootFile]);
    expect(failed(report)).toEqual(['TLS-CERT-UNTRUSTED']);
    expect(code).toBe(1);
    expect(finding(report, 'TLS-CERT-UNTRUSTED').message.en).toContain('custom anchors incomplete-chain');
  });

  it('fails only TLS-CHAIN-INCOMPLETE when the intermediate downloads from the AIA URL and reaches a trusted root', {
    timeout: 60_000,
  }, async () => {
    // The private root plays a root of the public store, as NODE_EXTRA_CA_CERTS adds one.
    const { code, report } = await scan(sites.viaAia, [], { NODE_EXTRA_CA_CERTS: rootFile });
    expect(failed(report)).toEqual(['TLS-CHAIN-INCOMPLETE']);
    expect(code).toBe(0);
    const incomplete = finding(report, 'TLS-CHAIN-INCOMPLETE');
    expect(incomplete.evidence['aia.trust.public.anchor']).toContain('CN=Agency Private Root CA');
    expect(incomplete.evidence['aia.fetches']).toEqual([
      expect.objectContaining({ url: expect.stringContaining(`http://${CA_HOST}:`), status: 'ok', certificates: 1 }),
    ]);
  });

  it('with the root as --ca-file, the downloaded path also shows the certificate is not publicly trusted', {
    timeout: 60_000,
  }, async () => {
    const { code, report } = await scan(sites.viaAia, ['--ca-file', rootFile]);
    expect(failed(report)).toEqual(['TLS-CERT-NOT-PUBLICLY-TRUSTED', 'TLS-CHAIN-INCOMPLETE']);
    expect(code).toBe(0);
  });

  it('leaves trust not tested, with the reason, when the CA site named by AIA cannot be reached', { timeout: 60_000 }, async () => {
    const { report } = await scan(sites.aiaDown, [], { NODE_EXTRA_CA_CERTS: rootFile });
    expect(failed(report)).toEqual([]);
    for (const id of ['TLS-CERT-UNTRUSTED', 'TLS-CHAIN-INCOMPLETE']) {
      const f = finding(report, id);
      expect(f.outcome).toBe('not-tested');
      expect(f.reason).toContain(`http://${CA_HOST}:${deadPort}/ca/gone.crt`);
    }
  });
});
