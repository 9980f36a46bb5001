// GET /api/v1/export/{agency}.sarif and /api/v1/export/{agency}.json?lang=: the agency's latest state
// as a file a SIEM or code-scanning upload can take as is.

import type { FastifyInstance } from 'fastify';
import type { Lang } from '../../engine/types.js';
import { AGENCY_ID_RE } from '../admin.js';
import { HttpError } from '../errors.js';
import { exportAgency } from '../export.js';
import { readAgency } from '../read-scope.js';
import schema from '../schemas/export-query.json' with { type: 'json' };
import type { RouteContext } from './context.js';

const params = { type: 'object', required: ['file'], properties: { file: { type: 'string', maxLength: 80 } } };

export function registerExportRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Params: { file: string }; Querystring: { lang: Lang } }>(
    '/api/v1/export/:file',
    { onRequest: ctx.auth.read, schema: { params, querystring: schema } },
    async (request, reply) => {
      // `{agency}.{format}`: agency ids may hold dots themselves, so the format is after the last one.
      const file = request.params.file;
      const dot = file.lastIndexOf('.');
      const agency = file.slice(0, dot);
      const format = file.slice(dot + 1);
      if (dot < 0 || (format !== 'sarif' && format !== 'json') || !AGENCY_ID_RE.test(agency)) {
        throw new HttpError(404, 'not-found', 'Exports are /api/v1/export/{agency}.sarif or .json.');
      }
      readAgency(request, agency);
      const out = await exportAgency(ctx.store, agency, format, request.query.lang, ctx.now());
      if (!out) throw new HttpError(404, 'not-found', 'No such agency.');
      reply.header('content-disposition', `attachment; filename="${out.filename}"`);
      reply.header('cache-control', 'no-store');
      return reply.type(out.contentType).send(out.body);
    },
  );
}
