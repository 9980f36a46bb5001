// POST /api/v1/batches: the ingest hot path. The token was checked (and its batches this minute
// counted) before the body was read; here the batch must be the token's own (agency and agent) and
// its free-form parts within bounds, then it is stored once by batch id — a batch id another agent
// already stored is a 409, never a "duplicate" that would make this agent drop its batch.

import type { FastifyInstance } from 'fastify';
import type { AuthHook } from '../auth.js';
import { freeFormViolation } from '../body-shape.js';
import type { Batch, BatchAck } from '../../contract/agent-api.js';
import { FORBIDDEN, sendError } from '../errors.js';
import { BatchSchema as schema } from '../../contract/batch-schema.js';
import type { RouteContext } from './context.js';

export function registerBatchRoutes(app: FastifyInstance, ctx: RouteContext): void {
  // Counted per token once the token is known, before the body is read.
  const limit: AuthHook = async (request, reply) => ((await ctx.limits.refuseIngest(request, reply)) ? reply : undefined);
  app.post<{ Body: Batch }>('/api/v1/batches', { onRequest: [ctx.auth.agent, limit], schema: { body: schema } }, async (request, reply) => {
    const batch = request.body;
    const principal = request.principal;
    if (!principal || batch.agency !== principal.agency || batch.agentId !== principal.agentId) return sendError(reply, 403, FORBIDDEN);
    const tooBig = freeFormViolation(batch.report);
    if (tooBig) throw tooBig;
    const { status } = await ctx.store.ingest(batch, ctx.now().toISOString(), request.rawBody);
    if (status === 'conflict') {
      return sendError(reply, 409, {
        error: 'conflict',
        message: `Batch id ${batch.batchId} is already stored for another agent; every run needs a batch id of its own.`,
      });
    }
    ctx.metrics.batch(status, reply.elapsedTime / 1000);
    const ack: BatchAck = { batchId: batch.batchId, status };
    return reply.code(status === 'stored' ? 201 : 200).send(ack);
  });
}
