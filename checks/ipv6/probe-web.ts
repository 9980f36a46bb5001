// ipv6.web: AAAA of the web host(s), TCP 80/443 over every usable AAAA compared with IPv4, and one GET
// per family per port for the same-site comparison.

import { setMaxListeners } from 'node:events';
import type { Socket } from 'node:net';
import { ProbeError, type CheckContext, type NetworkEnvironment, type Target } from '../../src/core/types.js';
import type { AddressFacts, HostAddresses, PortState, SameSiteFacts, V6Reach, WebFacts, WebHostFacts } from './facts.js';
import { dialPort, environmentOf, scannerFacts } from './network.js';
import { lookUpAddresses, nonGlobalOf, probePort } from './probe-common.js';
import { fetchPage, type Page, type PageRequest } from './probe-http.js';
import { similarity } from './similarity.js';
import { IPV6_MESSAGES } from './messages.js';
import { ENGINE_MESSAGES, fillBoth } from '../../src/core/messages.js';

export const WEB_PORTS = [80, 443] as const;

/** The exact host; for a bare domain also `www.` (or the apex when given `www.`). */
export function webHosts(target: Target): { name: string; role: WebHostFacts['role'] }[] {
  const host = target.host;
  if (target.kind !== 'domain') return [{ name: host, role: 'exact' }];
  if (host.startsWith('www.'))
    return [
      { name: host, role: 'www' },
      { name: host.slice(4), role: 'apex' },
    ];
  return [
    { name: host, role: 'apex' },
    { name: `www.${host}`, role: 'www' },
  ];
}

/**
 * The web hosts of a target with their addresses, or a ProbeError when there is nothing to judge: DNS
 * did not answer, the name does not exist (NXDOMAIN), or an https:// or host:port target has no address.
 * A bare domain whose apex and www. merely have no address is a domain without a website, judged so.
 */
export async function lookUpWebHosts(
  ctx: CheckContext,
  env: NetworkEnvironment,
  target: Target,
): Promise<{ role: WebHostFacts['role']; addrs: HostAddresses }[]> {
  const looked = await Promise.all(webHosts(target).map(async (h) => ({ role: h.role, ...(await lookUpAddresses(ctx, env, h.name)) })));
  if (looked.some((l) => l.addrs.a.length > 0 || l.addrs.aaaa.length > 0)) return looked;
  const failure = looked.find((l) => l.failure)?.failure;
  if (failure) throw new ProbeError('dns', failure);
  // webHosts lists the target's own name first.
  const own = looked[0]?.addrs;
  if (own && (own.lookup.a === 'nxdomain' || own.lookup.aaaa === 'nxdomain'))
    throw new ProbeError('dns', fillBoth(ENGINE_MESSAGES.notFound, { name: own.name }));
  if (own && target.kind !== 'domain') throw new ProbeError('dns', fillBoth(IPV6_MESSAGES.noAddress, { name: own.name }));
  return looked;
}

export async function probeWeb(target: Target, ctx: CheckContext): Promise<WebFacts> {
  const env = environmentOf(ctx);
  // Every connection of this probe listens on the target's signal while it is open.
  setMaxListeners(256, ctx.signal);
  const observedAt = ctx.now().toISOString();
  const looked = await lookUpWebHosts(ctx, env, target);
  const conns = new WebConnections(ctx, env);
  const hosts = await Promise.all(looked.map((l) => probeHost(ctx, env, target, conns, l.role, l.addrs)));
  // GETs sent on a connect whose port turned out closed over the other family are not compared, but
  // they are this probe's traffic: finish them before the probe ends.
  await conns.settled();
  return { observedAt, scanner: scannerFacts(env), ports: [...WEB_PORTS], hosts, nonGlobal: nonGlobalOf(hosts) };
}

/**
 * The TCP connects of one target. One connect per address and port, whoever asks: www. and the apex
 * usually share addresses, and whether a port accepts a connection does not depend on the name. A
 * connect to an address the same-site comparison will use carries that comparison's GET for the
 * host that made it, so a compared page costs one connection, not two.
 */
class WebConnections {
  private readonly states = new Map<string, Promise<PortState>>();
  private readonly pages = new Map<string, Promise<Page>>();

  constructor(
    private readonly ctx: CheckContext,
    private readonly env: NetworkEnvironment,
  ) {}

  /** The port's state; with `page`, a GET of that page on the connection if the port is open. */
  probe(host: string, address: AddressFacts, port: number, page?: PageRequest): Promise<PortState> {
    // The dialled port is part of the key: a host-specific --port-map sends one name elsewhere.
    const key = `${address.address} ${port} ${dialPort(this.env, host, port)}`;
    let pending = this.states.get(key);
    if (!pending) {
      const onOpen = page
        ? (socket: Socket): void => void this.pages.set(`${host} ${key}`, fetchPage(this.ctx, this.env, page, socket))
        : undefined;
      pending = probePort(this.ctx, this.env, host, address, port, onOpen);
      this.states.set(key, pending);
    }
    return pending;
  }

  /** The page fetched on the connect to this address and port for this host, or a fresh fetch. */
  fetch(req: PageRequest): Promise<Page> {
    const key = `${req.address.address} ${req.port} ${dialPort(this.env, req.host, req.port)}`;
    return this.pages.get(`${req.host} ${key}`) ?? fetchPage(this.ctx, this.env, req);
  }

  async settled(): Promise<void> {
    await Promise.all(this.pages.values());
  }
}

async function probeHost(
  _ctx: CheckContext,
  env: NetworkEnvironment,
  target: Target,
  conns: WebConnections,
  role: WebHostFacts['role'],
  addrs: HostAddresses,
): Promise<WebHostFacts> {
  const exists = addrs.a.length > 0 || addrs.aaaa.length > 0;
  const v4Usable = addrs.a.filter((a) => a.usable);
  const v6Usable = env.ipv6.available ? addrs.aaaa.filter((a) => a.usable) : [];
  // With addresses in both families the first of each is compared on every port open on both, so its
  // connects carry the GET; a host without that pair gets no GET at all.
  const pair = v4Usable.length > 0 && v6Usable.length > 0;
  const request = (a: AddressFacts, i: number, port: number): PageRequest | undefined =>
    pair && i === 0 ? pageRequest(target, addrs.name, a, port) : undefined;
  // Both families at once: the IPv6 connects do not depend on what IPv4 answered.
  const [v4States, v6States] = await Promise.all([
    Promise.all(v4Usable.flatMap((a, i) => WEB_PORTS.map((p) => conns.probe(addrs.name, a, p, request(a, i, p))))),
    Promise.all(v6Usable.map((a, i) => Promise.all(WEB_PORTS.map((p) => conns.probe(addrs.name, a, p, request(a, i, p)))))),
  ]);
  const v4Open = WEB_PORTS.filter((p) => v4States.some((s) => s.port === p && s.open));
  const v6 = v6Usable.map((a, i): V6Reach => {
    const ports: PortState[] = v6States[i] ?? [];
    const open = ports.filter((s) => s.open).map((s) => s.port);
    return { address: a.address, ports, open, missing: v4Open.filter((p) => !open.includes(p)) };
  });
  const sameSite: SameSiteFacts[] = [];
  const first6 = v6[0];
  const a4 = firstOpen(v4Usable, v4States);
  const a6 = first6 ? v6Usable.find((a) => a.address === first6.address) : undefined;
  if (a4 && a6 && first6) {
    const ports = WEB_PORTS.filter((port) => v4Open.includes(port) && first6.open.includes(port));
    sameSite.push(...(await Promise.all(ports.map((port) => compare(conns, target, addrs.name, port, a4(port), a6)))));
  }
  return { ...addrs, role, exists, v4Open, v6, sameSite };
}

/** The first usable IPv4 address that had the port open. */
function firstOpen(v4: AddressFacts[], states: PortState[]): ((port: number) => AddressFacts) | null {
  const first = v4[0];
  if (!first) return null;
  return (port) => {
    const i = states.findIndex((s) => s.port === port && s.open);
    // probePort results are in v4 × WEB_PORTS order.
    return i >= 0 ? (v4[Math.floor(i / WEB_PORTS.length)] ?? first) : first;
  };
}

function pageRequest(target: Target, host: string, address: AddressFacts, port: number): PageRequest {
  const scheme = port === 443 ? 'https' : 'http';
  const path = target.kind === 'web' && host === target.host ? target.path || '/' : '/';
  return { host, address, port, scheme, path };
}

async function compare(
  conns: WebConnections,
  target: Target,
  host: string,
  port: number,
  a4: AddressFacts,
  a6: AddressFacts,
): Promise<SameSiteFacts> {
  const r4 = pageRequest(target, host, a4, port);
  const [p4, p6] = await Promise.all([conns.fetch(r4), conns.fetch(pageRequest(target, host, a6, port))]);
  const scheme = r4.scheme;
  const compared = p4.facts.status === 'ok' && p6.facts.status === 'ok';
  const blockedStatus = (s: number | null): boolean => s === 403 || s === 429;
  return {
    port,
    scheme,
    v4: p4.facts,
    v6: p6.facts,
    compared,
    sameStatus: compared && p4.facts.httpStatus === p6.facts.httpStatus,
    similarity: compared ? similarity(p4.body, p6.body) : 0,
    blocked: compared && blockedStatus(p4.facts.httpStatus) !== blockedStatus(p6.facts.httpStatus),
  };
}
