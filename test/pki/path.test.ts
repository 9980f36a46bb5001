import { beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import type { AnchorSet } from '../../src/core/types.js';
import { issueCertificate, type IssuedCert } from '../../src/lab/pki.js';
import { validatePath } from '../../src/pki/path.js';

const DAY = 86_400_000;

function anchors(...certs: IssuedCert[]): AnchorSet {
  return { name: 'test', certificates: certs.map((c) => new X509Certificate(c.der)) };
}
const fp = (c: IssuedCert): string => c.cert.fingerprint256.replace(/:/g, '').toLowerCase();

let root: IssuedCert;
let inter: IssuedCert;
let leaf: IssuedCert;

beforeAll(async () => {
  root = await issueCertificate({ subject: 'C=VN, O=Lab, CN=Path Root', isCA: true });
  inter = await issueCertificate({ subject: 'C=VN, O=Lab, CN=Path Issuing CA', isCA: true, issuer: root });
  leaf = await issueCertificate({ subjectCN: 'leaf.path.test', sans: { dns: ['leaf.path.test'] }, issuer: inter });
});

describe('validatePath', () => {
  const now = (): Date => new Date();

  it('trusts leaf → intermediate → anchor and reports the path', () => {
    const t = validatePath([leaf.der, inter.der], anchors(root), now());
    expect(t).toEqual({
      trusted: true,
      reason: null,
      problems: [],
      path: [fp(leaf), fp(inter), fp(root)],
      anchor: 'CN=Path Root,O=Lab,C=VN',
      store: 'test',
    });
  });

  it('accepts the sent certificates in any order and tolerates a sent root', () => {
    const t = validatePath([leaf.der, root.der, inter.der], anchors(root), now());
    expect(t.trusted).toBe(true);
    expect(t.path).toEqual([fp(leaf), fp(inter), fp(root)]);
  });

  it('prefers an anchor over a sent certificate of the same name', async () => {
    // Same subject and key as the intermediate, but an anchor: the path stops there.
    const t = validatePath([leaf.der, inter.der], anchors(root, inter), now());
    expect(t).toMatchObject({ trusted: true, path: [fp(leaf), fp(inter)], anchor: 'CN=Path Issuing CA,O=Lab,C=VN' });
  });

  it('trusts a self-signed leaf only when it is itself an anchor', async () => {
    const self = await issueCertificate({ subjectCN: 'self.path.test', keyId: 'path-self' });
    expect(validatePath([self.der], anchors(root), now())).toMatchObject({
      trusted: false,
      reason: 'self-signed',
      problems: ['self-signed'],
      path: [fp(self)],
    });
    expect(validatePath([self.der], anchors(root, self), now())).toMatchObject({ trusted: true, path: [fp(self)] });
  });

  it('reports an unknown root when the chain ends at a self-signed certificate that is not an anchor', async () => {
    const other = await issueCertificate({ subject: 'CN=Other Root', isCA: true });
    const t = validatePath([leaf.der, inter.der, root.der], anchors(other), now());
    expect(t).toMatchObject({ trusted: false, reason: 'unknown-root', anchor: null });
    expect(t.path).toEqual([fp(leaf), fp(inter), fp(root)]);
  });

  it('reports an incomplete chain when an issuer is neither sent nor an anchor', () => {
    const t = validatePath([leaf.der], anchors(root), now());
    expect(t).toMatchObject({ trusted: false, reason: 'incomplete-chain', problems: ['incomplete-chain'], path: [fp(leaf)] });
  });

  it('does not take a same-named CA with another key for the issuer', async () => {
    const impostor = await issueCertificate({ subject: 'C=VN, O=Lab, CN=Path Root', isCA: true, keyId: 'impostor-root' });
    expect(validatePath([leaf.der, inter.der], anchors(impostor), now())).toMatchObject({ trusted: false, reason: 'incomplete-chain' });
    expect(validatePath([leaf.der, inter.der], anchors(impostor, root), now())).toMatchObject({ trusted: true });
  });

  it('reports a bad signature', () => {
    const tampered = Buffer.from(leaf.der);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 0xff; // last byte of the signature value
    const t = validatePath([tampered, inter.der], anchors(root), now());
    expect(t).toMatchObject({ trusted: false, reason: 'bad-signature', path: [expect.any(String)] });
  });

  it('reports no-anchors for an empty anchor set', () => {
    const t = validatePath([leaf.der, inter.der], { name: 'empty', certificates: [] }, now());
    expect(t).toMatchObject({ trusted: false, reason: 'no-anchors', problems: ['no-anchors'], store: 'empty' });
  });

  it('checks the dates of every certificate on the path', async () => {
    const oldInter = await issueCertificate({
      subject: 'CN=Expired Issuing CA',
      isCA: true,
      issuer: root,
      notBefore: new Date(Date.now() - 800 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    const leaf2 = await issueCertificate({ subjectCN: 'x.path.test', issuer: oldInter });
    const t = validatePath([leaf2.der, oldInter.der], anchors(root), now());
    expect(t).toMatchObject({ trusted: false, reason: 'expired', problems: ['expired'], anchor: 'CN=Path Root,O=Lab,C=VN' });

    const future = await issueCertificate({
      subjectCN: 'f.path.test',
      issuer: inter,
      notBefore: new Date(Date.now() + 2 * DAY),
      notAfter: new Date(Date.now() + 90 * DAY),
    });
    expect(validatePath([future.der, inter.der], anchors(root), now())).toMatchObject({ reason: 'not-yet-valid' });
    // Judged at a chosen instant, not the wall clock.
    expect(validatePath([future.der, inter.der], anchors(root), new Date(Date.now() + 3 * DAY))).toMatchObject({ trusted: true });
  });

  it('orders several problems by priority', async () => {
    const other = await issueCertificate({ subject: 'CN=Other Root 2', isCA: true });
    const oldLeaf = await issueCertificate({
      subjectCN: 'o.path.test',
      issuer: inter,
      notBefore: new Date(Date.now() - 100 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    const t = validatePath([oldLeaf.der, inter.der, root.der], anchors(other), now());
    expect(t.problems).toEqual(['expired', 'unknown-root']);
    expect(t.reason).toBe('expired');
  });

  it('rejects an intermediate that is not a CA', async () => {
    const notCa = await issueCertificate({ subjectCN: 'not-a-ca.path.test', issuer: inter, keyId: 'not-a-ca' });
    const below = await issueCertificate({ subjectCN: 'below.path.test', issuer: notCa });
    const t = validatePath([below.der, notCa.der, inter.der], anchors(root), now());
    expect(t).toMatchObject({ trusted: false, reason: 'invalid-ca' });
    expect(t.path).toHaveLength(4);
  });

  it('builds EC and Ed25519 paths', async () => {
    const ecRoot = await issueCertificate({
      subject: 'CN=EC Root',
      isCA: true,
      key: { type: 'ec', curve: 'P-384' },
      signatureHash: 'SHA-384',
    });
    const edInter = await issueCertificate({
      subject: 'CN=Ed Issuing',
      isCA: true,
      key: { type: 'ed25519' },
      issuer: ecRoot,
      signatureHash: 'SHA-384',
    });
    const ecLeaf = await issueCertificate({ subjectCN: 'ec.path.test', key: { type: 'ec' }, issuer: edInter });
    expect(validatePath([ecLeaf.der, edInter.der], anchors(ecRoot), now())).toMatchObject({ trusted: true });
  });

  it('refuses a 100-certificate chain as too long, and terminates on it and on duplicates', async () => {
    const chain: IssuedCert[] = [];
    let issuer = root;
    for (let i = 0; i < 100; i++) {
      issuer = await issueCertificate({ subject: `CN=Deep ${i}`, isCA: true, issuer, key: { type: 'ec' }, keyId: 'path-deep' });
      chain.push(issuer);
    }
    const deep = await issueCertificate({ subjectCN: 'deep.path.test', sans: { dns: ['deep.path.test'] }, issuer, key: { type: 'ec' } });
    const sent = [deep.der, ...[...chain].reverse().map((c) => c.der), ...chain.map((c) => c.der)];
    const t = validatePath(sent, anchors(root), now());
    expect(t).toMatchObject({ trusted: false, reason: 'chain-too-long', anchor: null });
    // The depth limit (8 intermediates) is where building stopped: leaf and nine CAs.
    expect(t.path).toHaveLength(10);
    // Eight intermediates are allowed: the leaf under Deep 7 validates.
    const ok = await issueCertificate({
      subjectCN: 'ok.path.test',
      sans: { dns: ['ok.path.test'] },
      issuer: chain[7]!,
      key: { type: 'ec' },
    });
    expect(validatePath([ok.der, ...chain.slice(0, 8).map((c) => c.der)], anchors(root), now())).toMatchObject({ trusted: true });
    expect(validatePath([ok.der, ...chain.slice(0, 8).map((c) => c.der)], anchors(root), now(), { maxDepth: 7 })).toMatchObject({
      reason: 'chain-too-long',
    });
  });

  it('reuses the anchor index and notices a grown anchor set', async () => {
    const set = anchors();
    expect(validatePath([leaf.der, inter.der], set, now()).reason).toBe('no-anchors');
    set.certificates.push(new X509Certificate(root.der));
    expect(validatePath([leaf.der, inter.der], set, now()).trusted).toBe(true);
  });

  it('returns incomplete-chain for an empty chain and throws for an unreadable leaf', () => {
    expect(validatePath([], anchors(root), now())).toMatchObject({ trusted: false, reason: 'incomplete-chain', path: [] });
    expect(() => validatePath([Buffer.from('junk')], anchors(root), now())).toThrow();
    // Junk further down is ignored.
    expect(validatePath([leaf.der, Buffer.from('junk'), inter.der], anchors(root), now()).trusted).toBe(true);
  });
});
