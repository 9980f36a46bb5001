// Issue 10 item 13 (server side), on a real server on loopback over SQLite and PostgreSQL: viewer
// tokens scoped to one agency see only that agency on every read route; failed authentications and
// enrolments are rate limited per address and logged by token name (never the token); batches are
// rate limited per agent token; API answers carry no-store and nosniff, and HSTS under TLS.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpsRequest } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/server/app.js';
import { createApiToken, createEnrollment } from '../../src/server/admin.js';
import type { EnrollResponse } from '../../src/contract/agent-api.js';
import type { Store } from '../../src/server/store/store-types.js';
import { DEFAULT_RATE_LIMITS, NO_RATE_LIMITS } from '../../src/server/rate-limit-settings.js';
import { openStore } from '../../src/server/store/index.js';
import { issueCertificate } from '../../src/lab/pki.js';
import { runCli } from '../helpers/cli.js';
import { batchOfFindings } from '../../src/lab/fleet-seed.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

const A = 'so-tttt-tay-ninh';
const B = 'so-tttt-da-nang';
const NOT_FOUND = { error: 'not-found', message: 'No such resource.' };

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

interface Live {
  app: FastifyInstance;
  base: string;
  logs: Record<string, unknown>[];
}

describe.each(['sqlite', 'postgres'] as const)('access scopes, limits and headers on %s', (dialect) => {
  let tmp: string;
  let pg: TestDatabase | undefined;
  let dbUrl: string;
  let store: Store;
  let main: Live;
  const started: Live[] = [];
  let admin: string;
  let viewerAll: string;
  let scopedA: string;

  /** A server on a free loopback port over the shared store, with its warn-level log captured. */
  const live = async (opts: Partial<AppOptions> = {}): Promise<Live> => {
    const logs: Record<string, unknown>[] = [];
    const app = buildApp({
      store,
      dashboard: false,
      logger: { level: 'warn', stream: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) } },
      ...opts,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const l = { app, base: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, logs };
    started.push(l);
    return l;
  };
  const call = async (on: Live, method: string, path: string, token: string | null, body?: object): Promise<Answer> => {
    const res = await fetch(on.base + path, {
      method,
      headers: { ...(token !== null ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      // SARIF and JSON exports parse; anything else stays null
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
  const enrol = async (on: Live, agency: string, hostname: string): Promise<EnrollResponse> => {
    const { secret } = await createEnrollment(store, { agency }, new Date());
    const res = await call(on, 'POST', '/api/v1/enroll', null, { secret, hostname, agentVersion: '0.1.0' });
    expect(res.status).toBe(201);
    return res.body as EnrollResponse;
  };

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'govscan-access-'));
    dbUrl = `sqlite:${join(tmp, 'govscan.db')}`;
    if (dialect === 'postgres') {
      pg = await createTestDatabase('govscan_access');
      dbUrl = pg.url;
    }
    store = await openStore(dbUrl);
    await store.migrate();
    main = await live();
    admin = (await createApiToken(store, 'admin', 'SOC admin')).token;
    viewerAll = (await createApiToken(store, 'viewer', 'SOC analyst')).token;
    // Two agencies with a latest batch each (findings, systems, certificates, IPv6 scores, history).
    for (const [agency, host] of [
      [A, 'agent1.tayninh.gov.vn'],
      [B, 'agent1.danang.gov.vn'],
    ] as const) {
      const agent = await enrol(main, agency, host);
      const batch = batchOfFindings(60, { agency, agentId: agent.agentId, createdAt: new Date() });
      expect((await call(main, 'POST', '/api/v1/batches', agent.token, batch)).status).toBe(201);
    }
    const created = await call(main, 'POST', '/api/v1/tokens', admin, { role: 'viewer', name: 'IT So TT&TT Tay Ninh', agency: A });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ role: 'viewer', agency: A, name: 'IT So TT&TT Tay Ninh' });
    scopedA = (created.body as { token: string }).token;
  });

  afterAll(async () => {
    for (const l of started) await l.app.close();
    await store?.close();
    await pg?.drop();
    await rm(tmp, { recursive: true, force: true });
  });

  it("shows a viewer scoped to one agency that agency alone on every read route, and another agency's resources as 404", async () => {
    const reads = [
      '/api/v1/overview',
      '/api/v1/agencies',
      '/api/v1/agents',
      '/api/v1/systems',
      '/api/v1/findings?outcome=all&limit=1000',
      '/api/v1/history',
      '/api/v1/trend',
      '/api/v1/certificates?days=3650',
      '/api/v1/ipv6',
      `/api/v1/export/${A}.json`,
      `/api/v1/export/${A}.sarif`,
    ];
    for (const path of reads) {
      const fleetWide = await call(main, 'GET', path, viewerAll);
      const scoped = await call(main, 'GET', path, scopedA);
      expect(scoped.status, path).toBe(200);
      expect(scoped.text, path).not.toContain(B);
      // The control: the same route shows B to a fleet-wide viewer (exports of A name no agency id).
      if (!path.startsWith('/api/v1/export/')) {
        expect(scoped.text, path).toContain(A);
        expect(fleetWide.text, path).toContain(B);
      }
    }
    const overview = (await call(main, 'GET', '/api/v1/overview', scopedA)).body as {
      totals: { agencies: number; agents: number };
      agencies: { id: string }[];
    };
    expect(overview.totals).toMatchObject({ agencies: 1, agents: 1 });
    expect(overview.agencies.map((a) => a.id)).toEqual([A]);

    for (const path of [
      `/api/v1/agents?agency=${B}`,
      `/api/v1/systems?agency=${B}`,
      `/api/v1/findings?agency=${B}`,
      `/api/v1/history?agency=${B}`,
      `/api/v1/trend?agency=${B}`,
      `/api/v1/certificates?agency=${B}`,
      `/api/v1/ipv6?agency=${B}`,
      `/api/v1/export/${B}.json`,
      `/api/v1/export/${B}.sarif`,
      '/api/v1/export/so-no-such.json',
    ]) {
      const res = await call(main, 'GET', path, scopedA);
      expect(res.status, path).toBe(404);
      expect(res.body, path).toEqual(NOT_FOUND);
      // A fleet-wide viewer reads the same resource.
      if (!path.includes('no-such')) expect((await call(main, 'GET', path, viewerAll)).status, path).toBe(200);
    }
    // Asking for its own agency by name is fine.
    expect((await call(main, 'GET', `/api/v1/findings?agency=${A}`, scopedA)).status).toBe(200);
    // Fleet-wide counters are not the agency's.
    expect((await call(main, 'GET', '/metrics', scopedA)).status).toBe(403);
    expect((await call(main, 'GET', '/metrics', viewerAll)).status).toBe(200);
    // A scoped viewer is still a viewer: it uploads and manages nothing.
    expect((await call(main, 'POST', '/api/v1/tokens', scopedA, { role: 'viewer' })).status).toBe(403);
  });

  it('creates scoped viewer tokens over the API and the CLI only for an agency the server knows', async () => {
    const unknown = await call(main, 'POST', '/api/v1/tokens', admin, { role: 'viewer', agency: 'so-khong-co' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ error: 'bad-request', message: 'body/agency: no such agency on this server.' });
    expect((await call(main, 'POST', '/api/v1/tokens', admin, { role: 'admin', agency: A })).status).toBe(400);

    const cliUnknown = await runCli(['server', 'token', 'create', '--role', 'viewer', '--agency', 'so-khong-co', '--db', dbUrl]);
    expect(cliUnknown.code).toBe(2);
    expect(cliUnknown.stderr).toContain('--agency: no agency "so-khong-co" on this server');
    const cliVi = await runCli(['server', 'token', 'create', '--role', 'viewer', '--agency', 'so-khong-co', '--db', dbUrl, '--lang', 'vi']);
    expect(cliVi.code).toBe(2);
    expect(cliVi.stderr).toContain('máy chủ không có cơ quan "so-khong-co"');
    expect((await runCli(['server', 'token', 'create', '--role', 'admin', '--agency', B, '--db', dbUrl])).code).toBe(2);

    const cli = await runCli([
      'server',
      'token',
      'create',
      '--role',
      'viewer',
      '--agency',
      B,
      '--name',
      'IT Da Nang',
      '--json',
      '--db',
      dbUrl,
    ]);
    expect(cli.code, cli.stderr).toBe(0);
    const token = JSON.parse(cli.stdout) as { token: string; agency: string };
    expect(token.agency).toBe(B);
    const agencies = await call(main, 'GET', '/api/v1/agencies', token.token);
    expect((agencies.body as { items: { id: string }[] }).items.map((a) => a.id)).toEqual([B]);
    const list = await runCli(['server', 'token', 'list', '--db', dbUrl]);
    expect(list.stdout).toMatch(new RegExp(`IT Da Nang \\[${B}\\]`));
  });

  it('answers 429 with Retry-After once an address failed authentication too often, and logs each failure by token name, never the token', async () => {
    const limited = await live({ rateLimits: { ...NO_RATE_LIMITS, authFailuresPerMinute: 5 } });
    const [id, secret] = viewerAll.slice(4).split('.') as [string, string];
    const wrongSecret = `gsv_${id}.${secret.slice(0, -2)}${secret.endsWith('AA') ? 'BB' : 'AA'}`;
    // No header at all guesses nothing: neither counted nor logged.
    for (let i = 0; i < 6; i++) expect((await call(limited, 'GET', '/api/v1/agencies', null)).status).toBe(401);
    const attempts = [wrongSecret, 'not-a-token', `gsv_nosuchid.${secret}`, wrongSecret, `gsm_${id}.${secret}`];
    for (const token of attempts) {
      const res = await call(limited, 'GET', '/api/v1/overview', token);
      expect(res.status).toBe(401);
    }
    // The sixth failure's address now waits, even with a good token.
    const blocked = await call(limited, 'GET', '/api/v1/overview', viewerAll);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({ error: 'too-many-requests', message: 'Too many failed authentication attempts from this address.' });
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // Another server (another address's counters) is not affected.
    expect((await call(main, 'GET', '/api/v1/overview', viewerAll)).status).toBe(200);

    const failures = limited.logs.filter((l) => l.event === 'authentication-failed');
    expect(failures).toHaveLength(5);
    expect(failures.map((l) => l.token)).toEqual(['SOC analyst', null, null, 'SOC analyst', 'SOC analyst']);
    for (const l of failures) expect(l).toMatchObject({ address: '127.0.0.1', route: '/api/v1/overview', method: 'GET' });
    const logText = JSON.stringify(limited.logs);
    expect(logText).not.toContain(secret);
    expect(logText).not.toContain(secret.slice(0, -2));
  });

  it('limits enrolment attempts per address (the 500 bad posts of the issue get 429, not 401 forever) and logs the refused ones', async () => {
    const limited = await live({ rateLimits: DEFAULT_RATE_LIMITS });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await call(limited, 'POST', '/api/v1/enroll', null, { secret: `gse_wrong-${i}`, hostname: 'h', agentVersion: '1' });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(statuses.slice(0, DEFAULT_RATE_LIMITS.authFailuresPerMinute)).toEqual(
      new Array(DEFAULT_RATE_LIMITS.authFailuresPerMinute).fill(401),
    );
    expect(statuses.slice(DEFAULT_RATE_LIMITS.authFailuresPerMinute)).toEqual(
      new Array(40 - DEFAULT_RATE_LIMITS.authFailuresPerMinute).fill(429),
    );
    // A good secret from that address waits too: the address, not the secret, is limited.
    const { secret } = await createEnrollment(store, { agency: A }, new Date());
    expect((await call(limited, 'POST', '/api/v1/enroll', null, { secret, hostname: 'h', agentVersion: '1' })).status).toBe(429);
    const refused = limited.logs.filter((l) => l.event === 'enrolment-failed');
    expect(refused).toHaveLength(DEFAULT_RATE_LIMITS.authFailuresPerMinute);
    expect(refused[0]).toMatchObject({ address: '127.0.0.1', route: '/api/v1/enroll', method: 'POST' });
    expect(JSON.stringify(limited.logs)).not.toContain('gse_wrong-');

    // The enrolment limit itself counts successful attempts too.
    const few = await live({ rateLimits: { ...NO_RATE_LIMITS, enrollPerMinute: 2 } });
    await enrol(few, A, 'h1');
    await enrol(few, A, 'h2');
    const third = await createEnrollment(store, { agency: A }, new Date());
    const res = await call(few, 'POST', '/api/v1/enroll', null, { secret: third.secret, hostname: 'h3', agentVersion: '1' });
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ error: 'too-many-requests', message: 'Too many enrolment attempts from this address; retry later.' });
  });

  it('limits batches per agent token with 429 and Retry-After, without touching other agents', async () => {
    const limited = await live({ rateLimits: { ...NO_RATE_LIMITS, ingestPerMinute: 3 } });
    const one = await enrol(limited, A, 'agent-limited-1');
    const two = await enrol(limited, A, 'agent-limited-2');
    const post = (agent: EnrollResponse): Promise<Answer> =>
      call(
        limited,
        'POST',
        '/api/v1/batches',
        agent.token,
        batchOfFindings(5, { agency: agent.agency, agentId: agent.agentId, createdAt: new Date() }),
      );
    for (let i = 0; i < 3; i++) expect((await post(one)).status).toBe(201);
    const over = await post(one);
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ error: 'too-many-requests', message: 'Too many batches from this agent token; retry later.' });
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await post(two)).status).toBe(201);
  });

  it('sends no-store and nosniff on API answers (errors too), and HSTS only when serving TLS', async () => {
    for (const [path, token, status] of [
      ['/api/v1/overview', viewerAll, 200],
      ['/api/v1/overview', 'bad', 401],
      ['/api/v1/nothing', viewerAll, 404],
      ['/healthz', null, 200],
      ['/metrics', viewerAll, 200],
      [`/api/v1/export/${A}.sarif`, viewerAll, 200],
    ] as const) {
      const res = await call(main, 'GET', path, token);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('strict-transport-security'), path).toBeNull();
    }

    const ca = await issueCertificate({ subject: 'C=VN, O=govscan test SOC, CN=SOC Test Root', isCA: true, key: { type: 'ec' } });
    const leaf = await issueCertificate({ subjectCN: 'soc.test', sans: { ip: ['127.0.0.1'] }, issuer: ca, key: { type: 'ec' } });
    const tls = await live({ https: { cert: leaf.certPem, key: leaf.keyPem } });
    const port = new URL(tls.base).port;
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = httpsRequest(
        { host: '127.0.0.1', port, path: '/api/v1/overview', ca: ca.certPem, headers: { authorization: `Bearer ${viewerAll}` } },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode, ...res.headers }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(headers).toMatchObject({
      status: 200,
      'strict-transport-security': 'max-age=31536000',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
  });
});
