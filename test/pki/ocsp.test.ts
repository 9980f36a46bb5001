import { beforeAll, describe, expect, it } from 'vitest';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { createHash, verify } from 'node:crypto';
import { createOcspResponse, issueCertificate, type IssuedCert } from '../../src/lab/pki.js';
import { parseOcspResponse } from '../../src/pki/ocsp.js';
import { certificateFacts } from '../../src/pki/certificate.js';

let ca: IssuedCert;
let leaf: IssuedCert;

const sha1 = (data: ArrayBuffer | Uint8Array): Buffer => createHash('sha1').update(new Uint8Array(data)).digest();
const caPk = (): pkijs.Certificate => pkijs.Certificate.fromBER(new Uint8Array(ca.der));
const caKeyBits = (): Uint8Array => caPk().subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;

beforeAll(async () => {
  ca = await issueCertificate({ subject: 'CN=OCSP Test CA', isCA: true });
  leaf = await issueCertificate({ subjectCN: 'ocsp.lab.test', issuer: ca, serial: '0123abcd' });
});

describe('parseOcspResponse', () => {
  for (const status of ['good', 'revoked', 'unknown'] as const) {
    it(`reads a ${status} response`, async () => {
      const thisUpdate = new Date('2030-01-01T00:00:00Z');
      const nextUpdate = new Date('2030-01-08T00:00:00Z');
      const der = await createOcspResponse({
        cert: leaf,
        issuer: ca,
        status,
        thisUpdate,
        nextUpdate,
        revokedAt: new Date('2029-12-25T00:00:00Z'),
      });
      const r = parseOcspResponse(der);
      expect(r.responseStatus).toBe('successful');
      expect(r.responses).toEqual([
        {
          serial: '0123abcd',
          certId: {
            hashAlgorithm: '1.3.14.3.2.26',
            issuerNameHash: sha1(caPk().subject.toSchema().toBER(false)),
            issuerKeyHash: sha1(caKeyBits()),
          },
          certStatus: status,
          thisUpdate: '2030-01-01T00:00:00.000Z',
          nextUpdate: '2030-01-08T00:00:00.000Z',
          revokedAt: status === 'revoked' ? '2029-12-25T00:00:00.000Z' : null,
        },
      ]);
      // The serial is spelled as certificate facts spell it, so the two can be joined.
      expect(r.responses[0]?.serial).toBe(certificateFacts(leaf.der, new Date()).serial);
    });
  }

  it('reads an unsuccessful response without a body', () => {
    const der = new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: 3 }) }).toSchema().toBER(false);
    expect(parseOcspResponse(new Uint8Array(der))).toEqual({ responseStatus: 'tryLater', producedAt: null, responses: [], signed: null });
  });

  it('keeps what a signature check needs: the signed bytes, algorithm, signature, responder and included certificates', async () => {
    const der = await createOcspResponse({ cert: leaf, issuer: ca, status: 'good' });
    const signed = parseOcspResponse(der).signed!;
    expect(signed.signatureAlgorithm).toEqual({ oid: '1.2.840.113549.1.1.11', params: null });
    expect(signed.responderId).toEqual({ byName: Buffer.from(caPk().subject.toSchema().toBER(false)) });
    expect(signed.certs).toEqual([]);
    expect(verify('sha256', signed.tbs, ca.cert.publicKey, signed.signature)).toBe(true);

    const responder = await issueCertificate({
      subject: 'CN=OCSP Test Responder',
      issuer: ca,
      key: { type: 'ec' },
      extKeyUsage: ['OCSPSigning'],
    });
    const delegated = parseOcspResponse(
      await createOcspResponse({ cert: leaf, issuer: ca, status: 'good', responder, responderIdByKey: true }),
    ).signed!;
    const responderKeyBits = pkijs.Certificate.fromBER(new Uint8Array(responder.der)).subjectPublicKeyInfo.subjectPublicKey.valueBlock
      .valueHexView;
    expect(delegated.responderId).toEqual({ byKey: sha1(responderKeyBits) });
    expect(delegated.certs).toEqual([responder.der]);
    expect(delegated.signatureAlgorithm.oid).toBe('1.2.840.10045.4.3.2');
    expect(verify('sha256', delegated.tbs, responder.cert.publicKey, delegated.signature)).toBe(true);
  });

  it('throws on bytes that are not an OCSP response', () => {
    expect(() => parseOcspResponse(Buffer.from('garbage'))).toThrow();
  });
});
