import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { certificateFacts, keyOfFields } from '../../src/pki/certificate.js';
import { ParsedCert } from '../../src/pki/parsed.js';
import { issueCertificate } from '../../src/lab/pki.js';

/** The lab PKI does not do RSA-PSS; a self-signed one built with pkijs is enough for the facts. */
async function rsaPssCertificate(): Promise<Buffer> {
  const engine = new pkijs.CryptoEngine({ name: 'test', crypto: webcrypto });
  const keys = (await webcrypto.subtle.generateKey(
    { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-384' },
    true,
    ['sign', 'verify'],
  )) as webcrypto.CryptoKeyPair;
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: 7 });
  const name = new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: 'pss.lab.test' }) });
  cert.subject.typesAndValues.push(name);
  cert.issuer.typesAndValues.push(name);
  cert.notBefore.value = new Date(Date.now() - 86_400_000);
  cert.notAfter.value = new Date(Date.now() + 86_400_000);
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey, engine);
  await cert.sign(keys.privateKey, 'SHA-384', engine);
  return Buffer.from(cert.toSchema().toBER(false));
}

const DAY = 86_400_000;

describe('certificateFacts', () => {
  it('reads an RSA leaf with SANs, usages, AIA and dates', async () => {
    const ca = await issueCertificate({ subject: 'C=VN, O=Bo TT&TT, CN=Lab Root', isCA: true });
    const now = new Date();
    const leaf = await issueCertificate({
      subjectCN: 'portal.example.gov.vn',
      sans: { dns: ['portal.example.gov.vn', '*.example.gov.vn'], ip: ['127.0.0.1', '::1'] },
      issuer: ca,
      notBefore: new Date(now.getTime() - 10 * DAY),
      notAfter: new Date(now.getTime() + 30 * DAY + 3_600_000),
      ocspUrl: 'http://ocsp.example.test/',
      caIssuersUrl: 'http://ca.example.test/root.cer',
      serial: '00c0ffee',
    });
    const f = certificateFacts(leaf.der, now);
    expect(f.subject).toBe('CN=portal.example.gov.vn');
    expect(f.subjectCN).toBe('portal.example.gov.vn');
    expect(f.issuer).toBe('CN=Lab Root,O=Bo TT&TT,C=VN');
    expect(f.issuerCN).toBe('Lab Root');
    expect(f.serial).toBe('c0ffee');
    expect(f.sans).toEqual({ dns: ['portal.example.gov.vn', '*.example.gov.vn'], ip: ['127.0.0.1', '::1'] });
    expect(f.daysToExpiry).toBe(30);
    expect(f.lifetimeDays).toBe(40);
    expect(f.expired).toBe(false);
    expect(f.notYetValid).toBe(false);
    expect(f.key).toEqual({ type: 'rsa', bits: 2048, curve: null });
    expect(f.signatureAlgorithm).toEqual({ oid: '1.2.840.113549.1.1.11', name: 'sha256WithRSAEncryption', hash: 'sha256' });
    expect(f.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(f.extendedKeyUsage).toEqual(['serverAuth']);
    expect(f.isCA).toBe(false);
    expect(f.selfSigned).toBe(false);
    expect(f.sha256).toBe(leaf.cert.fingerprint256.replace(/:/g, '').toLowerCase());
    expect(f.aia).toEqual({ ocsp: ['http://ocsp.example.test/'], caIssuers: ['http://ca.example.test/root.cer'] });

    const root = certificateFacts(ca.der, now);
    expect(root.isCA).toBe(true);
    expect(root.selfSigned).toBe(true);
    expect(root.keyUsage).toEqual(['digitalSignature', 'keyCertSign', 'cRLSign']);
    expect(root.sans).toEqual({ dns: [], ip: [] });
  });

  it('reports every key type and signature hash', async () => {
    const now = new Date();
    const ec256 = await issueCertificate({ subjectCN: 'ec256', key: { type: 'ec', curve: 'P-256' } });
    const ec384 = await issueCertificate({ subjectCN: 'ec384', key: { type: 'ec', curve: 'P-384' }, signatureHash: 'SHA-384' });
    const ed = await issueCertificate({ subjectCN: 'ed', key: { type: 'ed25519' } });
    const rsa4096 = await issueCertificate({ subjectCN: 'rsa4096', key: { type: 'rsa', bits: 4096 }, keyId: 'rsa4096' });
    const sha1 = await issueCertificate({ subjectCN: 'sha1', signatureHash: 'SHA-1' });

    expect(certificateFacts(ec256.der, now).key).toEqual({ type: 'ec', bits: 256, curve: 'P-256' });
    expect(certificateFacts(ec256.der, now).signatureAlgorithm).toMatchObject({ name: 'ecdsa-with-SHA256', hash: 'sha256' });
    expect(certificateFacts(ec384.der, now).key).toEqual({ type: 'ec', bits: 384, curve: 'P-384' });
    expect(certificateFacts(ec384.der, now).signatureAlgorithm).toMatchObject({ name: 'ecdsa-with-SHA384', hash: 'sha384' });
    expect(certificateFacts(ed.der, now).key).toEqual({ type: 'ed25519', bits: 256, curve: null });
    expect(certificateFacts(ed.der, now).signatureAlgorithm).toEqual({ oid: '1.3.101.112', name: 'Ed25519', hash: null });
    expect(certificateFacts(ed.der, now).selfSigned).toBe(true);
    expect(certificateFacts(rsa4096.der, now).key.bits).toBe(4096);
    expect(certificateFacts(sha1.der, now).signatureAlgorithm).toEqual({
      oid: '1.2.840.113549.1.1.5',
      name: 'sha1WithRSAEncryption',
      hash: 'sha1',
    });
  });

  it('reads an RSASSA-PSS signature and its hash', async () => {
    const f = certificateFacts(await rsaPssCertificate(), new Date());
    expect(f.signatureAlgorithm).toEqual({ oid: '1.2.840.113549.1.1.10', name: 'RSASSA-PSS', hash: 'sha384' });
    expect(f.key.bits).toBe(2048);
    expect(f.selfSigned).toBe(true);
  });

  it('flags expired and not-yet-valid certificates with signed day counts', async () => {
    const now = new Date('2030-06-15T12:00:00Z');
    const old = await issueCertificate({
      subjectCN: 'old',
      notBefore: new Date('2029-01-01T00:00:00Z'),
      notAfter: new Date('2030-06-10T12:00:00Z'),
    });
    const future = await issueCertificate({
      subjectCN: 'future',
      notBefore: new Date('2030-07-01T00:00:00Z'),
      notAfter: new Date('2031-07-01T00:00:00Z'),
    });
    const o = certificateFacts(old.der, now);
    expect(o).toMatchObject({ expired: true, notYetValid: false, daysToExpiry: -5 });
    const f = certificateFacts(future.der, now);
    expect(f).toMatchObject({ expired: false, notYetValid: true, lifetimeDays: 365 });
  });

  it('escapes RFC 4514 special characters and keeps the most specific CN', async () => {
    const cert = await issueCertificate({ subject: 'CN=first, CN=a\\, b, O=x\\+y' });
    const f = certificateFacts(cert.der, new Date());
    expect(f.subject).toBe('O=x\\+y,CN=a\\, b,CN=first');
    expect(f.subjectCN).toBe('a, b');
  });

  it('rejects bytes that are not a certificate', () => {
    expect(() => certificateFacts(Buffer.from('not a certificate'), new Date())).toThrow();
  });
});

describe('keyOfFields (path entries of verifyCertificate)', () => {
  it('describes the key as OpenSSL does, from our own DER reading', async () => {
    const specs = [
      { type: 'rsa', bits: 2048 },
      { type: 'rsa', bits: 3072 },
      { type: 'ec', curve: 'P-256' },
      { type: 'ec', curve: 'P-384' },
      { type: 'ed25519' },
    ] as const;
    for (const key of specs) {
      const cert = await issueCertificate({ subjectCN: 'k.test', key, freshKey: true });
      const parsed = ParsedCert.fromDer(cert.der);
      expect(keyOfFields(parsed.fields), JSON.stringify(key)).toEqual(certificateFacts(cert.der, new Date()).key);
    }
  });
});
