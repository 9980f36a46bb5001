// The tls.endpoint facts, defined once: facts.ts takes its types from these definitions, and the JSON
// Schema (draft 2020-12) published for policy authors, the server's ajv validation and `govscan checks
// list` is the same object. test/checks/tls validates live facts against it.

import {
  enumOf,
  nullableInteger,
  nullableString,
  Type,
  type Static,
  type TSchema,
  bool,
  int,
  list,
  nullableStr,
  closed as object,
  factsSchema as schema,
  str,
} from '../../src/core/schema-builders.js';
import { TRUST_FAILURES, type CertificateFacts } from '../../src/pki/types.js';

export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;

const dateTime = Type.String({ format: 'date-time' });
const nullableDateTime = nullableString({ format: 'date-time' });
const strings = list(str);
const hex64 = Type.String({ pattern: '^[0-9a-f]{64}$' });
/** `{ oneOf: [null, T] }`, typed T | null. */
const orNull = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T> | null>({ oneOf: [{ type: 'null' }, schema] });

/** Outcome of one sub-probe inside the endpoint check (a protocol handshake, the HTTP request…). */
const subAttempt = {
  status: enumOf(['ok', 'error', 'not-applicable']),
  reason: Type.Optional(Type.String({ description: 'Why the sub-probe did not complete (or how the server refused).' })),
};

export const protocolProbe = object({
  ...subAttempt,
  /** As testssl.sh, sslyze and nmap decide; false when it refused, chose another version or hung up. */
  accepted: Type.Optional(
    Type.Boolean({ description: 'The server answered a ClientHello offering only this version with a ServerHello for it.' }),
  ),
  cipher: Type.Optional(Type.String({ description: 'OpenSSL name of the suite negotiated in that handshake.' })),
});

export const certificate = object({
  subject: Type.String({ description: 'RFC 4514 string, most specific attribute first.' }),
  subjectCN: nullableStr,
  issuer: str,
  issuerCN: nullableStr,
  serial: Type.String({ pattern: '^[0-9a-f]+$' }),
  sans: object({ dns: strings, ip: strings }),
  notBefore: dateTime,
  notAfter: dateTime,
  daysToExpiry: Type.Integer({ description: 'floor((notAfter - observedAt) / 1 day); negative once expired.' }),
  lifetimeDays: int,
  expired: bool,
  notYetValid: bool,
  key: object({
    type: enumOf(['rsa', 'rsa-pss', 'ec', 'ed25519', 'ed448', 'dsa', 'unknown']),
    bits: int,
    curve: nullableString({ description: 'NIST name (P-256, P-384, P-521) or the OpenSSL curve name.' }),
  }),
  signatureAlgorithm: object({
    oid: str,
    name: str,
    hash: enumOf(['md2', 'md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', null], { description: 'null for EdDSA.' }),
  }),
  keyUsage: strings,
  extendedKeyUsage: Type.Array(str, { description: 'Names such as serverAuth; unknown purposes as dotted OIDs.' }),
  isCA: bool,
  selfSigned: bool,
  sha256: hex64,
  aia: object({ ocsp: strings, caIssuers: strings }),
});

export const trust = object({
  trusted: bool,
  reason: enumOf([...TRUST_FAILURES, null]),
  problems: Type.Array(enumOf(TRUST_FAILURES), {
    description:
      'Every problem of the path chosen (a valid one if any, else the best), in priority order; src/pki/problems.ts says what each means.',
  }),
  path: list(hex64),
  anchor: nullableStr,
  store: str,
});

const verdict = object({ public: trust, custom: orNull(trust) });

export const negotiated = object({
  protocol: enumOf(TLS_VERSIONS),
  cipher: str,
  cipherStandard: nullableStr,
  forwardSecrecy: bool,
  ephemeralKey: orNull(object({ type: str, name: nullableStr, bits: nullableInteger() })),
});

export const ocsp = object({
  ...subAttempt,
  stapled: bool,
  responseStatus: nullableStr,
  /** From the SingleResponse about the leaf (or, failing that, one with the leaf's serial). */
  certStatus: enumOf(['good', 'revoked', 'unknown', null]),
  thisUpdate: nullableDateTime,
  nextUpdate: nullableDateTime,
  // The verification fields are absent from facts recorded before staple verification existed;
  // the probe always sets them and test/checks/tls checks that it does.
  signature: Type.Optional(
    enumOf(['valid', 'invalid', 'unknown-issuer', 'not-checked'], {
      description:
        "valid: signed by the leaf's issuer or a delegated responder it certified for OCSPSigning (RFC 6960 §4.2.2.2); invalid: the signature fails or the signer is neither; unknown-issuer: the issuer certificate is not at hand; not-checked: nothing stapled, an unsuccessful response or an unsupported algorithm.",
    }),
  ),
  responder: Type.Optional(
    enumOf(['issuer', 'delegated', null], {
      description: 'Whom the responder ID names: the issuer itself or a certificate included in the response.',
    }),
  ),
  fresh: Type.Optional(
    Type.Boolean({
      description: 'thisUpdate is not in the future and nextUpdate, if present, has not passed (5 minutes of clock skew allowed).',
    }),
  ),
  matchesLeaf: Type.Optional(
    Type.Boolean({ description: "A SingleResponse's CertID has the leaf's serial and its issuer's name and key hashes." }),
  ),
  problem: Type.Optional(nullableString({ description: 'First reason not to rely on the staple, in English; null when there is none.' })),
});

export const hsts = object({
  ...subAttempt,
  httpStatus: nullableInteger(),
  present: bool,
  header: nullableStr,
  maxAge: nullableInteger({ minimum: 0 }),
  includeSubDomains: bool,
  preload: bool,
});

/** One caIssuers download made to complete the chain. */
const aiaFetch = object({
  url: str,
  status: enumOf(['ok', 'error']),
  reason: Type.Optional(str),
  /** The CA's site answered (with or without a certificate); false when it could not be reached. */
  answered: bool,
  /** Certificates the answer held. */
  certificates: int,
});

export const aia = object(
  {
    ...subAttempt,
    fetches: list(aiaFetch),
    /** The verdict on the chain as sent plus the downloaded certificates; null when nothing was missing. */
    trust: orNull(verdict),
  },
  {
    description:
      'Chain completion through AIA caIssuers downloads (as browsers): not-applicable when the chain as sent leaves no issuer missing; error when no path was found and a CA site could not be reached; trust is the verdict with the downloaded certificates. Absent from facts of earlier versions.',
  },
);

// ── Enumeration (issue 14): every suite, group and protocol weakness the server accepts. The shape is
// the one /work/wt/briefs/tls-facts.md specifies for the probe, the pack's rules and the reporters.

const subPart = subAttempt;

/** One cipher suite, with the attributes rules judge it by (checks/tls/suite-catalogue.ts). */
export const suiteFacts = object({
  code: Type.Integer({ minimum: 0, maximum: 0xffff, description: 'IANA code point, e.g. 0xc02f = 49199.' }),
  iana: Type.String({
    description: 'IANA name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256; code points outside the catalogue as 0xC0FF.',
  }),
  openssl: nullableString({ description: 'OpenSSL name (this or an older OpenSSL release), null when OpenSSL never had one.' }),
  kex: Type.String({
    description:
      "Key exchange: ECDHE, DHE, RSA, ECDH, DH, PSK, DHE_PSK, ECDHE_PSK, RSA_PSK, SRP, KRB5, GOST, CECPQ1, NULL; TLS13 for TLS 1.3 suites (any group). Anonymous (EC)DH counts as DHE/ECDHE with auth 'anon'.",
  }),
  auth: Type.String({ description: 'Server authentication: RSA, ECDSA, DSS, anon, PSK, SRP, KRB5, GOST, NULL; TLS13 for TLS 1.3 suites.' }),
  cipher: Type.String({
    description: 'Bulk cipher as in the IANA name: AES_128_GCM, CHACHA20_POLY1305, AES_256_CBC, 3DES_EDE_CBC, RC4_128, DES40_CBC, NULL…',
  }),
  bits: Type.Integer({ minimum: 0, description: 'Symmetric key strength: 0 for NULL, 40 for export, 56 for DES, 112 for 3DES.' }),
  mac: Type.String({ description: 'AEAD, SHA1, SHA256, SHA384, MD5, NULL (GOST suites: GOST28147, GOSTR3411, STREEBOG256).' }),
  export: Type.Boolean({ description: 'An EXPORT (40- or 56-bit, 512/1024-bit key exchange) suite.' }),
});

const versionSuites = object({
  ...subPart,
  suites: Type.Array(suiteFacts, {
    description: "Every accepted suite: in the server's order when serverPreference is true, else in the order found.",
  }),
  serverPreference: orNull(
    Type.Boolean({
      description: "true: the server enforces its own order; false: it follows the client's; null: fewer than 2 suites or not determined.",
    }),
  ),
});

const groupFacts = object({
  code: Type.Integer({ minimum: 0, maximum: 0xffff, description: 'IANA supported_groups code point.' }),
  name: Type.String({ description: 'IANA name: x25519, secp256r1, ffdhe2048, X25519MLKEM768…' }),
  kind: enumOf(['ecdhe', 'ffdhe', 'hybrid-pq', 'pq']),
  bits: Type.Integer({ description: '256 for x25519/secp256r1, 2048 for ffdhe2048, 768 for X25519MLKEM768 (the ML-KEM parameter).' }),
  versions: Type.Array(enumOf(TLS_VERSIONS), { description: 'The versions it was found on.' }),
});

export const enumeration = object(
  {
    ...subPart,
    connections: Type.Integer({ minimum: 0, description: 'TCP connections the enumeration opened.' }),
    ssl2: object({
      ...subPart,
      accepted: Type.Optional(Type.Boolean({ description: 'An SSLv2 CLIENT-HELLO was answered with a SERVER-HELLO.' })),
    }),
    ssl3: object({
      ...subPart,
      accepted: Type.Optional(
        Type.Boolean({ description: 'A ClientHello offering only SSL 3.0 (0x0300) was answered with an SSL 3.0 ServerHello.' }),
      ),
      suites: Type.Optional(list(suiteFacts)),
    }),
    versions: object({ TLSv1: versionSuites, 'TLSv1.1': versionSuites, 'TLSv1.2': versionSuites, 'TLSv1.3': versionSuites }),
    groups: object({ ...subPart, supported: list(groupFacts), serverPreference: orNull(bool) }),
    dh: object(
      {
        ...subPart,
        bits: nullableInteger({ description: 'Length of p in bits; null when no DHE suite is accepted.' }),
        group: nullableString({ description: 'ffdhe2048… for an RFC 7919 prime, rfc2409-1024 / rfc3526-… when known, else null.' }),
      },
      { description: 'Finite-field DH of DHE suites in TLS ≤ 1.2, read from the ServerKeyExchange.' },
    ),
    pq: object(
      { ...subPart, hybrid: bool, groups: list(str) },
      {
        description:
          'Post-quantum hybrid key exchange in TLS 1.3 (X25519MLKEM768 0x11EC, SecP256r1MLKEM768 0x11EB, SecP384r1MLKEM1024 0x11ED).',
      },
    ),
    renegotiation: object(
      { ...subPart, secure: orNull(bool) },
      { description: 'RFC 5746: a TLS ≤ 1.2 ServerHello carries renegotiation_info. null when only TLS 1.3 is accepted.' },
    ),
    compression: object(
      { ...subPart, accepted: orNull(bool) },
      { description: 'The server chose DEFLATE (method 1) when the client offered [1, 0] in TLS ≤ 1.2.' },
    ),
    extendedMasterSecret: object(
      { ...subPart, supported: orNull(bool) },
      { description: 'RFC 7627: extended_master_secret echoed in a TLS ≤ 1.2 ServerHello.' },
    ),
  },
  {
    description:
      "Accepted suites per version, groups, DH size, post-quantum key exchange, renegotiation, compression and EMS. Absent from facts of earlier versions; status 'not-applicable' with reason '--tls-quick' under --tls-quick; 'error' when nothing could be enumerated.",
  },
);

/** The facts as src/pki builds them, validated by the schemas above. */
const certificateFacts = Type.Unsafe<CertificateFacts>(certificate);

export const tlsFacts = object({
  observedAt: dateTime,
  endpoint: object({
    host: str,
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    address: str,
    family: enumOf([4, 6]),
    sni: nullableStr,
  }),
  protocols: object({ TLSv1: protocolProbe, 'TLSv1.1': protocolProbe, 'TLSv1.2': protocolProbe, 'TLSv1.3': protocolProbe }),
  negotiated,
  chain: object({
    /**
     * wire: the server's Certificate message as received (every version, TLS 1.3 included);
     * reconstructed: a chain completed from a local store — reserved, not produced by the TLS probe.
     */
    source: enumOf(['wire', 'reconstructed']),
    count: int,
    /** Each certificate is issued by the one after it. */
    ordered: bool,
    certificates: list(certificateFacts),
  }),
  leaf: certificateFacts,
  /** Verdict on the chain exactly as sent (a client that never downloads issuers). */
  trust: verdict,
  aia: Type.Optional(aia),
  hostname: object({
    name: str,
    matches: bool,
    matchedBy: enumOf(['san', 'cn', null], {
      description: "'san' when a subjectAltName matched; 'cn' only in facts of earlier versions (the subject CN is no longer used)",
    }),
  }),
  ocsp,
  hsts,
  /** OpenSSL's own verdict against the public store, for cross-checking. */
  platform: object({ authorizationError: nullableStr }),
  enumeration: Type.Optional(enumeration),
});

export const tlsFactsSchema = schema('tls.endpoint', tlsFacts);
