// GET /api/v1/findings: findings of the latest state with their evidence, filtered (FindingQuery),
// failed ones unless `outcome` says otherwise, newest first, paged.

import type { FastifyInstance } from 'fastify';
import type { FindingQuery } from '../contract.js';
import schema from '../schemas/findings-query.json' with { type: 'json' };
import { readRoute, type RouteContext } from './context.js';

export function registerFindingRoutes(app: FastifyInstance, ctx: RouteContext): void {
  readRoute(app, ctx, '/api/v1/findings', schema, (query: FindingQuery) => ctx.store.listFindings(query));
}
