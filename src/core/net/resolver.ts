// govscan resolves names itself (DESIGN §7: dns.Resolver.setServers does not affect lookup), caches
// per run, and honours curl-style --resolve HOST:PORT:ADDRESS overrides before anything else.
// With --dns-server it asks only those servers: never the operating system's resolver as well, so a
// lab or test run cannot leak a query to the network the machine sits on.

import { Resolver as DnsResolver } from 'node:dns/promises';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { InputError } from '../errors.js';
import { Semaphore } from './limiter.js';
import { isPort, isValidHost } from '../targets.js';
import { dnsFailure, ENGINE_MESSAGES, fillBoth } from '../messages.js';
import {
  ProbeError,
  type DnsLookup,
  type MxRecord,
  type NameResolver,
  type ResolvedAddress,
  type Resolver,
  type ZoneNameServers,
} from '../types.js';

export interface ResolveOverride {
  host: string;
  port: number | '*';
  address: string;
}

/**
 * Parse one `--resolve HOST:PORT:ADDRESS` (ADDRESS may be a bracketed IPv6 literal; PORT may be `*`;
 * HOST may be `*` for every name without an entry of its own, which lab and benchmark runs use).
 * A pattern such as `*.example.gov.vn` is refused: ignored, it would send those names to real DNS.
 */
export function parseResolveOverride(text: string): ResolveOverride {
  const m = /^([^:\s]+):(\d+|\*):(\[[0-9a-fA-F:.]+\]|[0-9a-fA-F:.]+)$/.exec(text.trim());
  const address = m?.[3]?.replace(/^\[|\]$/g, '');
  if (!m || !address || isIP(address) === 0) {
    throw InputError.unlocated(`--resolve "${text}": expected HOST:PORT:ADDRESS with an IP address, e.g. portal.gov.vn:443:127.0.0.1`);
  }
  const host = (m[1] ?? '').toLowerCase().replace(/\.$/, '');
  if (host !== '*' && !isValidHost(host)) {
    const why = host.includes('*')
      ? `"${host}" is a pattern: only a bare * stands for every name (list each name with its own --resolve)`
      : `"${host}" is not a valid host name`;
    throw InputError.unlocated(`--resolve "${text}": ${why}`);
  }
  const port = m[2] === '*' ? '*' : Number(m[2]);
  if (port !== '*' && !isPort(port)) throw InputError.unlocated(`--resolve "${text}": port must be 1–65535`);
  return { host, port, address };
}

/**
 * The --resolve entries that decide where HOST:PORT connects, most specific first: the host's own
 * entries for this port, else its own for any port, else the `*` host's for this port, else for any.
 */
export function overridesFor(overrides: readonly ResolveOverride[], host: string, port: number): ResolveOverride[] {
  const name = host.toLowerCase().replace(/\.$/, '');
  for (const h of [name, '*']) {
    const forHost = overrides.filter((o) => o.host === h);
    const exact = forHost.filter((o) => o.port === port);
    if (exact.length) return exact;
    const any = forHost.filter((o) => o.port === '*');
    if (any.length) return any;
  }
  return [];
}

/**
 * Parse one `--dns-server`: an IP address with an optional port, IPv6 literals in brackets when a
 * port is given (`[::1]:5353`, `127.0.0.1:5353`, `::1`). Returns the form dns.Resolver.setServers takes.
 */
export function parseDnsServer(text: string): string {
  const raw = text.trim();
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(raw);
  const v4 = /^([0-9.]+)(?::(\d+))?$/.exec(raw);
  let address: string | undefined;
  let port: string | undefined;
  if (bracketed) [, address, port] = bracketed;
  else if (v4) [, address, port] = v4;
  else if (isIP(raw) === 6) address = raw;
  if (!address || isIP(address) === 0) {
    throw InputError.unlocated(`--dns-server "${text}": expected an IP address with an optional port, e.g. [::1]:5353 or 127.0.0.1:53`);
  }
  const n = port === undefined ? 53 : Number(port);
  if (!isPort(n)) throw InputError.unlocated(`--dns-server "${text}": port must be 1–65535`);
  return isIP(address) === 6 ? `[${address}]:${n}` : `${address}:${n}`;
}

export interface DnsResolverOptions {
  overrides?: ResolveOverride[];
  timeoutMs: number;
  /** Resolver servers in the form parseDnsServer returns; the system's when absent. */
  servers?: string[];
}

/**
 * Questions outstanding at once. The resolver reads every reply from one UDP socket per server, whose
 * receive buffer (about 200 kB by default, a small datagram costing about 1 kB of it) the kernel fills
 * while the event loop is busy with handshakes: a 128-target scan asking its ~800 questions at once lost
 * hundreds of replies and waited out a five-second DNS timeout for each.
 */
const MAX_QUESTIONS_IN_FLIGHT = 64;

export class CachingResolver implements Resolver, NameResolver {
  private readonly cache = new Map<string, Promise<ResolvedAddress[]>>();
  private readonly records = new Map<string, Promise<DnsLookup<string> | DnsLookup<MxRecord>>>();
  private readonly zones = new Map<string, Promise<ZoneNameServers>>();
  private readonly dns: DnsResolver;
  private readonly inFlight = new Semaphore(MAX_QUESTIONS_IN_FLIGHT);
  /** Explicit servers: answers come from them alone. */
  private readonly pinned: boolean;

  constructor(private readonly opts: DnsResolverOptions) {
    this.dns = new DnsResolver({ timeout: opts.timeoutMs, tries: 2 });
    this.pinned = Boolean(opts.servers?.length);
    if (opts.servers?.length) this.dns.setServers(opts.servers);
  }

  addresses(name: string, family: 4 | 6): Promise<DnsLookup<string>> {
    return this.cached(`${family === 6 ? 'AAAA' : 'A'}\u0000${norm(name)}`, () =>
      this.ask(() => (family === 6 ? this.dns.resolve6(norm(name)) : this.dns.resolve4(norm(name)))),
    ) as Promise<DnsLookup<string>>;
  }

  nameServers(name: string): Promise<DnsLookup<string>> {
    return this.cached(`NS\u0000${norm(name)}`, async () => (await this.ask(() => this.dns.resolveNs(norm(name)))).map(norm)) as Promise<
      DnsLookup<string>
    >;
  }

  mailExchangers(name: string): Promise<DnsLookup<MxRecord>> {
    return this.cached(`MX\u0000${norm(name)}`, async () =>
      (await this.ask(() => this.dns.resolveMx(norm(name)))).map((r) => ({ preference: r.priority, exchange: norm(r.exchange) })),
    ) as Promise<DnsLookup<MxRecord>>;
  }

  zoneOf(name: string): Promise<ZoneNameServers> {
    const key = norm(name);
    let pending = this.zones.get(key);
    if (!pending) {
      pending = this.walk(key);
      this.zones.set(key, pending);
    }
    return pending;
  }

  /** internet.nl's way: the NS set of the closest enclosing name that has one. */
  private async walk(name: string): Promise<ZoneNameServers> {
    const labels = name.split('.').filter(Boolean);
    for (let i = 0; i < labels.length; i++) {
      const candidate = labels.slice(i).join('.');
      const found = await this.nameServers(candidate);
      if (found.status === 'ok' && found.records.length) return { zone: candidate, nameServers: [...found.records].sort() };
      // A name that does not exist has no zone: its parent's name servers would judge someone else's.
      if (i === 0 && found.status === 'nxdomain') throw new ProbeError('dns', fillBoth(ENGINE_MESSAGES.notFound, { name }));
    }
    throw new ProbeError('dns', `no NS records for ${name} or any parent zone`);
  }

  private async ask<T>(question: () => Promise<T>): Promise<T> {
    const release = await this.inFlight.acquire();
    try {
      return await question();
    } finally {
      release();
    }
  }

  private cached<T>(key: string, query: () => Promise<T[]>): Promise<DnsLookup<T>> {
    let pending = this.records.get(key) as Promise<DnsLookup<T>> | undefined;
    if (!pending) {
      pending = query().then(
        (records): DnsLookup<T> => (records.length ? { status: 'ok', records } : { status: 'nodata', records: [] }),
        (err: unknown): DnsLookup<T> => {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ENODATA') return { status: 'nodata', records: [] };
          if (code === 'ENOTFOUND') return { status: 'nxdomain', records: [] };
          const why = code ? dnsFailure(code) : { en: String(err), vi: String(err) };
          throw new ProbeError('dns', fillBoth(ENGINE_MESSAGES.lookupFailed, { question: key.replace('\u0000', ' '), why }));
        },
      );
      this.records.set(key, pending as Promise<DnsLookup<string> | DnsLookup<MxRecord>>);
    }
    return pending;
  }

  resolve(host: string, port: number): Promise<ResolvedAddress[]> {
    const name = host.toLowerCase();
    const override = overridesFor(this.opts.overrides ?? [], name, port);
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
    const [v4, v6] = await Promise.allSettled([this.ask(() => this.dns.resolve4(name)), this.ask(() => this.dns.resolve6(name))]);
    const out: ResolvedAddress[] = [];
    // IPv4 first: the TLS checks judge the certificate, and IPv6 reachability has a family of its own.
    if (v4.status === 'fulfilled') out.push(...v4.value.map((address) => ({ address, family: 4 as const })));
    if (v6.status === 'fulfilled') out.push(...v6.value.map((address) => ({ address, family: 6 as const })));
    if (out.length) return out;
    // The IPv4 question's failure says why (NXDOMAIN, a dead server); with both NODATA there is no address.
    const code = v4.status === 'rejected' ? (v4.reason as NodeJS.ErrnoException).code : undefined;
    if (this.pinned) {
      throw new ProbeError(
        'dns',
        fillBoth(ENGINE_MESSAGES.cannotResolveWith, { name, servers: this.opts.servers?.join(', ') ?? '', why: dnsFailure(code) }),
      );
    }
    // Names DNS does not know (localhost, /etc/hosts entries) still resolve the way the OS would.
    try {
      const local = await lookup(name, { all: true });
      if (local.length) return local.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
    } catch {
      // fall through to the DNS error, which says more
    }
    throw new ProbeError('dns', fillBoth(ENGINE_MESSAGES.cannotResolve, { name, why: dnsFailure(code) }));
  }
}

/** DNS names compare without case and without the root's trailing dot. */
function norm(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}
