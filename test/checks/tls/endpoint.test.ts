import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProbeError } from '../../../src/core/types.js';
import { createOcspResponse, issueCertificate, type IssuedCert } from '../../../src/lab/pki.js';
import { tlsEndpointCheck } from '../../../checks/tls/checks.js';
import type { TlsFacts } from '../../../checks/tls/facts.js';
import { closeAll, serveHttps, serveRaw, serveTls, target, testContext } from './farm.js';

const addFormats = addFormatsModule.default;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validateFacts = ajv.compile(tlsEndpointCheck.factsSchema);

function expectSchemaValid(facts: TlsFacts): void {
  const ok = validateFacts(JSON.parse(JSON.stringify(facts)));
  expect(validateFacts.errors ?? [], JSON.stringify(validateFacts.errors, null, 1)).toEqual([]);
  expect(ok).toBe(true);
}

const HOST = 'portal.lab.test';
const hosts = { [HOST]: '127.0.0.1', 'v6.lab.test': '::1' };
const DAY = 86_400_000;

let root: IssuedCert;
let inter: IssuedCert;
let leaf: IssuedCert;
let ecLeaf: IssuedCert;

beforeAll(async () => {
  root = await issueCertificate({ subject: 'C=VN, O=govscan lab, CN=TLS Test Root', isCA: true });
  inter = await issueCertificate({ subject: 'C=VN, O=govscan lab, CN=TLS Test Issuing CA', isCA: true, issuer: root });
  leaf = await issueCertificate({
    subjectCN: HOST,
    sans: { dns: [HOST, 'v6.lab.test'], ip: ['127.0.0.1', '::1'] },
    issuer: inter,
    ocspUrl: 'http://ocsp.lab.test/',
  });
  ecLeaf = await issueCertificate({ subjectCN: HOST, sans: { dns: [HOST] }, issuer: inter, key: { type: 'ec' } });
});

afterEach(closeAll);

describe('tls.endpoint registration', () => {
  it('applies to web and host targets only', () => {
    expect(tlsEndpointCheck.id).toBe('tls.endpoint');
    expect(tlsEndpointCheck.family).toBe('tls');
    expect(tlsEndpointCheck.title.vi).toBeTruthy();
    expect(tlsEndpointCheck.appliesTo(target(HOST, 443))).toBe(true);
    expect(tlsEndpointCheck.appliesTo(target(HOST, 443, 'tls'))).toBe(true);
    expect(tlsEndpointCheck.appliesTo({ ...target(HOST, 443), kind: 'domain' })).toBe(false);
  });
});

describe('tls.endpoint on a modern HTTPS server', () => {
  it('gathers protocols, wire chain, trust, hostname, HSTS in four handshakes, then enumerates', async () => {
    const srv = await serveHttps({
      chain: [leaf, inter],
      headers: { 'strict-transport-security': 'max-age=31536000; includeSubDomains; preload' },
    });
    const ctx = testContext({ anchors: [root], hosts });
    const started = performance.now();
    const facts = await tlsEndpointCheck.run(target(HOST, srv.port), ctx);
    const ms = performance.now() - started;
    expectSchemaValid(facts);
    console.log(`modern endpoint probed in ${ms.toFixed(1)} ms with ${ctx.dials} connections`);

    expect(facts.endpoint).toEqual({ host: HOST, port: srv.port, address: '127.0.0.1', family: 4, sni: HOST });
    expect(srv.servernames.every((n) => n === HOST)).toBe(true);
    expect(facts.protocols.TLSv1).toMatchObject({ status: 'ok', accepted: false });
    expect(facts.protocols['TLSv1.1']).toMatchObject({ status: 'ok', accepted: false });
    expect(facts.protocols['TLSv1.2']).toMatchObject({ status: 'ok', accepted: true });
    expect(facts.protocols['TLSv1.3']).toMatchObject({ status: 'ok', accepted: true });
    expect(facts.negotiated.protocol).toBe('TLSv1.3');
    expect(facts.negotiated.forwardSecrecy).toBe(true);
    expect(facts.negotiated.cipherStandard).toMatch(/^TLS_/);
    // Node's OpenSSL negotiates the hybrid X25519MLKEM768 group for TLS 1.3: Node 22 reports no
    // key-exchange details, Node 24 reports the group (TLSGroup); an older runtime reports X25519 (ECDH).
    expect([null, 'ECDH', 'TLSGroup']).toContain(facts.negotiated.ephemeralKey?.type ?? null);
    // Four connections for the versions, the chain and HSTS; the enumeration counts its own.
    const enumeration = facts.enumeration!;
    expect(ctx.dials).toBe(4 + enumeration.connections);
    expect(enumeration.status).toBe('ok');
    expect(enumeration.ssl2).toMatchObject({ status: 'ok', accepted: false });
    expect(enumeration.ssl3).toMatchObject({ status: 'ok', accepted: false });
    expect(enumeration.versions.TLSv1).toMatchObject({ status: 'not-applicable', suites: [] });
    // Node's default TLS 1.3 suites, in its order; its TLS 1.2 list starts with ECDHE-RSA-AES128-GCM-SHA256.
    expect(enumeration.versions['TLSv1.3'].suites.map((s) => s.iana)).toEqual([
      'TLS_AES_256_GCM_SHA384',
      'TLS_CHACHA20_POLY1305_SHA256',
      'TLS_AES_128_GCM_SHA256',
    ]);
    expect(enumeration.versions['TLSv1.2'].suites[0]?.openssl).toBe('ECDHE-RSA-AES128-GCM-SHA256');
    expect(enumeration.versions['TLSv1.2'].serverPreference).toBe(true);
    expect(enumeration.renegotiation).toEqual({ status: 'ok', secure: true });
    console.log(`full enumeration of a node:tls default server: ${enumeration.connections} connections`);

    expect(facts.chain.source).toBe('wire');
    expect(facts.chain.count).toBe(2);
    expect(facts.chain.ordered).toBe(true);
    expect(facts.chain.certificates.map((c) => c.sha256)).toEqual([
      leaf.cert.fingerprint256.replace(/:/g, '').toLowerCase(),
      inter.cert.fingerprint256.replace(/:/g, '').toLowerCase(),
    ]);
    expect(facts.leaf.subjectCN).toBe(HOST);
    expect(facts.trust.public).toMatchObject({
      trusted: true,
      reason: null,
      problems: [],
      store: 'public',
      anchor: 'CN=TLS Test Root,O=govscan lab,C=VN',
    });
    expect(facts.trust.public.path).toHaveLength(3);
    expect(facts.trust.custom).toBeNull();
    expect(facts.platform.authorizationError).toBeNull();
    expect(facts.hostname).toEqual({ name: HOST, matches: true, matchedBy: 'san' });
    expect(facts.ocsp).toEqual({
      status: 'ok',
      stapled: false,
      responseStatus: null,
      certStatus: null,
      thisUpdate: null,
      nextUpdate: null,
      signature: 'not-checked',
      responder: null,
      fresh: false,
      matchesLeaf: false,
      problem: null,
    });
    expect(facts.hsts).toEqual({
      status: 'ok',
      httpStatus: 200,
      present: true,
      header: 'max-age=31536000; includeSubDomains; preload',
      maxAge: 31536000,
      includeSubDomains: true,
      preload: true,
    });
  });

  it('reports the chain in the order the server sent it', async () => {
    const srv = await serveHttps({ chain: [leaf, inter, root] });
    const ctx = testContext({ anchors: [root], hosts });
    const full = await tlsEndpointCheck.run(target(HOST, srv.port), ctx);
    expect(full.chain).toMatchObject({ source: 'wire', count: 3, ordered: true });
    // A sent root that is also an anchor ends the path at the anchor: three certificates, not four.
    expect(full.trust.public).toMatchObject({ trusted: true });
    expect(full.trust.public.path).toHaveLength(3);
    expect(full.hsts).toMatchObject({ status: 'ok', present: false, maxAge: null });
    expectSchemaValid(full);
  });

  it('detects a misordered chain (intermediates reversed)', async () => {
    const inter2 = await issueCertificate({ subject: 'C=VN, O=govscan lab, CN=TLS Test Sub CA', isCA: true, issuer: inter });
    const deepLeaf = await issueCertificate({ subjectCN: HOST, sans: { dns: [HOST] }, issuer: inter2 });
    const ordered = await serveHttps({ chain: [deepLeaf, inter2, inter] });
    const misordered = await serveHttps({ chain: [deepLeaf, inter, inter2] });
    const ctx = testContext({ anchors: [root], hosts });
    const a = await tlsEndpointCheck.run(target(HOST, ordered.port), ctx);
    const b = await tlsEndpointCheck.run(target(HOST, misordered.port), ctx);
    expect(a.chain).toMatchObject({ count: 3, ordered: true });
    expect(b.chain).toMatchObject({ count: 3, ordered: false });
    expect(b.chain.certificates.map((c) => c.subjectCN)).toEqual([HOST, 'TLS Test Issuing CA', 'TLS Test Sub CA']);
    // Any order still builds a path.
    expect(b.trust.public.trusted).toBe(true);
  });

  it('sees an incomplete chain as sent, even when the local store could complete it', async () => {
    const srv = await serveHttps({ chain: [leaf] });
    const ctx = testContext({ anchors: [root], custom: [root, inter], hosts });
    const facts = await tlsEndpointCheck.run(target(HOST, srv.port), ctx);
    expect(facts.chain).toMatchObject({ source: 'wire', count: 1 });
    expect(facts.trust.public).toMatchObject({ trusted: false, reason: 'incomplete-chain' });
    // The custom store carries the intermediate as an anchor, so the path ends there.
    expect(facts.trust.custom).toMatchObject({ trusted: true, store: 'custom' });
    expect(facts.platform.authorizationError).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('completes a short chain through AIA caIssuers, downloaded by name through the resolver and dialer', async () => {
    const repo = http.createServer((req, res) => {
      res.writeHead(req.url === '/inter.crt' ? 200 : 404);
      res.end(req.url === '/inter.crt' ? inter.der : 'not found');
    });
    repo.listen(0, '127.0.0.1');
    await once(repo, 'listening');
    try {
      const repoPort = (repo.address() as AddressInfo).port;
      const aiaLeaf = await issueCertificate({
        subjectCN: HOST,
        sans: { dns: [HOST] },
        issuer: inter,
        key: { type: 'ec' },
        caIssuersUrl: `http://ca.lab.test:${repoPort}/inter.crt`,
      });
      const srv = await serveHttps({ chain: [aiaLeaf] });
      const ctx = testContext({ anchors: [root], hosts: { ...hosts, 'ca.lab.test': '127.0.0.1' } });
      const facts = await tlsEndpointCheck.run(target(HOST, srv.port), ctx);
      // What was sent stays the verdict of `trust`; the completed one is beside it.
      expect(facts.trust.public).toMatchObject({ trusted: false, reason: 'incomplete-chain' });
      expect(facts.aia).toMatchObject({
        status: 'ok',
        fetches: [{ url: `http://ca.lab.test:${repoPort}/inter.crt`, status: 'ok', answered: true, certificates: 1 }],
      });
      expect(facts.aia?.trust?.public).toMatchObject({ trusted: true, problems: [] });
      expect(facts.aia?.trust?.public.path).toHaveLength(3);
      expectSchemaValid(facts);
      // A complete chain downloads nothing.
      const full = await tlsEndpointCheck.run(target(HOST, (await serveHttps({ chain: [aiaLeaf, inter] })).port), ctx);
      expect(full.aia).toEqual({ status: 'not-applicable', fetches: [], trust: null });
      expectSchemaValid(full);
    } finally {
      await new Promise<void>((r) => repo.close(() => r()));
    }
  });

  it('records a stapled OCSP response, verified against the sent issuer', async () => {
    const ocsp = await createOcspResponse({ cert: leaf, issuer: inter, status: 'good' });
    const srv = await serveHttps({ chain: [leaf, inter], ocsp });
    const facts = await tlsEndpointCheck.run(target(HOST, srv.port), testContext({ anchors: [root], hosts }));
    expect(facts.ocsp).toMatchObject({
      status: 'ok',
      stapled: true,
      responseStatus: 'successful',
      certStatus: 'good',
      signature: 'valid',
      responder: 'issuer',
      fresh: true,
      matchesLeaf: true,
      problem: null,
    });
    expect(Date.parse(facts.ocsp.nextUpdate ?? '')).toBeGreaterThan(Date.now());
    expectSchemaValid(facts);
  });

  it('records a revoked staple and an unreadable one', async () => {
    const revoked = await createOcspResponse({ cert: leaf, issuer: inter, status: 'revoked' });
    const a = await serveHttps({ chain: [leaf, inter], ocsp: revoked });
    const b = await serveHttps({ chain: [leaf, inter], ocsp: Buffer.from('garbage staple') });
    const ctx = testContext({ anchors: [root], hosts });
    expect((await tlsEndpointCheck.run(target(HOST, a.port), ctx)).ocsp).toMatchObject({
      status: 'ok',
      stapled: true,
      certStatus: 'revoked',
      signature: 'valid',
    });
    const bad = await tlsEndpointCheck.run(target(HOST, b.port), ctx);
    expect(bad.ocsp).toMatchObject({ status: 'error', stapled: true, certStatus: null, signature: 'not-checked' });
    expect(bad.ocsp.reason).toMatch(/unreadable/);
    expectSchemaValid(bad);
  });
});

describe('tls.endpoint stapled OCSP verification', () => {
  let responder: IssuedCert;
  let plainCert: IssuedCert;
  beforeAll(async () => {
    const spec = { issuer: inter, key: { type: 'ec' } as const, keyId: 'ocsp-responder' };
    responder = await issueCertificate({
      ...spec,
      subject: 'C=VN, O=govscan lab, CN=TLS Test OCSP Responder',
      extKeyUsage: ['OCSPSigning'],
    });
    plainCert = await issueCertificate({
      ...spec,
      subject: 'C=VN, O=govscan lab, CN=TLS Test Not A Responder',
      extKeyUsage: ['serverAuth'],
    });
  });

  async function stapling(ocsp: Buffer, chain: IssuedCert[] = [leaf, inter], ctxOpts: { custom?: IssuedCert[] } = {}): Promise<TlsFacts> {
    const srv = await serveHttps({ chain, ocsp });
    const facts = await tlsEndpointCheck.run(target(HOST, srv.port), testContext({ anchors: [root], hosts, ...ctxOpts }));
    expectSchemaValid(facts);
    return facts;
  }

  it('believes a delegated responder certified for OCSPSigning, not one without it', async () => {
    const good = await stapling(await createOcspResponse({ cert: leaf, issuer: inter, status: 'good', responder }));
    expect(good.ocsp).toMatchObject({
      status: 'ok',
      signature: 'valid',
      responder: 'delegated',
      matchesLeaf: true,
      fresh: true,
      problem: null,
    });
    const bad = await stapling(await createOcspResponse({ cert: leaf, issuer: inter, status: 'good', responder: plainCert }));
    expect(bad.ocsp).toMatchObject({ status: 'ok', signature: 'invalid', responder: 'delegated', certStatus: 'good' });
    expect(bad.ocsp.problem).toMatch(/OCSPSigning/);
  });

  it('sees a staple signed with the wrong key, or with flipped bits, as invalid', async () => {
    const forged = await stapling(await createOcspResponse({ cert: leaf, issuer: inter, status: 'revoked', signWith: leaf }));
    expect(forged.ocsp).toMatchObject({
      status: 'ok',
      signature: 'invalid',
      responder: 'issuer',
      certStatus: 'revoked',
      matchesLeaf: true,
    });
    const flipped = await createOcspResponse({ cert: leaf, issuer: inter, status: 'good' });
    flipped[flipped.length - 1]! ^= 0x80;
    expect((await stapling(flipped)).ocsp).toMatchObject({ signature: 'invalid', responder: 'issuer' });
  });

  it("records a staple about another certificate as not matching the leaf, with the other's status left out", async () => {
    const other = await issueCertificate({ subjectCN: 'other.lab.test', issuer: inter, key: { type: 'ec' } });
    const facts = await stapling(await createOcspResponse({ cert: other, issuer: inter, status: 'revoked' }));
    expect(facts.ocsp).toMatchObject({
      status: 'ok',
      stapled: true,
      signature: 'valid',
      matchesLeaf: false,
      certStatus: null,
      fresh: false,
    });
    expect(facts.ocsp.problem).toContain(facts.leaf.serial);
  });

  it('records a stale staple as not fresh', async () => {
    const now = Date.now();
    const ocsp = await createOcspResponse({
      cert: leaf,
      issuer: inter,
      status: 'good',
      thisUpdate: new Date(now - 10 * DAY),
      nextUpdate: new Date(now - 3 * DAY),
    });
    const facts = await stapling(ocsp);
    expect(facts.ocsp).toMatchObject({ signature: 'valid', matchesLeaf: true, fresh: false, certStatus: 'good' });
    expect(facts.ocsp.problem).toMatch(/stale/);
  });

  it('cannot check a staple when the issuer was not sent, unless an anchor set holds it', async () => {
    const ocsp = await createOcspResponse({ cert: leaf, issuer: inter, status: 'good' });
    const bare = await stapling(ocsp, [leaf]);
    expect(bare.ocsp).toMatchObject({ status: 'ok', signature: 'unknown-issuer', responder: null, matchesLeaf: true, certStatus: 'good' });
    const anchored = await stapling(ocsp, [leaf], { custom: [inter] });
    expect(anchored.ocsp).toMatchObject({ signature: 'valid', responder: 'issuer', matchesLeaf: true });
  });

  it('verifies a self-signed certificate stapling its own response', async () => {
    const self = await issueCertificate({ subjectCN: HOST, sans: { dns: [HOST] }, key: { type: 'ec' } });
    const facts = await stapling(await createOcspResponse({ cert: self, issuer: self, status: 'good' }), [self]);
    expect(facts.leaf.selfSigned).toBe(true);
    expect(facts.ocsp).toMatchObject({ signature: 'valid', responder: 'issuer', matchesLeaf: true });
  });
});

describe('tls.endpoint protocol acceptance', () => {
  it('sees TLS 1.0 and 1.1 on a server that allows them', async () => {
    const srv = await serveHttps({ chain: [leaf, inter], tls: { minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' } });
    const facts = await tlsEndpointCheck.run(target(HOST, srv.port), testContext({ anchors: [root], hosts }));
    expect(facts.protocols.TLSv1).toMatchObject({ status: 'ok', accepted: true });
    expect(facts.protocols['TLSv1.1']).toMatchObject({ status: 'ok', accepted: true });
    expect(facts.protocols['TLSv1.2']).toMatchObject({ status: 'ok', accepted: true });
    expect(facts.protocols['TLSv1.3']).toMatchObject({ status: 'ok', accepted: true });
    expect(facts.protocols.TLSv1.cipher).toBeTruthy();
  });

  it('probes a TLS 1.2-only server; --tls-quick keeps it to the four probes', async () => {
    const srv = await serveHttps({ chain: [leaf, inter], tls: { maxVersion: 'TLSv1.2' } });
    const ctx = testContext({ anchors: [root], hosts });
    ctx.tls = { quick: true };
    const facts = await tlsEndpointCheck.run(target(HOST, srv.port), ctx);
    expect(facts.negotiated.protocol).toBe('TLSv1.2');
    expect(facts.negotiated.forwardSecrecy).toBe(true);
    expect(facts.protocols['TLSv1.3']).toMatchObject({ status: 'ok', accepted: false });
    expect(facts.protocols['TLSv1.2']).toMatchObject({ status: 'ok', accepted: true });
    expect(facts.protocols.TLSv1).toMatchObject({ accepted: false });
    expect(facts.chain).toMatchObject({ source: 'wire', count: 2, ordered: true });
    expect(ctx.dials).toBe(4);
    expect(facts.enumeration).toMatchObject({ status: 'not-applicable', reason: '--tls-quick', connections: 0 });
    expect(facts.enumeration?.versions['TLSv1.2']).toEqual({
      status: 'not-applicable',
      reason: '--tls-quick',
      suites: [],
      serverPreference: null,
    });
    expectSchemaValid(facts);
  });

  it('records a TLS 1.2 suite without forward secrecy', async () => {
    const srv = await serveHttps({ chain: [leaf, inter], tls: { maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256' } });
    const facts = await tlsEndpointCheck.run(target(HOST, srv.port), testContext({ anchors: [root], hosts }));
    expect(facts.negotiated).toMatchObject({ protocol: 'TLSv1.2', cipher: 'AES128-GCM-SHA256', forwardSecrecy: false, ephemeralKey: null });
  });

  it('reads the chain as sent on a TLS 1.3-only server, strays and duplicates included', async () => {
    const stray = await issueCertificate({ subject: 'CN=Unrelated CA', isCA: true });
    // Two groups, so the count below does not depend on the default group list of this Node's OpenSSL.
    const srv = await serveHttps({ chain: [ecLeaf, stray, inter, inter], tls: { minVersion: 'TLSv1.3', ecdhCurve: 'X25519:P-256' } });
    const ctx = testContext({ anchors: [root], hosts });
    const facts = await tlsEndpointCheck.run(target(HOST, srv.port), ctx);
    expect(facts.protocols['TLSv1.2']).toMatchObject({ status: 'ok', accepted: false });
    expect(facts.negotiated.protocol).toBe('TLSv1.3');
    expect(facts.chain).toMatchObject({ source: 'wire', count: 4, ordered: false });
    expect(facts.chain.certificates.map((c) => c.subjectCN)).toEqual([HOST, 'Unrelated CA', 'TLS Test Issuing CA', 'TLS Test Issuing CA']);
    expect(facts.leaf.key).toEqual({ type: 'ec', bits: 256, curve: 'P-256' });
    expect(facts.trust.public.trusted).toBe(true);
    // SSLv2 1, SSLv3 1, TLS 1.3: Node's 3 suites + 1 refusal + 1 order check; nothing below 1.3 to scan;
    // TLS 1.3 groups: 2 + 1 refusal + 1 order check.
    expect(facts.enumeration?.connections).toBe(11);
    expect(ctx.dials).toBe(15);
    expect(facts.enumeration?.groups.supported.map((g) => g.name)).toEqual(['x25519', 'secp256r1']);
    expect(facts.enumeration?.versions['TLSv1.2']).toMatchObject({ status: 'not-applicable' });
    expect(facts.enumeration?.renegotiation).toMatchObject({ status: 'not-applicable', secure: null });
  });
});

describe('tls.endpoint over IPv6 and IP literals', () => {
  it('probes ::1 by IP without SNI and matches the IP SAN', async () => {
    const srv = await serveHttps({ host: '::1', chain: [leaf, inter], headers: { 'strict-transport-security': 'max-age=600' } });
    const facts = await tlsEndpointCheck.run(target('::1', srv.port), testContext({ anchors: [root], hosts }));
    expect(facts.endpoint).toMatchObject({ address: '::1', family: 6, sni: null });
    expect(srv.servernames.every((n) => n === false)).toBe(true);
    expect(facts.hostname).toEqual({ name: '::1', matches: true, matchedBy: 'san' });
    expect(facts.hsts).toMatchObject({ status: 'ok', maxAge: 600 });
  });

  it('probes a name that resolves to ::1', async () => {
    const srv = await serveHttps({ host: '::1', chain: [leaf, inter] });
    const facts = await tlsEndpointCheck.run(target('v6.lab.test', srv.port), testContext({ anchors: [root], hosts }));
    expect(facts.endpoint).toMatchObject({ address: '::1', family: 6, sni: 'v6.lab.test' });
    expect(facts.hostname.matches).toBe(true);
  });
});

describe('tls.endpoint on odd services', () => {
  it('marks HSTS not-applicable on a TLS service that does not speak HTTP', async () => {
    const srv = await serveTls({ chain: [leaf, inter], banner: '220 smtp.lab.test ESMTP ready\r\n' });
    const facts = await tlsEndpointCheck.run(target(HOST, srv.port, 'tls'), testContext({ anchors: [root], hosts }));
    expect(facts.hsts).toMatchObject({ status: 'not-applicable', present: false });
    expect(facts.trust.public.trusted).toBe(true);
  });

  it('reports an https endpoint that answers non-HTTP as an HSTS error', async () => {
    const srv = await serveTls({ chain: [leaf, inter], banner: 'hello\r\n' });
    const facts = await tlsEndpointCheck.run(target(HOST, srv.port), testContext({ anchors: [root], hosts }));
    expect(facts.hsts.status).toBe('error');
  });

  it('records a hostname mismatch, a self-signed leaf and an expired certificate', async () => {
    const self = await issueCertificate({ subjectCN: 'other.lab.test', sans: { dns: ['other.lab.test'] }, keyId: 'self-signed' });
    const expired = await issueCertificate({
      subjectCN: HOST,
      sans: { dns: [HOST] },
      issuer: inter,
      notBefore: new Date(Date.now() - 400 * DAY),
      notAfter: new Date(Date.now() - 5 * DAY + 3_600_000),
    });
    const a = await serveHttps({ chain: [self] });
    const b = await serveHttps({ chain: [expired, inter] });
    const ctx = testContext({ anchors: [root], hosts });
    const fa = await tlsEndpointCheck.run(target(HOST, a.port), ctx);
    expect(fa.hostname).toEqual({ name: HOST, matches: false, matchedBy: null });
    expect(fa.trust.public).toMatchObject({ trusted: false, reason: 'self-signed' });
    expect(fa.leaf.selfSigned).toBe(true);
    expect(fa.platform.authorizationError).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    const fb = await tlsEndpointCheck.run(target(HOST, b.port), ctx);
    expect(fb.trust.public).toMatchObject({ trusted: false, reason: 'expired' });
    expect(fb.leaf).toMatchObject({ expired: true, daysToExpiry: -4 }); // 4 days 23 hours ago: whole days, toward zero
    expect(fb.platform.authorizationError).toBe('CERT_HAS_EXPIRED');
  });
});

describe('tls.endpoint failure modes cost at most the timeout', () => {
  const timeoutMs = 500;

  async function expectFailure(port: number, kinds: string[]): Promise<ProbeError> {
    const ctx = testContext({ anchors: [root], hosts, timeoutMs });
    const err = await tlsEndpointCheck.run(target(HOST, port), ctx).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProbeError);
    expect(kinds).toContain((err as ProbeError).kind);
    return err as ProbeError;
  }

  it('a silent server times out', async () => {
    const srv = await serveRaw({});
    const started = performance.now();
    const err = await expectFailure(srv.port, ['timeout']);
    console.log(`silent server: ${err.message} after ${(performance.now() - started).toFixed(0)} ms`);
  });

  it('a garbage server is a protocol error', async () => {
    const srv = await serveRaw({ reply: randomBytes(4096) });
    await expectFailure(srv.port, ['protocol', 'connectivity']);
    const http = await serveRaw({ reply: Buffer.from('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n') });
    await expectFailure(http.port, ['protocol', 'connectivity']);
  });

  it('a closed port is a connectivity error', async () => {
    const srv = await serveRaw({});
    const port = srv.port;
    await srv.close();
    await expectFailure(port, ['connectivity']);
  });

  it('a cancelled target stops at once', async () => {
    const srv = await serveRaw({});
    const controller = new AbortController();
    const ctx = testContext({ anchors: [root], hosts, timeoutMs: 30_000, signal: controller.signal });
    const pending = tlsEndpointCheck.run(target(HOST, srv.port), ctx);
    setTimeout(() => controller.abort(new ProbeError('timeout', 'target deadline passed')), 100);
    await expect(pending).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('a 100-certificate chain does not crash the probe', async () => {
    const cas: IssuedCert[] = [];
    let issuer = root;
    for (let i = 0; i < 100; i++) {
      issuer = await issueCertificate({
        subject: `CN=Deep CA ${i}`,
        isCA: true,
        issuer,
        key: { type: 'ec' },
        keyId: 'deep-chain-ca',
      });
      cas.push(issuer);
    }
    const deep = await issueCertificate({ subjectCN: HOST, sans: { dns: [HOST] }, issuer, key: { type: 'ec' } });
    const srv = await serveHttps({ chain: [deep, ...cas.reverse()] });
    const ctx = testContext({ anchors: [root], hosts, timeoutMs: 2_000 });
    const started = performance.now();
    const outcome = await tlsEndpointCheck.run(target(HOST, srv.port), ctx).then(
      (facts) => ({ facts }),
      (err: unknown) => ({ err }),
    );
    console.log(
      `100-certificate chain: ${'facts' in outcome ? `count ${outcome.facts.chain.count}, trusted ${outcome.facts.trust.public.trusted}` : String((outcome as { err: unknown }).err)} in ${(performance.now() - started).toFixed(0)} ms`,
    );
    if ('facts' in outcome) {
      expect(outcome.facts.chain.count).toBe(101);
      expectSchemaValid(outcome.facts);
    } else {
      expect(outcome.err).toBeInstanceOf(ProbeError);
    }
  });
});
