// OCSP responses (RFC 6960 §4.2.1): the fields a verdict needs, from a stapled or fetched response.
// Read with the DER reader rather than pkijs: a staple arrives with most endpoints, and pkijs took
// ~2 ms per response (it parses every embedded responder certificate too).

import { children, contents, DerError, expectUniversal, integerHex, oid, readTlv, TAG, TagClass, time, type Tlv } from './der.js';

const RESPONSE_STATUS: Record<number, string> = {
  0: 'successful',
  1: 'malformedRequest',
  2: 'internalError',
  3: 'tryLater',
  5: 'sigRequired',
  6: 'unauthorized',
};

const BASIC_RESPONSE = '1.3.6.1.5.5.7.48.1.1';

export interface OcspSingleStatus {
  /** Serial as certificate facts spell it: lower-case hex of the magnitude. */
  serial: string;
  certStatus: 'good' | 'revoked' | 'unknown';
  thisUpdate: string;
  nextUpdate: string | null;
  revokedAt: string | null;
}

export interface ParsedOcspResponse {
  responseStatus: string;
  producedAt: string | null;
  responses: OcspSingleStatus[];
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
  if (code !== 0 || !isContext(bytes, 0)) return { responseStatus, producedAt: null, responses: [] };

  const [type, octets] = children(der, expectUniversal(children(der, bytes)[0], TAG.SEQUENCE, 'ResponseBytes'));
  const responseType = oid(der, expectUniversal(type, TAG.OID, 'responseType'));
  if (responseType !== BASIC_RESPONSE) throw new DerError(`unsupported OCSP response type ${responseType}`);
  const basic = contents(der, expectUniversal(octets, TAG.OCTET_STRING, 'response'));
  const tbs = children(basic, expectUniversal(readTlv(basic, 0), TAG.SEQUENCE, 'BasicOCSPResponse'))[0];
  const data = children(basic, expectUniversal(tbs, TAG.SEQUENCE, 'ResponseData'));
  let i = 0;
  if (isContext(data[0], 0)) i++; // version
  i++; // responderID
  const producedAt = time(basic, expectUniversal(data[i++], TAG.GENERALIZED_TIME, 'producedAt'));
  const list = expectUniversal(data[i], TAG.SEQUENCE, 'responses');
  return {
    responseStatus,
    producedAt: producedAt.toISOString(),
    responses: children(basic, list).map((r) => single(basic, r)),
  };
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
    certStatus,
    thisUpdate: time(der, expectUniversal(thisUpdate, TAG.GENERALIZED_TIME, 'thisUpdate')).toISOString(),
    nextUpdate: nextTime ? time(der, nextTime).toISOString() : null,
    revokedAt,
  };
}
