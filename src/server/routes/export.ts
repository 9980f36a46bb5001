// GET /api/v1/export/{agency}.sarif and /api/v1/export/{agency}.json?lang=: the agency's latest state
// as a file a SIEM or code-scanning upload can take as is; GET /api/v1/findings/export.{sarif,json,csv}
// with the findings filter: what that filter selects.

import type { FastifyInstance } from 'fastify';
import type { Lang } from '../../core/types.js';
import { AGENCY_ID_RE } from '../admin.js';
import { HttpError } from '../errors.js';
import { exportAgency } from '../export.js';
import { readAgency } from '../read-scope.js';
import schema from '../schemas/export-query.json' with { type: 'json' };
import type { RouteContext } from './context.js';
import type { FindingQuery } from '../../contract/read-api.js';
import { exportFindings } from '../findings-export.js';
import findingsSchema from '../schemas/findings-query.json' with { type: 'json' };
import { checkedFindingQuery } from './findings.js';

/** The findings filter (without paging) plus the language of the texts. */
const { limit: _limit, offset: _offset, ...filterProps } = findingsSchema.properties;
const findingsExportQuery = {
  ...findingsSchema,
  $id: 'urn:govscan:schema:findings-export-query:1',
  title: 'GET /api/v1/findings/export.{sarif,json,csv} query',
  properties: { ...filterProps, lang: { enum: ['en', 'vi'], default: 'en' } },
};
const formatParams = { type: 'object', required: ['format'], properties: { format: { enum: ['sarif', 'json', 'csv'] } } };

const params = { type: 'object', required: ['file'], properties: { file: { type: 'string', maxLength: 80 } } };

export function registerExportRoutes(app: FastifyInstance, ctx: RouteContext): void {
  // The dashboard's export buttons: what GET /api/v1/findings selects with the same query, as a file.
  app.get<{ Params: { format: 'sarif' | 'json' | 'csv' }; Querystring: FindingQuery & { lang: Lang } }>(
    '/api/v1/findings/export.:format',
    { onRequest: ctx.auth.read, schema: { params: formatParams, querystring: findingsExportQuery } },
    async (request, reply) => {
      const { lang, ...filter } = request.query;
      const out = await exportFindings(ctx.store, checkedFindingQuery(filter), request.params.format, lang, ctx.now());
      reply.header('content-disposition', `attachment; filename="${out.filename}"`);
      reply.header('cache-control', 'no-store');
      if (out.truncated > 0) reply.header('x-govscan-truncated', String(out.truncated));
      return reply.type(out.contentType).send(out.body);
    },
  );
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
