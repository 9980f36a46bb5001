// verifyCertificate on lab PKI chains: the checks of each family as a user of the API meets them,
// path building that backtracks, the budget a hostile chain runs into, and input it cannot read.
// (Conformance with the public suite is limbo.test.ts.)

import { beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { issueCertificate, type IssuedCert } from '../../src/lab/pki.js';
import { ParsedCert } from '../../src/pki/parsed.js';
import { profileProblems } from '../../src/pki/profile.js';
import { verifyCertificate, verifyCertificateSync } from '../../src/pki/verify.js';

const DAY = 86_400_000;
const NAME = 'portal.verify.test';

let root: IssuedCert;
let inter: IssuedCert;
let leaf: IssuedCert;

beforeAll(async () => {
  root = await issueCertificate({ subject: 'C=VN, O=Lab, CN=Verify Root', isCA: true, key: { type: 'ec' } });
  inter = await issueCertificate({ subject: 'C=VN, O=Lab, CN=Verify Issuing CA', isCA: true, issuer: root, key: { type: 'ec' } });
  leaf = await issueCertificate({ subjectCN: NAME, sans: { dns: [NAME], ip: ['192.0.2.7'] }, issuer: inter, key: { type: 'ec' } });
});

const verify = (chain: IssuedCert[], options: { name?: string; anchors?: IssuedCert[]; at?: Date } = {}) =>
  verifyCertificateSync({
    chain: chain.map((c) => c.der),
    anchors: (options.anchors ?? [root]).map((c) => c.certPem),
    name: options.name ?? NAME,
    ...(options.at ? { at: options.at } : {}),
  });

describe('verifyCertificate', () => {
  it('accepts a valid chain as PEM or DER and describes the path it took', async () => {
    const r = await verifyCertificate({ chain: leaf.certPem + inter.certPem, anchors: [root.der], name: NAME });
    expect(r).toMatchObject({ valid: true, trusted: true, hostnameMatches: true, problems: [], anchor: 'CN=Verify Root,O=Lab,C=VN' });
    expect(r.path.map((p) => p.subject)).toEqual([`CN=${NAME}`, 'CN=Verify Issuing CA,O=Lab,C=VN', 'CN=Verify Root,O=Lab,C=VN']);
    expect(r.path[0]?.sha256).toBe(leaf.cert.fingerprint256.replace(/:/g, '').toLowerCase());
    expect(verify([leaf, inter], { name: '192.0.2.7' })).toMatchObject({ valid: true, hostnameMatches: true });
  });

  it('separates trust from the name: a trusted chain for another name is not valid', () => {
    expect(verify([leaf, inter], { name: 'other.verify.test' })).toMatchObject({
      valid: false,
      trusted: true,
      hostnameMatches: false,
      problems: ['hostname-mismatch'],
    });
    expect(verifyCertificateSync({ chain: [leaf.der, inter.der], anchors: [root.certPem] })).toMatchObject({
      valid: true,
      hostnameMatches: null,
    });
  });

  it('refuses a certificate that names its host only in the CN', async () => {
    const cnOnly = await issueCertificate({ subjectCN: NAME, issuer: inter, key: { type: 'ec' } });
    expect(verify([cnOnly, inter])).toMatchObject({ valid: false, trusted: true, hostnameMatches: false });
  });

  it('judges every certificate of the path at the given time', () => {
    expect(verify([leaf, inter], { at: new Date(Date.now() + 365 * DAY) })).toMatchObject({
      valid: false,
      trusted: false,
      problems: ['expired'],
    });
    expect(verify([leaf, inter], { at: new Date(Date.now() - 2 * DAY) })).toMatchObject({ valid: false, problems: ['not-yet-valid'] });
  });

  it('never throws on input it cannot read', () => {
    expect(verifyCertificateSync({ chain: 'no certificate here', anchors: [] })).toMatchObject({
      valid: false,
      problems: ['malformed-certificate'],
      path: [],
    });
    expect(verifyCertificateSync({ chain: [Buffer.from('3003020100', 'hex')], anchors: [root.der], name: NAME })).toMatchObject({
      valid: false,
      hostnameMatches: false,
      problems: ['malformed-certificate'],
    });
    // An unreadable anchor anchors nothing; an unreadable extra certificate is no issuer.
    expect(
      verifyCertificateSync({ chain: [leaf.der, Buffer.from('junk'), inter.der], anchors: ['junk', root.certPem], name: NAME }).valid,
    ).toBe(true);
  });
});

describe('path validation families', () => {
  it('refuses a SHA-1 signature on the path but not on the anchor itself', async () => {
    const sha1Root = await issueCertificate({ subject: 'CN=Verify SHA-1 Root', isCA: true, signatureHash: 'SHA-1' });
    const under = await issueCertificate({ subject: 'CN=Verify Under SHA-1 Root', isCA: true, issuer: sha1Root });
    const l1 = await issueCertificate({ subjectCN: NAME, sans: { dns: [NAME] }, issuer: under });
    expect(verify([l1, under], { anchors: [sha1Root] })).toMatchObject({ valid: true });
    // Also when the server sends the root along: it is the anchor, however it came (here from an
    // anchor set as the scan loads it, so not the same parsed object as the one sent).
    const set = { name: 'public', certificates: [new X509Certificate(sha1Root.der)] };
    const sent = verifyCertificateSync({ chain: [l1.der, under.der, sha1Root.der], anchors: set, name: NAME });
    expect(sent).toMatchObject({ valid: true, anchor: 'CN=Verify SHA-1 Root' });
    const sha1Inter = await issueCertificate({ subject: 'CN=Verify SHA-1 Issuing', isCA: true, issuer: root, signatureHash: 'SHA-1' });
    const l2 = await issueCertificate({ subjectCN: NAME, sans: { dns: [NAME] }, issuer: sha1Inter });
    expect(verify([l2, sha1Inter])).toMatchObject({ valid: false, problems: ['weak-signature-in-chain'] });
  });

  it('refuses an RSA key under 2048 bits anywhere on the path', async () => {
    const weak = await issueCertificate({ subject: 'CN=Verify Weak Issuing', isCA: true, issuer: root, key: { type: 'rsa', bits: 1024 } });
    const l = await issueCertificate({ subjectCN: NAME, sans: { dns: [NAME] }, issuer: weak });
    expect(verify([l, weak])).toMatchObject({ valid: false, problems: ['weak-key-in-chain'] });
  });

  it("lets an intermediate's EKU constrain the leaf, and requires serverAuth of a leaf with an EKU", async () => {
    const clientOnly = await issueCertificate({ subject: 'CN=Verify Client CA', isCA: true, issuer: root, extKeyUsage: ['clientAuth'] });
    const l = await issueCertificate({ subjectCN: NAME, sans: { dns: [NAME] }, issuer: clientOnly });
    expect(verify([l, clientOnly])).toMatchObject({ valid: false, problems: ['eku-not-server-auth'] });
    const mail = await issueCertificate({ subjectCN: NAME, sans: { dns: [NAME] }, issuer: inter, extKeyUsage: ['emailProtection'] });
    expect(verify([mail, inter])).toMatchObject({ valid: false, problems: ['eku-not-server-auth'] });
  });

  it('counts pathLenConstraint over the intermediates below the CA', async () => {
    const zero = await issueCertificate({ subject: 'CN=Verify PathLen 0', isCA: true, pathLength: 0, issuer: root });
    const below = await issueCertificate({ subject: 'CN=Verify Below PathLen 0', isCA: true, issuer: zero });
    const l = await issueCertificate({ subjectCN: NAME, sans: { dns: [NAME] }, issuer: below });
    expect(verify([l, below, zero])).toMatchObject({ valid: false, problems: ['path-length-exceeded'] });
    const direct = await issueCertificate({ subjectCN: NAME, sans: { dns: [NAME] }, issuer: zero });
    expect(verify([direct, zero])).toMatchObject({ valid: true });
  });

  it('refuses a CA certificate as the leaf and a non-CA as an issuer', async () => {
    const caLeaf = await issueCertificate({ subject: `CN=${NAME}`, sans: { dns: [NAME] }, isCA: true, issuer: inter });
    expect(verify([caLeaf, inter])).toMatchObject({ valid: false, problems: expect.arrayContaining(['ca-as-leaf']) });
    const notCa = await issueCertificate({
      subjectCN: 'not-a-ca.verify.test',
      sans: { dns: ['not-a-ca.verify.test'] },
      issuer: inter,
      keyId: 'verify-not-ca',
    });
    const l = await issueCertificate({ subjectCN: NAME, sans: { dns: [NAME] }, issuer: notCa });
    expect(verify([l, notCa, inter]).problems).toContain('invalid-ca');
  });

  it('accepts every root of Node’s bundled store as an anchor', () => {
    const refused = rootCertificates
      .map((pem) => ParsedCert.fromX509(new X509Certificate(pem)))
      .filter((c) => profileProblems(c, 'anchor', 'serverAuth').length > 0)
      .map((c) => c.x509.subject);
    expect(refused).toEqual([]);
  });
});

describe('path building', () => {
  it('backtracks past an expired cross-signed issuer to a valid one, whatever the order sent', async () => {
    const oldRoot = await issueCertificate({ subject: 'CN=Verify Old Root', isCA: true });
    const newRoot = await issueCertificate({ subject: 'CN=Verify New Root', isCA: true });
    const spec = { subject: 'CN=Verify Cross CA', isCA: true, keyId: 'verify-cross' };
    const viaOld = await issueCertificate({
      ...spec,
      issuer: oldRoot,
      notBefore: new Date(Date.now() - 400 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    const viaNew = await issueCertificate({ ...spec, issuer: newRoot });
    const l = await issueCertificate({ subjectCN: NAME, sans: { dns: [NAME] }, issuer: viaNew });
    for (const order of [
      [l, viaOld, viaNew],
      [l, viaNew, viaOld],
    ]) {
      const r = verify(order, { anchors: [oldRoot, newRoot] });
      expect(r).toMatchObject({ valid: true, anchor: 'CN=Verify New Root' });
    }
    // With only the old root trusted, the best path is reported with its problem.
    expect(verify([l, viaOld, viaNew], { anchors: [oldRoot] })).toMatchObject({
      valid: false,
      problems: ['expired'],
      anchor: 'CN=Verify Old Root',
    });
  });

  it('gives up within its budget on a chain built to multiply paths, and says so', async () => {
    // Twelve layers of two certificates that each sign both certificates of the layer below: 4,096
    // paths, none ending at an anchor.
    const LAYERS = 12;
    const layers: IssuedCert[][] = [];
    let above: IssuedCert[] = [
      await issueCertificate({ subject: `CN=Maze ${LAYERS}`, isCA: true, key: { type: 'ec' }, keyId: `maze-${LAYERS}-a` }),
      await issueCertificate({ subject: `CN=Maze ${LAYERS}`, isCA: true, key: { type: 'ec' }, keyId: `maze-${LAYERS}-a`, serial: '0bad' }),
    ];
    layers.push(above);
    for (let i = LAYERS - 1; i >= 0; i--) {
      const spec = { subject: `CN=Maze ${i}`, isCA: true, key: { type: 'ec' as const }, keyId: `maze-${i}` };
      const layer = await Promise.all(above.map((issuer) => issueCertificate({ ...spec, issuer })));
      layers.push(layer);
      above = layer;
    }
    const l = await issueCertificate({ subjectCN: NAME, sans: { dns: [NAME] }, issuer: above[0]!, key: { type: 'ec' } });
    const sent = [l.der, ...layers.flat().map((c) => c.der)];
    const r = verifyCertificateSync({ chain: sent, anchors: [root.certPem], name: NAME, maxDepth: 32 });
    expect(r.valid).toBe(false);
    expect(r.problems).toContain('path-building-limit');
  });
});
