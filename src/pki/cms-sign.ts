// Detached CMS signatures for the test PKI and the example agency's documents, made with pkijs.
// Verification (cms.ts) reads signatures with our own DER reader and never uses this.

import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { webcrypto } from 'node:crypto';
import { OID_CONTENT_TYPE, OID_DATA, OID_MESSAGE_DIGEST, OID_SIGNED_DATA, OID_SIGNING_TIME } from './signed-data.js';

let engineSet = false;
function engine(): void {
  if (engineSet) return;
  pkijs.setEngine(
    'node',
    new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'] }),
  );
  engineSet = true;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(out).set(bytes);
  return out;
}

export interface CmsSigner {
  certDer: Buffer;
  /** WebCrypto private key of the certificate (RSA bound to SHA-256, or ECDSA). */
  privateKey: webcrypto.CryptoKey;
  /** Intermediates to embed. */
  chainDer?: Buffer[];
}

/**
 * A detached SignedData over `content` with content-type, message-digest and signing-time signed
 * attributes: what .p7s files and PDF signatures (adbe.pkcs7.detached) carry. For the test PKI and
 * the example agency's documents.
 */
export async function signDetachedCms(content: Uint8Array, signer: CmsSigner, signingTime: Date): Promise<Buffer> {
  engine();
  const cert = pkijs.Certificate.fromBER(toArrayBuffer(signer.certDer));
  const chain = (signer.chainDer ?? []).map((d) => pkijs.Certificate.fromBER(toArrayBuffer(d)));
  const digest = await webcrypto.subtle.digest('SHA-256', toArrayBuffer(content));
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID_DATA }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({ type: OID_CONTENT_TYPE, values: [new asn1js.ObjectIdentifier({ value: OID_DATA })] }),
            new pkijs.Attribute({ type: OID_SIGNING_TIME, values: [new asn1js.UTCTime({ valueDate: signingTime })] }),
            new pkijs.Attribute({ type: OID_MESSAGE_DIGEST, values: [new asn1js.OctetString({ valueHex: digest })] }),
          ],
        }),
      }),
    ],
    certificates: [cert, ...chain],
  });
  await signedData.sign(signer.privateKey, 0, 'SHA-256', toArrayBuffer(content));
  const info = new pkijs.ContentInfo({ contentType: OID_SIGNED_DATA, content: signedData.toSchema(true) });
  return Buffer.from(info.toSchema().toBER(false));
}
