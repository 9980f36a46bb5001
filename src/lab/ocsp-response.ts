// Signed OCSP responses for the lab's certificates: what the farm staples and its responder serves,
// good ones (signed by the issuer or by a delegated responder) and the defects a scanner must catch
// (a forged signature, a stale response). pkijs builds the structure; node:crypto signs it, so every
// key type the lab issues (RSA with PKCS#1 v1.5 or PSS, ECDSA, Ed25519) can sign.

import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import { constants, createHash, createPrivateKey, sign, webcrypto, type KeyObject } from 'node:crypto';

/** What an OCSP response needs of a lab certificate (src/lab/pki.ts IssuedCert has it): its DER and key. */
interface OcspParty {
  der: Buffer;
  /** PKCS#8 PEM. */
  keyPem: string;
}

const DAY = 86_400_000;
const pkijsEngine = new pkijs.CryptoEngine({ name: 'govscan-lab', crypto: webcrypto });

const OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  ecdsaSha384: '1.2.840.10045.4.3.3',
  ed25519: '1.3.101.112',
} as const;

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

export interface OcspResponseOptions {
  cert: OcspParty;
  issuer: OcspParty;
  status: 'good' | 'revoked' | 'unknown';
  thisUpdate?: Date;
  /** Default thisUpdate + 7 days; null leaves nextUpdate out. */
  nextUpdate?: Date | null;
  /** Revocation time for status revoked; default thisUpdate − 1 day. */
  revokedAt?: Date;
  /** producedAt; default thisUpdate. */
  producedAt?: Date;
  /**
   * A delegated responder: named in responderID, included in the response and signing it. Whether
   * it is authorised (issued by `issuer`, id-kp-OCSPSigning) is up to the certificate given.
   */
  responder?: OcspParty;
  /** Sign with this certificate's key while still naming the issuer (or responder): a forgery. */
  signWith?: OcspParty;
  /** Name the responder by the SHA-1 of its key (ResponderID byKey) instead of by its Name. */
  responderIdByKey?: boolean;
  /** RSA signers only: RSASSA-PSS (SHA-256, MGF1-SHA-256, 32-byte salt) instead of PKCS#1 v1.5. */
  pss?: boolean;
}

/** A successful DER OCSPResponse whose BasicOCSPResponse is signed by the issuer's key by default. */
export async function createOcspResponse(opts: OcspResponseOptions): Promise<Buffer> {
  const thisUpdate = opts.thisUpdate ?? new Date(Date.now() - 3_600_000);
  const nextUpdate = opts.nextUpdate === undefined ? new Date(thisUpdate.getTime() + 7 * DAY) : opts.nextUpdate;
  const cert = pkijs.Certificate.fromBER(new Uint8Array(opts.cert.der));
  const issuer = pkijs.Certificate.fromBER(new Uint8Array(opts.issuer.der));
  const responder = opts.responder ? pkijs.Certificate.fromBER(new Uint8Array(opts.responder.der)) : issuer;

  const certID = new pkijs.CertID();
  await certID.createForCertificate(cert, { hashAlgorithm: 'SHA-1', issuerCertificate: issuer }, pkijsEngine);

  const basic = new pkijs.BasicOCSPResponse();
  basic.tbsResponseData.responderID = opts.responderIdByKey
    ? new asn1js.OctetString({
        valueHex: createHash('sha1').update(responder.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest(),
      })
    : responder.subject;
  basic.tbsResponseData.producedAt = opts.producedAt ?? thisUpdate;
  basic.tbsResponseData.responses.push(
    new pkijs.SingleResponse({
      certID,
      certStatus: certStatusAsn1(opts.status, opts.revokedAt ?? new Date(thisUpdate.getTime() - DAY)),
      thisUpdate,
      ...(nextUpdate ? { nextUpdate } : {}),
    }),
  );
  if (opts.responder) basic.certs = [responder];

  // The encoding is kept as signed: pkijs re-serialises tbsResponseData from tbsView.
  const tbs = new Uint8Array(basic.tbsResponseData.toSchema(true).toBER(false));
  basic.tbsResponseData.tbsView = tbs;
  const signer = opts.signWith ?? opts.responder ?? opts.issuer;
  const { algorithm, signature } = signBytes(Buffer.from(tbs), createPrivateKey(signer.keyPem), opts.pss ?? false);
  basic.signatureAlgorithm = algorithm;
  basic.signature = new asn1js.BitString({ valueHex: signature });

  const response = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: 0 }),
    responseBytes: new pkijs.ResponseBytes({
      responseType: OCSP_BASIC,
      response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }),
    }),
  });
  return Buffer.from(response.toSchema().toBER(false));
}

function signBytes(data: Buffer, key: KeyObject, pss: boolean): { algorithm: pkijs.AlgorithmIdentifier; signature: Buffer } {
  const id = (algorithmId: string, algorithmParams?: asn1js.BaseBlock): pkijs.AlgorithmIdentifier =>
    new pkijs.AlgorithmIdentifier({ algorithmId, ...(algorithmParams ? { algorithmParams } : {}) });
  switch (key.asymmetricKeyType) {
    case 'rsa': {
      if (!pss) return { algorithm: id(OID.sha256WithRSA, new asn1js.Null()), signature: sign('sha256', data, key) };
      const sha256 = id(OID.sha256, new asn1js.Null());
      const params = new pkijs.RSASSAPSSParams({
        hashAlgorithm: sha256,
        maskGenAlgorithm: id(OID.mgf1, sha256.toSchema()),
        saltLength: 32,
      });
      const signature = sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
      return { algorithm: id(OID.rsassaPss, params.toSchema()), signature };
    }
    case 'ec': {
      const p384 = key.asymmetricKeyDetails?.namedCurve === 'secp384r1';
      return { algorithm: id(p384 ? OID.ecdsaSha384 : OID.ecdsaSha256), signature: sign(p384 ? 'sha384' : 'sha256', data, key) };
    }
    case 'ed25519':
      return { algorithm: id(OID.ed25519), signature: sign(null, data, key) };
    default:
      throw new Error(`the lab cannot sign OCSP responses with ${key.asymmetricKeyType ?? 'unknown'} keys`);
  }
}
