// What one agent token can cost the server (issue 10 items 8-11), on a real server on loopback over
// SQLite and PostgreSQL: bodies whose shape would be cheap to send and dear to hold are refused before
// they are stored; a report stored before those limits existed (20,000 levels deep) cannot make the
// findings page or the exports fail for every viewer; the findings cache stays within its byte
// budget; a batch dated in 2099 cannot stay an agent's latest; a batch id is its first agent's.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { createApiToken, createEnrollment } from '../../src/server/admin.js';
import type { Batch, EnrollResponse } from '../../src/contract/agent-api.js';
import type { FindingRow, Page } from '../../src/contract/read-api.js';
import { CUT_MARKER } from '../../src/server/store/bounded-json.js';
import { openStore, type KyselyStore } from '../../src/server/store/index.js';
import { batchOfFindings, stableUuid } from '../../src/lab/fleet-seed.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

const A = 'so-tttt-tay-ninh';
const B = 'so-tttt-da-nang';
/** The findings cache's budget here: a few reports of 50 findings (~150 KB each estimated). */
const CACHE_BUDGET = 1024 * 1024;

interface Answer {
  status: number;
  body: unknown;
  text: string;
}

describe.each(['sqlite', 'postgres'] as const)('what one token can cost the server, on %s', (dialect) => {
  let tmp: string;
  let pg: TestDatabase | undefined;
  let store: KyselyStore;
  let app: FastifyInstance;
  let base: string;
  let viewer: string;
  let agentA: EnrollResponse;
  let agentA2: EnrollResponse;
  let agentB: EnrollResponse;
  const now = (): Date => new Date();

  const call = async (method: string, path: string, token: string, body?: string | object): Promise<Answer> => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: the assertion on `body` will say so
    }
    return { status: res.status, body: parsed, text };
  };
  const upload = (agent: EnrollResponse, body: string | object): Promise<Answer> => call('POST', '/api/v1/batches', agent.token, body);
  const batchFor = (agent: EnrollResponse, opts: { createdAt?: Date; batchId?: string } = {}): Batch =>
    batchOfFindings(20, {
      agency: agent.agency,
      agentId: agent.agentId,
      createdAt: opts.createdAt ?? now(),
      ...(opts.batchId ? { batchId: opts.batchId } : {}),
    });
  const storedBatches = async (): Promise<number> => (await store.stats()).batches;
  const enrol = async (agency: string, hostname: string): Promise<EnrollResponse> => {
    const { secret } = await createEnrollment(store, { agency }, now());
    const res = await call('POST', '/api/v1/enroll', '', { secret, hostname, agentVersion: '0.1.0' });
    expect(res.status).toBe(201);
    return res.body as EnrollResponse;
  };

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'govscan-bounds-'));
    let url = `sqlite:${join(tmp, 'govscan.db')}`;
    if (dialect === 'postgres') {
      pg = await createTestDatabase('govscan_bounds');
      url = pg.url;
    }
    store = await openStore(url, { findingsCacheBytes: CACHE_BUDGET });
    await store.migrate();
    app = buildApp({ store, dashboard: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
    viewer = (await createApiToken(store, 'viewer')).token;
    agentA = await enrol(A, 'agent1.tayninh.gov.vn');
    agentA2 = await enrol(A, 'agent2.tayninh.gov.vn');
    agentB = await enrol(B, 'agent1.danang.gov.vn');
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
    await pg?.drop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('refuses bodies whose shape is cheap to send and dear to hold, with a JSON 400/413, and stores none of them (item 8)', async () => {
    const before = await storedBatches();
    const good = batchFor(agentA);
    const text = JSON.stringify(good);
    const withEvidence = (evidence: string): string => text.replace('"evidence":{', `"evidence":{"x":${evidence},`);
    const cases: [string, string, number, RegExp][] = [
      // The attack of the issue: evidence holding empty objects by the hundred thousand (~1.8 MB here).
      ['600,000 empty objects', withEvidence(`[${new Array(600_000).fill('{}').join(',')}]`), 413, /more than 100000 items/],
      [
        '600,000 empty objects spread over arrays',
        withEvidence(`[${new Array(6_000).fill(`[${new Array(100).fill('{}').join(',')}]`).join(',')}]`),
        413,
        /more than \d+ values/,
      ],
      ['nesting 40 levels deep', withEvidence('{"k":'.repeat(40) + '1' + '}'.repeat(40)), 400, /more than 32 levels deep/],
      ['nesting 20,000 levels deep', withEvidence('['.repeat(20_000) + ']'.repeat(20_000)), 400, /more than 32 levels deep/],
      [
        'an object of 2,000 keys',
        withEvidence(`{${Array.from({ length: 2_000 }, (_, i) => `"k${i}":0`).join(',')}}`),
        413,
        /more than 1000 keys/,
      ],
      ['a 300 KB string', withEvidence(JSON.stringify('x'.repeat(300 * 1024))), 413, /a string of \d+ bytes/],
      [
        'evidence of 100 KB in small strings',
        withEvidence(JSON.stringify(Array.from({ length: 400 }, () => 'y'.repeat(250)))),
        413,
        /findings\/0\/evidence is \d+ bytes as JSON; at most 65536/,
      ],
    ];
    for (const [what, body, status, message] of cases) {
      const res = await upload(agentA, body);
      expect(res.status, what).toBe(status);
      expect(res.body, what).toMatchObject({ error: status === 413 ? 'payload-too-large' : 'bad-request' });
      expect((res.body as { message: string }).message, what).toMatch(message);
    }
    // An attempt's facts have their own, larger bound.
    const bigFacts = structuredClone(good);
    (bigFacts.report.attempts[0] as { facts: unknown }).facts = { blobs: Array.from({ length: 20 }, () => 'z'.repeat(60_000)) };
    const facts = await upload(agentA, bigFacts);
    expect(facts.status).toBe(413);
    expect((facts.body as { message: string }).message).toMatch(/^body\/report\/attempts\/0\/facts is \d+ bytes as JSON; at most 1048576/);
    expect(await storedBatches()).toBe(before);
    // The same batch within the limits is taken: the refusals were about shape alone.
    expect((await upload(agentA, good)).status).toBe(201);
  });

  it('keeps the findings cache within its byte budget however many reports viewers read (item 8)', async () => {
    // 12 agents' latest reports of 50 findings each, read page by page as a dashboard refresh does.
    const agents: EnrollResponse[] = [];
    for (let i = 0; i < 12; i++) agents.push(await enrol(`so-cache-${i}`, `agent.cache${i}.gov.vn`));
    for (const agent of agents) {
      const batch = batchOfFindings(50, { agency: agent.agency, agentId: agent.agentId, createdAt: now() });
      for (const f of batch.report.findings)
        (f as { evidence: Record<string, unknown> }).evidence = { ...f.evidence, pad: 'e'.repeat(2_000) };
      expect((await upload(agent, batch)).status).toBe(201);
    }
    let maxSeen = 0;
    for (let round = 0; round < 2; round++) {
      for (const agent of agents) {
        const res = await call('GET', `/api/v1/findings?agency=${agent.agency}&outcome=all&limit=1000`, viewer);
        expect(res.status).toBe(200);
        const page = res.body as Page<FindingRow>;
        expect(page.items).toHaveLength(50);
        // Texts and evidence are there: the reports were read, whether or not they stayed cached.
        expect(page.items.every((f) => (f.evidence as { pad?: string }).pad?.length === 2_000)).toBe(true);
        maxSeen = Math.max(maxSeen, store.findingsCacheBytes);
      }
    }
    expect(maxSeen).toBeGreaterThan(0);
    expect(maxSeen).toBeLessThanOrEqual(CACHE_BUDGET);
  });

  it('answers the findings page and both exports for a report stored 20,000 levels deep, cutting only that nesting (item 9)', async () => {
    // Stored directly, as a row from before the shape limits would be: the HTTP ingest refuses it.
    const deep = batchFor(agentA2, { createdAt: now() });
    const marker = 'DEEP-EVIDENCE-HERE';
    (deep.report.findings[0] as { evidence: Record<string, unknown> }).evidence = { nested: marker };
    const depth = 20_000;
    const raw = JSON.stringify(deep).replace(`"${marker}"`, '{"k":'.repeat(depth) + '"bottom"' + '}'.repeat(depth));
    expect(await store.ingest(deep, new Date().toISOString(), Buffer.from(raw))).toEqual({ status: 'stored' });
    // B's data is read on the same pages and must not suffer for it.
    expect((await upload(agentB, batchFor(agentB))).status).toBe(201);

    const all = await call('GET', '/api/v1/findings?outcome=all&limit=1000', viewer);
    expect(all.status, all.text.slice(0, 200)).toBe(200);
    const items = (all.body as Page<FindingRow>).items;
    expect(items.some((f) => f.agency === B)).toBe(true);
    const cut = items.find(
      (f) => f.batchId === deep.batchId && f.ruleId === deep.report.findings[0]!.ruleId && f.target === deep.report.findings[0]!.target,
    );
    expect(cut).toBeDefined();
    // The evidence is there down to the cut, then the marker says what happened.
    expect(JSON.stringify(cut!.evidence)).toContain(CUT_MARKER);
    expect(JSON.stringify(cut!.evidence).startsWith('{"nested":{"k":{"k":')).toBe(true);
    // The other findings of that report keep their texts.
    expect(items.filter((f) => f.batchId === deep.batchId).every((f) => f.message.en.length > 0)).toBe(true);

    for (const file of [`${A}.json`, `${A}.sarif`, `${B}.sarif`]) {
      const res = await call('GET', `/api/v1/export/${file}`, viewer);
      expect(res.status, `${file}: ${res.text.slice(0, 200)}`).toBe(200);
      expect(res.body).not.toBeNull();
    }
    const json = (await call('GET', `/api/v1/export/${A}.json`, viewer)).body as { findings: { evidence: unknown }[] };
    expect(json.findings.some((f) => JSON.stringify(f.evidence).includes(CUT_MARKER))).toBe(true);
  });

  it('dates a batch no later than its arrival, so one dated 2099 does not hide the batches after it (item 10)', async () => {
    const agent = await enrol(A, 'agent3.tayninh.gov.vn');
    const future = batchFor(agent, { createdAt: new Date('2099-01-01T00:00:00Z') });
    const sentAt = Date.now();
    expect((await upload(agent, future)).status).toBe(201);
    const later = batchFor(agent, { createdAt: new Date(Date.now() + 50) });
    await new Promise((r) => setTimeout(r, 60));
    expect((await upload(agent, later)).status).toBe(201);

    const page = (await call('GET', `/api/v1/findings?agency=${A}&outcome=all&limit=1000`, viewer)).body as Page<FindingRow>;
    const batchIds = new Set(page.items.filter((f) => later.report.findings.some((x) => x.target === f.target)).map((f) => f.batchId));
    expect(batchIds.has(later.batchId)).toBe(true);
    expect(batchIds.has(future.batchId)).toBe(false);
    // History keeps the 2099 batch, dated when the server received it.
    const history = (await call('GET', `/api/v1/history?agency=${A}&rule=${encodeURIComponent(future.report.findings[0]!.ruleId)}`, viewer))
      .body as Page<{ batchId: string; scannedAt: string }>;
    const point = history.items.find((p) => p.batchId === future.batchId);
    expect(point).toBeDefined();
    expect(Date.parse(point!.scannedAt)).toBeGreaterThanOrEqual(sentAt - 1000);
    expect(Date.parse(point!.scannedAt)).toBeLessThan(Date.parse('2030-01-01T00:00:00Z'));
  });

  it("answers 409 for a batch id another agent or agency stored, and 200 duplicate for the agent's own repeat (item 11)", async () => {
    const mine = batchFor(agentA);
    expect((await upload(agentA, mine)).status).toBe(201);
    const repeat = await upload(agentA, mine);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual({ batchId: mine.batchId, status: 'duplicate' });
    const before = await storedBatches();
    for (const other of [agentA2, agentB]) {
      const res = await upload(other, { ...batchFor(other), batchId: mine.batchId });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({
        error: 'conflict',
        message: `Batch id ${mine.batchId} is already stored for another agent; every run needs a batch id of its own.`,
      });
    }
    expect(await storedBatches()).toBe(before);
    // Two agents racing with one new id: exactly one stores it, the other is told of the conflict.
    const id = stableUuid('race', dialect, Date.now());
    const answers = await Promise.all([
      upload(agentA, batchFor(agentA, { batchId: id })),
      upload(agentB, batchFor(agentB, { batchId: id })),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(await storedBatches()).toBe(before + 1);
  });
});
