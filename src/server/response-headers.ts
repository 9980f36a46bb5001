// Headers every answer carries: `x-content-type-options: nosniff` (a browser never guesses a type
// from a body an agent wrote), `cache-control: no-store` on API, health and metrics answers unless
// the route chose its own caching (fleet data and tokens must not stay in shared or browser caches),
// and HSTS when the server itself serves TLS.

import type { FastifyInstance } from 'fastify';

/** One year: browsers keep using HTTPS for this host once they have seen it. */
const HSTS = 'max-age=31536000';

function isApi(url: string): boolean {
  return url.startsWith('/api/') || url === '/healthz' || url.startsWith('/healthz?') || url === '/metrics' || url.startsWith('/metrics?');
}

export function registerResponseHeaders(app: FastifyInstance, opts: { tls: boolean }): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    if (opts.tls) reply.header('strict-transport-security', HSTS);
    if (isApi(request.url) && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
