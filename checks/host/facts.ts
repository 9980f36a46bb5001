// Facts the agent's local host check (`host.local`) gathers on the machine it runs on: its IPv6
// addresses, which TCP services listen on IPv4 but not IPv6, certificate files on disk, and whether the
// SOC/NCSC log forwarder is configured. Probes never judge: policies/vn-agent-host.yaml does.

import type { HostCertificateFileFact } from './check-id.js';
import type { AddressClass } from '../ipv6/facts.js';

export interface InterfaceAddressFacts {
  address: string;
  family: 4 | 6;
  class: AddressClass;
  global: boolean;
}

export interface InterfaceFacts {
  name: string;
  /** Loopback and the like: never counted as the host's IPv6 presence. */
  internal: boolean;
  addresses: InterfaceAddressFacts[];
  /** A global unicast IPv6 address on a non-internal interface. */
  globalIpv6: boolean;
}

/** Where a family's listeners are reachable from: nowhere, the host itself, or the network. */
export type ListenScope = 'none' | 'loopback' | 'network';

export interface ServiceFacts {
  port: number;
  /** IPv4 addresses a listener is bound to ('0.0.0.0' for a dual-stack `::` socket). */
  v4: string[];
  /** IPv6 addresses a listener is bound to. */
  v6: string[];
  /** A `::` socket serves IPv4 too (net.ipv6.bindv6only = 0). */
  dualStack: boolean;
  v4Scope: ListenScope;
  v6Scope: ListenScope;
  /** Reachable over IPv4 from somewhere IPv6 cannot reach it (no v6 listener, or only on loopback). */
  ipv4Only: boolean;
  /** Every listener of the port is on a loopback address. */
  loopbackOnly: boolean;
}

export type SourceStatus = 'ok' | 'missing' | 'unreadable';

export interface ListenerFacts {
  /** /proc/net/tcp could be read; tcp6 may be 'missing' (a kernel without IPv6: nothing listens on IPv6). */
  available: boolean;
  tcp: SourceStatus;
  tcp6: SourceStatus;
  /** net.ipv6.bindv6only; null when unknown (then `::` counts as dual-stack, Linux's default). */
  bindv6only: boolean | null;
  services: ServiceFacts[];
  /** Services left out beyond the cap (a host with thousands of listeners). */
  omitted: number;
}

export interface CertificateFileFacts extends HostCertificateFileFact {
  /** Why a file is not 'ok'; '' when it is. */
  reason: string;
  notBefore: string | null;
  expired: boolean | null;
  sha256: string | null;
  /** Certificates in the file (a PEM bundle may hold the chain); the facts describe the first. */
  count: number;
}

export interface ForwarderFileFacts {
  path: string;
  status: SourceStatus;
  /** The text names the collector's host (case-insensitive) and its port (as a whole number). */
  mentionsHost: boolean;
  mentionsPort: boolean;
}

export interface ForwarderFacts {
  name: string;
  /** host:port as configured. */
  collector: string;
  host: string;
  port: number;
  files: ForwarderFileFacts[];
  /** Some readable file names both the collector's host and port. */
  configured: boolean;
}

export interface HostFacts {
  observedAt: string;
  hostname: string;
  interfaces: InterfaceFacts[];
  /** Global IPv6 addresses on non-internal interfaces. */
  globalIpv6Addresses: string[];
  listeners: ListenerFacts;
  certificateFiles: CertificateFileFacts[];
  forwarders: ForwarderFacts[];
}
