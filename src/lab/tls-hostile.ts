// Hostile TLS peers for the enumeration (issue 14): each misbehaves in a way a scanner making dozens
// of hellos per endpoint must survive with at most one timeout per probe, without harm to the other
// endpoints it scans at the same time, and with facts that say "error" and why — never a pass.

import type net from 'node:net';
import tls from 'node:tls';
import { chainPem, type IssuedCert } from './pki.js';
import { startScriptedTls } from './scripted-tls.js';
import { farmLifecycle, listen } from './servers.js';

const RESET_SERVER_CIPHERS =
  'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:' +
  'ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:AES128-GCM-SHA256:AES128-SHA';

export type HostileKind = 'garbage-after-hello' | 'endless-records' | 'reset-after' | 'silent';

export const HOSTILE_KINDS: readonly HostileKind[] = ['garbage-after-hello', 'endless-records', 'reset-after', 'silent'];

interface HostileEndpoint {
  kind: HostileKind;
  address: '127.0.0.1' | '::1';
  port: number;
}

export interface HostileLab {
  endpoints: HostileEndpoint[];
  /** TCP connections each endpoint has accepted so far. */
  accepted(kind: HostileKind): number;
  close(): Promise<void>;
}

export interface HostileLabOptions {
  address?: '127.0.0.1' | '::1';
  /** The reset-after endpoint's certificate (a real TLS 1.2/1.3 server until it starts resetting). */
  leaf: IssuedCert;
  chain?: IssuedCert[];
  /** reset-after: connections served normally before every further one is reset (TCP RST). */
  resetAfter?: number;
}

export async function startHostileLab(opts: HostileLabOptions): Promise<HostileLab> {
  const address = opts.address ?? '127.0.0.1';
  const life = await farmLifecycle('govscan-tls-hostile-', undefined);
  const counts = new Map<HostileKind, number>(HOSTILE_KINDS.map((k) => [k, 0]));
  try {
    const endpoints = await Promise.all(
      HOSTILE_KINDS.map(async (kind): Promise<HostileEndpoint> => {
        let server: net.Server;
        let port: number;
        if (kind === 'reset-after') {
          const limit = opts.resetAfter ?? 3;
          server = tls.createServer(
            {
              cert: chainPem([opts.leaf, ...(opts.chain ?? [])]),
              key: opts.leaf.keyPem,
              minVersion: 'TLSv1.2',
              // Several TLS 1.2 suites, so a reset can fall in the middle of their enumeration.
              ciphers: RESET_SERVER_CIPHERS,
            },
            (socket) => {
              socket.on('error', () => {});
              socket.end();
            },
          );
          server.on('tlsClientError', () => {});
          // Ahead of the TLS layer's own listener, so a reset connection never reaches OpenSSL.
          server.prependListener('connection', (socket: net.Socket) => {
            if ((counts.get(kind) ?? 0) > limit) socket.resetAndDestroy();
          });
          life.tracker.track(server);
          port = await listen(server, address);
        } else {
          ({ server, port } = await startScriptedTls({ kind }, address, life.tracker));
        }
        server.prependListener('connection', () => counts.set(kind, (counts.get(kind) ?? 0) + 1));
        life.servers.push(server);
        return { kind, address, port };
      }),
    );
    return { endpoints, accepted: (kind) => counts.get(kind) ?? 0, close: life.close };
  } catch (err) {
    await life.close();
    throw err;
  }
}
