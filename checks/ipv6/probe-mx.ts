// ipv6.mx: every MX host's AAAA, and whether each usable AAAA accepts TCP 25 with an SMTP greeting.

import { setMaxListeners } from 'node:events';
import { ProbeError, type CheckContext, type NetworkEnvironment, type Target } from '../../src/core/types.js';
import { ENGINE_MESSAGES, fillBoth } from '../../src/core/messages.js';
import type { Socket } from 'node:net';
import { readSmtpReply } from '../../src/core/net/smtp.js';
import type { AddressFacts, MxFacts, MxHostFacts, MxReach } from './facts.js';
import { assertDialable, dialPort, environmentOf, scannerFacts } from './network.js';
import { errorText, hostAddresses, namesOf, nonGlobalOf, oncePerRun } from './probe-common.js';

const MAX_MX = 10;

export async function probeMx(target: Target, ctx: CheckContext): Promise<MxFacts> {
  const env = environmentOf(ctx);
  // Every connection of this probe listens on the target's signal while it is open.
  setMaxListeners(256, ctx.signal);
  const observedAt = ctx.now().toISOString();
  const found = await namesOf(ctx).mailExchangers(target.host);
  if (found.status === 'nxdomain') throw new ProbeError('dns', fillBoth(ENGINE_MESSAGES.notFound, { name: target.host }));
  const records = [...found.records].sort((a, b) => a.preference - b.preference || (a.exchange < b.exchange ? -1 : 1));
  // RFC 7505: a single MX with an empty exchange (the root) says "no mail here".
  const nullMx = records.length === 1 && records[0]?.exchange === '';
  const hosts = nullMx
    ? []
    : await Promise.all(
        records.slice(0, MAX_MX).map(async (mx): Promise<MxHostFacts> => {
          const addrs = await hostAddresses(ctx, env, mx.exchange);
          const usable = env.ipv6.available ? addrs.aaaa.filter((a) => a.usable) : [];
          const reach = await Promise.all(usable.map((a) => smtpBanner(ctx, env, mx.exchange, a)));
          return { ...addrs, preference: mx.preference, hasAaaa: addrs.aaaa.some((a) => a.usable), reach };
        }),
      );
  return {
    observedAt,
    scanner: scannerFacts(env),
    domain: target.host,
    lookup: found.status,
    nullMx,
    mx: hosts,
    nonGlobal: nonGlobalOf(hosts),
  };
}

async function smtpBanner(ctx: CheckContext, env: NetworkEnvironment, host: string, address: AddressFacts): Promise<MxReach> {
  assertDialable(env, address);
  // Domains of one mail provider share its MX hosts: greet each address once per run.
  const port = dialPort(env, host, 25);
  return oncePerRun(ctx, `smtp ${host} ${address.address} ${port}`, () => greet(ctx, address, port));
}

async function greet(ctx: CheckContext, address: AddressFacts, port: number): Promise<MxReach> {
  let socket: Socket;
  try {
    socket = await ctx.dialer.connect({ address: address.address, port, timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  } catch (err) {
    return { address: address.address, open: false, banner: null, smtp: false, reason: errorText(err) };
  }
  try {
    const read = await readSmtpReply(socket, ctx.timeoutMs, ctx.signal);
    // Polite: say goodbye rather than drop the connection on the server.
    socket.end('QUIT\r\n');
    if (read.ok) {
      const { code, lines } = read.reply;
      const banner = `${code}${lines.length > 1 ? '-' : ' '}${lines[0] ?? ''}`.trimEnd().slice(0, 512);
      return {
        address: address.address,
        open: true,
        banner,
        smtp: code === 220,
        reason: code === 220 ? null : `the server greets with ${code}, not 220`,
      };
    }
    // Whatever came before the silence or the garbage, as a banner a reader can judge.
    const banner = read.received ? (read.received.split(/\r?\n/)[0] ?? '').slice(0, 512) : null;
    return {
      address: address.address,
      open: true,
      banner,
      smtp: false,
      reason: read.kind === 'timeout' && !banner ? `no SMTP greeting within ${ctx.timeoutMs} ms` : read.reason,
    };
  } finally {
    socket.destroy();
  }
}
