// Opening a connection that TLS can start on: a plain connect for https:// and tls:// targets, and for
// smtp:// targets the SMTP dialogue of RFC 3207 first (greeting, EHLO, STARTTLS, 220), as testssl.sh
// and sslyze do. Every TLS connection of the check (the full handshake and each version probe) goes
// through here, so each sees the server exactly as a mail client would.

import type { Socket } from 'node:net';
import type { CheckContext, ErrorKind } from '../../src/core/types.js';
import { ProbeError } from '../../src/core/types.js';
import { printable, readSmtpReply, type SmtpReply } from '../../src/core/net/smtp.js';

type StartTlsProtocol = 'smtp';

export interface TlsDialTarget {
  address: string;
  port: number;
  /** Set for endpoints that speak a plain-text protocol before TLS. */
  starttls?: StartTlsProtocol;
}

/** What the EHLO name says about us: a reserved name (RFC 2606), never the scanning host's. */
const EHLO_NAME = 'govscan.invalid';

export async function connectForTls(ctx: CheckContext, ep: TlsDialTarget, signal: AbortSignal): Promise<Socket> {
  const socket = await ctx.dialer.connect({ address: ep.address, port: ep.port, timeoutMs: ctx.timeoutMs, signal });
  if (!ep.starttls) return socket;
  try {
    await smtpStartTls(socket, ctx.timeoutMs, signal);
    return socket;
  } catch (err) {
    socket.destroy();
    throw err;
  }
}

/** Runs greeting → EHLO → STARTTLS → 220 on a connected socket; throws ProbeError saying where it stopped. */
async function smtpStartTls(socket: Socket, timeoutMs: number, signal: AbortSignal): Promise<{ greeting: string; capabilities: string[] }> {
  const greeting = await expectReply(socket, timeoutMs, signal, 'the greeting', 220);
  socket.write(`EHLO ${EHLO_NAME}\r\n`);
  const ehlo = await expectReply(socket, timeoutMs, signal, 'EHLO', 250);
  // The first line is the server's name; each further line is one extension keyword and its parameters.
  const capabilities = ehlo.lines.slice(1).map((l) => (l.split(/\s+/)[0] ?? '').toUpperCase());
  if (!capabilities.includes('STARTTLS')) {
    socket.end('QUIT\r\n');
    throw new ProbeError('protocol', `the SMTP server does not offer STARTTLS (EHLO lists: ${capabilities.join(', ') || 'nothing'})`);
  }
  socket.write('STARTTLS\r\n');
  await expectReply(socket, timeoutMs, signal, 'STARTTLS', 220);
  return { greeting: printable(greeting.lines[0] ?? ''), capabilities };
}

async function expectReply(socket: Socket, timeoutMs: number, signal: AbortSignal, step: string, code: number): Promise<SmtpReply> {
  const read = await readSmtpReply(socket, timeoutMs, signal);
  if (!read.ok) {
    const kind: ErrorKind = read.kind === 'timeout' ? 'timeout' : 'protocol';
    throw new ProbeError(kind, `SMTP ${step}: ${read.reason}`);
  }
  if (read.reply.code !== code) {
    throw new ProbeError('protocol', `SMTP ${step}: expected ${code}, got ${read.reply.code} ${printable(read.reply.lines[0] ?? '')}`);
  }
  return read.reply;
}
