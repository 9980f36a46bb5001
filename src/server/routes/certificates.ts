// GET /api/v1/certificates?agency=&days=: certificates (on endpoints or agent hosts) expiring within `days`.

import type { FastifyInstance } from 'fastify';
import schema from '../schemas/certificates-query.json' with { type: 'json' };
import { listRoute, type RouteContext } from './context.js';

export function registerCertificateRoutes(app: FastifyInstance, ctx: RouteContext): void {
  listRoute(app, ctx, '/api/v1/certificates', schema, (query: { agency?: string; days: number }) =>
    ctx.store.certificates({ ...query, now: ctx.now().toISOString() }),
  );
}
