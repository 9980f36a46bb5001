// GET /api/v1/systems?agency=: information systems seen in the latest batches.

import type { FastifyInstance } from 'fastify';
import schema from '../schemas/agency-query.json' with { type: 'json' };
import { listRoute, type RouteContext } from './context.js';

export function registerSystemRoutes(app: FastifyInstance, ctx: RouteContext): void {
  listRoute(app, ctx, '/api/v1/systems', schema, ({ agency }: { agency?: string }) => ctx.store.listSystems(agency));
}
