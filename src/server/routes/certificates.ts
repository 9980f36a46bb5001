// GET /api/v1/certificates?agency=&days=: certificates (on endpoints or agent hosts) expiring within `days`.

import type { FastifyInstance } from 'fastify';
import type { CertificateRow, Page } from '../contract.js';
import schema from '../schemas/certificates-query.json' with { type: 'json' };
import type { RouteContext } from './context.js';

export function registerCertificateRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: { agency?: string; days: number } }>(
    '/api/v1/certificates',
    { onRequest: ctx.auth.read, schema: { querystring: schema } },
    async (request) => {
      const { agency, days } = request.query;
      const items = await ctx.store.certificates({ ...(agency !== undefined ? { agency } : {}), days, now: ctx.now().toISOString() });
      const page: Page<CertificateRow> = { items, total: items.length };
      return page;
    },
  );
}
