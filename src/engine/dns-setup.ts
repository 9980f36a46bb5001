// The name-resolution and network side of preparing a scan: the resolver (--dns-server, --resolve),
// what the families' own options add to the probes' context (the IPv6 family's network environment,
// the TLS family's settings),
// and which targets --resolve pins. Kept apart from scan.ts so that file only wires it in.

import { CachingResolver, overridesFor, parseDnsServer, type ResolveOverride } from '../core/net/resolver.js';
import type { NameResolver, NetworkEnvironment, Resolver, Target, TlsProbeSettings } from '../core/types.js';
import type { FamilyOptionValues } from '../core/family.js';
import { prepareFamilies } from './registry.js';

export interface NetworkRequest {
  /** `--dns-server` values: answers come from these servers only, never also from the system's. */
  dnsServers?: string[];
  /** The check families' own options by flag name (`lab`, `port-map`, ...; see src/engine/registry.ts FAMILY_OPTIONS). */
  options?: FamilyOptionValues;
}

export interface PreparedNetwork {
  resolver: Resolver;
  names: NameResolver | undefined;
  network?: NetworkEnvironment;
  /** The TLS family's settings (--tls-quick). */
  tls?: TlsProbeSettings;
}

export async function prepareNetwork(
  req: NetworkRequest,
  overrides: ResolveOverride[],
  deps: { resolver?: Resolver; names?: NameResolver; network?: NetworkEnvironment; timeoutMs: number },
): Promise<PreparedNetwork> {
  const servers = (req.dnsServers ?? []).map(parseDnsServer);
  // Before any packet: a bad family option (a --port-map typo) is bad input.
  const families = await prepareFamilies(req.options ?? {});
  const built = deps.resolver
    ? null
    : new CachingResolver({ overrides, timeoutMs: deps.timeoutMs, ...(servers.length ? { servers } : {}) });
  const resolver = deps.resolver ?? (built as CachingResolver);
  const names = deps.names ?? built ?? (isNameResolver(deps.resolver) ? deps.resolver : undefined);
  const network = deps.network ?? families.network;
  return { resolver, names, ...(network ? { network } : {}), ...(families.tls ? { tls: families.tls } : {}) };
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
    const pins =
      t.kind === 'domain' ? overrides.filter((o) => o.host === t.host || o.host === '*') : overridesFor(overrides, t.host, t.port);
    if (!pins.length) continue;
    t.addressPinned = true;
    for (const o of pins) used.add(o);
  }
  return overrides.filter((o) => !used.has(o));
}
