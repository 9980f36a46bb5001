// The host.local facts, defined once: facts.ts takes its types from these definitions and the
// published JSON Schema (draft 2020-12) is the same object. test/agent validates probed facts against it.

import {
  enumOf,
  nullableInteger,
  Type,
  bool,
  int,
  list,
  nullableStr,
  closed as object,
  factsSchema as schema,
  str,
} from '../../src/core/schema-builders.js';
import { ADDRESS_CLASSES } from '../ipv6/facts.schema.js';

const nullableBool = Type.Unsafe<boolean | null>({ type: ['boolean', 'null'] });
export const sourceStatus = enumOf(['ok', 'missing', 'unreadable']);
/** Where a family's listeners are reachable from: nowhere, the host itself, or the network. */
export const listenScope = enumOf(['none', 'loopback', 'network']);

const interfaceAddress = object({ address: str, family: enumOf([4, 6]), class: enumOf(ADDRESS_CLASSES), global: bool });

export const interfaceFacts = object({
  name: str,
  /** Loopback and the like: never counted as the host's IPv6 presence. */
  internal: bool,
  addresses: list(interfaceAddress),
  /** A global unicast IPv6 address on a non-internal interface. */
  globalIpv6: bool,
});

export const service = object({
  port: int,
  /** IPv4 addresses a listener is bound to ('0.0.0.0' for a dual-stack `::` socket). */
  v4: list(str),
  /** IPv6 addresses a listener is bound to. */
  v6: list(str),
  /** A `::` socket serves IPv4 too (net.ipv6.bindv6only = 0). */
  dualStack: bool,
  v4Scope: listenScope,
  v6Scope: listenScope,
  /** Reachable over IPv4 from somewhere IPv6 cannot reach it (no v6 listener, or only on loopback). */
  ipv4Only: bool,
  /** Every listener of the port is on a loopback address. */
  loopbackOnly: bool,
});

export const listeners = object({
  /** /proc/net/tcp could be read; tcp6 may be 'missing' (a kernel without IPv6: nothing listens on IPv6). */
  available: bool,
  tcp: sourceStatus,
  tcp6: sourceStatus,
  /** net.ipv6.bindv6only; null when unknown (then `::` counts as dual-stack, Linux's default). */
  bindv6only: nullableBool,
  services: list(service),
  /** Services left out beyond the cap (a host with thousands of listeners). */
  omitted: int,
});

export const certificateFile = object({
  path: str,
  status: enumOf(['ok', 'missing', 'unreadable', 'not-a-certificate']),
  /** Why a file is not 'ok'; '' when it is. */
  reason: str,
  subject: nullableStr,
  issuer: nullableStr,
  notBefore: nullableStr,
  notAfter: nullableStr,
  daysToExpiry: nullableInteger(),
  expired: nullableBool,
  sha256: nullableStr,
  /** Certificates in the file (a PEM bundle may hold the chain); the facts describe the first. */
  count: int,
});

export const forwarderFile = object({
  path: str,
  status: sourceStatus,
  /** The text names the collector's host (case-insensitive) and its port (as a whole number). */
  mentionsHost: bool,
  mentionsPort: bool,
});

export const forwarder = object({
  name: str,
  /** host:port as configured. */
  collector: str,
  host: str,
  port: int,
  files: list(forwarderFile),
  /** Some readable file names both the collector's host and port. */
  configured: bool,
});

export const hostFacts = object({
  observedAt: Type.String({ format: 'date-time' }),
  hostname: str,
  interfaces: list(interfaceFacts),
  /** Global IPv6 addresses on non-internal interfaces. */
  globalIpv6Addresses: list(str),
  listeners,
  certificateFiles: list(certificateFile),
  forwarders: list(forwarder),
});

export const hostFactsSchema = schema('host.local', hostFacts);
