import { beforeAll, describe, expect, it } from 'vitest';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { createOcspResponse, issueCertificate, type IssuedCert } from '../../src/lab/pki.js';
import { parseOcspResponse } from '../../src/pki/ocsp.js';
import { certificateFacts } from '../../src/pki/certificate.js';

let ca: IssuedCert;
let leaf: IssuedCert;

beforeAll(async () => {
  ca = await issueCertificate({ subject: 'CN=OCSP Test CA', isCA: true });
  leaf = await issueCertificate({ subjectCN: 'ocsp.lab.test', issuer: ca, serial: '0123abcd' });
});

describe('parseOcspResponse', () => {
  for (const status of ['good', 'revoked', 'unknown'] as const) {
    it(`reads a ${status} response`, async () => {
      const thisUpdate = new Date('2030-01-01T00:00:00Z');
      const nextUpdate = new Date('2030-01-08T00:00:00Z');
      const der = await createOcspResponse({ cert: leaf, issuer: ca, status, thisUpdate, nextUpdate, revokedAt: new Date('2029-12-25T00:00:00Z') });
      const r = parseOcspResponse(der);
      expect(r.responseStatus).toBe('successful');
      expect(r.responses).toEqual([
        {
          serial: '0123abcd',
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
    expect(parseOcspResponse(new Uint8Array(der))).toEqual({ responseStatus: 'tryLater', producedAt: null, responses: [] });
  });

  it('throws on bytes that are not an OCSP response', () => {
    expect(() => parseOcspResponse(Buffer.from('garbage'))).toThrow();
  });
});
