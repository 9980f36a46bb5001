// The access log (`govscan server --access-log`): one JSON line per answered request on the server's
// logger (pino, stderr, so journald keeps it), with what an operator searches by: method, route
// pattern, status, duration and the name of the token that was shown. Never the token, the
// Authorization header or the query string (a link may carry filters an agency considers private):
// the route pattern (`/api/v1/export/:file`) says which API was used.

import type { FastifyInstance } from 'fastify';

export interface AccessLine {
  event: 'request';
  method: string;
  /** The route pattern, or `unmatched` for a 404 outside every route. */
  route: string;
  status: number;
  /** Milliseconds from the request's arrival to the end of the response. */
  durationMs: number;
  /** The accepted token's name (or the refused one's, for a 403), null when none was shown or known. */
  token: string | null;
  address: string;
}

export function registerAccessLog(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    const line: AccessLine = {
      event: 'request',
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      token: request.tokenName,
      address: request.ip,
    };
    request.log.info(line, 'request');
    done();
  });
}
