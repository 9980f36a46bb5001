// GET /api/v1/agencies: every agency with its latest state.

import type { FastifyInstance } from 'fastify';
import { listRoute, type RouteContext } from './context.js';

/** No parameters: anything in the query string is a mistake worth a 400. */
const noQuery = { type: 'object', additionalProperties: false };

export function registerAgencyRoutes(app: FastifyInstance, ctx: RouteContext): void {
  listRoute(app, ctx, '/api/v1/agencies', noQuery, ({ agency }: { agency?: string }) => ctx.store.listAgencies(agency));
}
