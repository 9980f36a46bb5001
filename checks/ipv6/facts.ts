// Facts gathered by the IPv6 readiness checks (ipv6.web, ipv6.ns, ipv6.mx, ipv6.parity). Probes fill
// these; only the rules of policies/vn-ct02-2022-ipv6.yaml judge them. Derived lists (ports missing
// over IPv6, similarity) are comparisons of what was observed, not verdicts: thresholds live in the pack.

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
export type AddressClass = (typeof ADDRESS_CLASSES)[number];

export interface AddressFacts {
  address: string;
  family: 4 | 6;
  class: AddressClass;
  /** Globally routable unicast. */
  global: boolean;
  /** Probes may connect to it: global, or loopback under --lab. Nothing else is ever dialled. */
  usable: boolean;
}

/** How a lookup went: NXDOMAIN and NODATA are answers; error is a timeout or SERVFAIL. */
export type LookupStatus = 'ok' | 'nxdomain' | 'nodata' | 'error';

export interface ScannerFacts {
  /** The scanning host can reach IPv6 destinations (decided from its interfaces, or --lab / override). */
  ipv6: boolean;
  reason: string;
  lab: boolean;
}

export interface NonGlobalFacts {
  host: string;
  address: string;
  class: AddressClass;
}

export interface HostAddresses {
  name: string;
  a: AddressFacts[];
  aaaa: AddressFacts[];
  lookup: { a: LookupStatus; aaaa: LookupStatus; reason: string | null };
}

export interface PortState {
  port: number;
  /** The port really dialled (differs from `port` only under --port-map). */
  dialed: number;
  open: boolean;
  reason: string | null;
}

export interface V6Reach {
  address: string;
  ports: PortState[];
  open: number[];
  /** Ports open over IPv4 for this host but not on this address. */
  missing: number[];
}

export interface PageFacts {
  status: 'ok' | 'error';
  reason: string | null;
  address: string;
  httpStatus: number | null;
  bytes: number;
  truncated: boolean;
  /** Location of a redirect that was not followed (another host or scheme). */
  location: string | null;
  redirects: number;
}

export interface SameSiteFacts {
  port: number;
  scheme: 'http' | 'https';
  v4: PageFacts;
  v6: PageFacts;
  /** Both fetched. */
  compared: boolean;
  sameStatus: boolean;
  /** 0–1 after removing nonces (see checks/ipv6/similarity.ts); 0 when not compared. */
  similarity: number;
  /** 403 or 429 on exactly one family: a WAF or rate limit may skew the comparison. */
  blocked: boolean;
}

export interface WebHostFacts extends HostAddresses {
  role: 'exact' | 'apex' | 'www';
  /** Has at least one A or AAAA record. */
  exists: boolean;
  /** Ports open on at least one usable IPv4 address. */
  v4Open: number[];
  /** One entry per usable AAAA (empty when the scanner has no IPv6). */
  v6: V6Reach[];
  sameSite: SameSiteFacts[];
}

export interface WebFacts {
  observedAt: string;
  scanner: ScannerFacts;
  ports: number[];
  hosts: WebHostFacts[];
  /** AAAA records of the web hosts that are not global unicast (never connected to). */
  nonGlobal: NonGlobalFacts[];
}

export interface NsReach {
  address: string;
  reachable: boolean;
  transport: 'udp' | 'tcp' | null;
  rcode: string | null;
  reason: string | null;
}

export interface NameServerFacts extends HostAddresses {
  hasAaaa: boolean;
  reach: NsReach[];
}

export interface NsFacts {
  observedAt: string;
  scanner: ScannerFacts;
  zone: string;
  nameServers: NameServerFacts[];
  /** Name servers with at least one usable AAAA. */
  withAaaa: number;
  nonGlobal: NonGlobalFacts[];
}

export interface MxReach {
  address: string;
  open: boolean;
  banner: string | null;
  /** The banner is an SMTP 220 greeting. */
  smtp: boolean;
  reason: string | null;
}

export interface MxHostFacts extends HostAddresses {
  preference: number;
  hasAaaa: boolean;
  reach: MxReach[];
}

export interface MxFacts {
  observedAt: string;
  scanner: ScannerFacts;
  domain: string;
  lookup: LookupStatus;
  /** RFC 7505 null MX (`0 .`): the domain declares it accepts no mail. */
  nullMx: boolean;
  mx: MxHostFacts[];
  nonGlobal: NonGlobalFacts[];
}

export interface ParityHostFacts {
  name: string;
  v4Address: string | null;
  v6Address: string | null;
  ports: number[];
  v4Open: number[];
  v6Open: number[];
  /** Open over IPv4, closed over IPv6. */
  onlyV4: number[];
}

/**
 * Why a web host was not compared: DNS did not answer for it (`dns`), it has no address the probes may
 * dial in one family (`no-ipv4`, `no-ipv6`), or the scanning host has no IPv6 (`scanner`).
 */
export type ParityGap = 'dns' | 'no-ipv4' | 'no-ipv6' | 'scanner';

export interface ParityFacts {
  observedAt: string;
  scanner: ScannerFacts;
  nmap: { command: string; version: string | null; args: string[] };
  /** Hosts compared with nmap over both families. */
  hosts: ParityHostFacts[];
  /** Web hosts that were not compared, and why. */
  unscanned: { name: string; why: ParityGap }[];
}
