// Certificate and trust facts. They live here rather than in a check family because the same model
// describes TLS peers, certificate files on disk and (later) document signatures.
// Dates are ISO-8601 strings so recorded facts round-trip through JSON unchanged.

export type KeyType = 'rsa' | 'rsa-pss' | 'ec' | 'ed25519' | 'ed448' | 'dsa' | 'unknown';

export interface CertificateFacts {
  subject: string;
  subjectCN: string | null;
  issuer: string;
  issuerCN: string | null;
  serial: string;
  sans: { dns: string[]; ip: string[] };
  notBefore: string;
  notAfter: string;
  /** Whole days from observation to notAfter, rounded toward zero; negative once expired. */
  daysToExpiry: number;
  /** Whole days from notBefore to notAfter. */
  lifetimeDays: number;
  expired: boolean;
  notYetValid: boolean;
  key: { type: KeyType; bits: number; curve: string | null };
  signatureAlgorithm: { oid: string; name: string; hash: string | null };
  keyUsage: string[];
  extendedKeyUsage: string[];
  isCA: boolean;
  /** Issuer equals subject and the certificate verifies with its own key. */
  selfSigned: boolean;
  /** SHA-256 fingerprint, lower-case hex without separators. */
  sha256: string;
  aia: { ocsp: string[]; caIssuers: string[] };
}

/** Problem ids of a path, in priority order (src/pki/problems.ts describes each in both languages). */
export { TRUST_PROBLEMS as TRUST_FAILURES } from './problems.js';
import type { TrustProblem } from './problems.js';

export interface TrustFacts {
  trusted: boolean;
  /** First reason found, in the order above; null when trusted. */
  reason: TrustProblem | null;
  /** Every problem found on the best path. */
  problems: TrustProblem[];
  /** SHA-256 of each certificate on the path, leaf first, anchor last when one was reached. */
  path: string[];
  /** Subject of the anchor reached; also set when another problem (e.g. expiry) keeps the path untrusted. */
  anchor: string | null;
  /** Anchor set the path was checked against. */
  store: string;
}
