// The name-resolution and network side of preparing a scan: the resolver (--dns-server, --resolve),
// the network environment of the IPv6 checks (--lab, --port-map, the host's own IPv6), and which
// targets --resolve pins. Kept apart from scan.ts so that file only wires it in.

import { CachingResolver, overridesFor, parseDnsServer, type ResolveOverride } from '../core/net/resolver.js';
import type { NameResolver, NetworkEnvironment, Resolver, Target } from '../core/types.js';
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

/**
 * Mark the targets --resolve pins and return the entries that pin none (for a warning: a typo there
 * sends the name to real DNS). A web or host target is pinned by the entry its connections would use;
 * a bare domain by any entry for its name or `*`, since all of its checks judge DNS.
 */
export function pinTargets(targets: readonly Target[], overrides: readonly ResolveOverride[]): ResolveOverride[] {
  if (!overrides.length) return [];
  const used = new Set<ResolveOverride>();
  for (const t of targets) {
    if (t.kind === 'system' || t.kind === 'local') continue;
    const pins = t.kind === 'domain' ? overrides.filter((o) => o.host === t.host || o.host === '*') : overridesFor(overrides, t.host, t.port);
    if (!pins.length) continue;
    t.addressPinned = true;
    for (const o of pins) used.add(o);
  }
  return overrides.filter((o) => !used.has(o));
}
