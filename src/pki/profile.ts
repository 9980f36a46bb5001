// What one certificate must be, on its own, to sit on a web PKI path: the RFC 5280 profile as the
// CA/Browser Forum Baseline Requirements and the validators browsers and pyca/cryptography use read
// it. Path-dependent rules (signatures, name constraints, path length, validity at a time) are in
// path.ts; these depend only on the certificate and its role, so they are computed once per role.

import { HASH_NAMES, SIGNATURE_ALGORITHMS } from './algorithms.js';
import { EXT, pssHashOid, type CertificateFields, type GeneralName } from './fields.js';
import { isDnsPattern, parseMailbox } from './names.js';
import type { ParsedCert } from './parsed.js';
import type { TrustProblem } from './problems.js';

/**
 * Where a certificate sits: the end-entity (leaf), an intermediate CA, or the trust anchor ending
 * the path. An anchor is trusted as configured, so only what limits or weakens the trust it gives is
 * judged (CA flag, keyCertSign, EKU, key, critical extensions, validity): encoding details its issuer
 * got wrong long ago (serial 0, GeneralizedTime before 2050, an AKI naming the issuer, no SKI, no
 * keyUsage) are left alone, as roots of Mozilla's store have each of them.
 */
export type Role = 'leaf' | 'ca' | 'anchor';

/** OIDs of the extended key usages a caller can ask for. */
const USAGE_OIDS = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' } as const;
/**
 * What the leaf is for: a TLS server or client (EKU and key usage judged for that purpose), or
 * 'any' for chains that are not TLS peers (document signers), where neither is judged.
 */
export type Usage = keyof typeof USAGE_OIDS | 'any';
const ANY_EKU = '2.5.29.37.0';

/**
 * Extensions a validator must understand to honour when critical (RFC 5280 §4.2): the ones read
 * here, plus certificatePolicies, whose policy OIDs impose nothing on a web PKI path. Policy
 * constraints, policy mappings and inhibitAnyPolicy are not processed, so critical ones are refused,
 * as rustls-webpki and pyca/cryptography refuse them.
 */
const UNDERSTOOD = new Set<string>([
  EXT.SUBJECT_KEY_ID,
  EXT.KEY_USAGE,
  EXT.SAN,
  EXT.BASIC_CONSTRAINTS,
  EXT.NAME_CONSTRAINTS,
  EXT.AUTHORITY_KEY_ID,
  EXT.EXT_KEY_USAGE,
  EXT.AIA,
  EXT.CERTIFICATE_POLICIES,
]);

/** Extensions that must not be critical (RFC 5280 §4.2.1.1, §4.2.1.2, §4.2.2.1; BR §7.1.2 for EKU). */
const MUST_NOT_BE_CRITICAL: Readonly<Record<string, TrustProblem>> = {
  [EXT.AUTHORITY_KEY_ID]: 'key-identifier-invalid',
  [EXT.SUBJECT_KEY_ID]: 'key-identifier-invalid',
  [EXT.AIA]: 'malformed-certificate',
  [EXT.EXT_KEY_USAGE]: 'malformed-certificate',
};

/** Named curves the Baseline Requirements allow (§6.1.5): P-256, P-384, P-521. */
const ALLOWED_CURVES = new Set(['1.2.840.10045.3.1.7', '1.3.132.0.34', '1.3.132.0.35']);
const KEY = {
  RSA: '1.2.840.113549.1.1.1',
  RSA_PSS: '1.2.840.113549.1.1.10',
  EC: '1.2.840.10045.2.1',
  ED25519: '1.3.101.112',
  ED448: '1.3.101.113',
};
const MIN_RSA_BITS = 2048;

/** Hashes with practical collisions: a signature over them proves nothing (BR §7.1.3.2). */
const BROKEN_HASHES = new Set(['md2', 'md5', 'sha1']);

const KU = { digitalSignature: 0, keyEncipherment: 2, keyAgreement: 4, keyCertSign: 5 } as const;

function hasBit(bits: Buffer, bit: number): boolean {
  return (((bits[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1) === 1;
}

const cache = new WeakMap<ParsedCert, Map<string, readonly TrustProblem[]>>();

/** Problems of `cert` in `role`, whatever the path; `usage` is the EKU the leaf must allow. */
export function profileProblems(cert: ParsedCert, role: Role, usage: Usage): readonly TrustProblem[] {
  let byRole = cache.get(cert);
  if (!byRole) {
    byRole = new Map();
    cache.set(cert, byRole);
  }
  const key = `${role}/${usage}`;
  let problems = byRole.get(key);
  if (!problems) {
    const found = new Set<TrustProblem>();
    content(cert, found);
    if (role !== 'anchor') encoding(cert, found);
    if (role === 'leaf') leaf(cert, usage, found);
    else issuer(cert, role, usage, found);
    problems = [...found];
    byRole.set(key, problems);
  }
  return problems;
}

/** What matters wherever the certificate sits. */
function content(cert: ParsedCert, out: Set<TrustProblem>): void {
  const f = cert.fields;
  if (f.duplicateExtensions) out.add('malformed-certificate');
  for (const oid of f.malformedExtensions)
    out.add(
      oid === EXT.SAN
        ? 'malformed-san'
        : oid === EXT.AUTHORITY_KEY_ID || oid === EXT.SUBJECT_KEY_ID
          ? 'key-identifier-invalid'
          : 'malformed-certificate',
    );
  for (const ext of f.extensions) {
    if (ext.critical && !UNDERSTOOD.has(ext.oid)) out.add('unknown-critical-extension');
    if (ext.critical && MUST_NOT_BE_CRITICAL[ext.oid]) out.add(MUST_NOT_BE_CRITICAL[ext.oid] as TrustProblem);
  }
  if (!keyAllowed(f)) out.add('weak-key-in-chain');
}

/** Encodings a browser refuses in a certificate it is given (RFC 5280 §4.1, §4.2; BR §7.1). */
function encoding(cert: ParsedCert, out: Set<TrustProblem>): void {
  const f = cert.fields;
  if (f.version !== 3) out.add('malformed-certificate');
  if (!f.signatureAlgorithmsMatch) out.add('malformed-certificate');
  if (!serialValid(f.serialBytes)) out.add('malformed-certificate');
  if (f.issuer.length === 0) out.add('malformed-certificate');
  if (!f.validityEncodingValid) out.add('malformed-certificate');
  // RFC 5280 §4.2.1.11: conforming CAs MUST mark policyConstraints critical.
  if (f.extensions.some((e) => e.oid === EXT.POLICY_CONSTRAINTS && !e.critical)) out.add('malformed-certificate');
  if (f.subjectAltNames && !f.subjectAltNames.every(generalNameValid)) out.add('malformed-san');
  // An AKI names the issuer's key by its identifier only (BR §7.1.2.11.1).
  const aki = f.authorityKey;
  if (aki && (!aki.keyId || aki.hasIssuer || aki.hasSerial)) out.add('key-identifier-invalid');
  // Every certificate but a self-issued one names its issuer's key (RFC 5280 §4.2.1.1).
  if (!aki && !cert.selfIssued) out.add('key-identifier-invalid');
}

/** Positive, at most 20 octets of value (21 encoded: a 20-octet random value with its sign octet). */
function serialValid(bytes: Buffer): boolean {
  if (bytes.length === 0 || bytes.length > 21) return false;
  if (((bytes[0] as number) & 0x80) !== 0) return false;
  return bytes.some((b) => b !== 0);
}

function keyAllowed(f: CertificateFields): boolean {
  switch (f.publicKeyAlgorithm) {
    case KEY.RSA:
    case KEY.RSA_PSS:
      return f.rsaModulusBits !== null && f.rsaModulusBits >= MIN_RSA_BITS && f.rsaModulusBits % 8 === 0;
    case KEY.EC:
      return f.publicKeyCurve !== null && ALLOWED_CURVES.has(f.publicKeyCurve);
    case KEY.ED25519:
    case KEY.ED448:
      return true;
    default:
      // DSA and anything else the web PKI does not use.
      return false;
  }
}

function generalNameValid(gn: GeneralName): boolean {
  switch (gn.type) {
    case 'dns':
      return isDnsPattern(gn.value);
    case 'ip':
      return gn.value.length === 4 || gn.value.length === 16;
    case 'email':
      return parseMailbox(gn.value) !== null;
    default:
      return true;
  }
}

function leaf(cert: ParsedCert, usage: Usage, out: Set<TrustProblem>): void {
  const f = cert.fields;
  if (f.basicConstraints?.cA) out.add('ca-as-leaf');
  if (f.keyUsage && hasBit(f.keyUsage, KU.keyCertSign)) out.add('leaf-key-usage');
  if (usage === 'any') return;
  if (f.keyUsage && !leafKeyUsageFits(f)) out.add('leaf-key-usage');
  // BR §7.1.2.7.10: the purpose itself, and never anyExtendedKeyUsage, in a subscriber certificate.
  if (f.extKeyUsage && (!f.extKeyUsage.includes(USAGE_OIDS[usage]) || f.extKeyUsage.includes(ANY_EKU))) out.add('eku-not-server-auth');
  if (f.nameConstraints || f.extensions.some((e) => e.oid === EXT.NAME_CONSTRAINTS)) out.add('malformed-certificate');
  const san = f.extensions.find((e) => e.oid === EXT.SAN);
  // RFC 5280 §4.2.1.6: the SAN is critical exactly when the subject is empty.
  if (san && san.critical !== (f.subject.length === 0)) out.add('malformed-san');
  if (!san && f.subject.length === 0) out.add('malformed-certificate');
}

/**
 * A TLS peer's key must be usable for the handshake: digitalSignature for any key, or
 * keyEncipherment (RSA) / keyAgreement (EC) for the static exchanges.
 */
function leafKeyUsageFits(f: CertificateFields): boolean {
  const ku = f.keyUsage as Buffer;
  if (hasBit(ku, KU.digitalSignature)) return true;
  if (f.publicKeyAlgorithm === KEY.RSA) return hasBit(ku, KU.keyEncipherment);
  if (f.publicKeyAlgorithm === KEY.EC) return hasBit(ku, KU.keyAgreement);
  return false;
}

function issuer(cert: ParsedCert, role: 'ca' | 'anchor', usage: Usage, out: Set<TrustProblem>): void {
  const f = cert.fields;
  const bc = f.extensions.find((e) => e.oid === EXT.BASIC_CONSTRAINTS);
  // RFC 5280 §4.2.1.9: cA set, and critical in a CA certificate given to us.
  if (!f.basicConstraints?.cA || (role === 'ca' && !bc?.critical)) out.add('invalid-ca');
  // RFC 5280 §6.1.4 (n): a keyUsage, when present, asserts keyCertSign.
  if (f.keyUsage && !hasBit(f.keyUsage, KU.keyCertSign)) out.add('invalid-ca');
  // §4.1.2.6: a CA is named.
  if (f.subject.length === 0) out.add('invalid-ca');
  if (usage !== 'any' && f.extKeyUsage) {
    // An issuer's EKU limits what it may certify (Mozilla, Chrome); anyExtendedKeyUsage limits nothing.
    if (!f.extKeyUsage.includes(USAGE_OIDS[usage]) && !f.extKeyUsage.includes(ANY_EKU)) out.add('eku-not-server-auth');
    // BR §7.1.2.1.2: a root certificate has no EKU at all (no root of Mozilla's store has one).
    if (role === 'anchor' && cert.selfIssued) out.add('eku-not-server-auth');
  }
  // §4.2.1.2: a CA certificate identifies its key, so that its children's AKI can point at it.
  if (role === 'ca' && !f.subjectKeyId) out.add('key-identifier-invalid');
  const nc = f.nameConstraints;
  // BR §7.1.2.10.8: a nameConstraints extension constrains something.
  if (nc && !nc.permitted?.length && !nc.excluded?.length) out.add('malformed-certificate');
}

/** Whether `cert`'s own signature uses a hash with practical collisions (MD2, MD5, SHA-1). */
export function signatureHashBroken(cert: ParsedCert): boolean {
  const { oid, params } = cert.fields.signatureAlgorithm;
  const known = SIGNATURE_ALGORITHMS[oid];
  if (!known) return false;
  if (known.scheme !== 'pss') return known.hash !== null && BROKEN_HASHES.has(known.hash);
  try {
    return BROKEN_HASHES.has(HASH_NAMES[pssHashOid(params)] ?? '');
  } catch {
    return false;
  }
}
