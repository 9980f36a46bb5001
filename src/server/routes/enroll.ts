// POST /api/v1/enroll: a one-time enrolment secret becomes an agent token. Unknown, used and expired
// secrets get the same 401 body, and the secret is spent in the same transaction that creates the
// agent, so two agents racing with one secret cannot both enrol.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EnrollRequest, EnrollResponse } from '../../contract/agent-api.js';
import { newToken, sha256Hex } from '../auth.js';
import { BAD_SECRET, sendError } from '../errors.js';
import schema from '../schemas/enroll.json' with { type: 'json' };
import type { RouteContext } from './context.js';

export function registerEnrollRoutes(app: FastifyInstance, ctx: RouteContext): void {
  // Every attempt counts against the address, and an address that failed too often waits, before the body is read.
  const limit = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> =>
    (await ctx.limits.refuseAfterFailures(request, reply)) || (await ctx.limits.refuseEnroll(request, reply)) ? reply : undefined;
  app.post<{ Body: EnrollRequest }>('/api/v1/enroll', { onRequest: limit, schema: { body: schema } }, async (request, reply) => {
    const { secret, hostname, agentVersion } = request.body;
    const token = newToken('agent');
    const redeemed = await ctx.store.redeemEnrollment(
      sha256Hex(secret),
      { hostname, version: agentVersion },
      { id: token.id, secretHash: token.secretHash },
      ctx.now().toISOString(),
    );
    if (!redeemed) {
      await ctx.limits.failed(request, { kind: 'enrolment-secret', tokenName: null });
      return sendError(reply, 401, BAD_SECRET);
    }
    const body: EnrollResponse = { agentId: redeemed.agentId, agency: redeemed.agency, token: token.token };
    return reply.code(201).send(body);
  });
}
