// verifyCertificate: whether a certificate chain is valid for a name at a time, as a browser would
// decide — the same path building and validation the TLS check runs for the public store and for
// --ca-file anchors (path.ts, profile.ts, name-constraints.ts, hostname.ts). Never throws: input it
// cannot read is reported as a problem.

import { X509Certificate } from 'node:crypto';
import type { AnchorSet } from '../core/types.js';
import { publicAnchors } from './trust-anchors.js';
import { canonicalIp, keyOfFields } from './certificate.js';
import type { KeyType } from './types.js';
import { matchHostname } from './hostname.js';
import { TrustAnchors } from './anchors.js';
import { formatName, ParsedCert } from './parsed.js';
import { buildPath, type BuiltPath } from './path.js';
import { sortProblems, type VerifyProblem } from './problems.js';
import type { Usage } from './profile.js';

export type CertificateInput = string | Uint8Array;

export interface VerifyInput {
  /** The peer's certificate first, then what the server sent (any order); PEM text (one or more blocks) or DER. */
  chain: CertificateInput | readonly CertificateInput[];
  /** Trust anchors; omitted: the public store govscan uses (Node's roots plus NODE_EXTRA_CA_CERTS). */
  anchors?: AnchorSet | readonly (CertificateInput | X509Certificate)[];
  /** A DNS name or an IP literal the leaf must be valid for; omitted: no name is checked. */
  name?: string | null;
  /** Validation time; default now. */
  at?: Date;
  /** Most intermediates a path may hold, self-issued ones not counted (nor the leaf and the anchor); default 8. */
  maxDepth?: number;
  /** What the leaf must be good for: serverAuth (default), clientAuth, or 'any' purpose. */
  usage?: Usage;
}

export interface PathEntry {
  subject: string;
  issuer: string;
  sha256: string;
  notBefore: string;
  notAfter: string;
  /** The subject public key: type, size in bits, NIST curve name (or OpenSSL's) for EC. */
  key: { type: KeyType; bits: number; curve: string | null };
}

export interface VerifyResult {
  /** trusted, the name matches (or none was given), and every certificate of the path is valid at `at`. */
  valid: boolean;
  /** A path reaches an anchor and nothing is wrong with it (validity at `at` included). */
  trusted: boolean;
  /** null when no name was given. */
  hostnameMatches: boolean | null;
  /** Stable ids in priority order (src/pki/problems.ts describes each in English and Vietnamese). */
  problems: VerifyProblem[];
  /** The path chosen, leaf first, ending with the anchor when one was reached (else the best partial path). */
  path: PathEntry[];
  /** Subject of the anchor reached, or null. */
  anchor: string | null;
}

const PEM_CERT = /-----BEGIN (?:TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:TRUSTED )?CERTIFICATE-----/g;

/** DER of every certificate in the inputs: PEM text may hold several blocks. */
function derOf(inputs: readonly CertificateInput[]): Buffer[] {
  const out: Buffer[] = [];
  for (const input of inputs) {
    if (typeof input !== 'string') {
      out.push(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
      continue;
    }
    for (const m of input.matchAll(PEM_CERT)) out.push(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64'));
  }
  return out;
}

function isAnchorSet(anchors: VerifyInput['anchors']): anchors is AnchorSet {
  return anchors !== undefined && !Array.isArray(anchors);
}

function trustAnchors(anchors: VerifyInput['anchors']): AnchorSet | TrustAnchors {
  if (anchors === undefined) return publicAnchors();
  if (isAnchorSet(anchors)) return anchors;
  const certificates: ParsedCert[] = [];
  for (const a of anchors) {
    if (a instanceof X509Certificate) {
      certificates.push(ParsedCert.fromX509(a));
      continue;
    }
    for (const der of derOf([a])) {
      try {
        certificates.push(ParsedCert.fromDer(der));
      } catch {
        // An anchor that cannot be read anchors nothing.
      }
    }
  }
  return TrustAnchors.of('given', certificates);
}

/** The path entry of a certificate; none for an anchor our reader cannot read (it still anchors by fingerprint). */
function entry(cert: ParsedCert): PathEntry[] {
  let f: ParsedCert['fields'];
  let key: PathEntry['key'];
  try {
    f = cert.fields;
    key = keyOfFields(f);
  } catch {
    return [];
  }
  return [
    {
      subject: formatName(f.subject),
      issuer: formatName(f.issuer),
      sha256: cert.sha256,
      notBefore: f.notBefore.toISOString(),
      notAfter: f.notAfter.toISOString(),
      key,
    },
  ];
}

/** verifyCertificate without the promise, for callers that verify many chains in a loop. */
export function verifyCertificateSync(input: VerifyInput): VerifyResult {
  const inputs =
    typeof input.chain === 'string' || input.chain instanceof Uint8Array ? [input.chain] : (input.chain as readonly CertificateInput[]);
  const given = input.name ?? null;
  const unreadable: VerifyResult = {
    valid: false,
    trusted: false,
    hostnameMatches: given === null ? null : false,
    problems: ['malformed-certificate'],
    path: [],
    anchor: null,
  };
  let built: BuiltPath;
  try {
    const chain = derOf(inputs);
    if (!chain.length) return unreadable;
    built = buildPath(chain, trustAnchors(input.anchors), input.at ?? new Date(), {
      ...(input.maxDepth !== undefined ? { maxDepth: input.maxDepth } : {}),
      usage: input.usage ?? 'serverAuth',
    });
  } catch {
    // Only an unreadable leaf gets here.
    return unreadable;
  }
  return describe(built, given);
}

function describe(built: BuiltPath, given: string | null): VerifyResult {
  const leaf = built.certificates[0] as ParsedCert;
  let hostnameMatches: boolean | null = null;
  if (given !== null) {
    const san = leaf.fields.san;
    const ips = san.ip.map(canonicalIp).filter((ip): ip is string => ip !== null);
    hostnameMatches = matchHostname(given, { sans: { dns: san.dns, ip: ips }, subjectCN: null }).matches;
  }
  const facts = built.facts;
  const problems = sortProblems<VerifyProblem>([...facts.problems, ...(hostnameMatches === false ? (['hostname-mismatch'] as const) : [])]);
  return {
    valid: facts.trusted && hostnameMatches !== false,
    trusted: facts.trusted,
    hostnameMatches,
    problems,
    path: built.certificates.flatMap(entry),
    anchor: facts.anchor,
  };
}

/**
 * Whether `chain` is valid for `name` at `at` against `anchors`. Asynchronous so that fetching
 * missing issuers (AIA caIssuers) can be added without changing callers.
 */
export async function verifyCertificate(input: VerifyInput): Promise<VerifyResult> {
  return verifyCertificateSync(input);
}
