// The name-resolution and network side of preparing a scan: the resolver (--dns-server, --resolve),
// the network environment of the IPv6 checks (--lab, --port-map, the host's own IPv6), and which
// targets --resolve pins. Kept apart from scan.ts so that file only wires it in.

import { CachingResolver, parseDnsServer, type ResolveOverride } from './resolver.js';
import type { NameResolver, NetworkEnvironment, Resolver, Target } from './types.js';
import { detectIpv6, parsePortMap } from '../../checks/ipv6/network.js';

export interface NetworkRequest {
  /** `--dns-server` values: answers come from these servers only, never also from the system's. */
  dnsServers?: string[];
  /** `--lab`: loopback answers count as routable and nothing leaves loopback. */
  lab?: boolean;
  /** `--port-map [HOST:]PORT=LOCAL`. */
  portMap?: string[];
  /** `--ipv6-connectivity`: auto decides from local interfaces (or --lab); yes/no override it. */
  ipv6Connectivity?: 'auto' | 'yes' | 'no';
  /** `--nmap`: command or path of nmap. */
  nmap?: string;
}

export interface PreparedNetwork {
  resolver: Resolver;
  names: NameResolver | undefined;
  network: NetworkEnvironment;
}

export function prepareNetwork(
  req: NetworkRequest,
  overrides: ResolveOverride[],
  deps: { resolver?: Resolver; names?: NameResolver; network?: NetworkEnvironment; timeoutMs: number },
): PreparedNetwork {
  const servers = (req.dnsServers ?? []).map(parseDnsServer);
  const portMap = (req.portMap ?? []).map(parsePortMap);
  const built = deps.resolver ? null : new CachingResolver({ overrides, timeoutMs: deps.timeoutMs, ...(servers.length ? { servers } : {}) });
  const resolver = deps.resolver ?? (built as CachingResolver);
  const names = deps.names ?? built ?? (isNameResolver(deps.resolver) ? deps.resolver : undefined);
  const lab = req.lab ?? false;
  const mode = req.ipv6Connectivity ?? 'auto';
  const ipv6 =
    mode === 'yes'
      ? { available: true, reason: '--ipv6-connectivity yes' }
      : mode === 'no'
        ? { available: false, reason: '--ipv6-connectivity no: the scanning host is treated as having no IPv6' }
        : lab
          ? { available: true, reason: '--lab: IPv6 over loopback (::1)' }
          : detectIpv6();
  return { resolver, names, network: deps.network ?? { lab, ipv6, portMap, nmap: req.nmap ?? 'nmap' } };
}

function isNameResolver(r: Resolver | undefined): r is Resolver & NameResolver {
  return r !== undefined && typeof (r as Partial<NameResolver>).zoneOf === 'function';
}

/** Hosts --resolve pins (a `*` entry pins every name): DNS-judging checks skip those targets. */
export function markPinned(targets: Target[], overrides: ResolveOverride[]): void {
  if (!overrides.length) return;
  const pinned = new Set(overrides.map((o) => o.host));
  for (const t of targets) if (pinned.has('*') || pinned.has(t.host)) t.addressPinned = true;
}
