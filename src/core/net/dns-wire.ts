// DNS on the wire, for probes that must talk to one particular server (is this name server reachable
// over IPv6?) rather than resolve a name. UDP goes through a DatagramSender and TCP through the Dialer,
// so tests can record and refuse both, and the per-host limit holds for DNS over TCP too.

import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import * as packet from 'dns-packet';
import { ProbeError, type DatagramSender, type Dialer } from '../types.js';

type WireRecordType = 'A' | 'AAAA' | 'NS' | 'MX' | 'SOA';

export interface WireReply {
  transport: 'udp' | 'tcp';
  rcode: string;
  truncated: boolean;
  authoritative: boolean;
  answers: number;
}

/** The real UDP sender: one socket per exchange, so a late reply can never be matched to another query. */
export class UdpDatagramSender implements DatagramSender {
  exchange(opts: { address: string; port: number; payload: Buffer; timeoutMs: number; signal?: AbortSignal }): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const family = isIP(opts.address);
      if (family === 0) return reject(new ProbeError('internal', `not an IP address: ${opts.address}`));
      const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
      let settled = false;
      const finish = (err: Error | null, reply?: Buffer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        socket.close();
        if (err) reject(err);
        else resolve(reply ?? Buffer.alloc(0));
      };
      const where = family === 6 ? `[${opts.address}]:${opts.port}` : `${opts.address}:${opts.port}`;
      const timer = setTimeout(
        () => finish(new ProbeError('timeout', `no UDP reply from ${where} within ${opts.timeoutMs} ms`)),
        opts.timeoutMs,
      );
      const onAbort = (): void => finish(new ProbeError('timeout', `target deadline passed waiting for ${where}`));
      if (opts.signal?.aborted) return onAbort();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      socket.on('error', (err: NodeJS.ErrnoException) =>
        finish(new ProbeError('connectivity', `UDP to ${where} failed: ${err.code ?? err.message}`)),
      );
      socket.on('message', (msg, rinfo) => {
        // Only the server we asked may answer: anything else on this port is noise.
        if (rinfo.port === opts.port) finish(null, msg);
      });
      socket.send(opts.payload, opts.port, opts.address);
    });
  }
}

function queryPacket(name: string, type: WireRecordType, id: number): packet.Packet {
  return { type: 'query', id, flags: 0, questions: [{ type, class: 'IN', name }] };
}

function describeReply(decoded: packet.DecodedPacket, transport: 'udp' | 'tcp'): WireReply {
  const flags = decoded.flags ?? 0;
  return {
    transport,
    // dns-packet decodes the rcode but its type definitions omit it.
    rcode: (decoded as { rcode?: string }).rcode ?? 'NOERROR',
    truncated: (flags & packet.TRUNCATED_RESPONSE) !== 0,
    authoritative: (flags & packet.AUTHORITATIVE_ANSWER) !== 0,
    answers: decoded.answers?.length ?? 0,
  };
}

export interface WireQuery {
  address: string;
  port: number;
  name: string;
  type: WireRecordType;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** One query over UDP; a reply with the wrong id is no reply. */
export async function queryUdp(sender: DatagramSender, q: WireQuery): Promise<WireReply> {
  const id = Math.floor(Math.random() * 0xffff);
  const payload = packet.encode(queryPacket(q.name, q.type, id));
  const reply = await sender.exchange({
    address: q.address,
    port: q.port,
    payload,
    timeoutMs: q.timeoutMs,
    ...(q.signal ? { signal: q.signal } : {}),
  });
  return decodeReply(reply, id, 'udp');
}

function decodeReply(reply: Buffer, id: number, transport: 'udp' | 'tcp'): WireReply {
  let decoded: packet.DecodedPacket;
  try {
    decoded = packet.decode(reply);
  } catch {
    throw new ProbeError('protocol', 'reply is not a DNS message');
  }
  if (decoded.id !== id) throw new ProbeError('protocol', 'reply does not match the query id');
  return describeReply(decoded, transport);
}

/** One query over TCP (RFC 7766: two-byte length prefix). */
export async function queryTcp(dialer: Dialer, q: WireQuery): Promise<WireReply> {
  const id = Math.floor(Math.random() * 0xffff);
  const socket = await dialer.connect({
    address: q.address,
    port: q.port,
    timeoutMs: q.timeoutMs,
    ...(q.signal ? { signal: q.signal } : {}),
  });
  try {
    const reply = await new Promise<Buffer>((resolve, reject) => {
      let buf = Buffer.alloc(0);
      const timer = setTimeout(() => done(new ProbeError('timeout', `no DNS reply over TCP within ${q.timeoutMs} ms`)), q.timeoutMs);
      const done = (err: Error | null, msg?: Buffer): void => {
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('close', onClose);
        if (err) reject(err);
        else resolve(msg ?? Buffer.alloc(0));
      };
      const onData = (chunk: Buffer): void => {
        buf = Buffer.concat([buf, chunk]);
        if (buf.length >= 2) {
          const len = buf.readUInt16BE(0);
          if (buf.length >= 2 + len) done(null, buf.subarray(2, 2 + len));
        }
      };
      const onClose = (): void => done(new ProbeError('connectivity', 'server closed the TCP connection without a DNS reply'));
      socket.on('data', onData);
      socket.once('close', onClose);
      socket.write(packet.streamEncode(queryPacket(q.name, q.type, id)));
    });
    return decodeReply(reply, id, 'tcp');
  } finally {
    socket.destroy();
  }
}
