// Facts gathered by the tls.endpoint check. Probes fill these; only policy rules judge them.
// Dates are ISO-8601 strings so recorded facts round-trip through JSON unchanged.

export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];

/** Outcome of one sub-probe inside the endpoint check (a protocol handshake, the HTTP request…). */
export interface SubAttempt {
  status: 'ok' | 'error' | 'not-applicable';
  reason?: string;
}

export interface ProtocolProbe extends SubAttempt {
  /** True when a handshake limited to this version completed; false when the server refused it. */
  accepted?: boolean;
  cipher?: string;
}

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
  /** Whole days from observation to notAfter, negative once expired (floor). */
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

export type TrustFailure =
  | 'expired'
  | 'not-yet-valid'
  | 'incomplete-chain'
  | 'unknown-root'
  | 'self-signed'
  | 'bad-signature'
  | 'no-anchors';

export interface TrustFacts {
  trusted: boolean;
  /** First reason found, in the order above; null when trusted. */
  reason: TrustFailure | null;
  /** Every problem found on the best path. */
  problems: TrustFailure[];
  /** SHA-256 of each certificate on the path, leaf first, anchor last when one was reached. */
  path: string[];
  /** Subject of the anchor reached, when trusted. */
  anchor: string | null;
  /** Anchor set the path was checked against. */
  store: string;
}

export interface NegotiatedFacts {
  protocol: TlsVersion;
  cipher: string;
  cipherStandard: string | null;
  forwardSecrecy: boolean;
  ephemeralKey: { type: string; name: string | null; bits: number | null } | null;
}

export interface OcspFacts extends SubAttempt {
  stapled: boolean;
  responseStatus: string | null;
  certStatus: 'good' | 'revoked' | 'unknown' | null;
  thisUpdate: string | null;
  nextUpdate: string | null;
}

export interface HstsFacts extends SubAttempt {
  httpStatus: number | null;
  present: boolean;
  header: string | null;
  maxAge: number | null;
  includeSubDomains: boolean;
  preload: boolean;
}

export interface TlsFacts {
  observedAt: string;
  endpoint: { host: string; port: number; address: string; family: 4 | 6; sni: string | null };
  protocols: Record<TlsVersion, ProtocolProbe>;
  negotiated: NegotiatedFacts;
  chain: {
    /** wire: read from the server's Certificate message; reconstructed: from OpenSSL's view (TLS 1.3 only servers). */
    source: 'wire' | 'reconstructed';
    count: number;
    /** Each certificate is issued by the one after it. */
    ordered: boolean;
    certificates: CertificateFacts[];
  };
  leaf: CertificateFacts;
  trust: { public: TrustFacts; custom: TrustFacts | null };
  hostname: { name: string; matches: boolean; matchedBy: 'san' | 'cn' | null };
  ocsp: OcspFacts;
  hsts: HstsFacts;
  /** OpenSSL's own verdict against the public store, for cross-checking. */
  platform: { authorizationError: string | null };
}
