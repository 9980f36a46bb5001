// Signed OCSP responses for the lab's certificates: what the farm staples and its responder serves.

import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import { webcrypto } from 'node:crypto';
import type { IssuedCert } from './pki.js';

const DAY = 86_400_000;
const pkijsEngine = new pkijs.CryptoEngine({ name: 'govscan-lab', crypto: webcrypto });

const OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';

function certStatusAsn1(status: 'good' | 'revoked' | 'unknown', revokedAt: Date): asn1js.BaseBlock {
  switch (status) {
    case 'good':
      return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } });
    case 'revoked':
      return new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 1 },
        value: [new asn1js.GeneralizedTime({ valueDate: revokedAt })],
      });
    case 'unknown':
      return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } });
  }
}

/** A successful DER OCSPResponse whose BasicOCSPResponse is signed by the issuer's own key. */
export async function createOcspResponse(opts: {
  cert: IssuedCert;
  issuer: IssuedCert;
  status: 'good' | 'revoked' | 'unknown';
  thisUpdate?: Date;
  nextUpdate?: Date;
  /** Revocation time for status revoked; default thisUpdate − 1 day. */
  revokedAt?: Date;
  /** producedAt; default thisUpdate. */
  producedAt?: Date;
}): Promise<Buffer> {
  const thisUpdate = opts.thisUpdate ?? new Date(Date.now() - 3_600_000);
  const nextUpdate = opts.nextUpdate ?? new Date(thisUpdate.getTime() + 7 * DAY);
  const cert = pkijs.Certificate.fromBER(new Uint8Array(opts.cert.der));
  const issuer = pkijs.Certificate.fromBER(new Uint8Array(opts.issuer.der));

  const certID = new pkijs.CertID();
  await certID.createForCertificate(cert, { hashAlgorithm: 'SHA-1', issuerCertificate: issuer }, pkijsEngine);

  const basic = new pkijs.BasicOCSPResponse();
  basic.tbsResponseData.responderID = issuer.subject;
  basic.tbsResponseData.producedAt = opts.producedAt ?? thisUpdate;
  basic.tbsResponseData.responses.push(
    new pkijs.SingleResponse({
      certID,
      certStatus: certStatusAsn1(opts.status, opts.revokedAt ?? new Date(thisUpdate.getTime() - DAY)),
      thisUpdate,
      nextUpdate,
    }),
  );
  // pkijs signs with the key's bound hash for RSA; issued keys are bound to SHA-256.
  await basic.sign(opts.issuer.privateKey as never, 'SHA-256', pkijsEngine);

  const response = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: 0 }),
    responseBytes: new pkijs.ResponseBytes({
      responseType: OCSP_BASIC,
      response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }),
    }),
  });
  return Buffer.from(response.toSchema().toBER(false));
}
