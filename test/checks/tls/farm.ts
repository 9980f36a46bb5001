// A minimal live fixture for the tls.endpoint check: loopback servers with lab certificates and a
// CheckContext whose dialer refuses anything but loopback.

import { once } from 'node:events';
import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { ProbeError, type CheckContext, type Dialer, type Resolver, type Target } from '../../../src/core/types.js';
import { chainPem, type IssuedCert } from '../../../src/lab/pki.js';

const LOOPBACK = new Set(['127.0.0.1', '::1']);

export interface TestContextOptions {
  anchors: IssuedCert[];
  custom?: IssuedCert[] | null;
  timeoutMs?: number;
  /** Test host name → loopback address. */
  hosts?: Record<string, string>;
  signal?: AbortSignal;
}

export interface TestContext extends CheckContext {
  /** Connections the dialer opened, for asserting how many handshakes a probe costs. */
  dials: number;
}

export function testContext(opts: TestContextOptions): TestContext {
  const timeoutMs = opts.timeoutMs ?? 2_000;
  const resolver: Resolver = {
    async resolve(host) {
      const family = net.isIP(host);
      if (family) return [{ address: host, family: family === 6 ? 6 : 4 }];
      const address = opts.hosts?.[host];
      if (!address) throw new ProbeError('dns', `${host}: not a test host`);
      return [{ address, family: net.isIP(address) === 6 ? 6 : 4 }];
    },
  };
  const ctx: TestContext = {
    dials: 0,
    resolver,
    dialer: undefined as unknown as Dialer,
    now: () => new Date(),
    timeoutMs,
    signal: opts.signal ?? new AbortController().signal,
    trust: {
      public: { name: 'public', certificates: opts.anchors.map((c) => new X509Certificate(c.der)) },
      custom: opts.custom ? { name: 'custom', certificates: opts.custom.map((c) => new X509Certificate(c.der)) } : null,
    },
    userAgent: 'govscan-test/0',
  };
  ctx.dialer = {
    connect({ address, port, timeoutMs: t, signal }) {
      if (!LOOPBACK.has(address)) return Promise.reject(new Error(`test dialer refuses non-loopback ${address}`));
      ctx.dials++;
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(new ProbeError('timeout', 'aborted before connect'));
        const socket = net.connect({ host: address, port });
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new ProbeError('timeout', 'connect timeout'));
        }, t);
        socket.once('error', (err) => {
          clearTimeout(timer);
          reject(new ProbeError('connectivity', err.message));
        });
        socket.once('connect', () => {
          clearTimeout(timer);
          socket.on('error', () => undefined);
          resolve(socket);
        });
      });
    },
  };
  return ctx;
}

export function target(host: string, port: number, scheme: 'https' | 'tls' = 'https', path = '/'): Target {
  const h = net.isIP(host) === 6 ? `[${host}]` : host;
  return { key: `${scheme}://${h}:${port}`, kind: scheme === 'https' ? 'web' : 'host', scheme, host, port, path };
}

export interface Running {
  port: number;
  close(): Promise<void>;
  /** SNI values the server saw, in connection order (false when none was sent). */
  servernames: Array<string | false>;
}

const open: Array<() => Promise<void>> = [];

/** Close every server started by the helpers below. */
export async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((c) => c()));
}

function track(server: net.Server): () => Promise<void> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  open.push(close);
  return close;
}

async function listen(server: net.Server, host: string): Promise<number> {
  server.listen(0, host);
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

export interface ServeOptions {
  host?: string;
  /** Certificates in the order the server sends them, leaf first unless testing misordering. */
  chain: IssuedCert[];
  key?: IssuedCert;
  tls?: tls.TlsOptions;
  /** HTTP: headers of every response; TLS: a banner written after the handshake. */
  headers?: Record<string, string>;
  banner?: string;
  ocsp?: Buffer;
}

/** An HTTPS server answering every request with 200 and the given headers. */
export async function serveHttps(opts: ServeOptions): Promise<Running> {
  const servernames: Array<string | false> = [];
  const server = https.createServer({ cert: chainPem(opts.chain), key: (opts.key ?? opts.chain[0])!.keyPem, ...opts.tls }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', ...opts.headers });
    res.end('ok\n');
  });
  hookServer(server, servernames, opts.ocsp);
  const close = track(server);
  return { port: await listen(server, opts.host ?? '127.0.0.1'), close, servernames };
}

/** A TLS server that writes a banner (or nothing) and otherwise ignores the client. */
export async function serveTls(opts: ServeOptions): Promise<Running> {
  const servernames: Array<string | false> = [];
  const server = tls.createServer({ cert: chainPem(opts.chain), key: (opts.key ?? opts.chain[0])!.keyPem, ...opts.tls }, (socket) => {
    socket.on('error', () => undefined);
    if (opts.banner !== undefined) socket.end(opts.banner);
  });
  hookServer(server, servernames, opts.ocsp);
  const close = track(server);
  return { port: await listen(server, opts.host ?? '127.0.0.1'), close, servernames };
}

function hookServer(server: tls.Server, servernames: Array<string | false>, ocsp?: Buffer): void {
  server.on('tlsClientError', () => undefined);
  server.on('secureConnection', (s: tls.TLSSocket) => servernames.push((s as tls.TLSSocket & { servername: string | false }).servername));
  if (ocsp) server.on('OCSPRequest', (_cert: Buffer, _issuer: Buffer, cb: (err: Error | null, resp?: Buffer) => void) => cb(null, ocsp));
}

/** A TCP server that accepts and then says nothing (or writes junk). */
export async function serveRaw(opts: { host?: string; reply?: Buffer }): Promise<Running> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    if (opts.reply) socket.write(opts.reply);
  });
  const close = track(server);
  return { port: await listen(server, opts.host ?? '127.0.0.1'), close, servernames: [] };
}

/**
 * A TCP server that waits for the client's first TLS record, remembers it, and lets the test answer
 * with whatever bytes it likes (split records, odd alerts, SSLv2) or close.
 */
export async function serveScripted(opts: {
  host?: string;
  answer: (hello: Buffer, socket: net.Socket) => void;
}): Promise<Running & { hellos: Buffer[] }> {
  const hellos: Buffer[] = [];
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 5 || buf.length < 5 + buf.readUInt16BE(3)) return;
      socket.off('data', onData);
      const hello = buf.subarray(0, 5 + buf.readUInt16BE(3));
      hellos.push(hello);
      opts.answer(hello, socket);
    };
    socket.on('data', onData);
  });
  const close = track(server);
  return { port: await listen(server, opts.host ?? '127.0.0.1'), close, servernames: [], hellos };
}
