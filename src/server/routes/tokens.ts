// POST /api/v1/tokens (admin): a viewer, admin, soc or worker token, shown once; {agency} scopes a viewer or soc token to one agency.

import type { FastifyInstance } from 'fastify';
import { UnknownAgencyError, createApiToken } from '../admin.js';
import { HttpError } from '../errors.js';
import { SCOPABLE_ROLES } from '../principal.js';
import schema from '../schemas/token-create.json' with { type: 'json' };
import type { RouteContext } from './context.js';

export function registerTokenRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Body: { role: 'viewer' | 'admin' | 'soc' | 'worker'; name?: string; agency?: string } }>(
    '/api/v1/tokens',
    { onRequest: ctx.auth.admin, schema: { body: schema } },
    async (request, reply) => {
      const { role, name, agency } = request.body;
      if (agency !== undefined && !SCOPABLE_ROLES.includes(role))
        throw new HttpError(400, 'bad-request', 'body/agency: only viewer and soc tokens are scoped to an agency.');
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
