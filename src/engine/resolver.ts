// govscan resolves names itself (DESIGN §7: dns.Resolver.setServers does not affect lookup), caches
// per run, and honours curl-style --resolve HOST:PORT:ADDRESS overrides before anything else.

import { Resolver as DnsResolver } from 'node:dns/promises';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { InputError } from './errors.js';
import { ProbeError, type ResolvedAddress, type Resolver } from './types.js';

export interface ResolveOverride {
  host: string;
  port: number | '*';
  address: string;
}

/**
 * Parse one `--resolve HOST:PORT:ADDRESS` (ADDRESS may be a bracketed IPv6 literal; PORT may be `*`;
 * HOST may be `*` for every name without an entry of its own, which lab and benchmark runs use).
 */
export function parseResolveOverride(text: string): ResolveOverride {
  const m = /^([^:\s]+):(\d+|\*):(\[[0-9a-fA-F:.]+\]|[0-9a-fA-F:.]+)$/.exec(text.trim());
  const address = m?.[3]?.replace(/^\[|\]$/g, '');
  if (!m || !address || isIP(address) === 0) {
    throw new InputError(null, null, null, `--resolve "${text}": expected HOST:PORT:ADDRESS with an IP address, e.g. portal.gov.vn:443:127.0.0.1`);
  }
  const port = m[2] === '*' ? '*' : Number(m[2]);
  if (port !== '*' && (port < 1 || port > 65535)) throw new InputError(null, null, null, `--resolve "${text}": port must be 1–65535`);
  return { host: (m[1] ?? '').toLowerCase(), port, address };
}

export interface DnsResolverOptions {
  overrides?: ResolveOverride[];
  timeoutMs: number;
  /** Resolver servers as `host` or `host:port`; the system's when absent. */
  servers?: string[];
}

export class CachingResolver implements Resolver {
  private readonly cache = new Map<string, Promise<ResolvedAddress[]>>();
  private readonly dns: DnsResolver;

  constructor(private readonly opts: DnsResolverOptions) {
    this.dns = new DnsResolver({ timeout: opts.timeoutMs, tries: 2 });
    if (opts.servers?.length) this.dns.setServers(opts.servers);
  }

  resolve(host: string, port: number): Promise<ResolvedAddress[]> {
    const name = host.toLowerCase();
    // An entry for this exact port wins over a wildcard-port entry for the same host.
    const own = this.opts.overrides?.filter((o) => o.host === name) ?? [];
    const forHost = own.length ? own : (this.opts.overrides?.filter((o) => o.host === '*') ?? []);
    const exact = forHost.filter((o) => o.port === port);
    const override = exact.length ? exact : forHost.filter((o) => o.port === '*');
    if (override.length) {
      return Promise.resolve(override.map((o) => ({ address: o.address, family: isIP(o.address) === 6 ? 6 : 4 })));
    }
    const literal = isIP(name);
    if (literal) return Promise.resolve([{ address: name, family: literal === 6 ? 6 : 4 }]);
    let pending = this.cache.get(name);
    if (!pending) {
      pending = this.lookupName(name);
      this.cache.set(name, pending);
    }
    return pending;
  }

  private async lookupName(name: string): Promise<ResolvedAddress[]> {
    const [v4, v6] = await Promise.allSettled([this.dns.resolve4(name), this.dns.resolve6(name)]);
    const out: ResolvedAddress[] = [];
    // IPv4 first: the TLS checks judge the certificate, and IPv6 reachability has a family of its own.
    if (v4.status === 'fulfilled') out.push(...v4.value.map((address) => ({ address, family: 4 as const })));
    if (v6.status === 'fulfilled') out.push(...v6.value.map((address) => ({ address, family: 6 as const })));
    if (out.length) return out;
    // Names DNS does not know (localhost, /etc/hosts entries) still resolve the way the OS would.
    try {
      const local = await lookup(name, { all: true });
      if (local.length) return local.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
    } catch {
      // fall through to the DNS error, which says more
    }
    const reason = v4.status === 'rejected' ? (v4.reason as NodeJS.ErrnoException).code : 'no address';
    throw new ProbeError('dns', `cannot resolve ${name}: ${reason ?? 'no address'}`);
  }
}
