// ipv6.mx: every MX host's AAAA, and whether each usable AAAA accepts TCP 25 with an SMTP greeting.

import { setMaxListeners } from 'node:events';
import type { CheckContext, NetworkEnvironment, Target } from '../../src/engine/types.js';
import type { Socket } from 'node:net';
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
  return { observedAt, scanner: scannerFacts(env), domain: target.host, lookup: found.status, nullMx, mx: hosts, nonGlobal: nonGlobalOf(hosts) };
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
    const banner = await firstLine(socket, ctx.timeoutMs);
    // Polite: say goodbye rather than drop the connection on the server.
    socket.end('QUIT\r\n');
    return { address: address.address, open: true, banner, smtp: banner !== null && /^220[ -]/.test(banner), reason: banner === null ? `no SMTP greeting within ${ctx.timeoutMs} ms` : null };
  } finally {
    socket.destroy();
  }
}

function firstLine(socket: Socket, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    let buf = '';
    const done = (line: string | null): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      resolve(line === null ? null : line.slice(0, 512));
    };
    const timer = setTimeout(() => done(buf ? buf : null), timeoutMs);
    const onData = (chunk: Buffer): void => {
      buf += chunk.toString('latin1');
      const eol = buf.indexOf('\n');
      if (eol >= 0) done(buf.slice(0, eol).replace(/\r$/, ''));
      else if (buf.length > 4096) done(buf);
    };
    socket.on('data', onData);
    socket.once('close', () => done(buf ? buf : null));
  });
}
