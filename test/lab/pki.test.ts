import { describe, expect, it, beforeAll, afterEach } from 'vitest';
import tls from 'node:tls';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { chainPem, createOcspResponse, issueCertificate, issueChain, x509, type IssuedCert, type KeySpec } from '../../src/lab/pki.js';
import { mustHandshake, handshake, readOcsp, signatureOid } from './tls-client.js';

const DAY = 86_400_000;
const OID = {
  sha1WithRSA: '1.2.840.113549.1.1.5',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  ecdsaSha1: '1.2.840.10045.4.1',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  ecdsaSha384: '1.2.840.10045.4.3.3',
  ed25519: '1.3.101.112',
};

let root: IssuedCert;
let intermediate: IssuedCert;
const servers: tls.Server[] = [];

beforeAll(async () => {
  root = await issueCertificate({ subject: 'CN=PKI Test Root, O=govscan tests', isCA: true });
  intermediate = await issueCertificate({ subject: 'CN=PKI Test Issuing CA, O=govscan tests', isCA: true, pathLength: 0, issuer: root });
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function serve(chain: IssuedCert[], extra: tls.TlsOptions = {}): Promise<{ address: string; port: number; host: string }> {
  const server = tls.createServer({ cert: chainPem(chain), key: chain[0]!.keyPem, ...extra }, (socket) => socket.end());
  server.on('tlsClientError', () => {});
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { address: '127.0.0.1', port: (server.address() as AddressInfo).port, host: 'leaf.pki.test' };
}

describe('issueCertificate', () => {
  const keys: { key: KeySpec; check: (c: IssuedCert) => void }[] = [
    { key: { type: 'rsa' }, check: (c) => expect(c.cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048) },
    { key: { type: 'rsa', bits: 1024 }, check: (c) => expect(c.cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(1024) },
    { key: { type: 'ec' }, check: (c) => expect(c.cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1') },
    { key: { type: 'ec', curve: 'P-384' }, check: (c) => expect(c.cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1') },
    { key: { type: 'ed25519' }, check: (c) => expect(c.cert.publicKey.asymmetricKeyType).toBe('ed25519') },
  ];

  for (const { key, check } of keys) {
    it(`issues a ${JSON.stringify(key)} leaf that a TLS server loads and a client verifies (1.2 and 1.3)`, async () => {
      const leaf = await issueCertificate({ subjectCN: 'leaf.pki.test', sans: { dns: ['leaf.pki.test'] }, key, issuer: intermediate });
      check(leaf);
      expect(leaf.cert.verify(intermediate.cert.publicKey)).toBe(true);
      expect(leaf.cert.checkIssued(intermediate.cert)).toBe(true);
      // OpenSSL 3.5 (Node 24) loads and accepts an RSA-1024 key only at security level 0, as the farm's weak-key endpoint.
      const weak = key.type === 'rsa' && key.bits === 1024 ? { ciphers: 'DEFAULT:@SECLEVEL=0' } : {};
      const peer = await serve([leaf, intermediate], weak);
      for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
        const hs = await mustHandshake(peer, { ca: [root.certPem], minVersion: version, maxVersion: version, ...weak });
        expect(hs.protocol).toBe(version);
        expect(hs.authorizationError).toBeNull();
        expect(hs.leaf.fingerprint256).toBe(leaf.cert.fingerprint256);
      }
    });
  }

  it('signs with the requested hash and the issuer key type', async () => {
    const ecCA = await issueCertificate({ subjectCN: 'EC CA', isCA: true, key: { type: 'ec', curve: 'P-384' }, issuer: root });
    const edCA = await issueCertificate({ subjectCN: 'Ed CA', isCA: true, key: { type: 'ed25519' } });
    const cases: [IssuedCert, 'SHA-1' | 'SHA-256' | 'SHA-384', string][] = [
      [intermediate, 'SHA-1', OID.sha1WithRSA],
      [intermediate, 'SHA-256', OID.sha256WithRSA],
      [intermediate, 'SHA-384', OID.sha384WithRSA],
      [ecCA, 'SHA-1', OID.ecdsaSha1],
      [ecCA, 'SHA-256', OID.ecdsaSha256],
      [ecCA, 'SHA-384', OID.ecdsaSha384],
      [edCA, 'SHA-256', OID.ed25519],
    ];
    for (const [issuer, hash, oid] of cases) {
      const leaf = await issueCertificate({ subjectCN: 'h.test', issuer, signatureHash: hash });
      expect(signatureOid(leaf.cert), `${issuer.cert.subject} ${hash}`).toBe(oid);
      expect(leaf.cert.verify(issuer.cert.publicKey)).toBe(true);
    }
    // A self-signed SHA-1 certificate is signed with its own key.
    const selfSha1 = await issueCertificate({ subjectCN: 'self-sha1.test', signatureHash: 'SHA-1' });
    expect(signatureOid(selfSha1.cert)).toBe(OID.sha1WithRSA);
    expect(selfSha1.cert.verify(selfSha1.cert.publicKey)).toBe(true);
  });

  it('serves a SHA-1 signed leaf once the server drops to security level 0', async () => {
    const leaf = await issueCertificate({
      subjectCN: 'leaf.pki.test',
      sans: { dns: ['leaf.pki.test'] },
      issuer: intermediate,
      signatureHash: 'SHA-1',
    });
    // Node 20's OpenSSL refuses to load it at the default level (newer ones may not): the farm lowers it.
    const peer = await serve([leaf, intermediate], { ciphers: 'DEFAULT@SECLEVEL=0' });
    const hs = await mustHandshake(peer, { ca: [root.certPem] });
    expect(signatureOid(hs.leaf)).toBe(OID.sha1WithRSA);
  });

  it('writes names, dates, serial and extensions as asked', async () => {
    const notBefore = new Date(Date.UTC(2025, 0, 2, 3, 4, 5));
    const notAfter = new Date(Date.UTC(2026, 1, 3, 4, 5, 6));
    const leaf = await issueCertificate({
      subject: 'CN=portal.example.gov.vn, O=So TT&TT, C=VN',
      sans: { dns: ['portal.example.gov.vn', 'www.example.gov.vn'], ip: ['127.0.0.1', '::1'] },
      notBefore,
      notAfter,
      issuer: intermediate,
      serial: '0a1b2c3d',
      ocspUrl: 'http://127.0.0.1:1/ocsp',
      caIssuersUrl: 'http://127.0.0.1:1/ca.crt',
    });
    expect(leaf.cert.subject).toBe('CN=portal.example.gov.vn\nO=So TT&TT\nC=VN');
    expect(leaf.cert.issuer).toBe(intermediate.cert.subject);
    expect(leaf.cert.serialNumber.toLowerCase()).toBe('0a1b2c3d');
    expect(new Date(leaf.cert.validFrom).getTime()).toBe(notBefore.getTime());
    expect(new Date(leaf.cert.validTo).getTime()).toBe(notAfter.getTime());
    expect(leaf.cert.subjectAltName).toBe(
      'DNS:portal.example.gov.vn, DNS:www.example.gov.vn, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(leaf.cert.infoAccess).toContain('OCSP - URI:http://127.0.0.1:1/ocsp');
    expect(leaf.cert.infoAccess).toContain('CA Issuers - URI:http://127.0.0.1:1/ca.crt');
    expect(leaf.cert.ca).toBe(false);
    expect(leaf.cert.keyUsage).toContain('1.3.6.1.5.5.7.3.1');
    const parsed = new x509.X509Certificate(leaf.der);
    const ku = parsed.getExtension(x509.KeyUsagesExtension);
    expect(ku?.usages).toBe(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);
    expect(parsed.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).toBe(
      new x509.X509Certificate(intermediate.der).getExtension(x509.SubjectKeyIdentifierExtension)?.keyId,
    );
  });

  it('defaults: RSA-2048, now−1d..now+90d, SHA-256, serverAuth leaf, no SAN unless asked', async () => {
    const before = Date.now();
    const leaf = await issueCertificate({ subjectCN: 'plain.test', issuer: intermediate });
    expect(leaf.cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(signatureOid(leaf.cert)).toBe(OID.sha256WithRSA);
    expect(leaf.cert.subjectAltName).toBeUndefined();
    expect(leaf.cert.subject).toBe('CN=plain.test');
    const from = new Date(leaf.cert.validFrom).getTime();
    const to = new Date(leaf.cert.validTo).getTime();
    expect(Math.abs(from - (before - DAY))).toBeLessThan(5000);
    expect(Math.abs(to - (before + 90 * DAY))).toBeLessThan(5000);
    expect(leaf.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const emptySans = await issueCertificate({ subjectCN: 'plain.test', issuer: intermediate, sans: { dns: [], ip: [] } });
    expect(emptySans.cert.subjectAltName).toBeUndefined();
  });

  it('marks CAs with basic constraints and CA key usage, and leaves none of the leaf EKU on them', async () => {
    const parsed = new x509.X509Certificate(intermediate.der);
    const bc = parsed.getExtension(x509.BasicConstraintsExtension);
    expect(bc?.ca).toBe(true);
    expect(bc?.pathLength).toBe(0);
    expect(bc?.critical).toBe(true);
    expect(parsed.getExtension(x509.KeyUsagesExtension)?.usages).toBe(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
    );
    expect(parsed.getExtension(x509.ExtendedKeyUsageExtension)).toBeNull();
    expect(root.cert.ca).toBe(true);
    expect(root.cert.verify(root.cert.publicKey)).toBe(true);
    expect(root.cert.issuer).toBe(root.cert.subject);
  });

  it('honours explicit key usage lists, and [] leaves an extension out', async () => {
    const leaf = await issueCertificate({
      subjectCN: 'c.test',
      issuer: intermediate,
      keyUsage: [],
      extKeyUsage: ['clientAuth', '1.2.3.4'],
    });
    const parsed = new x509.X509Certificate(leaf.der);
    expect(parsed.getExtension(x509.KeyUsagesExtension)).toBeNull();
    expect(parsed.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual(['1.3.6.1.5.5.7.3.2', '1.2.3.4']);
    await expect(issueCertificate({ subjectCN: 'c.test', keyUsage: ['notAUsage'] })).rejects.toThrow(/unknown key usage/);
  });

  it('reuses leaf keys, gives each CA its own, and makes a fresh one on request', async () => {
    const a = await issueCertificate({ subjectCN: 'a.test', issuer: intermediate });
    const b = await issueCertificate({ subjectCN: 'b.test', issuer: intermediate });
    const fresh = await issueCertificate({ subjectCN: 'c.test', issuer: intermediate, freshKey: true });
    const pub = (c: IssuedCert): string => c.cert.publicKey.export({ type: 'spki', format: 'der' }).toString('hex');
    expect(pub(a)).toBe(pub(b));
    expect(pub(fresh)).not.toBe(pub(a));
    expect(pub(root)).not.toBe(pub(intermediate));
    expect(pub(root)).not.toBe(pub(a));
  });
});

describe('issueChain', () => {
  it('issues a deep chain whose links verify top to bottom and which a TLS client accepts', async () => {
    const specs = Array.from({ length: 12 }, (_, i) => ({
      subject: `CN=Rung ${i}`,
      isCA: true,
      key: { type: 'ec' as const },
      keyId: `test-rung-${i}`,
    }));
    const rungs = await issueChain(root, specs);
    expect(rungs).toHaveLength(12);
    expect(rungs[0]!.cert.checkIssued(root.cert)).toBe(true);
    expect(rungs[0]!.cert.verify(root.cert.publicKey)).toBe(true);
    for (let i = 1; i < rungs.length; i++) {
      expect(rungs[i]!.cert.checkIssued(rungs[i - 1]!.cert)).toBe(true);
      expect(rungs[i]!.cert.verify(rungs[i - 1]!.cert.publicKey)).toBe(true);
      expect(rungs[i]!.spec.issuer).toBe(rungs[i - 1]);
    }
    const bottom = rungs[rungs.length - 1]!;
    const leaf = await issueCertificate({ subjectCN: 'leaf.pki.test', sans: { dns: ['leaf.pki.test'] }, issuer: bottom });
    const peer = await serve([leaf, ...rungs.slice().reverse()]);
    const hs = await mustHandshake(peer, { ca: [root.certPem] });
    expect(hs.authorizationError).toBeNull();
  });
});

describe('createOcspResponse', () => {
  for (const status of ['good', 'revoked', 'unknown'] as const) {
    it(`builds a successful, issuer-signed response with status ${status}`, async () => {
      const leaf = await issueCertificate({ subjectCN: 'o.test', issuer: intermediate });
      const thisUpdate = new Date(Date.UTC(2026, 0, 1));
      const nextUpdate = new Date(Date.UTC(2026, 0, 8));
      const der = await createOcspResponse({ cert: leaf, issuer: intermediate, status, thisUpdate, nextUpdate });
      const parsed = await readOcsp(der, leaf.cert, intermediate.cert);
      expect(parsed.responseStatus).toBe(0);
      expect(parsed.certStatus).toBe(status);
      expect(parsed.signatureValid).toBe(true);
      expect(parsed.thisUpdate.getTime()).toBe(thisUpdate.getTime());
      expect(parsed.nextUpdate?.getTime()).toBe(nextUpdate.getTime());
    });
  }

  it('signs with EC issuers too, and a response for another certificate does not match', async () => {
    const ecCA = await issueCertificate({ subjectCN: 'EC OCSP CA', isCA: true, key: { type: 'ec' }, issuer: root });
    const leaf = await issueCertificate({ subjectCN: 'o.test', issuer: ecCA, key: { type: 'ec' } });
    const der = await createOcspResponse({ cert: leaf, issuer: ecCA, status: 'good' });
    expect((await readOcsp(der, leaf.cert, ecCA.cert)).signatureValid).toBe(true);
    // The signature is the last thing in a response without embedded certificates.
    const tampered = Buffer.from(der);
    tampered[tampered.length - 1]! ^= 0x01;
    expect((await readOcsp(tampered, leaf.cert, ecCA.cert)).signatureValid).toBe(false);
    const other = await issueCertificate({ subjectCN: 'other.test', issuer: ecCA, key: { type: 'ec' } });
    await expect(readOcsp(der, other.cert, ecCA.cert)).rejects.toThrow(/another certificate/);
  });

  it('is stapled by a server and received by a client that asks for it', async () => {
    const leaf = await issueCertificate({ subjectCN: 'leaf.pki.test', sans: { dns: ['leaf.pki.test'] }, issuer: intermediate });
    const der = await createOcspResponse({ cert: leaf, issuer: intermediate, status: 'good' });
    const server = tls.createServer({ cert: chainPem([leaf, intermediate]), key: leaf.keyPem }, (s) => s.end());
    server.on('OCSPRequest', (_c: Buffer, _i: Buffer, cb: (e: Error | null, r?: Buffer) => void) => cb(null, der));
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const peer = { address: '127.0.0.1', port: (server.address() as AddressInfo).port, host: 'leaf.pki.test' };
    const hs = await handshake(peer, { ca: [root.certPem] });
    expect(hs.ok && hs.ocsp?.equals(der)).toBe(true);
  });
});
