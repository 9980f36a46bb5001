// GET /healthz: no token; 200 when the database answers a trivial lookup, 503 when it does not, so a
// load balancer takes a replica whose database is gone out of rotation.

import type { FastifyInstance } from 'fastify';
import { sendError } from '../errors.js';
import type { RouteContext } from './context.js';

export function registerHealthRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/healthz', async (request, reply) => {
    try {
      await ctx.store.getAgency('');
    } catch (err) {
      request.log.error({ err }, 'healthz: the database did not answer');
      return sendError(reply, 503, { error: 'internal', message: 'The database does not answer.' });
    }
    reply.header('cache-control', 'no-store');
    return { status: 'ok', db: ctx.store.dialect };
  });
}
