// OCSP responses (RFC 6960 §4.2.1): the fields a verdict needs, from a stapled or fetched response.
// Read with the DER reader rather than pkijs: a staple arrives with most endpoints, and pkijs took
// ~2 ms per response (it parses every embedded responder certificate too).

import {
  bitString,
  children,
  contents,
  DerError,
  expectUniversal,
  integerHex,
  oid,
  readTlv,
  TAG,
  TagClass,
  time,
  type Tlv,
} from './der.js';

const RESPONSE_STATUS: Record<number, string> = {
  0: 'successful',
  1: 'malformedRequest',
  2: 'internalError',
  3: 'tryLater',
  5: 'sigRequired',
  6: 'unauthorized',
};

const BASIC_RESPONSE = '1.3.6.1.5.5.7.48.1.1';

/** An AlgorithmIdentifier: OID and the DER of its parameters (null when absent or NULL). */
export interface AlgorithmId {
  oid: string;
  params: Buffer | null;
}

/** CertID (RFC 6960 §4.1.1): which certificate a SingleResponse is about, beyond its serial. */
interface OcspCertId {
  hashAlgorithm: string;
  /** Hash of the DER of the issuer field of the certificate asked about. */
  issuerNameHash: Buffer;
  /** Hash of the issuer's subjectPublicKey BIT STRING contents (without the unused-bits octet). */
  issuerKeyHash: Buffer;
}

export interface OcspSingleStatus {
  /** Serial as certificate facts spell it: lower-case hex of the magnitude. */
  serial: string;
  certId: OcspCertId;
  certStatus: 'good' | 'revoked' | 'unknown';
  thisUpdate: string;
  nextUpdate: string | null;
  revokedAt: string | null;
}

/** ResponderID (RFC 6960 §4.2.2.3): the responder's Name (its DER) or the SHA-1 of its key. */
type OcspResponderId = { byName: Buffer } | { byKey: Buffer };

/** What a signature check needs from a BasicOCSPResponse. */
interface OcspSignedData {
  /** DER of tbsResponseData, exactly the bytes the signature covers. */
  tbs: Buffer;
  signatureAlgorithm: AlgorithmId;
  signature: Buffer;
  responderId: OcspResponderId;
  /** DER of each certificate the responder included (a delegated responder's, typically). */
  certs: Buffer[];
}

export interface ParsedOcspResponse {
  responseStatus: string;
  producedAt: string | null;
  responses: OcspSingleStatus[];
  /** Null unless the response is successful (only those are signed). */
  signed: OcspSignedData | null;
}

function isContext(t: Tlv | undefined, tag: number): t is Tlv {
  return t !== undefined && t.cls === TagClass.Context && t.tag === tag;
}

/** Throws DerError when the bytes are not an OCSP response (or its basic response cannot be read). */
export function parseOcspResponse(input: Uint8Array): ParsedOcspResponse {
  const der = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const [status, bytes] = children(der, expectUniversal(readTlv(der, 0), TAG.SEQUENCE, 'OCSPResponse'));
  const statusTlv = expectUniversal(status, 10 /* ENUMERATED */, 'responseStatus');
  const code = contents(der, statusTlv).reduce((n, b) => n * 256 + b, 0);
  const responseStatus = RESPONSE_STATUS[code] ?? `status-${code}`;
  if (code !== 0 || !isContext(bytes, 0)) return { responseStatus, producedAt: null, responses: [], signed: null };

  const [type, octets] = children(der, expectUniversal(children(der, bytes)[0], TAG.SEQUENCE, 'ResponseBytes'));
  const responseType = oid(der, expectUniversal(type, TAG.OID, 'responseType'));
  if (responseType !== BASIC_RESPONSE) throw new DerError(`unsupported OCSP response type ${responseType}`);
  const basic = contents(der, expectUniversal(octets, TAG.OCTET_STRING, 'response'));
  const [tbsTlv, sigAlg, sigBits, certList] = children(basic, expectUniversal(readTlv(basic, 0), TAG.SEQUENCE, 'BasicOCSPResponse'));
  const tbs = expectUniversal(tbsTlv, TAG.SEQUENCE, 'ResponseData');
  const data = children(basic, tbs);
  let i = 0;
  if (isContext(data[0], 0)) i++; // version
  const responderId = responder(basic, data[i++]);
  const producedAt = time(basic, expectUniversal(data[i++], TAG.GENERALIZED_TIME, 'producedAt'));
  const list = expectUniversal(data[i], TAG.SEQUENCE, 'responses');
  const certs = isContext(certList, 0)
    ? children(basic, expectUniversal(children(basic, certList)[0], TAG.SEQUENCE, 'certs')).map((c) => basic.subarray(c.start, c.end))
    : [];
  return {
    responseStatus,
    producedAt: producedAt.toISOString(),
    responses: children(basic, list).map((r) => single(basic, r)),
    signed: {
      tbs: basic.subarray(tbs.start, tbs.end),
      signatureAlgorithm: algorithmId(basic, expectUniversal(sigAlg, TAG.SEQUENCE, 'signatureAlgorithm')),
      signature: bitString(basic, expectUniversal(sigBits, TAG.BIT_STRING, 'signature')),
      responderId,
      certs,
    },
  };
}

function responder(der: Buffer, t: Tlv | undefined): OcspResponderId {
  // Both choices are EXPLICIT: [1] wraps a Name, [2] wraps the KeyHash OCTET STRING.
  const inner = t && t.cls === TagClass.Context && t.constructed ? children(der, t)[0] : undefined;
  if (isContext(t, 1) && inner) return { byName: der.subarray(inner.start, inner.end) };
  if (isContext(t, 2) && inner) return { byKey: contents(der, expectUniversal(inner, TAG.OCTET_STRING, 'KeyHash')) };
  throw new DerError('DER: ResponderID expected');
}

function algorithmId(der: Buffer, seq: Tlv): AlgorithmId {
  const [id, params] = children(der, seq);
  const absent = !params || (params.cls === TagClass.Universal && params.tag === TAG.NULL);
  return { oid: oid(der, expectUniversal(id, TAG.OID, 'algorithm')), params: absent ? null : der.subarray(params.start, params.end) };
}

function single(der: Buffer, seq: Tlv): OcspSingleStatus {
  const [certId, status, thisUpdate, ...rest] = children(der, expectUniversal(seq, TAG.SEQUENCE, 'SingleResponse'));
  const idParts = children(der, expectUniversal(certId, TAG.SEQUENCE, 'CertID'));
  const serial = integerHex(der, expectUniversal(idParts[3], TAG.INTEGER, 'serialNumber'));
  if (!status || status.cls !== TagClass.Context || status.tag > 2) throw new DerError('DER: CertStatus expected');
  const certStatus = status.tag === 0 ? 'good' : status.tag === 1 ? 'revoked' : 'unknown';
  let revokedAt: string | null = null;
  if (certStatus === 'revoked') {
    // RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, ... }, implicitly tagged [1].
    const when = children(der, status)[0];
    revokedAt = when ? time(der, when).toISOString() : null;
  }
  const next = rest.find((t) => isContext(t, 0));
  const nextTime = next ? children(der, next)[0] : undefined;
  return {
    serial,
    certId: {
      hashAlgorithm: algorithmId(der, expectUniversal(idParts[0], TAG.SEQUENCE, 'hashAlgorithm')).oid,
      issuerNameHash: Buffer.from(contents(der, expectUniversal(idParts[1], TAG.OCTET_STRING, 'issuerNameHash'))),
      issuerKeyHash: Buffer.from(contents(der, expectUniversal(idParts[2], TAG.OCTET_STRING, 'issuerKeyHash'))),
    },
    certStatus,
    thisUpdate: time(der, expectUniversal(thisUpdate, TAG.GENERALIZED_TIME, 'thisUpdate')).toISOString(),
    nextUpdate: nextTime ? time(der, nextTime).toISOString() : null,
    revokedAt,
  };
}
