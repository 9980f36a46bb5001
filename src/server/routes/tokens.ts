// POST /api/v1/tokens (admin): a viewer or admin token, shown once; {agency} scopes a viewer token to one agency.

import type { FastifyInstance } from 'fastify';
import { UnknownAgencyError, createApiToken } from '../admin.js';
import { HttpError } from '../errors.js';
import schema from '../schemas/token-create.json' with { type: 'json' };
import type { RouteContext } from './context.js';

export function registerTokenRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Body: { role: 'viewer' | 'admin'; name?: string; agency?: string } }>(
    '/api/v1/tokens',
    { onRequest: ctx.auth.admin, schema: { body: schema } },
    async (request, reply) => {
      const { role, name, agency } = request.body;
      if (agency !== undefined && role !== 'viewer')
        throw new HttpError(400, 'bad-request', 'body/agency: only viewer tokens are scoped to an agency.');
      let created: Awaited<ReturnType<typeof createApiToken>>;
      try {
        created = await createApiToken(ctx.store, role, name, agency);
      } catch (err) {
        if (err instanceof UnknownAgencyError) throw new HttpError(400, 'bad-request', 'body/agency: no such agency on this server.');
        throw err;
      }
      reply.header('cache-control', 'no-store');
      return reply.code(201).send(created);
    },
  );
}
