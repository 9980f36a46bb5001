// I/O shared by the IPv6 probes: looking up a host's addresses, and TCP connects that always pass the
// dialability gate and the port map.

import type { Socket } from 'node:net';
import { ProbeError, type CheckContext, type Localized, type NameResolver, type NetworkEnvironment } from '../../src/core/types.js';
import type { AddressFacts, HostAddresses, LookupStatus, NonGlobalFacts, PortState } from './facts.js';
import { assertDialable, classify, dialPort } from './network.js';

/** A name with many addresses is judged on its first few: enough to see a defect, bounded traffic. */
const MAX_ADDRESSES = 8;

export function namesOf(ctx: CheckContext): NameResolver {
  if (!ctx.names) throw new ProbeError('internal', 'no DNS resolver in the check context');
  return ctx.names;
}

export async function hostAddresses(ctx: CheckContext, env: NetworkEnvironment, name: string): Promise<HostAddresses> {
  return (await lookUpAddresses(ctx, env, name)).addrs;
}

/** A name's A and AAAA, with the first failed question's reason in both languages (null when DNS answered both). */
export async function lookUpAddresses(
  ctx: CheckContext,
  env: NetworkEnvironment,
  name: string,
): Promise<{ addrs: HostAddresses; failure: Localized | null }> {
  const names = namesOf(ctx);
  const [a, aaaa] = await Promise.allSettled([names.addresses(name, 4), names.addresses(name, 6)]);
  const status = (r: PromiseSettledResult<{ status: LookupStatus }>): LookupStatus => (r.status === 'fulfilled' ? r.value.status : 'error');
  const records = (r: PromiseSettledResult<{ records: string[] }>): AddressFacts[] =>
    r.status === 'fulfilled' ? r.value.records.slice(0, MAX_ADDRESSES).map((x) => classify(x, env.lab)) : [];
  const rejected = [a, aaaa].find((r) => r.status === 'rejected');
  const error: unknown = rejected?.status === 'rejected' ? rejected.reason : undefined;
  const failure = rejected
    ? error instanceof ProbeError && error.text
      ? error.text
      : { en: errorText(error), vi: errorText(error) }
    : null;
  return {
    addrs: { name, a: records(a), aaaa: records(aaaa), lookup: { a: status(a), aaaa: status(aaaa), reason: failure ? failure.en : null } },
    failure,
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

/**
 * One TCP connect: open, or closed with the reason (refused, timeout). `onOpen` takes over the open
 * socket (to send a request on it); without it the socket is closed at once.
 */
export async function probePort(
  ctx: CheckContext,
  env: NetworkEnvironment,
  host: string,
  address: AddressFacts,
  port: number,
  onOpen?: (socket: Socket) => void,
): Promise<PortState> {
  assertDialable(env, address);
  const dialed = dialPort(env, host, port);
  let socket: Socket;
  try {
    socket = await ctx.dialer.connect({ address: address.address, port: dialed, timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  } catch (err) {
    return { port, dialed, open: false, reason: err instanceof Error ? err.message : String(err) };
  }
  if (onOpen) onOpen(socket);
  else socket.destroy();
  return { port, dialed, open: true, reason: null };
}

type Settled = { ok: true; value: unknown; cutShort: boolean } | { ok: false; error: unknown; cutShort: boolean };

// Per run, not per process: keyed on the run's resolver and dialer, which every scan builds afresh, so
// a later scan in the same process (tests, the server) never sees an earlier scan's answers.
const runMemos = new WeakMap<object, WeakMap<object, Map<string, Promise<Settled>>>>();

function memoOf(ctx: CheckContext): Map<string, Promise<Settled>> {
  const run = ctx.names ?? ctx.resolver;
  let byDialer = runMemos.get(run);
  if (!byDialer) {
    byDialer = new WeakMap();
    runMemos.set(run, byDialer);
  }
  let memo = byDialer.get(ctx.dialer);
  if (!memo) {
    memo = new Map();
    byDialer.set(ctx.dialer, memo);
  }
  return memo;
}

/**
 * A probe whose answer is a property of the server, not of the domain that led to it (an MX host's SMTP
 * greeting, a name server's answer for a zone), made once per run: a thousand domains on one mail
 * provider mean one connection to its server, not a thousand. A result that settled after the
 * producing target's deadline passed may be that deadline's doing, so it is dropped, and a target
 * waiting on it probes anew under its own deadline.
 */
export async function oncePerRun<T>(ctx: CheckContext, key: string, probe: () => Promise<T>): Promise<T> {
  const memo = memoOf(ctx);
  for (;;) {
    let pending = memo.get(key);
    const mine = !pending;
    if (!pending) {
      const signal = ctx.signal;
      pending = probe().then(
        (value): Settled => ({ ok: true, value, cutShort: signal.aborted }),
        (error: unknown): Settled => ({ ok: false, error, cutShort: signal.aborted }),
      );
      memo.set(key, pending);
    }
    const settled = await pending;
    if (settled.cutShort && memo.get(key) === pending) memo.delete(key);
    if (mine || !settled.cutShort) {
      if (settled.ok) return settled.value as T;
      throw settled.error;
    }
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
