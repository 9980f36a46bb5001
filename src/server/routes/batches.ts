// POST /api/v1/batches: the ingest hot path. The token was checked before the body was read; here
// the batch must be the token's own (agency and agent), then it is stored once by batch id.

import type { FastifyInstance } from 'fastify';
import type { Batch, BatchAck } from '../contract.js';
import { FORBIDDEN, sendError } from '../errors.js';
import schema from '../schemas/batch.json' with { type: 'json' };
import type { RouteContext } from './context.js';

export function registerBatchRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Body: Batch }>('/api/v1/batches', { onRequest: ctx.auth.agent, schema: { body: schema } }, async (request, reply) => {
    const batch = request.body;
    const principal = request.principal;
    if (!principal || batch.agency !== principal.agency || batch.agentId !== principal.agentId) return sendError(reply, 403, FORBIDDEN);
    const { status } = await ctx.store.ingest(batch, ctx.now().toISOString(), request.rawBody);
    ctx.metrics.batch(status, reply.elapsedTime / 1000);
    const ack: BatchAck = { batchId: batch.batchId, status };
    return reply.code(status === 'stored' ? 201 : 200).send(ack);
  });
}
