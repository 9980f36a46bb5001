// I/O shared by the IPv6 probes: looking up a host's addresses, and TCP connects that always pass the
// dialability gate and the port map.

import { ProbeError, type CheckContext, type NameResolver, type NetworkEnvironment } from '../../src/engine/types.js';
import type { AddressFacts, HostAddresses, LookupStatus, NonGlobalFacts, PortState } from './facts.js';
import { assertDialable, classify, dialPort } from './network.js';

/** A name with many addresses is judged on its first few: enough to see a defect, bounded traffic. */
export const MAX_ADDRESSES = 8;

export function namesOf(ctx: CheckContext): NameResolver {
  if (!ctx.names) throw new ProbeError('internal', 'no DNS resolver in the check context');
  return ctx.names;
}

export async function hostAddresses(ctx: CheckContext, env: NetworkEnvironment, name: string): Promise<HostAddresses> {
  const names = namesOf(ctx);
  const [a, aaaa] = await Promise.allSettled([names.addresses(name, 4), names.addresses(name, 6)]);
  const status = (r: PromiseSettledResult<{ status: LookupStatus }>): LookupStatus => (r.status === 'fulfilled' ? r.value.status : 'error');
  const records = (r: PromiseSettledResult<{ records: string[] }>): AddressFacts[] =>
    r.status === 'fulfilled' ? r.value.records.slice(0, MAX_ADDRESSES).map((x) => classify(x, env.lab)) : [];
  const failure = [a, aaaa].find((r) => r.status === 'rejected');
  return {
    name,
    a: records(a),
    aaaa: records(aaaa),
    lookup: {
      a: status(a),
      aaaa: status(aaaa),
      reason: failure && failure.status === 'rejected' ? (failure.reason instanceof Error ? failure.reason.message : String(failure.reason)) : null,
    },
  };
}

export function nonGlobalOf(hosts: readonly HostAddresses[]): NonGlobalFacts[] {
  const out: NonGlobalFacts[] = [];
  const seen = new Set<string>();
  for (const h of hosts) {
    for (const a of h.aaaa) {
      const key = `${h.name} ${a.address}`;
      if (!a.global && !seen.has(key)) {
        seen.add(key);
        out.push({ host: h.name, address: a.address, class: a.class });
      }
    }
  }
  return out;
}

/** One TCP connect: open, or closed with the reason (refused, timeout). */
export async function probePort(ctx: CheckContext, env: NetworkEnvironment, host: string, address: AddressFacts, port: number): Promise<PortState> {
  assertDialable(env, address);
  const dialed = dialPort(env, host, port);
  try {
    const socket = await ctx.dialer.connect({ address: address.address, port: dialed, timeoutMs: ctx.timeoutMs, signal: ctx.signal });
    socket.destroy();
    return { port, dialed, open: true, reason: null };
  } catch (err) {
    return { port, dialed, open: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
