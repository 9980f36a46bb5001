// Server plumbing shared by the scenario farm and the benchmark farm: HTTPS endpoints built from a
// plan, loopback listening on ephemeral ports, and socket tracking so close() really closes.

import type http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainPem, type IssuedCert } from './pki.js';

export const HSTS_VALUE = 'max-age=31536000; includeSubDomains';

export const TLS13_SUITES = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256';
export const ECDHE_AEAD =
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:' +
  'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305';
// TLS 1.0/1.1 have no AEAD suites; these keep forward secrecy so only the protocol is legacy.
export const ECDHE_CBC = 'ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA';
export const RSA_KX = 'AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256';
/** TLS 1.3 suites plus ECDHE AEAD suites for TLS 1.2: every choice has forward secrecy. */
export const BASELINE_CIPHERS = `${TLS13_SUITES}:${ECDHE_AEAD}`;

/**
 * The groups of Mozilla's intermediate profile (6.0), hybrid post-quantum first: OpenSSL's defaults
 * also accept ffdhe2048/ffdhe3072 in TLS 1.3, which NCSC-NL rates insufficient/phase-out
 * (TLS-KEX-GROUP-WEAK). Without ML-KEM (OpenSSL before 3.5, e.g. Node 22) the classical three.
 */
const GOOD_GROUPS = ((): string => {
  const withPq = 'X25519MLKEM768:X25519:P-256:P-384';
  try {
    tls.createSecureContext({ ecdhCurve: withPq });
    return withPq;
  } catch {
    return 'X25519:P-256:P-384';
  }
})();

/**
 * The one TLS configuration of every lab server meant to be "good" (farm baseline, example agency
 * portal, mail server, DNS lab sites): Mozilla's intermediate profile 6.0 — TLS 1.2 and 1.3, ECDHE
 * with AEAD suites only, its groups. Node's defaults would accept DHE, CBC and static-RSA suites and
 * ffdhe groups, which the TLS pack rightly reports. The profile leaves the suite order to the client
 * (every suite it allows is Good), as TLS-CIPHER-ORDER accepts.
 */
export const GOOD_TLS = {
  minVersion: 'TLSv1.2',
  maxVersion: 'TLSv1.3',
  ciphers: BASELINE_CIPHERS,
  ecdhCurve: GOOD_GROUPS,
  honorCipherOrder: false,
} as const satisfies tls.SecureContextOptions;

/** What one HTTPS endpoint serves. */
export interface EndpointPlan {
  /** Exactly the certificates the server sends, leaf first. */
  chain: IssuedCert[];
  /** DER OCSPResponse to staple; null disables stapling. */
  staple: Buffer | null;
  minVersion: 'TLSv1' | 'TLSv1.2';
  maxVersion: 'TLSv1.2' | 'TLSv1.3';
  ciphers: string;
  hsts: boolean;
  /** Text of the HTTP response body. */
  banner: string;
}

/** Tracks every socket a server accepts, so close() can end them and let the process exit. */
export class SocketTracker {
  private readonly sockets = new Set<net.Socket>();
  track(server: net.Server): void {
    server.on('connection', (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      // A peer resetting a hostile or half-open connection is expected, not a crash.
      socket.on('error', () => {});
    });
  }
  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}

export function listen(server: net.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port: 0, exclusive: true }, () => {
      server.off('error', reject);
      const info = server.address();
      if (info === null || typeof info === 'string') reject(new Error('server has no TCP address'));
      else resolve(info.port);
    });
  });
}

export function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}

/** Closes servers and destroys every tracked socket, including ones mid-handshake. */
export async function closeAll(servers: net.Server[], tracker: SocketTracker): Promise<void> {
  const closing = servers.map(closeServer);
  tracker.destroyAll();
  await Promise.all(closing);
}

export function urlHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

export function createHttpsEndpoint(plan: EndpointPlan): https.Server {
  const leaf = plan.chain[0];
  if (!leaf) throw new Error('endpoint plan has an empty chain');
  const server = https.createServer(
    {
      cert: chainPem(plan.chain),
      key: leaf.keyPem,
      // The good configuration, with the versions and suites the plan varies (groups never vary).
      ...GOOD_TLS,
      minVersion: plan.minVersion,
      maxVersion: plan.maxVersion,
      ciphers: plan.ciphers,
      // Idle keep-alive sockets would otherwise linger for the default five seconds.
      keepAliveTimeout: 1000,
    },
    (req, res) => {
      const body = `${plan.banner}\n`;
      const headers: http.OutgoingHttpHeaders = { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) };
      if (plan.hsts) headers['strict-transport-security'] = HSTS_VALUE;
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  );
  const staple = plan.staple;
  if (staple) {
    server.on('OCSPRequest', (_cert: Buffer, _issuer: Buffer, callback: (err: Error | null, resp?: Buffer) => void) =>
      callback(null, staple),
    );
  }
  // Scanners probing with unsupported versions or ciphers are routine; nothing to log or crash on.
  server.on('tlsClientError', () => {});
  return server;
}

/** Deterministic bytes that no TLS client can take for a record header (first byte is not 20–24). */
export function garbageBytes(length = 1024): Buffer {
  const out = Buffer.alloc(length);
  let x = 0x2545f491;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  out[0] = 0x47;
  return out;
}

/** The servers of one farm, its temp folder, and a close() that is safe to call twice. */
export interface FarmLifecycle {
  tracker: SocketTracker;
  servers: net.Server[];
  dir: string;
  close(): Promise<void>;
}

export async function farmLifecycle(prefix: string, tmpDir: string | undefined): Promise<FarmLifecycle> {
  const tracker = new SocketTracker();
  const servers: net.Server[] = [];
  const dir = tmpDir ?? (await mkdtemp(join(tmpdir(), prefix)));
  let closed = false;
  return {
    tracker,
    servers,
    dir,
    close: async () => {
      if (closed) return;
      closed = true;
      await closeAll(servers, tracker);
      // A folder the caller handed in is the caller's to remove.
      if (tmpDir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}
