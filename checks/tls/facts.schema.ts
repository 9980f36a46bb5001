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

// ── Enumeration (issue 14): every suite, group and protocol weakness, as /work/wt/briefs/tls-facts.md
// specifies it. Transcribed by the rules helper so the pack's rules load; the enumeration helper's
// version of this block supersedes it.

const subStatus = enumOf(['ok', 'error', 'not-applicable']);
const subPart = { status: subStatus, reason: Type.Optional(str) };

const suiteFacts = object({
  code: int,
  iana: Type.String({ description: 'IANA name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256; unknown code points as 0xC0FF.' }),
  openssl: nullableStr,
  kex: str,
  auth: str,
  cipher: str,
  bits: int,
  mac: str,
  export: bool,
});

const versionSuites = object({
  ...subPart,
  suites: list(suiteFacts),
  serverPreference: orNull(bool),
});

const groupFacts = object({
  code: int,
  name: str,
  kind: enumOf(['ecdhe', 'ffdhe', 'hybrid-pq', 'pq']),
  bits: int,
  versions: list(enumOf(TLS_VERSIONS)),
});

const enumeration = object({
  ...subPart,
  connections: int,
  ssl2: object({ ...subPart, accepted: Type.Optional(bool) }),
  ssl3: object({ ...subPart, accepted: Type.Optional(bool), suites: Type.Optional(list(suiteFacts)) }),
  versions: object({ TLSv1: versionSuites, 'TLSv1.1': versionSuites, 'TLSv1.2': versionSuites, 'TLSv1.3': versionSuites }),
  groups: object({ ...subPart, supported: list(groupFacts), serverPreference: orNull(bool) }),
  dh: object({ ...subPart, bits: nullableInteger(), group: nullableStr }),
  pq: object({ ...subPart, hybrid: bool, groups: list(str) }),
  renegotiation: object({ ...subPart, secure: orNull(bool) }),
  compression: object({ ...subPart, accepted: orNull(bool) }),
  extendedMasterSecret: object({ ...subPart, supported: orNull(bool) }),
});

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
  /** Absent from facts of earlier versions; not-applicable under --tls-quick. */
  enumeration: Type.Optional(enumeration),
});

export const tlsFactsSchema = schema('tls.endpoint', tlsFacts);
