// Facts gathered by the IPv6 readiness checks (ipv6.web, ipv6.ns, ipv6.mx, ipv6.parity). Probes fill
// these; only the rules of policies/vn-ct02-2022-ipv6.yaml judge them. Derived lists (ports missing
// over IPv6, similarity) are comparisons of what was observed, not verdicts: thresholds live in the pack.

import type { Static } from '../../src/core/schema-builders.js';
import type * as D from './facts.schema.js';

import type { ADDRESS_CLASSES } from './facts.schema.js';
export type AddressClass = (typeof ADDRESS_CLASSES)[number];

// The facts below are defined once, with their JSON Schemas, in facts.schema.ts.
export type AddressFacts = Static<typeof D.address>;
/** How a lookup went: NXDOMAIN and NODATA are answers; error is a timeout or SERVFAIL. */
export type LookupStatus = Static<typeof D.lookupStatus>;
export type ScannerFacts = Static<typeof D.scanner>;
export type NonGlobalFacts = Static<typeof D.nonGlobalEntry>;
export type HostAddresses = Static<typeof D.hostAddressFacts>;
export type PortState = Static<typeof D.portState>;
export type V6Reach = Static<typeof D.v6Reach>;
export type PageFacts = Static<typeof D.page>;
export type SameSiteFacts = Static<typeof D.sameSite>;
export type WebHostFacts = Static<typeof D.webHost>;
export type WebFacts = Static<typeof D.webFacts>;
export type NsReach = Static<typeof D.nsReach>;
export type NameServerFacts = Static<typeof D.nameServer>;
export type NsFacts = Static<typeof D.nsFacts>;
export type MxReach = Static<typeof D.mxReach>;
export type MxHostFacts = Static<typeof D.mxHost>;
export type MxFacts = Static<typeof D.mxFacts>;
export type ParityHostFacts = Static<typeof D.parityHost>;
export type ParityFacts = Static<typeof D.parityFacts>;
