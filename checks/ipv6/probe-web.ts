// ipv6.web: AAAA of the web host(s), TCP 80/443 over every usable AAAA compared with IPv4, and one GET
// per family per port for the same-site comparison.

import { setMaxListeners } from 'node:events';
import { ProbeError, type CheckContext, type NetworkEnvironment, type Target } from '../../src/engine/types.js';
import type { AddressFacts, HostAddresses, PortState, SameSiteFacts, V6Reach, WebFacts, WebHostFacts } from './facts.js';
import { environmentOf, scannerFacts } from './network.js';
import { hostAddresses, nonGlobalOf, probePort } from './probe-common.js';
import { fetchPage } from './probe-http.js';
import { similarity } from './similarity.js';

export const WEB_PORTS = [80, 443] as const;

/** The exact host; for a bare domain also `www.` (or the apex when given `www.`). */
export function webHosts(target: Target): { name: string; role: WebHostFacts['role'] }[] {
  const host = target.host;
  if (target.kind !== 'domain') return [{ name: host, role: 'exact' }];
  if (host.startsWith('www.')) return [{ name: host, role: 'www' }, { name: host.slice(4), role: 'apex' }];
  return [{ name: host, role: 'apex' }, { name: `www.${host}`, role: 'www' }];
}

export async function probeWeb(target: Target, ctx: CheckContext): Promise<WebFacts> {
  const env = environmentOf(ctx);
  // Every connection of this probe listens on the target's signal while it is open.
  setMaxListeners(256, ctx.signal);
  const observedAt = ctx.now().toISOString();
  const looked = await Promise.all(webHosts(target).map(async (h) => ({ role: h.role, addrs: await hostAddresses(ctx, env, h.name) })));
  if (looked.every((l) => l.addrs.lookup.a === 'error' && l.addrs.lookup.aaaa === 'error')) {
    throw new ProbeError('dns', `DNS did not answer for ${looked.map((l) => l.addrs.name).join(', ')}: ${looked[0]?.addrs.lookup.reason ?? ''}`);
  }
  const hosts = await Promise.all(looked.map((l) => probeHost(ctx, env, target, l.role, l.addrs)));
  return { observedAt, scanner: scannerFacts(env), ports: [...WEB_PORTS], hosts, nonGlobal: nonGlobalOf(hosts) };
}

async function probeHost(ctx: CheckContext, env: NetworkEnvironment, target: Target, role: WebHostFacts['role'], addrs: HostAddresses): Promise<WebHostFacts> {
  const exists = addrs.a.length > 0 || addrs.aaaa.length > 0;
  const v4Usable = addrs.a.filter((a) => a.usable);
  const v6Usable = env.ipv6.available ? addrs.aaaa.filter((a) => a.usable) : [];
  const v4States = await Promise.all(v4Usable.flatMap((a) => WEB_PORTS.map((p) => probePort(ctx, env, addrs.name, a, p))));
  const v4Open = WEB_PORTS.filter((p) => v4States.some((s) => s.port === p && s.open));
  const v6 = await Promise.all(
    v6Usable.map(async (a): Promise<V6Reach> => {
      const ports: PortState[] = await Promise.all(WEB_PORTS.map((p) => probePort(ctx, env, addrs.name, a, p)));
      const open = ports.filter((s) => s.open).map((s) => s.port);
      return { address: a.address, ports, open, missing: v4Open.filter((p) => !open.includes(p)) };
    }),
  );
  const sameSite: SameSiteFacts[] = [];
  const first6 = v6[0];
  const a4 = firstOpen(v4Usable, v4States);
  const a6 = first6 ? v6Usable.find((a) => a.address === first6.address) : undefined;
  if (a4 && a6 && first6) {
    for (const port of WEB_PORTS) {
      if (!v4Open.includes(port) || !first6.open.includes(port)) continue;
      sameSite.push(await compare(ctx, env, target, addrs.name, port, a4(port), a6));
    }
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

async function compare(ctx: CheckContext, env: NetworkEnvironment, target: Target, host: string, port: number, a4: AddressFacts, a6: AddressFacts): Promise<SameSiteFacts> {
  const scheme = port === 443 ? 'https' : 'http';
  const path = target.kind === 'web' && host === target.host ? target.path || '/' : '/';
  const [p4, p6] = await Promise.all([
    fetchPage(ctx, env, { host, address: a4, port, scheme, path }),
    fetchPage(ctx, env, { host, address: a6, port, scheme, path }),
  ]);
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
