// The DER reader is checked against pkijs and OpenSSL on every root of Node's bundled store (real
// certificates from many CAs, decades and encoders) and on lab certificates of every key type.

import { describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { DerError, readTlv } from '../../src/pki/der.js';
import { parseCertificateFields } from '../../src/pki/fields.js';
import { certificateFacts } from '../../src/pki/certificate.js';
import { issueCertificate } from '../../src/lab/pki.js';

function hexOf(v: ArrayBuffer | Uint8Array): string {
  return Buffer.from(v instanceof Uint8Array ? v : new Uint8Array(v)).toString('hex');
}

function viaPkijs(der: Buffer) {
  const c = pkijs.Certificate.fromBER(der);
  const ext = <T>(oid: string): T | undefined => c.extensions?.find((e) => e.extnID === oid)?.parsedValue as T | undefined;
  const san = ext<pkijs.AltName>('2.5.29.17');
  return {
    serial: hexOf(c.serialNumber.valueBlock.valueHexView).replace(/^(00)+(?=..)/, ''),
    signatureOid: c.signatureAlgorithm.algorithmId,
    notBefore: c.notBefore.value.getTime(),
    notAfter: c.notAfter.value.getTime(),
    subjectTypes: c.subject.typesAndValues.map((tv) => tv.type),
    subjectValues: c.subject.typesAndValues.map((tv) => {
      const v = (tv.value as { valueBlock: { value?: unknown } }).valueBlock.value;
      return typeof v === 'string' ? v : null;
    }),
    cA: ext<pkijs.BasicConstraints>('2.5.29.19')?.cA ?? null,
    skid: ext<asn1js.OctetString>('2.5.29.14') ? hexOf(ext<asn1js.OctetString>('2.5.29.14')!.valueBlock.valueHexView) : null,
    akid: ext<pkijs.AuthorityKeyIdentifier>('2.5.29.35')?.keyIdentifier
      ? hexOf(ext<pkijs.AuthorityKeyIdentifier>('2.5.29.35')!.keyIdentifier!.valueBlock.valueHexView)
      : null,
    eku: ext<pkijs.ExtKeyUsage>('2.5.29.37')?.keyPurposes ?? null,
    dns: (san?.altNames ?? []).filter((n) => n.type === 2).map((n) => n.value as string),
  };
}

function viaReader(der: Buffer) {
  const f = parseCertificateFields(der);
  return {
    serial: f.serial,
    signatureOid: f.signatureAlgorithm.oid,
    notBefore: f.notBefore.getTime(),
    notAfter: f.notAfter.getTime(),
    subjectTypes: f.subject.flat().map((a) => a.type),
    subjectValues: f.subject.flat().map((a) => a.value),
    cA: f.basicConstraints ? f.basicConstraints.cA : null,
    skid: f.subjectKeyId,
    akid: f.authorityKeyId,
    eku: f.extKeyUsage,
    dns: f.san.dns,
  };
}

describe('parseCertificateFields', () => {
  it('agrees with pkijs and OpenSSL on every bundled root', () => {
    expect(rootCertificates.length).toBeGreaterThan(100);
    for (const pem of rootCertificates) {
      const x = new X509Certificate(pem);
      const mine = viaReader(x.raw);
      expect(mine, x.subject).toEqual(viaPkijs(x.raw));
      expect(mine.serial.replace(/^0+(?=.)/, '')).toBe(x.serialNumber.toLowerCase().replace(/^0+(?=.)/, ''));
      expect(new Date(mine.notAfter).getTime()).toBe(new Date(x.validTo).getTime());
      expect(mine.cA ?? false).toBe(x.ca);
      // Certificate facts come out for every one of them, with no unknown key types.
      const facts = certificateFacts(x.raw, new Date());
      expect(facts.key.type).not.toBe('unknown');
      expect(facts.signatureAlgorithm.name).not.toMatch(/^\d/);
    }
  });

  it('agrees with pkijs on lab certificates of every key type', async () => {
    const ca = await issueCertificate({
      subject: 'C=VN, ST=Tây Ninh, O=Sở TT&TT, CN=Fields CA',
      isCA: true,
      key: { type: 'ec', curve: 'P-384' },
    });
    const certs = await Promise.all([
      issueCertificate({
        subjectCN: 'a.test',
        sans: { dns: ['a.test', '*.a.test'], ip: ['127.1.2.3', 'fe80::1'] },
        issuer: ca,
        ocspUrl: 'http://o/',
        caIssuersUrl: 'http://c/',
      }),
      issueCertificate({ subjectCN: 'b.test', key: { type: 'ed25519' }, issuer: ca, extKeyUsage: ['serverAuth', 'clientAuth', '1.2.3.4'] }),
      issueCertificate({ subjectCN: 'c.test', key: { type: 'ec' }, signatureHash: 'SHA-1', serial: '00ff' }),
    ]);
    for (const c of [ca, ...certs]) expect(viaReader(c.der)).toEqual(viaPkijs(c.der));
    const f = parseCertificateFields(certs[0]!.der);
    expect(f.aia).toEqual({ ocsp: ['http://o/'], caIssuers: ['http://c/'] });
    expect(f.san.ip.map((b) => b.toString('hex'))).toEqual(['7f010203', 'fe800000000000000000000000000001']);
    expect(certificateFacts(ca.der, new Date()).subject).toBe('CN=Fields CA,O=Sở TT&TT,ST=Tây Ninh,C=VN');
  });

  it('throws DerError on truncated or malformed input', () => {
    expect(() => parseCertificateFields(Buffer.from([0x30, 0x82, 0x01]))).toThrow(DerError);
    expect(() => parseCertificateFields(Buffer.from([0x30, 0x03, 0x02, 0x01]))).toThrow(DerError);
    expect(() => readTlv(Buffer.from([0x30, 0x80]), 0)).toThrow(/indefinite/);
    expect(() => parseCertificateFields(Buffer.from('not a certificate at all'))).toThrow(DerError);
  });
});
