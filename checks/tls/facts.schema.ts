// JSON Schema (draft 2020-12) of TlsFacts, for policy authors, the server's ajv validation and
// `govscan checks list`. Kept next to facts.ts; test/checks/tls validates live facts against it, so
// the two cannot drift apart unnoticed.

import { TLS_VERSIONS } from './facts.js';
import { TRUST_FAILURES } from '../../src/pki/types.js';

type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const nullableStr: Schema = { type: ['string', 'null'] };
const dateTime: Schema = { type: 'string', format: 'date-time' };
const nullableDateTime: Schema = { type: ['string', 'null'], format: 'date-time' };
const int: Schema = { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const strings: Schema = { type: 'array', items: str };
const hex64: Schema = { type: 'string', pattern: '^[0-9a-f]{64}$' };

function object(properties: Record<string, Schema>, optional: string[] = []): Schema {
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    properties,
  };
}

const subAttempt = {
  status: { enum: ['ok', 'error', 'not-applicable'] },
  reason: { ...str, description: 'Why the sub-probe did not complete (or how the server refused).' },
};

const protocolProbe = object(
  {
    ...subAttempt,
    accepted: { ...bool, description: 'The server answered a ClientHello offering only this version with a ServerHello for it.' },
    cipher: { ...str, description: 'OpenSSL name of the suite negotiated in that handshake.' },
  },
  ['reason', 'accepted', 'cipher'],
);

const certificate = object({
  subject: { ...str, description: 'RFC 4514 string, most specific attribute first.' },
  subjectCN: nullableStr,
  issuer: str,
  issuerCN: nullableStr,
  serial: { type: 'string', pattern: '^[0-9a-f]+$' },
  sans: object({ dns: strings, ip: strings }),
  notBefore: dateTime,
  notAfter: dateTime,
  daysToExpiry: { ...int, description: 'floor((notAfter - observedAt) / 1 day); negative once expired.' },
  lifetimeDays: int,
  expired: bool,
  notYetValid: bool,
  key: object({
    type: { enum: ['rsa', 'rsa-pss', 'ec', 'ed25519', 'ed448', 'dsa', 'unknown'] },
    bits: int,
    curve: { ...nullableStr, description: 'NIST name (P-256, P-384, P-521) or the OpenSSL curve name.' },
  }),
  signatureAlgorithm: object({
    oid: str,
    name: str,
    hash: { enum: ['md2', 'md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', null], description: 'null for EdDSA.' },
  }),
  keyUsage: strings,
  extendedKeyUsage: { ...strings, description: 'Names such as serverAuth; unknown purposes as dotted OIDs.' },
  isCA: bool,
  selfSigned: bool,
  sha256: hex64,
  aia: object({ ocsp: strings, caIssuers: strings }),
});

const trust = object({
  trusted: bool,
  reason: { enum: [...TRUST_FAILURES, null] },
  problems: {
    type: 'array',
    items: { enum: [...TRUST_FAILURES] },
    description: 'Every problem of the path chosen (a valid one if any, else the best), in priority order; src/pki/problems.ts says what each means.',
  },
  path: { type: 'array', items: hex64 },
  anchor: nullableStr,
  store: str,
});

export const tlsFactsSchema: Schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://govscan.dev/schemas/checks/tls.endpoint.facts.json',
  title: 'tls.endpoint facts',
  ...object({
    observedAt: dateTime,
    endpoint: object({
      host: str,
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      address: str,
      family: { enum: [4, 6] },
      sni: nullableStr,
    }),
    protocols: object(Object.fromEntries(TLS_VERSIONS.map((v) => [v, protocolProbe]))),
    negotiated: object({
      protocol: { enum: [...TLS_VERSIONS] },
      cipher: str,
      cipherStandard: nullableStr,
      forwardSecrecy: bool,
      ephemeralKey: {
        oneOf: [{ type: 'null' }, object({ type: str, name: nullableStr, bits: { type: ['integer', 'null'] } })],
      },
    }),
    chain: object({
      source: { enum: ['wire', 'reconstructed'] },
      count: int,
      ordered: bool,
      certificates: { type: 'array', items: certificate },
    }),
    leaf: certificate,
    trust: object({ public: trust, custom: { oneOf: [{ type: 'null' }, trust] } }),
    aia: {
      ...object(
        {
          ...subAttempt,
          fetches: {
            type: 'array',
            items: object({ url: str, status: { enum: ['ok', 'error'] }, reason: str, answered: bool, certificates: int }, ['reason']),
          },
          trust: { oneOf: [{ type: 'null' }, object({ public: trust, custom: { oneOf: [{ type: 'null' }, trust] } })] },
        },
        ['reason'],
      ),
      description:
        "Chain completion through AIA caIssuers downloads (as browsers): not-applicable when the chain as sent leaves no issuer missing; error when no path was found and a CA site could not be reached; trust is the verdict with the downloaded certificates. Absent from facts of earlier versions.",
    },
    hostname: object({ name: str, matches: bool, matchedBy: { enum: ['san', 'cn', null], description: "'san' when a subjectAltName matched; 'cn' only in facts of earlier versions (the subject CN is no longer used)" } }),
    ocsp: object(
      {
        ...subAttempt,
        stapled: bool,
        responseStatus: nullableStr,
        certStatus: { enum: ['good', 'revoked', 'unknown', null] },
        thisUpdate: nullableDateTime,
        nextUpdate: nullableDateTime,
        signature: {
          enum: ['valid', 'invalid', 'unknown-issuer', 'not-checked'],
          description:
            "valid: signed by the leaf's issuer or a delegated responder it certified for OCSPSigning (RFC 6960 §4.2.2.2); invalid: the signature fails or the signer is neither; unknown-issuer: the issuer certificate is not at hand; not-checked: nothing stapled, an unsuccessful response or an unsupported algorithm.",
        },
        responder: { enum: ['issuer', 'delegated', null], description: 'Whom the responder ID names: the issuer itself or a certificate included in the response.' },
        fresh: { ...bool, description: 'thisUpdate is not in the future and nextUpdate, if present, has not passed (5 minutes of clock skew allowed).' },
        matchesLeaf: { ...bool, description: "A SingleResponse's CertID has the leaf's serial and its issuer's name and key hashes." },
        problem: { ...nullableStr, description: 'First reason not to rely on the staple, in English; null when there is none.' },
      },
      // The verification fields are absent from facts recorded before staple verification existed;
      // the probe always sets them and test/checks/tls checks that it does.
      ['reason', 'signature', 'responder', 'fresh', 'matchesLeaf', 'problem'],
    ),
    hsts: object(
      {
        ...subAttempt,
        httpStatus: { type: ['integer', 'null'] },
        present: bool,
        header: nullableStr,
        maxAge: { type: ['integer', 'null'], minimum: 0 },
        includeSubDomains: bool,
        preload: bool,
      },
      ['reason'],
    ),
    platform: object({ authorizationError: nullableStr }),
  }, ['aia']),
};
