// The fields of an X.509 certificate (RFC 5280 §4) that certificate facts and path building read,
// decoded once into plain data. Node's X509Certificate covers keys and signature checks but, on Node
// 20, not the signature algorithm, key usage bits or key identifiers.

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
  text,
  time,
  type Tlv,
} from './der.js';

interface NameAttribute {
  type: string;
  /** Decoded text; null when the value is not a string type. */
  value: string | null;
  /** The value's whole DER encoding, for printing non-text values as #hex (RFC 4514 §2.4). */
  der: Buffer;
}

/** Relative distinguished names in encoded order (least specific first, as certificates carry them). */
export type Name = NameAttribute[][];

/**
 * One entry of a GeneralNames sequence (RFC 5280 §4.2.1.6). Text names keep their bytes as Latin-1
 * so a non-ASCII octet stays visible to the syntax checks instead of being decoded away.
 */
export type GeneralName =
  | { type: 'dns'; value: string }
  | { type: 'ip'; value: Buffer }
  | { type: 'email'; value: string }
  | { type: 'uri'; value: string }
  | { type: 'dirName'; value: Name }
  /** otherName [0], x400Address [3], ediPartyName [5], registeredID [8]: kept by kind only. */
  | { type: 'other'; tag: number };

interface Extension {
  oid: string;
  critical: boolean;
  /** Contents of extnValue (the DER of the extension's own value). */
  value: Buffer;
}

export interface NameConstraints {
  /** null when the field is absent; an empty list when present but empty. */
  permitted: GeneralName[] | null;
  excluded: GeneralName[] | null;
}

export interface CertificateFields {
  /** The TBSCertificate encoding, which the issuer's signature covers. */
  tbsDer: Buffer;
  /** The signatureValue BIT STRING contents without the unused-bits octet. */
  signatureValue: Buffer;
  /** 1, 2 or 3 (the encoded value plus one). */
  version: number;
  serial: string;
  /** serialNumber contents exactly as encoded (two's complement), for the profile checks. */
  serialBytes: Buffer;
  signatureAlgorithm: { oid: string; params: Buffer | null };
  /** The signature AlgorithmIdentifier inside TBSCertificate is byte for byte the outer one (RFC 5280 §4.1.1.2). */
  signatureAlgorithmsMatch: boolean;
  issuer: Name;
  subject: Name;
  notBefore: Date;
  notAfter: Date;
  /** Both validity times use the encoding RFC 5280 §4.1.2.5 prescribes (UTCTime through 2049, GeneralizedTime from 2050). */
  validityEncodingValid: boolean;
  publicKeyAlgorithm: string;
  /** Named curve OID of an EC key; null for other keys or explicit curve parameters. */
  publicKeyCurve: string | null;
  /** Modulus size in bits of an RSA key, read from the DER; null for other keys or an unreadable one. */
  rsaModulusBits: number | null;
  /** Length of the subjectPublicKey BIT STRING, for key types OpenSSL cannot load. */
  publicKeyBits: number;
  /** The whole SubjectPublicKeyInfo encoding: two certificates with equal ones certify the same key. */
  spkiDer: Buffer;
  /** issuerUniqueID or subjectUniqueID is present. */
  hasUniqueIds: boolean;
  /** Every extension in encoded order; empty for v1/v2 certificates. */
  extensions: Extension[];
  /** An extension OID occurs more than once (RFC 5280 §4.2). */
  duplicateExtensions: boolean;
  /** OIDs of extensions this reader knows whose value does not decode; their fields below stay empty. */
  malformedExtensions: string[];
  san: { dns: string[]; ip: Buffer[] };
  /** Every subjectAltName entry; null when the certificate has no subjectAltName extension. */
  subjectAltNames: GeneralName[] | null;
  /** KeyUsage bits (bit 0 = digitalSignature is the top bit of the first octet); null when absent. */
  keyUsage: Buffer | null;
  extKeyUsage: string[] | null;
  basicConstraints: { cA: boolean; pathLen: number | null } | null;
  nameConstraints: NameConstraints | null;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  /** Shape of the authorityKeyIdentifier extension; null when absent. */
  authorityKey: { keyId: string | null; hasIssuer: boolean; hasSerial: boolean } | null;
  aia: { ocsp: string[]; caIssuers: string[] };
}

export const EXT = {
  SUBJECT_KEY_ID: '2.5.29.14',
  KEY_USAGE: '2.5.29.15',
  SAN: '2.5.29.17',
  BASIC_CONSTRAINTS: '2.5.29.19',
  NAME_CONSTRAINTS: '2.5.29.30',
  CERTIFICATE_POLICIES: '2.5.29.32',
  POLICY_CONSTRAINTS: '2.5.29.36',
  AUTHORITY_KEY_ID: '2.5.29.35',
  EXT_KEY_USAGE: '2.5.29.37',
  AIA: '1.3.6.1.5.5.7.1.1',
} as const;

const AIA_OCSP = '1.3.6.1.5.5.7.48.1';
const AIA_CA_ISSUERS = '1.3.6.1.5.5.7.48.2';
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const RSASSA_PSS = '1.2.840.113549.1.1.10';

function isContext(t: Tlv | undefined, tag: number): t is Tlv {
  return t !== undefined && t.cls === TagClass.Context && t.tag === tag;
}

/** Throws DerError when the certificate's structure is not what RFC 5280 describes. */
export function parseCertificateFields(der: Buffer): CertificateFields {
  const cert = expectUniversal(readTlv(der, 0), TAG.SEQUENCE, 'Certificate');
  if (cert.end !== der.length) throw new DerError('DER: trailing data after Certificate');
  const parts = children(der, cert);
  if (parts.length !== 3) throw new DerError('DER: Certificate has three fields');
  const [tbs, sigAlg, sigValue] = parts;
  expectUniversal(sigValue, TAG.BIT_STRING, 'signatureValue');
  const tbsParts = children(der, expectUniversal(tbs, TAG.SEQUENCE, 'TBSCertificate'));
  let i = 0;
  let version = 1;
  if (isContext(tbsParts[0], 0)) {
    const v = expectUniversal(children(der, tbsParts[0])[0], TAG.INTEGER, 'version');
    const bytes = contents(der, v);
    version = bytes.length === 1 ? (bytes[0] as number) + 1 : 0;
    i++;
  }
  const serial = expectUniversal(tbsParts[i++], TAG.INTEGER, 'serialNumber');
  const innerSigAlg = expectUniversal(tbsParts[i++], TAG.SEQUENCE, 'signature');
  const issuer = expectUniversal(tbsParts[i++], TAG.SEQUENCE, 'issuer');
  const validity = children(der, expectUniversal(tbsParts[i++], TAG.SEQUENCE, 'validity'));
  const subject = expectUniversal(tbsParts[i++], TAG.SEQUENCE, 'subject');
  const spkiTlv = expectUniversal(tbsParts[i++], TAG.SEQUENCE, 'subjectPublicKeyInfo');
  const spki = children(der, spkiTlv);
  const spkiAlg = children(der, expectUniversal(spki[0], TAG.SEQUENCE, 'SPKI algorithm'));
  const spkiBits = expectUniversal(spki[1], TAG.BIT_STRING, 'subjectPublicKey');
  const notBefore = validity[0];
  const notAfter = validity[1];
  if (!notBefore || !notAfter) throw new DerError('DER: validity needs two times');
  const outerSigAlg = expectUniversal(sigAlg, TAG.SEQUENCE, 'signatureAlgorithm');
  const keyAlgorithm = oid(der, expectUniversal(spkiAlg[0], TAG.OID, 'SPKI algorithm OID'));
  const keyParams = spkiAlg[1];
  const keyBits = bitString(der, spkiBits);

  const tbsTlv = tbs as Tlv;
  const validFrom = time(der, notBefore);
  const validTo = time(der, notAfter);
  const fields: CertificateFields = {
    tbsDer: der.subarray(tbsTlv.start, tbsTlv.end),
    signatureValue: bitString(der, sigValue as Tlv),
    version,
    serial: integerHex(der, serial),
    serialBytes: contents(der, serial),
    signatureAlgorithm: algorithm(der, outerSigAlg),
    signatureAlgorithmsMatch: der.subarray(innerSigAlg.start, innerSigAlg.end).equals(der.subarray(outerSigAlg.start, outerSigAlg.end)),
    issuer: parseName(der, issuer),
    subject: parseName(der, subject),
    notBefore: validFrom,
    notAfter: validTo,
    validityEncodingValid: timeEncodingValid(notBefore, validFrom) && timeEncodingValid(notAfter, validTo),
    publicKeyAlgorithm: keyAlgorithm,
    publicKeyCurve:
      keyAlgorithm === EC_PUBLIC_KEY && keyParams?.cls === TagClass.Universal && keyParams.tag === TAG.OID ? oid(der, keyParams) : null,
    rsaModulusBits: keyAlgorithm === RSA_ENCRYPTION || keyAlgorithm === RSASSA_PSS ? rsaModulusBits(keyBits) : null,
    publicKeyBits: keyBits.length * 8,
    spkiDer: der.subarray(spkiTlv.start, spkiTlv.end),
    hasUniqueIds: tbsParts.slice(i).some((t) => isContext(t, 1) || isContext(t, 2)),
    extensions: [],
    duplicateExtensions: false,
    malformedExtensions: [],
    san: { dns: [], ip: [] },
    subjectAltNames: null,
    keyUsage: null,
    extKeyUsage: null,
    basicConstraints: null,
    nameConstraints: null,
    subjectKeyId: null,
    authorityKeyId: null,
    authorityKey: null,
    aia: { ocsp: [], caIssuers: [] },
  };

  const extensions = tbsParts.slice(i).find((t) => isContext(t, 3));
  if (extensions) {
    const list = children(der, extensions)[0];
    const seen = new Set<string>();
    for (const ext of children(der, expectUniversal(list, TAG.SEQUENCE, 'Extensions'))) {
      const parts = children(der, expectUniversal(ext, TAG.SEQUENCE, 'Extension'));
      const id = oid(der, expectUniversal(parts[0], TAG.OID, 'extnID'));
      const flag = parts.length === 3 ? expectUniversal(parts[1], TAG.BOOLEAN, 'critical') : null;
      const value = parts[parts.length - 1];
      if (parts.length < 2 || parts.length > 3 || !value || value.cls !== TagClass.Universal || value.tag !== TAG.OCTET_STRING)
        throw new DerError('DER: extnValue expected');
      const critical = flag !== null && der[flag.body] !== 0;
      if (seen.has(id)) fields.duplicateExtensions = true;
      seen.add(id);
      const bytes = contents(der, value);
      fields.extensions.push({ oid: id, critical, value: bytes });
      // OpenSSL accepts a certificate whose extension contents it never looks at; one unreadable
      // extension must not make the whole certificate unreadable: it is noted for the validator,
      // which refuses such a certificate, and left out of the facts.
      try {
        readExtension(fields, id, bytes);
      } catch (err) {
        if (!(err instanceof DerError)) throw err;
        fields.malformedExtensions.push(id);
      }
    }
  }
  return fields;
}

/** UTCTime for years through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
function timeEncodingValid(t: Tlv, value: Date): boolean {
  const year = value.getUTCFullYear();
  return t.tag === TAG.UTC_TIME ? year < 2050 : year >= 2050;
}

/** Bits of the modulus of an RSAPublicKey (RFC 8017 A.1.1); null when it does not decode. */
function rsaModulusBits(key: Buffer): number | null {
  try {
    const seq = expectUniversal(readTlv(key, 0), TAG.SEQUENCE, 'RSAPublicKey');
    const n = contents(key, expectUniversal(children(key, seq)[0], TAG.INTEGER, 'modulus'));
    let k = 0;
    while (k < n.length && n[k] === 0) k++;
    if (k === n.length) return 0;
    return (n.length - k - 1) * 8 + (32 - Math.clz32(n[k] as number));
  } catch (err) {
    if (err instanceof DerError) return null;
    throw err;
  }
}

function algorithm(der: Buffer, seq: Tlv): { oid: string; params: Buffer | null } {
  const [id, params] = children(der, seq);
  const paramsDer =
    params && !(params.cls === TagClass.Universal && params.tag === TAG.NULL) ? der.subarray(params.start, params.end) : null;
  return { oid: oid(der, expectUniversal(id, TAG.OID, 'algorithm')), params: paramsDer };
}

function parseName(der: Buffer, seq: Tlv): Name {
  return children(der, seq).map((rdn) =>
    children(der, expectUniversal(rdn, TAG.SET, 'RelativeDistinguishedName')).map((atv) => {
      const [type, value] = children(der, expectUniversal(atv, TAG.SEQUENCE, 'AttributeTypeAndValue'));
      if (!value) throw new DerError('DER: attribute value expected');
      return {
        type: oid(der, expectUniversal(type, TAG.OID, 'attribute type')),
        value: text(der, value),
        der: der.subarray(value.start, value.end),
      };
    }),
  );
}

/** A GeneralName (RFC 5280 §4.2.1.6); throws DerError on a malformed entry. */
function generalName(buf: Buffer, t: Tlv): GeneralName {
  if (t.cls !== TagClass.Context) throw new DerError('DER: GeneralName expected');
  switch (t.tag) {
    case 1:
    case 2:
    case 6: {
      if (t.constructed) throw new DerError('DER: IA5String GeneralName must be primitive');
      const value = contents(buf, t).toString('latin1');
      return t.tag === 1 ? { type: 'email', value } : t.tag === 2 ? { type: 'dns', value } : { type: 'uri', value };
    }
    case 7:
      if (t.constructed) throw new DerError('DER: iPAddress must be primitive');
      return { type: 'ip', value: Buffer.from(contents(buf, t)) };
    case 4: {
      // [4] EXPLICIT Name
      const inner = children(buf, t);
      if (inner.length !== 1) throw new DerError('DER: directoryName expected');
      return { type: 'dirName', value: parseName(buf, expectUniversal(inner[0], TAG.SEQUENCE, 'Name')) };
    }
    case 0:
    case 3:
    case 5:
    case 8:
      return { type: 'other', tag: t.tag };
    default:
      throw new DerError(`DER: unknown GeneralName [${t.tag}]`);
  }
}

function generalNames(buf: Buffer, seq: Tlv): GeneralName[] {
  return children(buf, seq).map((t) => generalName(buf, t));
}

/** GeneralSubtrees: the base of each subtree (minimum and maximum are not used by any profile). */
function subtrees(buf: Buffer, t: Tlv): GeneralName[] {
  return children(buf, t).map((st) => {
    const [base] = children(buf, expectUniversal(st, TAG.SEQUENCE, 'GeneralSubtree'));
    if (!base) throw new DerError('DER: GeneralSubtree base expected');
    return generalName(buf, base);
  });
}

function readExtension(fields: CertificateFields, id: string, value: Buffer): void {
  const top = readTlv(value, 0);
  if (top.end !== value.length) throw new DerError('DER: trailing data in extension');
  switch (id) {
    case EXT.SAN: {
      const names = generalNames(value, expectUniversal(top, TAG.SEQUENCE, 'GeneralNames'));
      if (!names.length) throw new DerError('DER: empty subjectAltName');
      fields.subjectAltNames = names;
      for (const gn of names) {
        if (gn.type === 'dns') fields.san.dns.push(gn.value);
        if (gn.type === 'ip') fields.san.ip.push(gn.value);
      }
      return;
    }
    case EXT.KEY_USAGE:
      fields.keyUsage = Buffer.from(bitString(value, expectUniversal(top, TAG.BIT_STRING, 'KeyUsage'), { aligned: false }));
      return;
    case EXT.EXT_KEY_USAGE:
      fields.extKeyUsage = children(value, expectUniversal(top, TAG.SEQUENCE, 'ExtKeyUsage')).map((t) =>
        oid(value, expectUniversal(t, TAG.OID, 'KeyPurposeId')),
      );
      return;
    case EXT.BASIC_CONSTRAINTS: {
      const parts = children(value, expectUniversal(top, TAG.SEQUENCE, 'BasicConstraints'));
      let k = 0;
      let cA = false;
      if (parts[k]?.cls === TagClass.Universal && parts[k]?.tag === TAG.BOOLEAN) cA = value[(parts[k++] as Tlv).body] !== 0;
      let pathLen: number | null = null;
      const len = parts[k];
      if (len) {
        const n = contents(value, expectUniversal(len, TAG.INTEGER, 'pathLenConstraint'));
        if (!n.length || n.length > 4 || ((n[0] as number) & 0x80) !== 0) throw new DerError('DER: bad pathLenConstraint');
        pathLen = n.reduce((acc, b) => acc * 256 + b, 0);
        k++;
      }
      if (k !== parts.length) throw new DerError('DER: unexpected field in BasicConstraints');
      fields.basicConstraints = { cA, pathLen };
      return;
    }
    case EXT.NAME_CONSTRAINTS: {
      const nc: NameConstraints = { permitted: null, excluded: null };
      for (const part of children(value, expectUniversal(top, TAG.SEQUENCE, 'NameConstraints'))) {
        if (isContext(part, 0) && nc.permitted === null) nc.permitted = subtrees(value, part);
        else if (isContext(part, 1) && nc.excluded === null) nc.excluded = subtrees(value, part);
        else throw new DerError('DER: unexpected field in NameConstraints');
      }
      fields.nameConstraints = nc;
      return;
    }
    case EXT.SUBJECT_KEY_ID:
      fields.subjectKeyId = contents(value, expectUniversal(top, TAG.OCTET_STRING, 'SubjectKeyIdentifier')).toString('hex');
      return;
    case EXT.AUTHORITY_KEY_ID: {
      const parts = children(value, expectUniversal(top, TAG.SEQUENCE, 'AuthorityKeyIdentifier'));
      const keyId = parts.find((t) => isContext(t, 0));
      fields.authorityKeyId = keyId ? contents(value, keyId).toString('hex') : null;
      fields.authorityKey = {
        keyId: fields.authorityKeyId,
        hasIssuer: parts.some((t) => isContext(t, 1)),
        hasSerial: parts.some((t) => isContext(t, 2)),
      };
      return;
    }
    case EXT.AIA:
      for (const ad of children(value, expectUniversal(top, TAG.SEQUENCE, 'AuthorityInfoAccessSyntax'))) {
        const [method, location] = children(value, expectUniversal(ad, TAG.SEQUENCE, 'AccessDescription'));
        const m = oid(value, expectUniversal(method, TAG.OID, 'accessMethod'));
        if (!location) throw new DerError('DER: accessLocation expected');
        if (!isContext(location, 6)) continue;
        const uri = contents(value, location).toString('latin1');
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
