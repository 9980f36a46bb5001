// GET /api/v1/agencies?staleAfter=: every agency with its latest state.

import type { FastifyInstance } from 'fastify';
import { listRoute, type RouteContext } from './context.js';

/** Only ?staleAfter= (as /agents and /overview take it): anything else is a mistake worth a 400. */
const query = { type: 'object', additionalProperties: false, properties: { staleAfter: { type: 'integer', minimum: 1, maximum: 1000 } } };

export function registerAgencyRoutes(app: FastifyInstance, ctx: RouteContext): void {
  // Stale agents' results are kept out of each pass rate, as on the overview.
  listRoute(app, ctx, '/api/v1/agencies', query, ({ staleAfter, agency }: { staleAfter?: number; agency?: string }) =>
    ctx.store.listAgencies(agency, ctx.now().toISOString(), staleAfter ?? ctx.staleAfterIntervals),
  );
}
