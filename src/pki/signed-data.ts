// CMS SignedData (RFC 5652 §5) read with the DER reader into the exact bytes of the file. Signatures
// are then checked over those bytes, never over a re-encoding: a tolerant parser that re-encodes
// before checking would vouch for bytes nobody signed (a flipped BOOLEAN or a lower-case 'z' in a
// certificate normalised back to what the issuer signed). Anything that is not the structure RFC
// 5652 describes throws DerError; nothing is repaired.

import { children, contents, DerError, expectUniversal, oid, readTlv, TAG, TagClass, type Tlv } from './der.js';
import type { AlgorithmId } from './ocsp.js';

export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
export const OID_DATA = '1.2.840.113549.1.7.1';
export const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
export const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
export const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';

type SignerId = { issuer: Buffer; serial: Buffer } | { keyId: Buffer };

export interface SignedAttribute {
  type: string;
  /** DER of each value, as in the file. */
  values: Buffer[];
}

export interface SignerInfoParts {
  /** Issuer Name (its DER) and serial INTEGER contents, or a subject key identifier. */
  sid: SignerId;
  digestAlgorithm: AlgorithmId;
  /**
   * The signed attributes as the signature covers them: the file's bytes with the IMPLICIT [0] tag
   * read as the SET OF tag (RFC 5652 §5.4). Null when the signer signed the content directly.
   */
  signedAttrs: Buffer | null;
  attributes: SignedAttribute[];
  signatureAlgorithm: AlgorithmId;
  signature: Buffer;
}

export interface SignedDataParts {
  eContentType: string;
  /** Encapsulated content; null for a detached signature. */
  eContent: Buffer | null;
  /** Each certificate of the certificates field, as the bytes in the file (other choices left out). */
  certificates: Buffer[];
  signers: SignerInfoParts[];
}

/**
 * Read a ContentInfo holding SignedData. `trailing`: what may follow it — nothing (a .p7s file) or
 * zero bytes (the padding of a PDF /Contents string).
 */
export function parseSignedData(der: Buffer, trailing: 'none' | 'zeros'): SignedDataParts {
  const info = universal(readTlv(der, 0), TAG.SEQUENCE, 'ContentInfo');
  const rest = der.subarray(info.end);
  if (rest.length && (trailing === 'none' || rest.some((b) => b !== 0))) throw new DerError(`${rest.length} bytes follow the ContentInfo`);
  const [type, wrapped] = exactly(der, info, 2, 'ContentInfo');
  const contentType = oid(der, universal(type, TAG.OID, 'contentType'));
  if (contentType !== OID_SIGNED_DATA) throw new DerError(`content type ${contentType} is not SignedData`);
  const [body] = exactly(der, context(wrapped, 0, true, 'content [0]'), 1, 'content [0]');
  const parts = children(der, universal(body, TAG.SEQUENCE, 'SignedData'));
  let i = 0;
  universal(parts[i++], TAG.INTEGER, 'SignedData version');
  // Not used to verify (RFC 5652 §5.1 allows any list, even none), but it must be well formed.
  for (const alg of children(der, universal(parts[i++], TAG.SET, 'digestAlgorithms')))
    algorithm(der, universal(alg, TAG.SEQUENCE, 'digestAlgorithm'));
  const encap = encapsulated(der, universal(parts[i++], TAG.SEQUENCE, 'encapContentInfo'));
  let certificates: Buffer[] = [];
  if (isContext(parts[i], 0)) {
    certificates = children(der, context(parts[i++], 0, true, 'certificates [0]'))
      .filter((c) => c.cls === TagClass.Universal && c.tag === TAG.SEQUENCE)
      .map((c) => der.subarray(c.start, c.end));
  }
  if (isContext(parts[i], 1)) context(parts[i++], 1, true, 'crls [1]');
  const signerInfos = universal(parts[i++], TAG.SET, 'signerInfos');
  if (i !== parts.length) throw new DerError('SignedData has fields after signerInfos');
  return { ...encap, certificates, signers: children(der, signerInfos).map((s) => signerInfo(der, s)) };
}

function encapsulated(der: Buffer, seq: Tlv): { eContentType: string; eContent: Buffer | null } {
  const parts = children(der, seq);
  if (parts.length < 1 || parts.length > 2) throw new DerError('encapContentInfo has an unexpected number of fields');
  const eContentType = oid(der, universal(parts[0], TAG.OID, 'eContentType'));
  if (!parts[1]) return { eContentType, eContent: null };
  const [octets] = exactly(der, context(parts[1], 0, true, 'eContent [0]'), 1, 'eContent [0]');
  return { eContentType, eContent: contents(der, universal(octets, TAG.OCTET_STRING, 'eContent')) };
}

function signerInfo(der: Buffer, tlv: Tlv): SignerInfoParts {
  const parts = children(der, universal(tlv, TAG.SEQUENCE, 'SignerInfo'));
  let i = 0;
  universal(parts[i++], TAG.INTEGER, 'SignerInfo version');
  const sid = signerId(der, parts[i++]);
  const digestAlgorithm = algorithm(der, universal(parts[i++], TAG.SEQUENCE, 'digestAlgorithm'));
  let signedAttrs: Buffer | null = null;
  let attributes: SignedAttribute[] = [];
  if (isContext(parts[i], 0)) {
    const attrs = context(parts[i++], 0, true, 'signedAttrs [0]');
    // Only the identifier octet changes: [0] IMPLICIT becomes SET OF, length and contents stay.
    signedAttrs = Buffer.concat([Buffer.from([0x31]), der.subarray(attrs.start + 1, attrs.end)]);
    attributes = children(der, attrs).map((a) => attribute(der, a));
  }
  const signatureAlgorithm = algorithm(der, universal(parts[i++], TAG.SEQUENCE, 'signatureAlgorithm'));
  const value = universal(parts[i++], TAG.OCTET_STRING, 'signature');
  if (isContext(parts[i], 1)) context(parts[i++], 1, true, 'unsignedAttrs [1]');
  if (i !== parts.length) throw new DerError('SignerInfo has unexpected fields');
  return { sid, digestAlgorithm, signedAttrs, attributes, signatureAlgorithm, signature: contents(der, value) };
}

function signerId(der: Buffer, t: Tlv | undefined): SignerId {
  if (isContext(t, 0)) {
    if (t.constructed) throw new DerError('subjectKeyIdentifier [0] must be primitive');
    return { keyId: contents(der, t) };
  }
  const [issuer, serial] = exactly(der, universal(t, TAG.SEQUENCE, 'sid'), 2, 'IssuerAndSerialNumber');
  const name = universal(issuer, TAG.SEQUENCE, 'issuer');
  return { issuer: der.subarray(name.start, name.end), serial: contents(der, universal(serial, TAG.INTEGER, 'serialNumber')) };
}

function attribute(der: Buffer, t: Tlv): SignedAttribute {
  const [type, values] = exactly(der, universal(t, TAG.SEQUENCE, 'Attribute'), 2, 'Attribute');
  return {
    type: oid(der, universal(type, TAG.OID, 'attrType')),
    values: children(der, universal(values, TAG.SET, 'attrValues')).map((v) => der.subarray(v.start, v.end)),
  };
}

/** AlgorithmIdentifier: an OID and optional parameters; NULL parameters read as none. */
function algorithm(der: Buffer, seq: Tlv): AlgorithmId {
  const parts = children(der, seq);
  if (parts.length < 1 || parts.length > 2) throw new DerError('AlgorithmIdentifier has an unexpected number of fields');
  const id = oid(der, universal(parts[0], TAG.OID, 'algorithm'));
  const params = parts[1];
  if (!params) return { oid: id, params: null };
  if (params.cls === TagClass.Universal && params.tag === TAG.NULL) {
    if (params.constructed || params.end !== params.body) throw new DerError('NULL parameters that are not NULL');
    return { oid: id, params: null };
  }
  return { oid: id, params: der.subarray(params.start, params.end) };
}

/** Issuer Name (DER) and serial INTEGER contents of a certificate: what IssuerAndSerialNumber names. */
export function certificateId(cert: Buffer): { issuer: Buffer; serial: Buffer } {
  const [tbs] = children(cert, universal(readTlv(cert, 0), TAG.SEQUENCE, 'Certificate'));
  const parts = children(cert, universal(tbs, TAG.SEQUENCE, 'TBSCertificate'));
  const i = isContext(parts[0], 0) ? 1 : 0;
  const serial = universal(parts[i], TAG.INTEGER, 'serialNumber');
  const issuer = universal(parts[i + 2], TAG.SEQUENCE, 'issuer');
  return { issuer: cert.subarray(issuer.start, issuer.end), serial: contents(cert, serial) };
}

/**
 * A universal element of `tag`, with the constructed bit DER gives it: SEQUENCE and SET constructed,
 * everything else primitive. A flipped bit there is not DER, however a tolerant reader takes it.
 */
export function universal(t: Tlv | undefined, tag: number, what: string): Tlv {
  const tlv = expectUniversal(t, tag, what);
  if (tlv.constructed !== (tag === TAG.SEQUENCE || tag === TAG.SET)) throw new DerError(`${what}: wrong constructed bit`);
  return tlv;
}

function isContext(t: Tlv | undefined, tag: number): t is Tlv {
  return t !== undefined && t.cls === TagClass.Context && t.tag === tag;
}

function context(t: Tlv | undefined, tag: number, constructed: boolean, what: string): Tlv {
  if (!isContext(t, tag) || t.constructed !== constructed) throw new DerError(`${what} expected`);
  return t;
}

function exactly(der: Buffer, t: Tlv, n: number, what: string): Tlv[] {
  const list = children(der, t);
  if (list.length !== n) throw new DerError(`${what} has ${list.length} fields, not ${n}`);
  return list;
}
