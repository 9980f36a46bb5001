// The staple verifier on real responses signed by the lab PKI (RFC 6960 §3.2, §4.2.2.2): who may
// sign, over which bytes, about which certificate, and until when.

import { beforeAll, describe, expect, it } from 'vitest';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { X509Certificate, generateKeyPairSync, sign } from 'node:crypto';
import { createOcspResponse, issueCertificate, type IssuedCert, type KeySpec } from '../../src/lab/pki.js';
import { parseOcspResponse } from '../../src/pki/ocsp.js';
import { leafIssuer, OCSP_CLOCK_SKEW_MS, verifyOcspResponse, type OcspVerification } from '../../src/pki/ocsp-verify.js';
import { ParsedCert } from '../../src/pki/parsed.js';
import { validatePath } from '../../src/pki/path.js';
import { verifySignature } from '../../src/pki/signature.js';
import type { AnchorSet } from '../../src/core/types.js';

const DAY = 86_400_000;
const NOW = new Date('2030-03-01T12:00:00Z');
const HOUR_AGO = new Date(NOW.getTime() - 3_600_000);
const dates = { notBefore: new Date(NOW.getTime() - 30 * DAY), notAfter: new Date(NOW.getTime() + 300 * DAY) };

let root: IssuedCert;
let ca: IssuedCert;
let otherCa: IssuedCert;
let leaf: IssuedCert;
let responder: IssuedCert;

const parsed = (c: IssuedCert): ParsedCert => ParsedCert.fromDer(c.der);

async function check(
  opts: Partial<Parameters<typeof createOcspResponse>[0]> = {},
  against: { leaf?: IssuedCert; issuer?: IssuedCert | null; now?: Date } = {},
): Promise<OcspVerification> {
  const der = await createOcspResponse({ cert: leaf, issuer: ca, status: 'good', thisUpdate: HOUR_AGO, ...opts });
  const issuer = against.issuer === undefined ? ca : against.issuer;
  return verifyOcspResponse(parseOcspResponse(der), parsed(against.leaf ?? leaf), issuer ? parsed(issuer) : null, against.now ?? NOW);
}

beforeAll(async () => {
  root = await issueCertificate({ subject: 'CN=OCSP Verify Root', isCA: true, ...dates });
  ca = await issueCertificate({ subject: 'CN=OCSP Verify Issuing CA, O=govscan lab', isCA: true, issuer: root, ...dates });
  otherCa = await issueCertificate({
    subject: 'CN=OCSP Verify Other CA, O=govscan lab',
    isCA: true,
    key: { type: 'ec' },
    issuer: root,
    ...dates,
  });
  leaf = await issueCertificate({ subjectCN: 'ocsp-verify.lab.test', issuer: ca, serial: '4a11ce', ...dates });
  responder = await issueCertificate({
    subject: 'CN=OCSP Verify Responder, O=govscan lab',
    issuer: ca,
    key: { type: 'ec' },
    keyId: 'ocsp-responder',
    keyUsage: ['digitalSignature'],
    extKeyUsage: ['OCSPSigning'],
    ...dates,
  });
});

describe('verifyOcspResponse: who signed', () => {
  it('accepts a response signed by the issuer itself', async () => {
    expect(await check()).toMatchObject({ signature: 'valid', responder: 'issuer', matchesLeaf: true, fresh: true, problem: null });
    const v = await check({ status: 'revoked' });
    expect(v.single).toMatchObject({ serial: '4a11ce', certStatus: 'revoked' });
  });

  const keys: [string, KeySpec, boolean][] = [
    ['RSA PKCS#1 v1.5', { type: 'rsa' }, false],
    ['RSA-PSS', { type: 'rsa' }, true],
    ['ECDSA P-256', { type: 'ec', curve: 'P-256' }, false],
    ['ECDSA P-384', { type: 'ec', curve: 'P-384' }, false],
    ['Ed25519', { type: 'ed25519' }, false],
  ];
  for (const [name, key, pss] of keys) {
    it(`verifies ${name} signatures`, async () => {
      const issuer = await issueCertificate({ subject: `CN=OCSP ${name} CA`, isCA: true, key, issuer: root, ...dates });
      const subject = await issueCertificate({ subjectCN: 'alg.lab.test', issuer, ...dates });
      const v = await check({ cert: subject, issuer, pss }, { leaf: subject, issuer });
      expect(v).toMatchObject({ signature: 'valid', responder: 'issuer', matchesLeaf: true, problem: null });
      const forged = await check({ cert: subject, issuer, pss, signWith: leaf }, { leaf: subject, issuer });
      expect(forged.signature).toBe('invalid');
    });
  }

  it('accepts a delegated responder certified by the issuer for OCSPSigning, named by name or by key', async () => {
    expect(await check({ responder })).toMatchObject({
      signature: 'valid',
      responder: 'delegated',
      matchesLeaf: true,
      fresh: true,
      problem: null,
    });
    expect(await check({ responder, responderIdByKey: true })).toMatchObject({ signature: 'valid', responder: 'delegated' });
    expect(await check({ responderIdByKey: true })).toMatchObject({ signature: 'valid', responder: 'issuer' });
  });

  it('rejects a delegated responder without the OCSPSigning extended key usage', async () => {
    const plain = await issueCertificate({
      subject: 'CN=Not A Responder',
      issuer: ca,
      key: { type: 'ec' },
      keyId: 'ocsp-responder',
      extKeyUsage: ['serverAuth'],
      ...dates,
    });
    const v = await check({ responder: plain });
    expect(v).toMatchObject({ signature: 'invalid', responder: 'delegated', matchesLeaf: true });
    expect(v.problem).toMatch(/OCSPSigning/);
  });

  it('rejects a delegated responder certified by another CA, or outside its validity', async () => {
    const foreign = await issueCertificate({
      subject: 'CN=Foreign Responder',
      issuer: otherCa,
      key: { type: 'ec' },
      keyId: 'ocsp-responder',
      extKeyUsage: ['OCSPSigning'],
      ...dates,
    });
    const a = await check({ responder: foreign });
    expect(a).toMatchObject({ signature: 'invalid', responder: 'delegated' });
    expect(a.problem).toMatch(/not certified by the certificate's issuer/);
    const lapsed = await issueCertificate({
      subject: 'CN=Lapsed Responder',
      issuer: ca,
      key: { type: 'ec' },
      keyId: 'ocsp-responder',
      extKeyUsage: ['OCSPSigning'],
      notBefore: new Date(NOW.getTime() - 20 * DAY),
      notAfter: new Date(NOW.getTime() - 2 * DAY),
    });
    const b = await check({ responder: lapsed });
    expect(b.signature).toBe('invalid');
    expect(b.problem).toMatch(/validity/);
  });

  it('rejects flipped signature bits', async () => {
    const der = await createOcspResponse({ cert: leaf, issuer: ca, status: 'good', thisUpdate: HOUR_AGO });
    // The signature is the last thing in a response without embedded certificates.
    der[der.length - 1]! ^= 0x01;
    const v = verifyOcspResponse(parseOcspResponse(der), parsed(leaf), parsed(ca), NOW);
    expect(v).toMatchObject({ signature: 'invalid', responder: 'issuer', matchesLeaf: true });
    expect(v.problem).toMatch(/does not verify with the issuer's key/);
  });

  it("rejects a response naming the issuer but signed with another key (the server's own)", async () => {
    const v = await check({ signWith: leaf });
    expect(v).toMatchObject({ signature: 'invalid', responder: 'issuer' });
  });

  it('rejects a response from a responder that is neither the issuer nor included', async () => {
    // Signed by another CA: the responder ID names it, and the chain says the leaf's issuer is `ca`.
    const v = await check({ responder: otherCa, signWith: otherCa });
    expect(v).toMatchObject({ signature: 'invalid', responder: 'delegated' });
    const bare = await check({ issuer: otherCa });
    expect(bare).toMatchObject({ signature: 'invalid', responder: null, matchesLeaf: false });
    expect(bare.problem).toMatch(/unknown responder/);
  });

  it('reports unknown-issuer when the issuer certificate is not at hand', async () => {
    const v = await check({}, { issuer: null });
    expect(v).toMatchObject({ signature: 'unknown-issuer', responder: null, fresh: true });
    // Serial and issuer name still match; the key hash cannot be checked.
    expect(v.matchesLeaf).toBe(true);
    expect(v.problem).toMatch(/issuer/);
  });
});

describe('verifyOcspResponse: about which certificate', () => {
  it('does not match a response about another serial', async () => {
    const other = await issueCertificate({ subjectCN: 'other.lab.test', issuer: ca, serial: '0badbeef', ...dates });
    const v = await check({ cert: other });
    expect(v).toMatchObject({ signature: 'valid', responder: 'issuer', matchesLeaf: false, single: null, fresh: false });
    expect(v.problem).toMatch(/about 0badbeef, not this certificate \(serial 4a11ce\)/);
  });

  it("does not match a response about the same serial from another issuer's CertID", async () => {
    const twin = await issueCertificate({ subjectCN: 'twin.lab.test', issuer: otherCa, serial: '4a11ce', key: { type: 'ec' }, ...dates });
    // Signed by the leaf's real issuer, but the CertID hashes name otherCa.
    const v = await check({ cert: twin, issuer: otherCa, responder: ca, signWith: ca });
    expect(v).toMatchObject({ signature: 'valid', responder: 'issuer', matchesLeaf: false });
    expect(v.single?.serial).toBe('4a11ce');
    expect(v.problem).toMatch(/another issuer/);
    // Without the issuer certificate the name hash alone still tells the two apart.
    const blind = await check({ cert: twin, issuer: otherCa }, { issuer: null });
    expect(blind).toMatchObject({ signature: 'unknown-issuer', matchesLeaf: false });
  });
});

describe('verifyOcspResponse: when', () => {
  it('is stale once nextUpdate has passed', async () => {
    const v = await check({ thisUpdate: new Date(NOW.getTime() - 10 * DAY), nextUpdate: new Date(NOW.getTime() - 3 * DAY) });
    expect(v).toMatchObject({ signature: 'valid', matchesLeaf: true, fresh: false });
    expect(v.problem).toMatch(/stale/);
  });

  it('allows a few minutes of clock skew either side, not more', async () => {
    const within = OCSP_CLOCK_SKEW_MS - 60_000;
    const beyond = OCSP_CLOCK_SKEW_MS + 60_000;
    expect((await check({ thisUpdate: new Date(NOW.getTime() + within) })).fresh).toBe(true);
    const future = await check({ thisUpdate: new Date(NOW.getTime() + beyond) });
    expect(future.fresh).toBe(false);
    expect(future.problem).toMatch(/in the future/);
    const justPassed = { thisUpdate: new Date(NOW.getTime() - DAY) };
    expect((await check({ ...justPassed, nextUpdate: new Date(NOW.getTime() - within) })).fresh).toBe(true);
    expect((await check({ ...justPassed, nextUpdate: new Date(NOW.getTime() - beyond) })).fresh).toBe(false);
  });

  it('treats a response without nextUpdate as current', async () => {
    const v = await check({ nextUpdate: null });
    expect(v.single?.nextUpdate).toBeNull();
    expect(v).toMatchObject({ fresh: true, problem: null });
  });

  it('checks nothing in an unsuccessful response', () => {
    const der = Buffer.from(new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: 3 }) }).toSchema().toBER(false));
    const v = verifyOcspResponse(parseOcspResponse(der), parsed(leaf), parsed(ca), NOW);
    expect(v).toMatchObject({ signature: 'not-checked', responder: null, single: null, matchesLeaf: false, fresh: false });
    expect(v.problem).toMatch(/tryLater/);
  });
});

describe('leafIssuer', () => {
  const anchors = (...certs: IssuedCert[]): AnchorSet => ({ name: 'test', certificates: certs.map((c) => new X509Certificate(c.der)) });

  it('takes the second certificate of a validated path, from what was sent or from the anchors', () => {
    const sent = [parsed(leaf), parsed(ca)];
    const viaSent = anchors(root);
    expect(leafIssuer(sent[0]!, sent, [{ trust: validatePath([leaf.der, ca.der], viaSent, NOW), anchors: viaSent }])?.sha256).toBe(
      sent[1]!.sha256,
    );
    // The issuer was not sent but is an anchor of the second store.
    const none = anchors(root);
    const withCa = anchors(ca);
    const paths = [
      { trust: validatePath([leaf.der], none, NOW), anchors: none },
      { trust: validatePath([leaf.der], withCa, NOW), anchors: withCa },
    ];
    expect(leafIssuer(sent[0]!, [sent[0]!], paths)?.sha256).toBe(sent[1]!.sha256);
    expect(leafIssuer(sent[0]!, [sent[0]!], paths.slice(0, 1))).toBeNull();
  });

  it('is the leaf itself when it signed itself', async () => {
    const self = await issueCertificate({ subjectCN: 'self.lab.test', ...dates });
    const p = parsed(self);
    const set = anchors(root);
    expect(leafIssuer(p, [p], [{ trust: validatePath([self.der], set, NOW), anchors: set }])).toBe(p);
    const der = await createOcspResponse({ cert: self, issuer: self, status: 'good', thisUpdate: HOUR_AGO });
    expect(verifyOcspResponse(parseOcspResponse(der), p, p, NOW)).toMatchObject({
      signature: 'valid',
      responder: 'issuer',
      matchesLeaf: true,
    });
  });
});

describe('verifySignature', () => {
  const data = Buffer.from('tbsResponseData');
  it('says unsupported for an algorithm it does not know and invalid for a key of the wrong type', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const sig = sign('sha256', data, privateKey);
    expect(verifySignature(data, { oid: '1.2.840.10045.4.3.2', params: null }, sig, publicKey)).toBe('valid');
    expect(verifySignature(data, { oid: '1.2.3.4', params: null }, sig, publicKey)).toBe('unsupported');
    expect(verifySignature(data, { oid: '1.2.840.113549.1.1.11', params: null }, sig, publicKey)).toBe('invalid');
    expect(verifySignature(data, { oid: '1.2.840.10045.4.3.2', params: null }, Buffer.from('not DER'), publicKey)).toBe('invalid');
  });
});
