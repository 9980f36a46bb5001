// AIA caIssuers downloads: through the injected resolver and loopback-only dialer, bounded in bytes,
// one download per URL per run, the CA's refusals told from an unreachable site, and every form a CA
// serves (DER, PKCS#7 certs-only, PEM) read.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import * as pkijs from 'pkijs';
import { IssuerFetcher, certificatesIn, MAX_ISSUER_BYTES } from '../../../checks/tls/issuer-fetch.js';
import { issueCertificate, type IssuedCert } from '../../../src/lab/pki.js';
import { listen } from '../../../src/lab/servers.js';
import { testContext } from './farm.js';

let ca: IssuedCert;
let other: IssuedCert;
let server: http.Server;
let base: string;
let port: number;
const hits = new Map<string, number>();

/** A certs-only PKCS#7 SignedData (what .p7c caIssuers URLs serve). */
function pkcs7(certs: IssuedCert[]): Buffer {
  const signed = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1' }),
    certificates: certs.map((c) => pkijs.Certificate.fromBER(new Uint8Array(c.der))),
    signerInfos: [],
  });
  const info = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: signed.toSchema(true) });
  return Buffer.from(info.toSchema().toBER());
}

beforeAll(async () => {
  [ca, other] = await Promise.all([
    issueCertificate({ subject: 'CN=Fetch Test CA, C=VN', key: { type: 'ec' }, isCA: true }),
    issueCertificate({ subject: 'CN=Fetch Test Other CA, C=VN', key: { type: 'ec' }, isCA: true }),
  ]);
  const bodies: Record<string, Buffer> = {
    '/ca.crt': ca.der,
    '/bundle.p7c': pkcs7([ca, other]),
    '/ca.pem': Buffer.from(ca.certPem),
    '/huge.crt': Buffer.alloc(MAX_ISSUER_BYTES + 1, 0x30),
    '/page.html': Buffer.from('<html>moved</html>'),
  };
  server = http.createServer((req, res) => {
    hits.set(req.url ?? '', (hits.get(req.url ?? '') ?? 0) + 1);
    const body = bodies[req.url ?? ''];
    res.writeHead(body ? 200 : 404);
    res.end(body ?? 'not found');
  });
  port = await listen(server, '127.0.0.1');
  base = `http://ca.fetch.test:${port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

const ctx = () => testContext({ anchors: [], hosts: { 'ca.fetch.test': '127.0.0.1' } });

describe('IssuerFetcher', () => {
  it('downloads a DER certificate through the resolver and dialer, once per URL per run', async () => {
    const c = ctx();
    const fetcher = new IssuerFetcher();
    const [a, b] = await Promise.all([fetcher.fetch(`${base}/ca.crt`, c), fetcher.fetch(`${base}/ca.crt`, c)]);
    expect(a).toEqual({ ok: true, certificates: [ca.der] });
    expect(b).toEqual(a);
    expect(await fetcher.fetch(`${base}/ca.crt`, c)).toEqual(a);
    expect(c.dials).toBe(1);
    expect(hits.get('/ca.crt')).toBe(1);
  });

  it('reads a PKCS#7 bundle and PEM', async () => {
    const fetcher = new IssuerFetcher();
    expect(await fetcher.fetch(`${base}/bundle.p7c`, ctx())).toEqual({ ok: true, certificates: [ca.der, other.der] });
    expect(await fetcher.fetch(`${base}/ca.pem`, ctx())).toEqual({ ok: true, certificates: [ca.der] });
  });

  it("stops at the size bound, and tells the CA's refusals (answered) from an unreachable site", async () => {
    const fetcher = new IssuerFetcher();
    expect(await fetcher.fetch(`${base}/huge.crt`, ctx())).toEqual({
      ok: false,
      settled: true,
      reason: 'the answer is larger than 64 KiB',
    });
    expect(await fetcher.fetch(`${base}/missing.crt`, ctx())).toEqual({ ok: false, settled: true, reason: 'HTTP 404' });
    expect(await fetcher.fetch(`${base}/page.html`, ctx())).toEqual({
      ok: false,
      settled: true,
      reason: 'the answer holds no certificate',
    });
    const closed = http.createServer();
    const closedPort = await listen(closed, '127.0.0.1');
    await new Promise<void>((r) => closed.close(() => r()));
    const down = await fetcher.fetch(`http://ca.fetch.test:${closedPort}/ca.crt`, ctx());
    expect(down).toMatchObject({ ok: false, settled: false });
    const unknown = await fetcher.fetch('http://elsewhere.example/ca.crt', ctx());
    expect(unknown).toMatchObject({
      ok: false,
      settled: false,
      reason: expect.stringContaining('elsewhere.example could not be resolved'),
    });
  });

  it('never connects for a URL that is not http (https, ldap)', async () => {
    const c = ctx();
    const fetcher = new IssuerFetcher();
    expect(await fetcher.fetch(`https://ca.fetch.test:${port}/ca.crt`, c)).toEqual({
      ok: false,
      settled: true,
      reason: 'https is not fetched (only http)',
    });
    expect(await fetcher.fetch('ldap://ca.fetch.test/cn=CA', c)).toEqual({
      ok: false,
      settled: true,
      reason: 'ldap is not fetched (only http)',
    });
    expect(c.dials).toBe(0);
  });

  it('certificatesIn: nothing from bytes that are not a DER SEQUENCE', () => {
    expect(certificatesIn(Buffer.from('hello'))).toEqual([]);
    expect(certificatesIn(ca.der)).toEqual([ca.der]);
  });
});
