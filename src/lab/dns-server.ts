// An authoritative-and-recursive-looking DNS server for tests and benchmarks: it answers, from zones
// the caller defines, every A/AAAA/NS/MX/SOA question sent to it over UDP and TCP on loopback. It
// plays both the resolver a scan is pointed at (--dns-server) and the name servers it then probes.

import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import net from 'node:net';
import * as packet from 'dns-packet';

interface LabRecords {
  A?: string[];
  AAAA?: string[];
  NS?: string[];
  /** An exchange of '' (or '.') is a null MX (RFC 7505). */
  MX?: { preference: number; exchange: string }[];
}

export type LabZoneData = Record<string, LabRecords>;

export interface DnsFixture {
  address: string;
  port: number;
  /** Questions received, as `TYPE name`, for tests that assert what was asked. */
  queries: string[];
  /** Replace or add names while running. */
  set(name: string, records: LabRecords): void;
  close(): Promise<void>;
}

const norm = (n: string): string => n.toLowerCase().replace(/\.$/, '');

export async function startDnsFixture(opts: { zones: LabZoneData; address?: string; record?: boolean }): Promise<DnsFixture> {
  const address = opts.address ?? '::1';
  const names = new Map<string, LabRecords>();
  const parents = new Set<string>();
  const set = (name: string, records: LabRecords): void => {
    const n = norm(name);
    names.set(n, records);
    const labels = n.split('.');
    for (let i = 1; i < labels.length; i++) parents.add(labels.slice(i).join('.'));
  };
  for (const [name, records] of Object.entries(opts.zones)) set(name, records);
  const queries: string[] = [];

  const answer = (query: packet.DecodedPacket): Buffer => {
    const q = query.questions?.[0];
    const base: packet.Packet = {
      type: 'response',
      id: query.id ?? 0,
      flags: packet.AUTHORITATIVE_ANSWER | packet.RECURSION_AVAILABLE | ((query.flags ?? 0) & packet.RECURSION_DESIRED),
      questions: query.questions ?? [],
      answers: [],
    };
    if (!q) return packet.encode({ ...base, flags: (base.flags ?? 0) | 1 });
    const name = norm(q.name);
    if (opts.record !== false) queries.push(`${q.type} ${name}`);
    const rec = names.get(name);
    const zone = zoneOf(name, names);
    const soa: packet.Answer = {
      type: 'SOA',
      name: zone,
      ttl: 60,
      data: { mname: `ns.${zone}`, rname: `hostmaster.${zone}`, serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: 60 },
    };
    const answers: packet.Answer[] = [];
    if (rec) {
      if (q.type === 'A') for (const a of rec.A ?? []) answers.push({ type: 'A', name, ttl: 60, data: a });
      if (q.type === 'AAAA') for (const a of rec.AAAA ?? []) answers.push({ type: 'AAAA', name, ttl: 60, data: a });
      if (q.type === 'NS') for (const a of rec.NS ?? []) answers.push({ type: 'NS', name, ttl: 60, data: a });
      if (q.type === 'MX')
        for (const m of rec.MX ?? [])
          answers.push({ type: 'MX', name, ttl: 60, data: { preference: m.preference, exchange: m.exchange === '' ? '.' : m.exchange } });
      if (q.type === 'SOA' && rec.NS) answers.push(soa);
    }
    if (answers.length) return packet.encode({ ...base, answers });
    // NXDOMAIN only for names that do not exist at all; an empty non-terminal is NODATA.
    const exists = rec !== undefined || parents.has(name);
    const rcode = exists ? 0 : 3;
    return packet.encode({ ...base, flags: (base.flags ?? 0) | rcode, authorities: [soa] });
  };

  // A scan asks hundreds of questions at once while this process is busy serving web pages: with the
  // default buffer (about 200 kB) the kernel drops the burst and the scan waits out DNS timeouts.
  const udp: UdpSocket = createSocket({ type: net.isIPv6(address) ? 'udp6' : 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  udp.on('message', (msg, rinfo) => {
    let query: packet.DecodedPacket;
    try {
      query = packet.decode(msg);
    } catch {
      return;
    }
    udp.send(answer(query), rinfo.port, rinfo.address);
  });
  udp.on('error', () => undefined);
  const port = await new Promise<number>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind({ address, port: 0, exclusive: true }, () => resolve(udp.address().port));
  });

  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const len = buf.readUInt16BE(0);
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        try {
          const reply = answer(packet.decode(msg));
          const head = Buffer.alloc(2);
          head.writeUInt16BE(reply.length);
          socket.write(Buffer.concat([head, reply]));
        } catch {
          socket.destroy();
        }
      }
    });
  });
  // TCP on the same port as UDP, as a real server: bind may fail if the port is taken for TCP.
  await new Promise<void>((resolve) => {
    tcp.once('error', () => resolve());
    tcp.listen({ host: address, port, exclusive: true }, () => resolve());
  });

  return {
    address,
    port,
    queries,
    set,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise<void>((r) => udp.close(() => r())),
        new Promise<void>((r) => (tcp.listening ? tcp.close(() => r()) : r())),
      ]);
    },
  };
}

/** The closest enclosing name with NS records (or the name's last two labels). */
function zoneOf(name: string, names: Map<string, LabRecords>): string {
  const labels = name.split('.');
  for (let i = 0; i < labels.length; i++) {
    const candidate = labels.slice(i).join('.');
    if (names.get(candidate)?.NS) return candidate;
  }
  return labels.slice(-2).join('.');
}

/** A UDP socket that never answers: a name server that is down without refusing. */
export async function startSilentUdp(address = '::1'): Promise<{ port: number; close(): Promise<void> }> {
  const udp = createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
  udp.on('error', () => undefined);
  const port = await new Promise<number>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind({ address, port: 0, exclusive: true }, () => resolve(udp.address().port));
  });
  return { port, close: () => new Promise<void>((r) => udp.close(() => r())) };
}
