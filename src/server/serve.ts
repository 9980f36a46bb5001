// Puts the app on a socket: listen on host:port (HTTP, or HTTPS with a certificate and key), say
// where in one line on stderr (the agent's tests and the benchmark read it), and on SIGTERM/SIGINT
// stop taking connections, let requests in flight finish, and close the database.

import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from './app.js';
import type { Store } from './store/store-types.js';
import { DEFAULT_RATE_LIMITS, type RateLimitSettings } from './rate-limit-settings.js';
import { RetentionSchedule, type RetentionOptions } from './retention-schedule.js';
import type { CampaignRuntime } from './campaigns/runtime.js';

export interface ServeOptions {
  store: Store;
  host: string;
  /** 0 picks a free port. */
  port: number;
  tls?: { cert: string | Buffer; key: string | Buffer };
  bodyLimit?: number;
  staleAfterIntervals?: number;
  metricsPublic?: boolean;
  /** Per-minute limits; DEFAULT_RATE_LIMITS when absent. */
  rateLimits?: RateLimitSettings;
  logger?: AppOptions['logger'];
  /** One JSON line per request on stderr (access-log.ts); off by default. */
  accessLog?: boolean;
  /** Prune old reports at start and every hour (retention-schedule.ts); none when absent. */
  retention?: RetentionOptions;
  /** The server's clock (tests move it). */
  now?: () => Date;
  /** Scan campaigns (routes, queue, scheduler, in-process pool): started before listening, stopped after. */
  campaigns?: CampaignRuntime;
}

interface RunningServer {
  app: FastifyInstance;
  url: string;
  /** Stops listening, waits for requests in flight, closes the store. Safe to call twice. */
  close(): Promise<void>;
}

/** `http://127.0.0.1:8080`, with IPv6 addresses in brackets. */
function formatUrl(tls: boolean, address: string, port: number): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return `${tls ? 'https' : 'http'}://${host}:${port}`;
}

async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const app = buildApp({
    store: opts.store,
    bodyLimit: opts.bodyLimit,
    staleAfterIntervals: opts.staleAfterIntervals,
    metricsPublic: opts.metricsPublic,
    ...(opts.now ? { now: opts.now } : {}),
    rateLimits: opts.rateLimits ?? DEFAULT_RATE_LIMITS,
    // JSON lines on stderr, for journald: failures always (500s, a database gone away, refused tokens
    // and enrolments are the operator's to see, never the client's), each request with --access-log.
    // No line carries request headers; the redaction is a second lock on the token should one ever.
    logger: opts.logger ?? {
      level: opts.accessLog ? 'info' : 'warn',
      stream: process.stderr,
      redact: { paths: ['req.headers.authorization', 'headers.authorization', 'authorization'], censor: '[redacted]' },
    },
    accessLog: opts.accessLog ?? false,
    https: opts.tls,
    ...(opts.campaigns ? { campaigns: opts.campaigns.service } : {}),
  });
  // Resumes what the database holds (queued jobs, schedules) before the first request.
  await opts.campaigns?.start();
  try {
    await app.listen({ host: opts.host, port: opts.port });
  } catch (err) {
    await opts.campaigns?.stop();
    throw err;
  }
  const address = app.server.address() as AddressInfo;
  const url = formatUrl(Boolean(opts.tls), address.address, address.port);
  const retention = opts.retention
    ? new RetentionSchedule(opts.store, { ...(opts.now ? { now: opts.now } : {}), ...opts.retention })
    : null;
  retention?.start();
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      try {
        await retention?.stop();
        await app.close();
        await opts.campaigns?.stop();
      } finally {
        await opts.store.close();
      }
    })());
  return { app, url, close };
}

/**
 * Serves until SIGTERM or SIGINT, then closes gracefully; a second signal while closing exits at
 * once. Resolves when the server has closed.
 */
export async function serveUntilSignalled(
  opts: ServeOptions,
  write: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): Promise<void> {
  const server = await startServer(opts);
  write(`govscan server listening on ${server.url} (db ${opts.store.dialect})`);
  await new Promise<void>((resolve, reject) => {
    let signalled = false;
    const onSignal = (): void => {
      if (signalled) process.exit(130);
      signalled = true;
      server.close().then(resolve, reject);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
