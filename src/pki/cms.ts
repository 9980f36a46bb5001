// Detached CMS SignedData (RFC 5652) verification for evidence documents (Directive 02/CT-TTg §1.k:
// documents carry government digital signatures). Reports what was found — signer, signing time,
// whether the signature covers these exact bytes, whether the signer chains to the given anchors at
// signing time — and leaves judging to policy.

import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { webcrypto } from 'node:crypto';
import type { AnchorSet } from '../engine/types.js';
import { commonName, formatName, ParsedCert } from './parsed.js';
import { validatePath } from './path.js';
import type { TrustFacts } from './types.js';

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_DATA = '1.2.840.113549.1.7.1';
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';

let engineSet = false;
function engine(): void {
  if (engineSet) return;
  pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'] }));
  engineSet = true;
}

export interface CmsSignatureFacts {
  /** A SignedData structure with at least one signer was found. */
  signed: boolean;
  /** The signature verifies over exactly these bytes (digest and signature both match). */
  intact: boolean;
  signer: string | null;
  signerCN: string | null;
  /** Signing time from the signed attributes, ISO-8601; null when the signer left it out. */
  signingTime: string | null;
  /** The signer's chain checked against the custom anchors, at signing time (else now); null without anchors. */
  chain: TrustFacts | null;
  /** Why verification stopped early, when it did. */
  reason: string | null;
}

const unsigned = (reason: string): CmsSignatureFacts => ({ signed: false, intact: false, signer: null, signerCN: null, signingTime: null, chain: null, reason });

/** Verify a detached signature (`der`, a ContentInfo) over `content`. Never throws. */
export async function verifyDetachedCms(der: Uint8Array, content: Uint8Array, anchors: AnchorSet | null, now: Date): Promise<CmsSignatureFacts> {
  engine();
  let signedData: pkijs.SignedData;
  try {
    const info = pkijs.ContentInfo.fromBER(exactDer(der));
    if (info.contentType !== OID_SIGNED_DATA) return unsigned(`not a CMS SignedData (content type ${info.contentType})`);
    signedData = new pkijs.SignedData({ schema: info.content });
  } catch (err) {
    return unsigned(`unreadable CMS structure: ${err instanceof Error ? err.message : String(err)}`);
  }
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) return unsigned('CMS SignedData has no signer');
  const certs = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const signerCert = certs.find((c) => matchesSid(c, signerInfo.sid)) ?? null;
  const signingTime = signingTimeOf(signerInfo);
  const facts: CmsSignatureFacts = {
    signed: true,
    intact: false,
    signer: null,
    signerCN: null,
    signingTime: signingTime ? signingTime.toISOString() : null,
    chain: null,
    reason: null,
  };
  if (!signerCert) {
    facts.reason = 'the signer certificate is not included in the signature';
    return facts;
  }
  const signerDer = Buffer.from(signerCert.toSchema(true).toBER(false));
  try {
    const parsed = ParsedCert.fromDer(signerDer);
    facts.signer = formatName(parsed.fields.subject);
    facts.signerCN = commonName(parsed.fields.subject);
  } catch {
    // An unreadable subject still leaves the signature itself to verify.
  }
  try {
    const result = await signedData.verify({ signer: 0, data: toArrayBuffer(content), extendedMode: true, checkChain: false });
    facts.intact = result.signatureVerified === true;
    if (!facts.intact) facts.reason = 'the signature does not verify over the document';
  } catch (err) {
    const e = err as { message?: string; signatureVerified?: boolean | null };
    facts.intact = false;
    facts.reason = `the signature does not verify over the document: ${e.message ?? String(err)}`;
  }
  if (anchors) {
    const others = certs.filter((c) => c !== signerCert).map((c) => Buffer.from(c.toSchema(true).toBER(false)));
    facts.chain = validatePath([signerDer, ...others], anchors, signingTime ?? now);
  }
  return facts;
}

function matchesSid(cert: pkijs.Certificate, sid: pkijs.SignerInfo['sid']): boolean {
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return cert.issuer.isEqual(sid.issuer) && cert.serialNumber.isEqual(sid.serialNumber);
  }
  const keyId = cert.extensions?.find((e) => e.extnID === '2.5.29.14')?.parsedValue as asn1js.OctetString | undefined;
  const wanted = sid as asn1js.OctetString;
  return keyId !== undefined && Buffer.from(keyId.valueBlock.valueHexView).equals(Buffer.from(wanted.valueBlock.valueHexView));
}

function signingTimeOf(info: pkijs.SignerInfo): Date | null {
  const attr = info.signedAttrs?.attributes.find((a) => a.type === OID_SIGNING_TIME);
  const value: unknown = attr?.values[0];
  if (value instanceof asn1js.UTCTime || value instanceof asn1js.GeneralizedTime) return value.toDate();
  return null;
}

/** PDF /Contents are zero-padded; asn1js wants exactly one DER value. */
export function exactDer(der: Uint8Array): ArrayBuffer {
  const buf = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  if (buf.length < 2 || buf[0] !== 0x30) return toArrayBuffer(buf);
  const first = buf[1] ?? 0;
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4 || buf.length < 2 + n) return toArrayBuffer(buf);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (buf[2 + i] ?? 0);
    header = 2 + n;
  }
  return toArrayBuffer(buf.subarray(0, Math.min(buf.length, header + length)));
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
