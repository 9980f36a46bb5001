// ipv6.ns: the zone's NS set (found by walking up the labels), the AAAA of each name server, and
// whether each usable AAAA answers a DNS query over IPv6 (UDP, then TCP). Any reply counts, REFUSED too.

import { setMaxListeners } from 'node:events';
import { ProbeError, type CheckContext, type NetworkEnvironment } from '../../src/core/types.js';
import type { Target } from '../../src/core/types.js';
import { UdpDatagramSender, queryTcp, queryUdp } from '../../src/core/net/dns-wire.js';
import type { NameServerFacts, NsFacts, NsReach } from './facts.js';
import { assertDialable, dialPort, environmentOf, scannerFacts } from './network.js';
import { errorText, hostAddresses, namesOf, nonGlobalOf, oncePerRun } from './probe-common.js';

const MAX_NAME_SERVERS = 13;
const fallbackSender = new UdpDatagramSender();

export async function probeNs(target: Target, ctx: CheckContext): Promise<NsFacts> {
  const env = environmentOf(ctx);
  // Every connection of this probe listens on the target's signal while it is open.
  setMaxListeners(256, ctx.signal);
  const observedAt = ctx.now().toISOString();
  const { zone, nameServers } = await namesOf(ctx).zoneOf(target.host);
  const servers = await Promise.all(
    nameServers.slice(0, MAX_NAME_SERVERS).map(async (name): Promise<NameServerFacts> => {
      const addrs = await hostAddresses(ctx, env, name);
      const usable = env.ipv6.available ? addrs.aaaa.filter((a) => a.usable) : [];
      const reach = await Promise.all(usable.map((a) => reachNs(ctx, env, name, a.address, zone, () => assertDialable(env, a))));
      return { ...addrs, hasAaaa: addrs.aaaa.some((a) => a.usable), reach };
    }),
  );
  return {
    observedAt,
    scanner: scannerFacts(env),
    zone,
    nameServers: servers,
    withAaaa: servers.filter((s) => s.hasAaaa).length,
    nonGlobal: nonGlobalOf(servers),
  };
}

async function reachNs(
  ctx: CheckContext,
  env: NetworkEnvironment,
  name: string,
  address: string,
  zone: string,
  gate: () => void,
): Promise<NsReach> {
  gate();
  const port = dialPort(env, name, 53);
  // Two NS names on one address, or one zone reached from several targets: one question per run.
  return oncePerRun(ctx, `dns ${address} ${port} ${zone}`, () => askNs(ctx, address, port, zone));
}

async function askNs(ctx: CheckContext, address: string, port: number, zone: string): Promise<NsReach> {
  const q = { address, port, name: zone, type: 'SOA' as const, timeoutMs: ctx.timeoutMs, signal: ctx.signal };
  let udpReason: string;
  try {
    const r = await queryUdp(ctx.datagrams ?? fallbackSender, q);
    return { address, reachable: true, transport: 'udp', rcode: r.rcode, reason: null };
  } catch (err) {
    udpReason = errorText(err);
    if (err instanceof ProbeError && err.kind === 'internal') throw err;
  }
  try {
    const r = await queryTcp(ctx.dialer, q);
    return { address, reachable: true, transport: 'tcp', rcode: r.rcode, reason: null };
  } catch (err) {
    return { address, reachable: false, transport: null, rcode: null, reason: `UDP: ${udpReason}; TCP: ${errorText(err)}` };
  }
}
