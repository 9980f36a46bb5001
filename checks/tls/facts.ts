// Facts gathered by the tls.endpoint check. Probes fill these; only policy rules judge them.
// Dates are ISO-8601 strings so recorded facts round-trip through JSON unchanged.

// The certificate and trust model is shared with other families (certificate files, document
// signatures), so it lives in src/pki and is re-exported here under the same names.
import type { Static } from '../../src/core/schema-builders.js';
import type * as D from './facts.schema.js';
export type { CertificateFacts, TrustFacts } from '../../src/pki/types.js';

import { TLS_VERSIONS } from './facts.schema.js';

export { TLS_VERSIONS };
export type TlsVersion = (typeof TLS_VERSIONS)[number];

// The facts below are defined once, with their JSON Schema, in facts.schema.ts.
export type ProtocolProbe = Static<typeof D.protocolProbe>;
export type NegotiatedFacts = Static<typeof D.negotiated>;
export type OcspFacts = Static<typeof D.ocsp>;
export type HstsFacts = Static<typeof D.hsts>;
/** Chain completion through AIA caIssuers, as browsers do it. */
export type AiaFacts = Static<typeof D.aia>;
export type TlsFacts = Static<typeof D.tlsFacts>;
export type SuiteFacts = Static<typeof D.suiteFacts>;
export type EnumerationFacts = Static<typeof D.enumeration>;
export type VersionSuites = EnumerationFacts['versions']['TLSv1'];
