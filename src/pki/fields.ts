// The fields of an X.509 certificate (RFC 5280 §4) that certificate facts and path building read,
// decoded once into plain data. Node's X509Certificate covers keys and signature checks but, on Node
// 20, not the signature algorithm, key usage bits or key identifiers.

import { bitString, children, contents, DerError, expectUniversal, integerHex, oid, readTlv, TAG, TagClass, text, time, type Tlv } from './der.js';

export interface NameAttribute {
  type: string;
  /** Decoded text; null when the value is not a string type. */
  value: string | null;
  /** The value's whole DER encoding, for printing non-text values as #hex (RFC 4514 §2.4). */
  der: Buffer;
}

/** Relative distinguished names in encoded order (least specific first, as certificates carry them). */
export type Name = NameAttribute[][];

export interface CertificateFields {
  serial: string;
  signatureAlgorithm: { oid: string; params: Buffer | null };
  issuer: Name;
  subject: Name;
  notBefore: Date;
  notAfter: Date;
  publicKeyAlgorithm: string;
  /** Length of the subjectPublicKey BIT STRING, for key types OpenSSL cannot load. */
  publicKeyBits: number;
  san: { dns: string[]; ip: Buffer[] };
  /** KeyUsage bits (bit 0 = digitalSignature is the top bit of the first octet); null when absent. */
  keyUsage: Buffer | null;
  extKeyUsage: string[] | null;
  basicConstraints: { cA: boolean } | null;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  aia: { ocsp: string[]; caIssuers: string[] };
}

const EXT = {
  SUBJECT_KEY_ID: '2.5.29.14',
  KEY_USAGE: '2.5.29.15',
  SAN: '2.5.29.17',
  BASIC_CONSTRAINTS: '2.5.29.19',
  AUTHORITY_KEY_ID: '2.5.29.35',
  EXT_KEY_USAGE: '2.5.29.37',
  AIA: '1.3.6.1.5.5.7.1.1',
} as const;

const AIA_OCSP = '1.3.6.1.5.5.7.48.1';
const AIA_CA_ISSUERS = '1.3.6.1.5.5.7.48.2';

function isContext(t: Tlv | undefined, tag: number): t is Tlv {
  return t !== undefined && t.cls === TagClass.Context && t.tag === tag;
}

/** Throws DerError when the certificate's structure is not what RFC 5280 describes. */
export function parseCertificateFields(der: Buffer): CertificateFields {
  const cert = expectUniversal(readTlv(der, 0), TAG.SEQUENCE, 'Certificate');
  const [tbs, sigAlg] = children(der, cert);
  const tbsParts = children(der, expectUniversal(tbs, TAG.SEQUENCE, 'TBSCertificate'));
  let i = 0;
  if (isContext(tbsParts[0], 0)) i++; // version
  const serial = expectUniversal(tbsParts[i++], TAG.INTEGER, 'serialNumber');
  i++; // inner signature AlgorithmIdentifier: the outer one is reported
  const issuer = expectUniversal(tbsParts[i++], TAG.SEQUENCE, 'issuer');
  const validity = children(der, expectUniversal(tbsParts[i++], TAG.SEQUENCE, 'validity'));
  const subject = expectUniversal(tbsParts[i++], TAG.SEQUENCE, 'subject');
  const spki = children(der, expectUniversal(tbsParts[i++], TAG.SEQUENCE, 'subjectPublicKeyInfo'));
  const spkiAlg = children(der, expectUniversal(spki[0], TAG.SEQUENCE, 'SPKI algorithm'));
  const spkiBits = expectUniversal(spki[1], TAG.BIT_STRING, 'subjectPublicKey');
  const notBefore = validity[0];
  const notAfter = validity[1];
  if (!notBefore || !notAfter) throw new DerError('DER: validity needs two times');

  const fields: CertificateFields = {
    serial: integerHex(der, serial),
    signatureAlgorithm: algorithm(der, expectUniversal(sigAlg, TAG.SEQUENCE, 'signatureAlgorithm')),
    issuer: parseName(der, issuer),
    subject: parseName(der, subject),
    notBefore: time(der, notBefore),
    notAfter: time(der, notAfter),
    publicKeyAlgorithm: oid(der, expectUniversal(spkiAlg[0], TAG.OID, 'SPKI algorithm OID')),
    publicKeyBits: bitString(der, spkiBits).length * 8,
    san: { dns: [], ip: [] },
    keyUsage: null,
    extKeyUsage: null,
    basicConstraints: null,
    subjectKeyId: null,
    authorityKeyId: null,
    aia: { ocsp: [], caIssuers: [] },
  };

  const extensions = tbsParts.slice(i).find((t) => isContext(t, 3));
  if (extensions) {
    const list = children(der, extensions)[0];
    for (const ext of children(der, expectUniversal(list, TAG.SEQUENCE, 'Extensions'))) {
      const parts = children(der, ext);
      const id = oid(der, expectUniversal(parts[0], TAG.OID, 'extnID'));
      const value = parts[parts.length - 1];
      if (!value || value.tag !== TAG.OCTET_STRING) throw new DerError('DER: extnValue expected');
      // OpenSSL accepts a certificate whose extension contents it never looks at; one unreadable
      // extension must not make the whole certificate unreadable, so it is left out instead.
      try {
        readExtension(fields, id, contents(der, value));
      } catch (err) {
        if (!(err instanceof DerError)) throw err;
      }
    }
  }
  return fields;
}

function algorithm(der: Buffer, seq: Tlv): { oid: string; params: Buffer | null } {
  const [id, params] = children(der, seq);
  const paramsDer = params && !(params.cls === TagClass.Universal && params.tag === TAG.NULL) ? der.subarray(params.start, params.end) : null;
  return { oid: oid(der, expectUniversal(id, TAG.OID, 'algorithm')), params: paramsDer };
}

function parseName(der: Buffer, seq: Tlv): Name {
  return children(der, seq).map((rdn) =>
    children(der, expectUniversal(rdn, TAG.SET, 'RelativeDistinguishedName')).map((atv) => {
      const [type, value] = children(der, expectUniversal(atv, TAG.SEQUENCE, 'AttributeTypeAndValue'));
      if (!value) throw new DerError('DER: attribute value expected');
      return { type: oid(der, expectUniversal(type, TAG.OID, 'attribute type')), value: text(der, value), der: der.subarray(value.start, value.end) };
    }),
  );
}

function readExtension(fields: CertificateFields, id: string, value: Buffer): void {
  const top = readTlv(value, 0);
  switch (id) {
    case EXT.SAN:
      for (const gn of children(value, expectUniversal(top, TAG.SEQUENCE, 'GeneralNames'))) {
        if (isContext(gn, 2)) fields.san.dns.push(contents(value, gn).toString('latin1'));
        if (isContext(gn, 7)) fields.san.ip.push(Buffer.from(contents(value, gn)));
      }
      return;
    case EXT.KEY_USAGE:
      fields.keyUsage = Buffer.from(bitString(value, expectUniversal(top, TAG.BIT_STRING, 'KeyUsage')));
      return;
    case EXT.EXT_KEY_USAGE:
      fields.extKeyUsage = children(value, expectUniversal(top, TAG.SEQUENCE, 'ExtKeyUsage')).map((t) => oid(value, expectUniversal(t, TAG.OID, 'KeyPurposeId')));
      return;
    case EXT.BASIC_CONSTRAINTS: {
      const first = children(value, expectUniversal(top, TAG.SEQUENCE, 'BasicConstraints'))[0];
      const cA = first !== undefined && first.tag === TAG.BOOLEAN && first.cls === TagClass.Universal && value[first.body] !== 0;
      fields.basicConstraints = { cA };
      return;
    }
    case EXT.SUBJECT_KEY_ID:
      fields.subjectKeyId = contents(value, expectUniversal(top, TAG.OCTET_STRING, 'SubjectKeyIdentifier')).toString('hex');
      return;
    case EXT.AUTHORITY_KEY_ID: {
      const keyId = children(value, expectUniversal(top, TAG.SEQUENCE, 'AuthorityKeyIdentifier')).find((t) => isContext(t, 0));
      fields.authorityKeyId = keyId ? contents(value, keyId).toString('hex') : null;
      return;
    }
    case EXT.AIA:
      for (const ad of children(value, expectUniversal(top, TAG.SEQUENCE, 'AuthorityInfoAccessSyntax'))) {
        const [method, location] = children(value, ad);
        if (!isContext(location, 6)) continue;
        const uri = contents(value, location).toString('latin1');
        const m = oid(value, expectUniversal(method, TAG.OID, 'accessMethod'));
        if (m === AIA_OCSP) fields.aia.ocsp.push(uri);
        if (m === AIA_CA_ISSUERS) fields.aia.caIssuers.push(uri);
      }
      return;
  }
}

/** Hash OID inside RSASSA-PSS parameters (RFC 4055 §3.1); SHA-1 when absent. */
export function pssHashOid(params: Buffer | null): string {
  const SHA1 = '1.3.14.3.2.26';
  if (!params) return SHA1;
  const seq = expectUniversal(readTlv(params, 0), TAG.SEQUENCE, 'RSASSA-PSS-params');
  const hash = children(params, seq).find((t) => isContext(t, 0));
  if (!hash) return SHA1;
  const alg = expectUniversal(children(params, hash)[0], TAG.SEQUENCE, 'hashAlgorithm');
  return oid(params, expectUniversal(children(params, alg)[0], TAG.OID, 'hash OID'));
}
