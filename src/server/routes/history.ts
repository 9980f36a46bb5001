// GET /api/v1/history?agency=&system=&rule=&target=: one point per stored batch, oldest first.

import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/store-types.js';
import schema from '../schemas/history-query.json' with { type: 'json' };
import { listRoute, type RouteContext } from './context.js';

export function registerHistoryRoutes(app: FastifyInstance, ctx: RouteContext): void {
  listRoute(app, ctx, '/api/v1/history', schema, (query: Parameters<Store['history']>[0]) => ctx.store.history(query));
}
