// Campaign routes (issue 15; bodies in src/contract/campaign-api.ts).
// People: POST /api/v1/campaigns (admin, soc), GET /api/v1/campaigns and /:id (viewer, admin, soc),
// POST /api/v1/campaigns/:id/cancel (admin, soc). A token confined to an agency (a scoped viewer or
// soc) creates and sees that agency's campaigns only; another agency's is answered 404, as every
// scoped read. Workers (worker tokens): claim, result, fail, heartbeat under /api/v1/worker/jobs.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  CampaignCreateSchema,
  ClaimRequestSchema,
  JobFailSchema,
  JobHeartbeatSchema,
  JobResultSchema,
  type CampaignCreate,
  type ClaimRequest,
  type ClaimResponse,
  type JobFail,
  type JobHeartbeat,
  type JobResult,
} from '../../contract/campaign-api.js';
import type { Page } from '../../contract/read-api.js';
import type { CampaignRow } from '../../contract/campaign-api.js';
import { HttpError } from '../errors.js';
import type { CampaignService, Actor } from '../campaigns/service.js';
import type { RouteContext } from './context.js';

const NOT_FOUND = (): HttpError => new HttpError(404, 'not-found', 'No such resource.');
/** Claims, failures and heartbeats are a few hundred bytes; anything larger is not one. */
const SMALL_BODY = 16 * 1024;

const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9:-]+$' } },
} as const;
const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { agency: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

/** The agency a campaign request is confined to: a scoped viewer's or soc's own; none for others. */
function actorOf(request: FastifyRequest): Actor {
  const p = request.principal;
  if (!p) throw new HttpError(401, 'unauthorized', 'A valid bearer token is required.');
  const scoped = (p.role === 'viewer' || p.role === 'soc') && p.agency ? p.agency : undefined;
  return { tokenId: p.tokenId, agency: scoped };
}

export function registerCampaignRoutes(app: FastifyInstance, ctx: RouteContext, campaigns: CampaignService): void {
  const { campaignRead, campaignWrite, worker } = ctx.auth;

  app.post<{ Body: CampaignCreate }>(
    '/api/v1/campaigns',
    { onRequest: campaignWrite, schema: { body: CampaignCreateSchema } },
    async (request, reply) => reply.code(201).send(await campaigns.create(request.body, actorOf(request))),
  );

  app.get<{ Querystring: { agency?: string } }>(
    '/api/v1/campaigns',
    { onRequest: campaignRead, schema: { querystring: listQuery } },
    async (request) => {
      const scope = actorOf(request).agency;
      const asked = request.query.agency;
      if (scope !== undefined && asked !== undefined && asked !== scope) throw NOT_FOUND();
      const items = await campaigns.list(scope ?? asked);
      const page: Page<CampaignRow> = { items, total: items.length };
      return page;
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/campaigns/:id',
    { onRequest: campaignRead, schema: { params: idParams } },
    async (request) => {
      const detail = await campaigns.show(request.params.id, actorOf(request).agency);
      if (!detail) throw NOT_FOUND();
      return detail;
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/campaigns/:id/cancel',
    { onRequest: campaignWrite, schema: { params: idParams }, bodyLimit: SMALL_BODY },
    async (request) => {
      const cancelled = await campaigns.cancel(request.params.id, actorOf(request).agency);
      if (!cancelled) throw NOT_FOUND();
      return cancelled;
    },
  );

  // ── workers ──────────────────────────────────────────────────────────────────────────────────

  app.post<{ Body: ClaimRequest }>(
    '/api/v1/worker/jobs/claim',
    { onRequest: worker, schema: { body: ClaimRequestSchema }, bodyLimit: SMALL_BODY },
    async (request) => {
      const answer: ClaimResponse = { jobs: await campaigns.claim(request.body.worker, request.body.max) };
      return answer;
    },
  );

  app.post<{ Params: { id: string }; Body: JobResult }>(
    '/api/v1/worker/jobs/:id/result',
    { onRequest: worker, schema: { params: idParams, body: JobResultSchema } },
    async (request, reply) => {
      const ack = await campaigns.result(request.params.id, request.body.attempt, request.body.report);
      if (!ack) throw NOT_FOUND();
      return reply.code(ack.status === 'stored' ? 201 : 200).send(ack);
    },
  );

  app.post<{ Params: { id: string }; Body: JobFail }>(
    '/api/v1/worker/jobs/:id/fail',
    { onRequest: worker, schema: { params: idParams, body: JobFailSchema }, bodyLimit: SMALL_BODY },
    async (request) => {
      const { attempt, reason, retryable } = request.body;
      const ack = await campaigns.fail(request.params.id, attempt, reason, retryable);
      if (!ack) throw NOT_FOUND();
      return ack;
    },
  );

  app.post<{ Params: { id: string }; Body: JobHeartbeat }>(
    '/api/v1/worker/jobs/:id/heartbeat',
    { onRequest: worker, schema: { params: idParams, body: JobHeartbeatSchema }, bodyLimit: SMALL_BODY },
    async (request) => {
      const ack = await campaigns.heartbeat(request.params.id, request.body.attempt);
      if (!ack) throw NOT_FOUND();
      return ack;
    },
  );
}
