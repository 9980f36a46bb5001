// Facts gathered by the tls.endpoint check. Probes fill these; only policy rules judge them.
// Dates are ISO-8601 strings so recorded facts round-trip through JSON unchanged.

// The certificate and trust model is shared with other families (certificate files, document
// signatures), so it lives in src/pki and is re-exported here under the same names.
import type { CertificateFacts, TrustFacts } from '../../src/pki/types.js';
export type { CertificateFacts, KeyType, TrustFacts, TrustFailure } from '../../src/pki/types.js';
export { TRUST_FAILURES } from '../../src/pki/types.js';

export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];

/** Outcome of one sub-probe inside the endpoint check (a protocol handshake, the HTTP request…). */
export interface SubAttempt {
  status: 'ok' | 'error' | 'not-applicable';
  reason?: string;
}

export interface ProtocolProbe extends SubAttempt {
  /**
   * True when the server answered a ClientHello offering only this version with a ServerHello for it
   * (as testssl.sh, sslyze and nmap decide); false when it refused, chose another version or hung up.
   */
  accepted?: boolean;
  cipher?: string;
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
  /** From the SingleResponse about the leaf (or, failing that, one with the leaf's serial). */
  certStatus: 'good' | 'revoked' | 'unknown' | null;
  thisUpdate: string | null;
  nextUpdate: string | null;
  // The fields below were added with staple verification: the probe always sets them, but facts
  // recorded by earlier versions lack them, so readers must not assume they are there.
  /**
   * valid: signed by the leaf's issuer or a responder it delegated to (RFC 6960 §4.2.2.2); invalid:
   * the signature fails or the signer is neither; unknown-issuer: the issuer certificate was not sent
   * and is no anchor; not-checked: not stapled, an unsuccessful response, or an unsupported algorithm.
   */
  signature?: 'valid' | 'invalid' | 'unknown-issuer' | 'not-checked';
  responder?: 'issuer' | 'delegated' | null;
  /** thisUpdate is not in the future and nextUpdate, if any, has not passed (5 min of clock skew allowed). */
  fresh?: boolean;
  /** A SingleResponse names the leaf: its serial, its issuer's name hash and (issuer known) key hash. */
  matchesLeaf?: boolean;
  /** The first reason not to rely on the staple, in English; null when there is none. */
  problem?: string | null;
}

export interface HstsFacts extends SubAttempt {
  httpStatus: number | null;
  present: boolean;
  header: string | null;
  maxAge: number | null;
  includeSubDomains: boolean;
  preload: boolean;
}

/** One caIssuers download made to complete the chain. */
export interface AiaFetch {
  url: string;
  status: 'ok' | 'error';
  reason?: string;
  /** The CA's site answered (with or without a certificate); false when it could not be reached. */
  answered: boolean;
  /** Certificates the answer held. */
  certificates: number;
}

/**
 * Chain completion through AIA caIssuers, as browsers do it. not-applicable: the chain as sent leaves
 * no issuer missing; error: no path was found and a site that may hold the missing issuer could not
 * be reached; ok: `trust` is the verdict with every certificate downloaded.
 */
export interface AiaFacts extends SubAttempt {
  fetches: AiaFetch[];
  /** The verdict on the chain as sent plus the downloaded certificates; null when nothing was missing. */
  trust: { public: TrustFacts; custom: TrustFacts | null } | null;
}

export interface TlsFacts {
  observedAt: string;
  endpoint: { host: string; port: number; address: string; family: 4 | 6; sni: string | null };
  protocols: Record<TlsVersion, ProtocolProbe>;
  negotiated: NegotiatedFacts;
  chain: {
    /**
     * wire: the server's Certificate message as received (every version, TLS 1.3 included);
     * reconstructed: a chain completed from a local store — reserved, not produced by the TLS probe.
     */
    source: 'wire' | 'reconstructed';
    count: number;
    /** Each certificate is issued by the one after it. */
    ordered: boolean;
    certificates: CertificateFacts[];
  };
  leaf: CertificateFacts;
  /** Verdict on the chain exactly as sent (a client that never downloads issuers). */
  trust: { public: TrustFacts; custom: TrustFacts | null };
  /** Absent from facts recorded before chain completion existed. */
  aia?: AiaFacts;
  hostname: { name: string; matches: boolean; matchedBy: 'san' | 'cn' | null };
  ocsp: OcspFacts;
  hsts: HstsFacts;
  /** OpenSSL's own verdict against the public store, for cross-checking. */
  platform: { authorizationError: string | null };
}
