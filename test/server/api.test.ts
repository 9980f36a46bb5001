// The HTTP API end to end through fastify inject, on the real store over SQLite and over PostgreSQL:
// an admin creates enrolment secrets, agents enrol and upload a seeded week of batches, and every
// read endpoint answers with what was uploaded; exports validate as SARIF and as govscan JSON.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { createApiToken } from '../../src/server/admin.js';
import type {
  AgencyRow,
  AgentRow,
  CertificateRow,
  FindingRow,
  FleetOverview,
  HistoryPoint,
  Ipv6AgencyRow,
  Page,
  SystemRow,
  TrendPoint,
} from '../../src/contract/read-api.js';
import type { Batch, BatchAck, EnrollResponse } from '../../src/contract/agent-api.js';
import type { Store } from '../../src/server/store/store-types.js';
import { openStore } from '../../src/server/store/index.js';
import type { Report } from '../../src/core/types.js';
import reportSchema from '../../src/report/report.schema.json' with { type: 'json' };
import { seedFleet, type Fleet } from '../../src/lab/fleet-seed.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { validateSarif } from '../helpers/sarif.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const addFormats = addFormatsModule.default;

function reportValidator(): (value: unknown) => string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(reportSchema);
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}

interface Enrolled {
  agentId: string;
  token: string;
}

describe.each(['sqlite', 'postgres'] as const)('API on %s', (dialect) => {
  let tmp: string;
  let pg: TestDatabase | undefined;
  let store: Store;
  let app: FastifyInstance;
  let fleet: Fleet;
  let admin: string;
  let viewer: string;
  /** Seed agent id → the agent the server enrolled for it. */
  const enrolled = new Map<string, Enrolled>();
  /** The fleet's batches as uploaded (agent ids replaced by the enrolled ones). */
  let uploaded: Batch[] = [];
  /** The server's clock: each batch arrives a little after its run, as from a live agent. */
  let clock = NOW;

  const get = async <T>(url: string, token = viewer): Promise<T> => {
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    return res.json<T>();
  };
  const latestOf = (agency: string): Batch[] => {
    const ids = new Set(fleet.latest.filter((b) => b.agency === agency).map((b) => b.batchId));
    return uploaded.filter((b) => ids.has(b.batchId));
  };

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'govscan-api-'));
    let url = `sqlite:${join(tmp, 'govscan.db')}`;
    if (dialect === 'postgres') {
      pg = await createTestDatabase('govscan_api');
      url = pg.url;
    }
    store = await openStore(url);
    await store.migrate();
    app = buildApp({ store, now: () => clock, dashboard: false });
    await app.ready();
    fleet = seedFleet({ now: NOW });
    admin = (await createApiToken(store, 'admin')).token;
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
    await pg?.drop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('lets an admin create enrolment secrets and tokens, and agents enrol with them once', async () => {
    for (const agency of fleet.agencies) {
      for (const agent of agency.agents) {
        const created = await app.inject({
          method: 'POST',
          url: '/api/v1/enrollments',
          headers: { authorization: `Bearer ${admin}` },
          payload: { agency: agency.id, name: agency.name, ttlHours: 2 },
        });
        expect(created.statusCode).toBe(201);
        const { secret, expiresAt } = created.json<{ secret: string; expiresAt: string; agency: string }>();
        expect(expiresAt).toBe(new Date(NOW.getTime() + 2 * 3_600_000).toISOString());
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/enroll',
          payload: { secret, hostname: agent.hostname, agentVersion: agent.version },
        });
        expect(res.statusCode).toBe(201);
        const body = res.json<EnrollResponse>();
        expect(body.agency).toBe(agency.id);
        expect(body.token).toMatch(/^gsa_[A-Za-z0-9-]+\.[A-Za-z0-9_-]{43}$/);
        enrolled.set(agent.id, { agentId: body.agentId, token: body.token });
        // The secret is spent.
        const again = await app.inject({
          method: 'POST',
          url: '/api/v1/enroll',
          payload: { secret, hostname: 'other', agentVersion: '1' },
        });
        expect(again.statusCode).toBe(401);
      }
    }
    expect(new Set([...enrolled.values()].map((e) => e.agentId)).size).toBe(6);
    expect(await store.getAgency('so-tttt-tay-ninh')).toEqual({ id: 'so-tttt-tay-ninh', name: 'Sở TT&TT Tây Ninh' });

    const tok = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { authorization: `Bearer ${admin}` },
      payload: { role: 'viewer', name: 'wall screen' },
    });
    expect(tok.statusCode).toBe(201);
    viewer = tok.json<{ token: string; role: string }>().token;
    expect(viewer).toMatch(/^gsv_/);
  });

  it('stores each uploaded batch once: 201 stored, then 200 duplicate for a repeat', async () => {
    uploaded = fleet.batches.map((b) => ({ ...b, agentId: (enrolled.get(b.agentId) as Enrolled).agentId }));
    const tokenOf = new Map([...enrolled.values()].map((e) => [e.agentId, e.token]));
    for (const batch of uploaded) {
      clock = new Date(Date.parse(batch.createdAt) + 2_000);
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/batches',
        headers: { authorization: `Bearer ${tokenOf.get(batch.agentId)}` },
        payload: batch,
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json<BatchAck>()).toEqual({ batchId: batch.batchId, status: 'stored' });
    }
    const first = uploaded[0] as Batch;
    const repeat = await app.inject({
      method: 'POST',
      url: '/api/v1/batches',
      headers: { authorization: `Bearer ${tokenOf.get(first.agentId)}` },
      payload: first,
    });
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json<BatchAck>()).toEqual({ batchId: first.batchId, status: 'duplicate' });
    expect((await store.stats()).batches).toBe(fleet.batches.length);
    clock = NOW;
  });

  it('GET /overview: every agency, agent and policy, with the stopped agent stale', async () => {
    const o = await get<FleetOverview>('/api/v1/overview');
    expect(o.totals).toMatchObject({ agencies: 3, agents: 6, staleAgents: 1, batches: fleet.batches.length });
    const failedLatest = fleet.latest.reduce((n, b) => n + b.report.findings.filter((f) => f.outcome === 'fail').length, 0);
    expect(o.totals.failed).toBe(failedLatest);
    expect(o.agencies.map((a) => a.id).sort()).toEqual(fleet.agencies.map((a) => a.id).sort());
    const stale = o.agents.filter((a) => a.stale);
    const staleSeed = fleet.agencies.flatMap((a) => a.agents).find((a) => a.stale);
    expect(stale.map((a) => a.id)).toEqual([enrolled.get(staleSeed?.id ?? '')?.agentId]);
    expect(o.policies.length).toBeGreaterThan(0);
    // staleAfter is passed through: with a 10-interval window nobody is stale.
    const lenient = await get<FleetOverview>('/api/v1/overview?staleAfter=10');
    expect(lenient.totals.staleAgents).toBe(0);
  });

  it('GET /agencies: latest counts per agency match the latest batches', async () => {
    const page = await get<Page<AgencyRow>>('/api/v1/agencies');
    expect(page.total).toBe(3);
    for (const row of page.items) {
      const latest = latestOf(row.id);
      const fails = latest.reduce((n, b) => n + b.report.findings.filter((f) => f.outcome === 'fail').length, 0);
      const passes = latest.reduce((n, b) => n + b.report.findings.filter((f) => f.outcome === 'pass').length, 0);
      expect(row.counts.fail).toBe(fails);
      expect(row.counts.pass).toBe(passes);
      expect(row.passRate).toBeCloseTo(passes / (passes + fails), 6);
      expect(row.agents).toBe(2);
    }
  });

  it('GET /agents and /systems, filtered by agency', async () => {
    const all = await get<Page<AgentRow>>('/api/v1/agents');
    expect(all.total).toBe(6);
    const one = await get<Page<AgentRow>>('/api/v1/agents?agency=so-tttt-da-nang');
    expect(one.items.map((a) => a.agency)).toEqual(['so-tttt-da-nang', 'so-tttt-da-nang']);
    expect(one.items.map((a) => a.hostname).sort()).toEqual(['agent1.danang.gov.vn', 'agent2.danang.gov.vn']);

    const systems = await get<Page<SystemRow>>('/api/v1/systems?agency=so-tttt-tay-ninh');
    const expected = fleet.agencies[0]?.agents.flatMap((a) => a.systems.map((s) => s.id)) ?? [];
    expect(systems.items.every((s) => s.agency === 'so-tttt-tay-ninh')).toBe(true);
    expect(
      systems.items
        .map((s) => s.id)
        .filter((id) => id !== '')
        .sort(),
    ).toEqual([...expected].sort());
    const cong = systems.items.find((s) => s.id === 'cong-dvc');
    expect(cong).toMatchObject({ name: 'Cổng dịch vụ công', level: 3 });
  });

  it('GET /findings: failed by default with evidence, filters and paging', async () => {
    const page = await get<Page<FindingRow>>('/api/v1/findings?limit=1000');
    const failedLatest = fleet.latest.reduce((n, b) => n + b.report.findings.filter((f) => f.outcome === 'fail').length, 0);
    expect(page.total).toBe(failedLatest);
    expect(page.items.every((f) => f.outcome === 'fail')).toBe(true);

    const expired = await get<Page<FindingRow>>('/api/v1/findings?rule=TLS-CERT-EXPIRED');
    expect(expired.total).toBe(6);
    for (const f of expired.items) {
      expect(f.evidence['leaf.expired']).toBe(true);
      expect(f.message.vi).toContain('đã hết hạn');
    }

    const one = await get<Page<FindingRow>>('/api/v1/findings?agency=so-tttt-ha-giang&severity=high&outcome=all&limit=1000');
    const expectedHigh = latestOf('so-tttt-ha-giang').reduce(
      (n, b) => n + b.report.findings.filter((f) => f.severity === 'high').length,
      0,
    );
    expect(one.total).toBe(expectedHigh);
    expect(one.items.every((f) => f.agency === 'so-tttt-ha-giang' && f.severity === 'high')).toBe(true);

    const p1 = await get<Page<FindingRow>>('/api/v1/findings?limit=5');
    const p2 = await get<Page<FindingRow>>('/api/v1/findings?limit=5&offset=5');
    expect(p1.items).toHaveLength(5);
    expect(p2.total).toBe(p1.total);
    const key = (f: FindingRow): string => `${f.batchId} ${f.ruleId} ${f.target}`;
    expect(p2.items.map(key).some((k) => p1.items.map(key).includes(k))).toBe(false);
  });

  it('GET /history: one point per batch for a rule on a target, oldest first', async () => {
    const agency = fleet.agencies[0]?.id ?? '';
    const firstBatch = uploaded.find(
      (b) => b.agency === agency && b.report.findings.some((f) => f.ruleId === 'TLS-HSTS-MISSING' && f.outcome === 'fail'),
    );
    const finding = firstBatch?.report.findings.find((f) => f.ruleId === 'TLS-HSTS-MISSING' && f.outcome === 'fail');
    expect(finding).toBeDefined();
    const target = finding?.target ?? '';
    const expected = uploaded
      .filter((b) => b.agency === agency)
      .flatMap((b) => b.report.findings.filter((f) => f.ruleId === 'TLS-HSTS-MISSING' && f.target === target).map((f) => f.outcome));
    const q = new URLSearchParams({ agency, rule: 'TLS-HSTS-MISSING', target });
    const page = await get<Page<HistoryPoint>>(`/api/v1/history?${q}`);
    expect(page.items.map((p) => p.outcome)).toEqual(expected);
    expect(expected.slice(0, 3)).toEqual(['fail', 'fail', 'pass']);
    const times = page.items.map((p) => p.scannedAt);
    expect([...times].sort()).toEqual(times);
  });

  it('GET /trend: days in order, the last one matching the latest state', async () => {
    const agency = 'so-tttt-tay-ninh';
    const page = await get<Page<TrendPoint>>(`/api/v1/trend?agency=${agency}&days=7`);
    expect(page.items.length).toBeGreaterThanOrEqual(6);
    const days = page.items.map((p) => p.day);
    expect([...days].sort()).toEqual(days);
    const last = page.items.at(-1) as TrendPoint;
    const latest = latestOf(agency);
    expect(last.failed).toBe(latest.reduce((n, b) => n + b.report.findings.filter((f) => f.outcome === 'fail').length, 0));
    expect(last.passed).toBe(latest.reduce((n, b) => n + b.report.findings.filter((f) => f.outcome === 'pass').length, 0));
  });

  it('GET /certificates: endpoint leafs and files on agent hosts expiring within the window', async () => {
    const page = await get<Page<CertificateRow>>('/api/v1/certificates?days=30');
    expect(page.items.every((c) => c.daysLeft <= 30)).toBe(true);
    const files = page.items.filter((c) => c.source === 'file');
    // Each agent host has one file expiring within 5 + a days (a = agency index).
    expect(files.filter((c) => c.subject.startsWith('CN=vpn.')).length).toBe(6);
    expect(page.items.some((c) => c.source === 'endpoint')).toBe(true);
    const narrow = await get<Page<CertificateRow>>('/api/v1/certificates?days=30&agency=so-tttt-da-nang');
    expect(narrow.items.length).toBeGreaterThan(0);
    expect(narrow.items.every((c) => c.agency === 'so-tttt-da-nang')).toBe(true);
  });

  it('GET /ipv6: a readiness score per agency', async () => {
    const page = await get<Page<Ipv6AgencyRow>>('/api/v1/ipv6');
    expect(page.items.map((r) => r.agency).sort()).toEqual(fleet.agencies.map((a) => a.id).sort());
    for (const row of page.items) {
      expect(row.domains.length).toBeGreaterThan(0);
      expect(row.score).not.toBeNull();
    }
  });

  it('exports an agency as SARIF that validates and as govscan JSON that validates', async () => {
    const agency = 'so-tttt-da-nang';
    const sarif = await app.inject({
      method: 'GET',
      url: `/api/v1/export/${agency}.sarif`,
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(sarif.statusCode).toBe(200);
    expect(sarif.headers['content-type']).toMatch(/^application\/sarif\+json/);
    expect(sarif.headers['content-disposition']).toBe(`attachment; filename="${agency}.sarif"`);
    const log = sarif.json<{
      runs: { results: { ruleId: string; locations: { logicalLocations: { fullyQualifiedName: string }[] }[] }[] }[];
    }>();
    expect(validateSarif(log)).toEqual([]);
    const results = log.runs.flatMap((r) => r.results);
    expect(results.some((r) => r.ruleId === 'TLS-CERT-EXPIRED')).toBe(true);
    // Only this agency's endpoints.
    const names = results.flatMap((r) => r.locations.flatMap((l) => l.logicalLocations.map((x) => x.fullyQualifiedName)));
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n.includes('danang'))).toBe(true);

    const json = await app.inject({ method: 'GET', url: `/api/v1/export/${agency}.json`, headers: { authorization: `Bearer ${admin}` } });
    expect(json.statusCode).toBe(200);
    const report = json.json<Report>();
    expect(reportValidator()(report)).toEqual([]);
    const latest = latestOf(agency);
    expect(report.findings.length).toBe(latest.reduce((n, b) => n + b.report.findings.length, 0));
    expect(report.run.finishedAt).toBe(
      latest
        .map((b) => b.report.run.finishedAt)
        .sort()
        .at(-1),
    );

    const vi = await app.inject({
      method: 'GET',
      url: `/api/v1/export/${agency}.sarif?lang=vi`,
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(vi.body).toContain('đã hết hạn');

    const unknown = await app.inject({
      method: 'GET',
      url: '/api/v1/export/no-such-agency.sarif',
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'not-found', message: 'No such agency.' });
    const badExt = await app.inject({ method: 'GET', url: `/api/v1/export/${agency}.xml`, headers: { authorization: `Bearer ${viewer}` } });
    expect(badExt.statusCode).toBe(404);
  });

  it('exports an agency with no batch yet as an empty but valid report', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/enrollments',
      headers: { authorization: `Bearer ${admin}` },
      payload: { agency: 'so-moi' },
    });
    expect(created.statusCode).toBe(201);
    const sarif = await app.inject({ method: 'GET', url: '/api/v1/export/so-moi.sarif', headers: { authorization: `Bearer ${viewer}` } });
    expect(sarif.statusCode).toBe(200);
    expect(validateSarif(sarif.json())).toEqual([]);
    const json = await app.inject({ method: 'GET', url: '/api/v1/export/so-moi.json', headers: { authorization: `Bearer ${viewer}` } });
    expect(reportValidator()(json.json())).toEqual([]);
    expect(json.json<Report>().findings).toEqual([]);
  });

  it('GET /healthz answers without a token; /metrics counts requests, batches and store rows', async () => {
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok', db: dialect });

    const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${viewer}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    const value = (line: string): number => Number(new RegExp(`^${line.replace(/[{}"+.]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('govscan_batches_stored_total')).toBe(fleet.batches.length);
    expect(value('govscan_batches_duplicate_total')).toBe(1);
    expect(value('govscan_store_batches')).toBe(fleet.batches.length);
    expect(value('govscan_store_agencies')).toBe(4);
    expect(value('govscan_ingest_duration_seconds_count')).toBe(fleet.batches.length + 1);
    expect(value('govscan_ingest_duration_seconds_bucket{le="+Inf"}')).toBe(fleet.batches.length + 1);
    expect(value('govscan_http_requests_total{method="POST",route="/api/v1/batches",status="201"}')).toBe(fleet.batches.length);
    expect(value('govscan_http_requests_total{method="POST",route="/api/v1/batches",status="200"}')).toBe(1);
    // Every line is a comment or `name{labels} number`.
    for (const line of text.trimEnd().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) \S+ .+|[a-z_]+(\{[^}]*\})? -?[0-9.e+]+)$/);

    const pub = buildApp({ store, metricsPublic: true, dashboard: false });
    expect((await pub.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    await pub.close();
  });
});
