// Access control and input hardening of the API, on the real store (SQLite and PostgreSQL): an agent
// token writes only its own agency's batches and reads nothing; viewers read but cannot write or
// manage; every kind of bad token gets the same 401; oversized, malformed and schema-invalid bodies
// are refused and store nothing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAscii } from 'node:buffer';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { createApiToken, createEnrollment } from '../../src/server/admin.js';
import type { Batch, EnrollResponse } from '../../src/contract/agent-api.js';
import type { Store } from '../../src/server/store/store-types.js';
import { openStore } from '../../src/server/store/index.js';
import { encodeAsciiJson } from '../../src/contract/wire.js';
import { batchOfFindings } from '../../src/lab/fleet-seed.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

const A = 'so-tttt-tay-ninh';
const B = 'so-tttt-da-nang';
const UNAUTHORIZED = { error: 'unauthorized', message: 'A valid bearer token is required.' };
const FORBIDDEN = { error: 'forbidden', message: 'This token does not allow this request.' };
const READS = [
  '/api/v1/overview',
  '/api/v1/agencies',
  '/api/v1/agents',
  `/api/v1/systems?agency=${B}`,
  `/api/v1/findings?agency=${B}`,
  `/api/v1/history?agency=${B}`,
  '/api/v1/trend',
  '/api/v1/certificates',
  '/api/v1/ipv6',
  `/api/v1/export/${B}.sarif`,
  `/api/v1/export/${B}.json`,
  `/api/v1/export/${A}.json`,
  '/metrics',
];

describe.each(['sqlite', 'postgres'] as const)('API security on %s', (dialect) => {
  let tmp: string;
  let pg: TestDatabase | undefined;
  let store: Store;
  let app: FastifyInstance;
  let small: FastifyInstance;
  let now = new Date('2026-11-23T12:00:00Z');
  let agentA: EnrollResponse;
  let agentB: EnrollResponse;
  let viewer: string;
  let admin: string;

  const inject = (opts: InjectOptions, on = app) => on.inject(opts);
  const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
  const batchFor = (agent: EnrollResponse, agency = agent.agency): Batch =>
    batchOfFindings(50, { agency, agentId: agent.agentId, createdAt: now });
  const storedBatches = async (): Promise<number> => (await store.stats()).batches;
  /** POST a body exactly as given (agent A's token). */
  const raw = async (
    payload: string,
    contentType = 'application/json',
  ): Promise<{ status: number; body: { error: string; message: string } }> => {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/batches',
      headers: { ...bearer(agentA.token), 'content-type': contentType },
      payload,
    });
    return { status: res.statusCode, body: res.json() };
  };
  const enrol = async (agency: string, hostname: string): Promise<EnrollResponse> => {
    const { secret } = await createEnrollment(store, { agency }, now);
    const res = await inject({ method: 'POST', url: '/api/v1/enroll', payload: { secret, hostname, agentVersion: '0.1.0' } });
    expect(res.statusCode).toBe(201);
    return res.json<EnrollResponse>();
  };

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'govscan-sec-'));
    let url = `sqlite:${join(tmp, 'govscan.db')}`;
    if (dialect === 'postgres') {
      pg = await createTestDatabase('govscan_sec');
      url = pg.url;
    }
    store = await openStore(url);
    await store.migrate();
    app = buildApp({ store, now: () => now, dashboard: false });
    small = buildApp({ store, now: () => now, dashboard: false, bodyLimit: 16 * 1024 });
    agentA = await enrol(A, 'agent1.tayninh.gov.vn');
    agentB = await enrol(B, 'agent1.danang.gov.vn');
    viewer = (await createApiToken(store, 'viewer')).token;
    admin = (await createApiToken(store, 'admin')).token;
    // One batch of B's, so there is something of B's to (fail to) read.
    const res = await inject({ method: 'POST', url: '/api/v1/batches', headers: bearer(agentB.token), payload: batchFor(agentB) });
    expect(res.statusCode).toBe(201);
  });

  afterAll(async () => {
    await app?.close();
    await small?.close();
    await store?.close();
    await pg?.drop();
    await rm(tmp, { recursive: true, force: true });
  });

  it("refuses agency A's agent writing agency B's batch, or another agent's, and stores nothing", async () => {
    const before = await storedBatches();
    const asB = await inject({ method: 'POST', url: '/api/v1/batches', headers: bearer(agentA.token), payload: batchFor(agentA, B) });
    expect(asB.statusCode).toBe(403);
    expect(asB.json()).toEqual(FORBIDDEN);
    // Claiming to be B's agent inside A's agency is just as wrong.
    const otherAgent = await inject({
      method: 'POST',
      url: '/api/v1/batches',
      headers: bearer(agentA.token),
      payload: { ...batchFor(agentA), agentId: agentB.agentId },
    });
    expect(otherAgent.statusCode).toBe(403);
    // B's exact batch under B's id and agent, sent with A's token.
    const replay = await inject({ method: 'POST', url: '/api/v1/batches', headers: bearer(agentA.token), payload: batchFor(agentB) });
    expect(replay.statusCode).toBe(403);
    expect(await storedBatches()).toBe(before);
    expect((await store.listFindings({ agency: B, outcome: 'all', limit: 1000 })).total).toBe(50);
  });

  it('lets an agent token read nothing and manage nothing', async () => {
    for (const url of READS) {
      const res = await inject({ method: 'GET', url, headers: bearer(agentA.token) });
      expect(res.statusCode, url).toBe(403);
      expect(res.json(), url).toEqual(FORBIDDEN);
    }
    const enrollment = await inject({ method: 'POST', url: '/api/v1/enrollments', headers: bearer(agentA.token), payload: { agency: B } });
    expect(enrollment.statusCode).toBe(403);
    const token = await inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(agentA.token), payload: { role: 'admin' } });
    expect(token.statusCode).toBe(403);
  });

  it('lets a viewer read but not upload or manage; an admin manages', async () => {
    for (const url of READS) expect((await inject({ method: 'GET', url, headers: bearer(viewer) })).statusCode, url).toBe(200);
    const before = await storedBatches();
    const upload = await inject({ method: 'POST', url: '/api/v1/batches', headers: bearer(viewer), payload: batchFor(agentA) });
    expect(upload.statusCode).toBe(403);
    expect(await storedBatches()).toBe(before);
    for (const [url, payload] of [
      ['/api/v1/enrollments', { agency: 'so-gia' }],
      ['/api/v1/tokens', { role: 'admin' }],
    ] as const) {
      const res = await inject({ method: 'POST', url, headers: bearer(viewer), payload });
      expect(res.statusCode, url).toBe(403);
      expect(res.json()).toEqual(FORBIDDEN);
    }
    expect(await store.getAgency('so-gia')).toBeNull();
    // An admin uploads nothing either: batches come from agents only.
    expect((await inject({ method: 'POST', url: '/api/v1/batches', headers: bearer(admin), payload: batchFor(agentA) })).statusCode).toBe(
      403,
    );
    expect((await inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(admin), payload: { role: 'viewer' } })).statusCode).toBe(
      201,
    );
  });

  it('answers every missing, malformed, unknown or wrong token with the same 401', async () => {
    const [id, secret] = viewer.slice(4).split('.') as [string, string];
    const flipped = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    const headers: (Record<string, string> | undefined)[] = [
      undefined,
      { authorization: '' },
      { authorization: 'Bearer' },
      { authorization: 'Bearer ' },
      { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
      { authorization: viewer },
      { authorization: 'Bearer not-a-token' },
      { authorization: `Bearer gsv_${id}` },
      { authorization: `Bearer gsv_${id}.${flipped}` },
      { authorization: `Bearer gsv_nosuchid.${secret}` },
      // The right secret under the wrong role letter.
      { authorization: `Bearer gsm_${id}.${secret}` },
      { authorization: `Bearer ${viewer}x` },
      { authorization: `Bearer ${viewer.slice(0, -1)}` },
      { authorization: `Bearer ${viewer} ${viewer}` },
      { authorization: `Bearer ${'a'.repeat(5000)}` },
      { authorization: `Bearer gsv_${id}.${secret}'; DROP TABLE tokens; --` },
    ];
    const bodies = new Set<string>();
    for (const h of headers) {
      for (const url of ['/api/v1/overview', `/api/v1/export/${A}.sarif`]) {
        const res = await inject({ method: 'GET', url, ...(h ? { headers: h } : {}) });
        expect(res.statusCode, JSON.stringify(h)).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer');
        bodies.add(res.body);
      }
      const up = await inject({ method: 'POST', url: '/api/v1/batches', ...(h ? { headers: h } : {}), payload: batchFor(agentA) });
      expect(up.statusCode).toBe(401);
      bodies.add(up.body);
    }
    expect([...bodies].map((b) => JSON.parse(b))).toEqual([UNAUTHORIZED]);
    // The real token still works: nothing above was cached as valid.
    expect((await inject({ method: 'GET', url: '/api/v1/overview', headers: bearer(viewer) })).statusCode).toBe(200);
  });

  it('answers wrong, spent and expired enrolment secrets alike, and enrols nobody', async () => {
    const agentsBefore = (await store.stats()).agents;
    const spent = await createEnrollment(store, { agency: A, ttlHours: 1 }, now);
    expect(
      (await inject({ method: 'POST', url: '/api/v1/enroll', payload: { secret: spent.secret, hostname: 'h1', agentVersion: '1' } }))
        .statusCode,
    ).toBe(201);
    const expiring = await createEnrollment(store, { agency: A, ttlHours: 1 }, now);
    const later = now;
    now = new Date(now.getTime() + 2 * 3_600_000);
    try {
      const bodies = new Set<string>();
      for (const secret of [spent.secret, expiring.secret, 'gse_' + 'x'.repeat(43), 'wrong', spent.secret.toUpperCase()]) {
        const res = await inject({ method: 'POST', url: '/api/v1/enroll', payload: { secret, hostname: 'h2', agentVersion: '1' } });
        expect(res.statusCode).toBe(401);
        bodies.add(res.body);
      }
      expect([...bodies].map((b) => JSON.parse(b))).toEqual([{ error: 'unauthorized', message: 'The enrolment secret is not valid.' }]);
    } finally {
      now = later;
    }
    expect((await store.stats()).agents).toBe(agentsBefore + 1);
  });

  it('refuses a body over the limit with 413 and stores nothing', async () => {
    const before = await storedBatches();
    const batch = batchFor(agentA);
    expect(JSON.stringify(batch).length).toBeGreaterThan(16 * 1024);
    const res = await inject({ method: 'POST', url: '/api/v1/batches', headers: bearer(agentA.token), payload: batch }, small);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: 'payload-too-large', message: 'The request body is larger than 16384 bytes.' });
    // The default limit is 8 MiB: a 9 MiB batch (padding in a finding's evidence) is refused too.
    const huge = batchFor(agentA);
    (huge.report.findings[0] as { evidence: Record<string, unknown> }).evidence = { pad: 'x'.repeat(9 * 1024 * 1024) };
    const big = await inject({ method: 'POST', url: '/api/v1/batches', headers: bearer(agentA.token), payload: huge });
    expect(big.statusCode).toBe(413);
    expect(big.json<{ error: string }>().error).toBe('payload-too-large');
    expect(await storedBatches()).toBe(before);
    // The same batch under the limit is taken: the 413 was about size alone.
    expect((await inject({ method: 'POST', url: '/api/v1/batches', headers: bearer(agentA.token), payload: batch })).statusCode).toBe(201);
  });

  it('refuses malformed JSON and schema-invalid batches with 400 and stores nothing', async () => {
    const before = await storedBatches();
    for (const text of ['', '{', '{"schemaVersion":1,', 'null', '[]', '"batch"', '{"__proto__":{"admin":true}}']) {
      const r = await raw(text);
      expect(r.status, text).toBe(400);
      expect(r.body.error).toBe('bad-request');
      expect(Object.keys(r.body).sort()).toEqual(['error', 'message']);
    }
    expect((await raw('{}', 'text/plain')).status).toBe(415);
    // Keys that would change a prototype once copied, however they are spelled, are refused.
    for (const text of [
      '{"__proto__":{"admin":true}}',
      '{"a":[{"\\u005f_proto__":{"x":1}}]}',
      '{"b":{"constructor":{"prototype":{"x":1}}}}',
    ]) {
      const r = await raw(text);
      expect(r.status, text).toBe(400);
      expect(r.body.message, text).toMatch(/reserved key/);
    }

    const good = batchFor(agentA);
    const variants: [string, (b: Record<string, unknown>) => void][] = [
      ['no report', (b) => delete b.report],
      ['unknown envelope property', (b) => (b.extra = true)],
      ['schemaVersion 2', (b) => (b.schemaVersion = 2)],
      ['schemaVersion as text', (b) => (b.schemaVersion = '1')],
      ['batchId not a UUID', (b) => (b.batchId = '../../etc/passwd')],
      ['createdAt not a date', (b) => (b.createdAt = 'yesterday')],
      ['agency with a slash', (b) => (b.agency = 'a/b')],
      ['interval as text', (b) => ((b.agent as Record<string, unknown>).intervalSeconds = '60')],
      ['findings not a list', (b) => ((b.report as Record<string, unknown>).findings = {})],
      [
        'unknown outcome',
        (b) => (((b.report as { findings: Record<string, unknown>[] }).findings[3] as Record<string, unknown>).outcome = 'maybe'),
      ],
      [
        'unknown severity',
        (b) => (((b.report as { findings: Record<string, unknown>[] }).findings[0] as Record<string, unknown>).severity = 'urgent'),
      ],
      [
        'evidence not an object',
        (b) => (((b.report as { findings: Record<string, unknown>[] }).findings[0] as Record<string, unknown>).evidence = 'x'),
      ],
      [
        'rule id too long',
        (b) => (((b.report as { findings: Record<string, unknown>[] }).findings[0] as Record<string, unknown>).ruleId = 'R'.repeat(300)),
      ],
      ['target key empty', (b) => (((b.report as { targets: Record<string, unknown>[] }).targets[0] as Record<string, unknown>).key = '')],
      [
        'security level 9',
        (b) =>
          ((
            (b.report as { targets: { system?: Record<string, unknown> }[] }).targets.find((t) => t.system)?.system as Record<
              string,
              unknown
            >
          ).level = 9),
      ],
      ['hostname too long', (b) => ((b.agent as Record<string, unknown>).hostname = 'h'.repeat(300))],
    ];
    for (const [what, mutate] of variants) {
      const b = JSON.parse(JSON.stringify(good)) as Record<string, unknown>;
      mutate(b);
      const r = await raw(JSON.stringify(b));
      expect(r.status, what).toBe(400);
      expect(r.body.error, what).toBe('bad-request');
      expect(r.body.message, what).toMatch(/^body/);
    }
    expect(await storedBatches()).toBe(before);
    expect((await raw(JSON.stringify(good))).status).toBe(201);
    // The words alone, in values or escaped text, are fine.
    const wordy = batchFor(agentA);
    (wordy.report.findings[0] as { evidence: Record<string, unknown> }).evidence = {
      note: 'constructor __proto__ \u00e9',
      constructor: 'x',
    };
    expect((await raw(JSON.stringify(wordy).replace('Certificate', '\\u0043ertificate'))).status).toBe(201);
  });

  it('reads the ASCII wire form agents send exactly, and still finds a disguised key in it', async () => {
    // Newer than every batch so far, so it becomes agent A's latest state, which /findings lists (the
    // server dates a batch no later than its arrival: its clock moves on first).
    now = new Date(now.getTime() + 3_600_000);
    const batch = batchOfFindings(50, { agency: A, agentId: agentA.agentId, createdAt: now });
    const finding = batch.report.findings[0] as { message: { vi: string }; evidence: Record<string, unknown> };
    finding.message.vi = 'Chứng thư số sắp hết hạn — gia hạn ngay 🔒';
    const body = encodeAsciiJson(batch);
    expect(isAscii(body)).toBe(true);
    expect(JSON.parse(body.toString('latin1'))).toEqual(JSON.parse(JSON.stringify(batch)));
    expect((await raw(body.toString('latin1'))).status).toBe(201);
    const stored = await inject({ method: 'GET', url: `/api/v1/findings?agency=${A}&outcome=all&limit=1000`, headers: bearer(viewer) });
    expect(
      stored
        .json<{ items: { batchId: string; message: { vi: string } }[] }>()
        .items.filter((f) => f.batchId === batch.batchId)
        .map((f) => f.message.vi),
    ).toContain(finding.message.vi);
    // Every non-ASCII character is escaped in this body, yet an escaped ASCII spelling of __proto__ is caught.
    const before = await storedBatches();
    const poisoned = batchFor(agentA);
    (poisoned.report.findings[0] as { evidence: Record<string, unknown> }).evidence = { marker: 'POISON' };
    const text = encodeAsciiJson(poisoned).toString('latin1').replace('"marker":"POISON"', '"\\u005F_proto__":{"admin":true}');
    expect((await raw(text)).status).toBe(400);
    expect(await storedBatches()).toBe(before);
  });

  it('validates query strings and admin bodies too', async () => {
    for (const url of [
      '/api/v1/findings?limit=5000',
      '/api/v1/findings?limit=ten',
      '/api/v1/findings?severity=urgent',
      '/api/v1/findings?outcome=maybe',
      '/api/v1/findings?agency=../../x',
      '/api/v1/findings?sevrity=high',
      '/api/v1/trend?days=0',
      '/api/v1/certificates?days=-1',
      '/api/v1/agents?staleAfter=0',
      `/api/v1/export/${A}.sarif?lang=fr`,
    ]) {
      const res = await inject({ method: 'GET', url, headers: bearer(viewer) });
      expect(res.statusCode, url).toBe(400);
      expect(res.json<{ error: string; message: string }>().message, url).toMatch(/^querystring/);
    }
    for (const payload of [{ agency: '../x' }, { agency: A, ttlHours: 0 }, { agency: A, extra: 1 }, {}]) {
      const res = await inject({ method: 'POST', url: '/api/v1/enrollments', headers: bearer(admin), payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect((await inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(admin), payload: { role: 'agent' } })).statusCode).toBe(
      400,
    );
    expect((await inject({ method: 'POST', url: '/api/v1/enroll', payload: { secret: 'x', hostname: 'h' } })).statusCode).toBe(400);
  });

  it('answers unknown routes with JSON 404 and never leaks internals', async () => {
    const res = await inject({ method: 'GET', url: '/api/v1/nothing-here', headers: bearer(viewer) });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not-found', message: 'No such resource.' });
    // A store that fails mid-request: 500 with a fixed message, no stack, no SQL.
    const broken = buildApp({
      store: Object.assign(Object.create(store) as Store, {
        listAgencies: () => Promise.reject(new Error('SELECT * FROM secret_table failed at /srv/x.ts:1')),
      }),
      dashboard: false,
    });
    const err = await broken.inject({ method: 'GET', url: '/api/v1/agencies', headers: bearer(viewer) });
    expect(err.statusCode).toBe(500);
    expect(err.json()).toEqual({ error: 'internal', message: 'Internal server error.' });
    await broken.close();
  });
});
