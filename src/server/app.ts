// The govscan server as a fastify instance: API under /api/v1, /healthz, /metrics and the dashboard.
// Built without listening, so tests drive it with inject() and serve.ts puts it on a socket.

import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { TokenVerifier, requireRole } from './auth.js';
import type { Store } from './store/store-types.js';
import { registerDashboard } from './dashboard/index.js';
import { HttpError, sendError } from './errors.js';
import { shapeLimitsFor } from './body-shape.js';
import { registerAccessLog } from './access-log.js';
import { registerHttpCache } from './http-cache.js';
import { jsonBodyParser } from './json-body.js';
import { Metrics } from './metrics.js';
import { registerAgencyRoutes } from './routes/agencies.js';
import { registerAgentRoutes } from './routes/agents.js';
import { registerBatchRoutes } from './routes/batches.js';
import { registerCertificateRoutes } from './routes/certificates.js';
import type { RouteContext } from './routes/context.js';
import { registerEnrollRoutes } from './routes/enroll.js';
import { registerEnrollmentRoutes } from './routes/enrollments.js';
import { registerExportRoutes } from './routes/export.js';
import { registerFindingRoutes } from './routes/findings.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerHistoryRoutes } from './routes/history.js';
import { registerIpv6Routes } from './routes/ipv6.js';
import { registerMetricsRoutes } from './routes/metrics.js';
import { registerOverviewRoutes } from './routes/overview.js';
import { registerRuleRoutes } from './routes/rules.js';
import { registerSystemRoutes } from './routes/systems.js';
import { registerTokenRoutes } from './routes/tokens.js';
import { registerCampaignRoutes } from './routes/campaigns.js';
import type { CampaignService } from './campaigns/service.js';
import { registerTrendRoutes } from './routes/trend.js';
import { NO_RATE_LIMITS, type RateLimitSettings } from './rate-limit-settings.js';
import { RateLimits } from './rate-limits.js';
import { registerResponseHeaders } from './response-headers.js';
import { validatorCompiler } from './validation.js';

const DEFAULT_BODY_LIMIT = 8 * 1024 * 1024;
const DEFAULT_STALE_AFTER_INTERVALS = 3;

export interface AppOptions {
  store: Store;
  /** Largest request body in bytes (default 8 MiB); larger ones get 413 before anything is parsed. */
  bodyLimit?: number;
  /** An agent is stale after this many of its intervals without a batch (default 3). */
  staleAfterIntervals?: number;
  /** The server's clock (tests move it). */
  now?: () => Date;
  /** fastify logger: false (default) or its options. */
  logger?: FastifyServerOptions['logger'];
  /** Serve /metrics without a token (for a scraper on a trusted network). */
  metricsPublic?: boolean;
  /** Serve HTTPS with this certificate chain and key (PEM). */
  https?: { cert: string | Buffer; key: string | Buffer };
  /** Mount the dashboard at `/` (default true). */
  dashboard?: boolean;
  /** Per-minute limits (rate-limits.ts); none unless given (`govscan server` gives DEFAULT_RATE_LIMITS). */
  rateLimits?: RateLimitSettings;
  /** One `request` line per answered request on the logger at info level (access-log.ts). */
  accessLog?: boolean;
  /** Scan campaigns and their workers' routes (routes/campaigns.ts); absent: no campaign routes. */
  campaigns?: CampaignService;
}

export function buildApp(opts: AppOptions): FastifyInstance {
  const bodyLimit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const serverOptions: FastifyServerOptions & { https?: AppOptions['https'] } = {
    bodyLimit,
    logger: opts.logger ?? false,
    // fastify's own two lines per request carry no token name and the raw URL; access-log.ts writes one.
    logController: new LogController({ disableRequestLogging: true }),
    // A client that opens a request and never finishes it must not hold a socket forever.
    requestTimeout: 120_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ...(opts.https ? { https: opts.https } : {}),
  };
  // With `https` fastify's types describe an https.Server instance; requests and replies are the
  // same objects either way, so the routes below are written once against the http typing.
  const app = Fastify(serverOptions) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  // The API speaks JSON only: a text/plain body is refused with 415 rather than parsed as a string.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, jsonBodyParser(shapeLimitsFor(bodyLimit)));
  app.decorateRequest('principal', null);
  app.decorateRequest('tokenName', null);
  registerResponseHeaders(app, { tls: Boolean(opts.https) });

  const store = opts.store;
  const verifier = new TokenVerifier(store);
  const metrics = new Metrics();
  const limits = new RateLimits(app, opts.rateLimits ?? NO_RATE_LIMITS);
  const ctx: RouteContext = {
    store,
    metrics,
    limits,
    now: opts.now ?? (() => new Date()),
    staleAfterIntervals: opts.staleAfterIntervals ?? DEFAULT_STALE_AFTER_INTERVALS,
    metricsPublic: opts.metricsPublic ?? false,
    auth: {
      read: requireRole(verifier, ['viewer', 'admin'], limits),
      agent: requireRole(verifier, ['agent'], limits),
      admin: requireRole(verifier, ['admin'], limits),
      campaignRead: requireRole(verifier, ['viewer', 'admin', 'soc'], limits),
      campaignWrite: requireRole(verifier, ['admin', 'soc'], limits),
      worker: requireRole(verifier, ['worker'], limits),
    },
  };

  app.addHook('onResponse', (request, reply, done) => {
    metrics.request(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode);
    done();
  });
  if (opts.accessLog) registerAccessLog(app);

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof HttpError)
      return sendError(reply, err.statusCode, {
        error: err.code,
        message: err.message,
        ...(err.localized ? { localized: err.localized } : {}),
      });
    if (err.validation) {
      const first = err.validation[0];
      const where = `${err.validationContext ?? 'request'}${first?.instancePath ?? ''}`;
      return sendError(reply, 400, { error: 'bad-request', message: `${where} ${first?.message ?? 'is invalid'}` });
    }
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(reply, 413, { error: 'payload-too-large', message: `The request body is larger than ${bodyLimit} bytes.` });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(reply, 415, { error: 'bad-request', message: 'The request body must be JSON (Content-Type: application/json).' });
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return sendError(reply, 400, { error: 'bad-request', message: 'The request body is not valid JSON.' });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendError(reply, 400, { error: 'bad-request', message: 'The request is malformed.' });
    request.log.error({ err }, 'request failed');
    return sendError(reply, 500, { error: 'internal', message: 'Internal server error.' });
  });
  registerHttpCache(app);
  app.setNotFoundHandler((_request, reply) => sendError(reply, 404, { error: 'not-found', message: 'No such resource.' }));

  registerHealthRoutes(app, ctx);
  registerMetricsRoutes(app, ctx);
  registerEnrollRoutes(app, ctx);
  registerBatchRoutes(app, ctx);
  registerOverviewRoutes(app, ctx);
  registerAgencyRoutes(app, ctx);
  registerAgentRoutes(app, ctx);
  registerSystemRoutes(app, ctx);
  registerFindingRoutes(app, ctx);
  registerHistoryRoutes(app, ctx);
  registerTrendRoutes(app, ctx);
  registerCertificateRoutes(app, ctx);
  registerRuleRoutes(app, ctx);
  registerIpv6Routes(app, ctx);
  registerExportRoutes(app, ctx);
  registerEnrollmentRoutes(app, ctx);
  registerTokenRoutes(app, ctx);
  if (opts.campaigns) registerCampaignRoutes(app, ctx, opts.campaigns);
  if (opts.dashboard ?? true) app.register(async (scope) => registerDashboard(scope));
  return app;
}
