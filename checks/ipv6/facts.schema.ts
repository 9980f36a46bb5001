// The IPv6 facts, defined once: facts.ts takes its types from these definitions and the JSON Schemas
// (draft 2020-12) published for policy authors, the server and `govscan checks list` are the same
// objects. test/checks/ipv6 validates live facts against them.

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

export const ADDRESS_CLASSES = [
  'global',
  'loopback',
  'ipv4-mapped',
  'ula',
  'link-local',
  'documentation',
  '6to4',
  'teredo',
  'multicast',
  'private',
  'shared',
  'other',
] as const;

const ports = list(Type.Integer({ minimum: 1, maximum: 65535 }));
const dateTime = Type.String({ format: 'date-time' });
/** How a lookup went: NXDOMAIN and NODATA are answers; error is a timeout or SERVFAIL. */
export const lookupStatus = enumOf(['ok', 'nxdomain', 'nodata', 'error']);

export const address = object({
  address: str,
  family: enumOf([4, 6]),
  class: enumOf(ADDRESS_CLASSES),
  /** Globally routable unicast. */
  global: bool,
  /** Nothing else is ever dialled. */
  usable: Type.Boolean({ description: 'Probes may connect to it: global, or loopback under --lab.' }),
});
export const scanner = object({
  /** The scanning host can reach IPv6 destinations (decided from its interfaces, or --lab / override). */
  ipv6: bool,
  reason: str,
  lab: bool,
});
export const nonGlobalEntry = object({ host: str, address: str, class: enumOf(ADDRESS_CLASSES) });
const nonGlobal = list(nonGlobalEntry);
const hostAddresses = {
  name: str,
  a: list(address),
  aaaa: list(address),
  lookup: object({ a: lookupStatus, aaaa: lookupStatus, reason: nullableStr }),
};
/** A host's A and AAAA records, what WebHostFacts, NameServerFacts and MxHostFacts start with. */
export const hostAddressFacts = object(hostAddresses);
export const portState = object({
  port: int,
  /** The port really dialled (differs from `port` only under --port-map). */
  dialed: int,
  open: bool,
  reason: nullableStr,
});
export const page = object({
  status: enumOf(['ok', 'error']),
  reason: nullableStr,
  address: str,
  httpStatus: nullableInteger(),
  bytes: int,
  truncated: bool,
  /** Location of a redirect that was not followed (another host or scheme). */
  location: nullableStr,
  redirects: int,
});
export const v6Reach = object({
  address: str,
  ports: list(portState),
  open: ports,
  /** Ports open over IPv4 for this host but not on this address. */
  missing: ports,
});
export const sameSite = object({
  port: int,
  scheme: enumOf(['http', 'https']),
  v4: page,
  v6: page,
  /** Both fetched. */
  compared: bool,
  sameStatus: bool,
  /** 0–1 after removing nonces (see checks/ipv6/similarity.ts); 0 when not compared. */
  similarity: Type.Number({ minimum: 0, maximum: 1 }),
  /** 403 or 429 on exactly one family: a WAF or rate limit may skew the comparison. */
  blocked: bool,
});
export const webHost = object({
  ...hostAddresses,
  role: enumOf(['exact', 'apex', 'www']),
  /** Has at least one A or AAAA record. */
  exists: bool,
  /** Ports open on at least one usable IPv4 address. */
  v4Open: ports,
  /** One entry per usable AAAA (empty when the scanner has no IPv6). */
  v6: list(v6Reach),
  sameSite: list(sameSite),
});
export const webFacts = object({
  observedAt: dateTime,
  scanner,
  ports,
  hosts: list(webHost),
  /** AAAA records of the web hosts that are not global unicast (never connected to). */
  nonGlobal,
});
export const webFactsSchema = schema('ipv6.web', webFacts);

export const nsReach = object({
  address: str,
  reachable: bool,
  transport: enumOf(['udp', 'tcp', null]),
  rcode: nullableStr,
  reason: nullableStr,
});
export const nameServer = object({ ...hostAddresses, hasAaaa: bool, reach: list(nsReach) });
export const nsFacts = object({
  observedAt: dateTime,
  scanner,
  zone: str,
  nameServers: list(nameServer),
  /** Name servers with at least one usable AAAA. */
  withAaaa: int,
  nonGlobal,
});
export const nsFactsSchema = schema('ipv6.ns', nsFacts);

export const mxReach = object({
  address: str,
  open: bool,
  banner: nullableStr,
  /** The banner is an SMTP 220 greeting. */
  smtp: bool,
  reason: nullableStr,
});
export const mxHost = object({ ...hostAddresses, preference: int, hasAaaa: bool, reach: list(mxReach) });
export const mxFacts = object({
  observedAt: dateTime,
  scanner,
  domain: str,
  lookup: lookupStatus,
  /** RFC 7505 null MX (`0 .`): the domain declares it accepts no mail. */
  nullMx: bool,
  mx: list(mxHost),
  nonGlobal,
});
export const mxFactsSchema = schema('ipv6.mx', mxFacts);

export const parityHost = object({
  name: str,
  v4Address: nullableStr,
  v6Address: nullableStr,
  ports,
  v4Open: ports,
  v6Open: ports,
  /** Open over IPv4, closed over IPv6. */
  onlyV4: ports,
});
/**
 * Why a web host was not compared: DNS did not answer for it (`dns`), it has no address the probes may
 * dial in one family (`no-ipv4`, `no-ipv6`), or the scanning host has no IPv6 (`scanner`).
 */
const parityGap = enumOf(['dns', 'no-ipv4', 'no-ipv6', 'scanner']);
export const parityFacts = object({
  observedAt: dateTime,
  scanner,
  nmap: object({ command: str, version: nullableStr, args: list(str) }),
  /** Hosts compared with nmap over both families. */
  hosts: list(parityHost),
  /** Web hosts that were not compared, and why. */
  unscanned: list(object({ name: str, why: parityGap })),
});
export const parityFactsSchema = schema('ipv6.parity', parityFacts);
