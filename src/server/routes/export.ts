// GET /api/v1/export/{agency}.sarif and /api/v1/export/{agency}.json?lang=: the agency's latest state
// as a file a SIEM or code-scanning upload can take as is.

import type { FastifyInstance } from 'fastify';
import type { Lang } from '../../engine/types.js';
import { HttpError } from '../errors.js';
import { exportAgency } from '../export.js';
import schema from '../schemas/export-query.json' with { type: 'json' };
import type { RouteContext } from './context.js';

const FILE_RE = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63})\.(sarif|json)$/;
const params = { type: 'object', required: ['file'], properties: { file: { type: 'string', maxLength: 80 } } };

export function registerExportRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Params: { file: string }; Querystring: { lang: Lang } }>(
    '/api/v1/export/:file',
    { onRequest: ctx.auth.read, schema: { params, querystring: schema } },
    async (request, reply) => {
      const match = FILE_RE.exec(request.params.file);
      if (!match) throw new HttpError(404, 'not-found', 'Exports are /api/v1/export/{agency}.sarif or .json.');
      const [, agency, format] = match as unknown as [string, string, 'sarif' | 'json'];
      const out = await exportAgency(ctx.store, agency, format, request.query.lang, ctx.now());
      if (!out) throw new HttpError(404, 'not-found', 'No such agency.');
      reply.header('content-disposition', `attachment; filename="${out.filename}"`);
      reply.header('cache-control', 'no-store');
      return reply.type(out.contentType).send(out.body);
    },
  );
}
