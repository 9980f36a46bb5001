// The read API the SOC dashboard's fleet views stand on, through fastify inject on the real store
// (SQLite and PostgreSQL) seeded with the deterministic fleet: findings across the fleet filtered,
// searched and sorted with their first-failed dates; open failures per rule; the severity trend with
// new and fixed failures; pass rates that leave stale agents out; and exports of a filter as SARIF
// (valid against the OASIS schema), govscan JSON and CSV. Expected values are computed from the seeded
// batches themselves, never copied from an answer.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { createApiToken } from '../../src/server/admin.js';
import type { AgencyRow, FindingRow, Page, RuleRow, SeverityTrendPoint } from '../../src/contract/read-api.js';
import type { Batch } from '../../src/contract/agent-api.js';
import type { Store } from '../../src/server/store/store-types.js';
import type { Report, Severity } from '../../src/core/types.js';
import { SEVERITIES } from '../../src/core/types.js';
import { openStore } from '../../src/server/store/index.js';
import { loadFleet, seedFleet, type Fleet } from '../../src/lab/fleet-seed.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { validateSarif } from '../helpers/sarif.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const rank = (s: Severity): number => SEVERITIES.indexOf(s);

/** Per agent, oldest first. */
function byAgent(batches: Batch[]): Map<string, Batch[]> {
  const out = new Map<string, Batch[]>();
  for (const b of [...batches].sort((x, y) => x.createdAt.localeCompare(y.createdAt))) {
    const list = out.get(b.agentId) ?? [];
    list.push(b);
    out.set(b.agentId, list);
  }
  return out;
}

describe.each(['sqlite', 'postgres'] as const)('fleet views API on %s', (dialect) => {
  let tmp: string;
  let pg: TestDatabase | undefined;
  let store: Store;
  let app: FastifyInstance;
  let fleet: Fleet;
  let viewer: string;

  const get = async <T>(url: string): Promise<T> => {
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${viewer}` } });
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    return res.json<T>();
  };

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'govscan-lifecycle-'));
    let url = `sqlite:${join(tmp, 'govscan.db')}`;
    if (dialect === 'postgres') {
      pg = await createTestDatabase('govscan_lifecycle');
      url = pg.url;
    }
    store = await openStore(url);
    await store.migrate();
    fleet = seedFleet({ now: NOW, agencies: 3, agentsPerAgency: 2, days: 7 });
    await loadFleet(store, fleet);
    viewer = (await createApiToken(store, 'viewer')).token;
    app = buildApp({ store, now: () => NOW, dashboard: false });
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
    await pg?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('lists every open failure of the fleet, most severe first, each with the start of its failing streak', async () => {
    const expected = fleet.latest.flatMap((b) => b.report.findings.filter((f) => f.outcome === 'fail').map((f) => ({ b, f })));
    const page = await get<Page<FindingRow>>('/api/v1/findings?sort=severity&limit=1000');
    expect(page.total).toBe(expected.length);
    const sevs = page.items.map((f) => rank(f.severity));
    expect(sevs).toEqual([...sevs].sort((a, b) => a - b));
    expect(page.items[0]?.severity).toBe(SEVERITIES.find((s) => expected.some((e) => e.f.severity === s)));

    // First failed = the first batch of the agent's current failing run of that rule on that target.
    const agents = byAgent(fleet.batches);
    for (const item of page.items) {
      const agentBatches = agents.get(fleet.latest.find((b) => b.batchId === item.batchId)?.agentId ?? '') ?? [];
      let start: string | null = null;
      for (const b of agentBatches) {
        const f = b.report.findings.find((x) => x.ruleId === item.ruleId && x.target === item.target);
        if (f?.outcome === 'fail') start ??= b.report.findings.length ? b.createdAt : null;
        else if (f?.outcome === 'pass' || f?.outcome === 'not-applicable') start = null;
      }
      expect(Date.parse(item.firstFailedAt ?? ''), `${item.ruleId} ${item.target}`).toBe(Date.parse(start ?? ''));
    }
    // The fleet has failures that started after the oldest day (rules that passed, then failed) or
    // none: either way "new since" keeps exactly those whose streak started at or after the date.
    const cut = new Date(NOW.getTime() - 3 * 86_400_000).toISOString();
    const since = await get<Page<FindingRow>>(`/api/v1/findings?since=${encodeURIComponent(cut)}&limit=1000`);
    expect(since.total).toBe(page.items.filter((f) => (f.firstFailedAt ?? '') >= cut).length);
  });

  it('filters by check family, searches text and pages without losing or repeating a finding', async () => {
    const all = await get<Page<FindingRow>>('/api/v1/findings?sort=rule&limit=1000');
    const tls = await get<Page<FindingRow>>('/api/v1/findings?check=tls&limit=1000');
    expect(tls.total).toBe(all.items.filter((f) => f.check.startsWith('tls.')).length);
    expect(tls.total).toBeGreaterThan(0);
    expect(tls.items.every((f) => f.check.startsWith('tls.'))).toBe(true);

    const agency = fleet.agencies[1]!;
    const search = await get<Page<FindingRow>>(`/api/v1/findings?q=${encodeURIComponent(agency.place.toUpperCase())}&limit=1000`);
    expect(search.total).toBe(all.items.filter((f) => f.target.includes(agency.place) || f.agency.includes(agency.place)).length);
    expect(search.total).toBeGreaterThan(0);
    // LIKE wildcards in the search are literal.
    expect((await get<Page<FindingRow>>('/api/v1/findings?q=%25')).total).toBe(0);

    const seen: string[] = [];
    for (let offset = 0; offset < all.total; offset += 7) {
      const p = await get<Page<FindingRow>>(`/api/v1/findings?sort=rule&limit=7&offset=${offset}`);
      seen.push(...p.items.map((f) => `${f.agency}|${f.target}|${f.ruleId}`));
    }
    expect(seen).toEqual(all.items.map((f) => `${f.agency}|${f.target}|${f.ruleId}`));

    const bad = await app.inject({
      method: 'GET',
      url: '/api/v1/findings?since=2026-02-31',
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('counts, per rule, the agencies and systems failing it, with the rule reference texts in both languages', async () => {
    const rules = (await get<Page<RuleRow>>('/api/v1/rules?failing=true')).items;
    const failing = new Map<string, { agencies: Set<string>; systems: Set<string>; n: number }>();
    for (const b of fleet.latest) {
      const targets = new Map(b.report.targets.map((t) => [t.key, t.system?.id ?? '']));
      for (const f of b.report.findings) {
        if (f.outcome !== 'fail') continue;
        const e = failing.get(f.ruleId) ?? { agencies: new Set(), systems: new Set(), n: 0 };
        e.agencies.add(b.agency);
        e.systems.add(`${b.agency}/${targets.get(f.target) ?? ''}`);
        e.n++;
        failing.set(f.ruleId, e);
      }
    }
    expect(new Set(rules.map((r) => r.id))).toEqual(new Set(failing.keys()));
    for (const r of rules) {
      const e = failing.get(r.id)!;
      expect(r.failing, r.id).toEqual({ agencies: e.agencies.size, systems: e.systems.size, findings: e.n });
    }
    const all = (await get<Page<RuleRow>>('/api/v1/rules')).items;
    expect(all.length).toBeGreaterThan(rules.length);
    const expired = all.find((r) => r.id === 'TLS-CERT-EXPIRED')!;
    expect(expired.title.vi).not.toBe(expired.title.en);
    expect(expired.remediation.en.length).toBeGreaterThan(10);
    expect(expired.remediation.vi.length).toBeGreaterThan(10);
  });

  it('gives open failures by severity per day, and how many started failing and were fixed that day', async () => {
    const points = (await get<Page<SeverityTrendPoint>>('/api/v1/trend/severity?days=30')).items;
    const open = new Map<string, Record<string, number>>();
    const lastOfDay = new Map<string, Batch>();
    for (const b of fleet.batches) {
      const key = `${b.agentId}|${b.createdAt.slice(0, 10)}`;
      const prev = lastOfDay.get(key);
      if (!prev || prev.createdAt < b.createdAt) lastOfDay.set(key, b);
    }
    for (const b of lastOfDay.values()) {
      const day = b.createdAt.slice(0, 10);
      const acc = open.get(day) ?? { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
      for (const s of SEVERITIES) acc[s]! += b.report.summary.failedBySeverity[s];
      open.set(day, acc);
    }
    const opened = new Map<string, number>();
    const fixed = new Map<string, number>();
    for (const list of byAgent(fleet.batches).values()) {
      const prev = new Map<string, string>();
      for (const b of list) {
        const day = b.createdAt.slice(0, 10);
        for (const f of b.report.findings) {
          const k = `${f.target}|${f.ruleId}`;
          const p = prev.get(k);
          if (f.outcome === 'fail' && (p === undefined || p === 'pass' || p === 'not-applicable'))
            opened.set(day, (opened.get(day) ?? 0) + 1);
          if ((f.outcome === 'pass' || f.outcome === 'not-applicable') && p === 'fail') fixed.set(day, (fixed.get(day) ?? 0) + 1);
          prev.set(k, f.outcome);
        }
      }
    }
    expect(points.map((p) => p.day)).toEqual([...open.keys()].sort());
    for (const p of points) {
      expect(p.open, p.day).toEqual(open.get(p.day));
      expect({ day: p.day, opened: p.opened, fixed: p.fixed }).toEqual({
        day: p.day,
        opened: opened.get(p.day) ?? 0,
        fixed: fixed.get(p.day) ?? 0,
      });
    }
    expect(points.reduce((s, p) => s + p.fixed, 0)).toBeGreaterThan(0);
  });

  it('keeps stale agents out of the pass rate and says how many there are, failures still counted', async () => {
    const agencies = (await get<Page<AgencyRow>>('/api/v1/agencies')).items;
    const staleAgent = fleet.agencies.flatMap((a) => a.agents).find((a) => a.stale)!;
    const row = agencies.find((a) => a.id === staleAgent.agency)!;
    expect(row.staleAgents).toBe(1);
    const fresh = fleet.latest.filter((b) => b.agency === row.id && b.agentId !== staleAgent.id);
    const pass = fresh.reduce((s, b) => s + b.report.summary.findings.pass, 0);
    const fail = fresh.reduce((s, b) => s + b.report.summary.findings.fail, 0);
    expect(row.rateCounts).toEqual({ pass, fail });
    expect(row.passRate).toBeCloseTo(pass / (pass + fail), 12);
    const allFailed = fleet.latest.filter((b) => b.agency === row.id).reduce((s, b) => s + b.report.summary.findings.fail, 0);
    expect(row.counts.fail).toBe(allFailed);
  });

  it('exports what a filter selects as valid SARIF, govscan JSON and CSV', async () => {
    const agency = fleet.agencies[0]!.id;
    const selected = await get<Page<FindingRow>>(`/api/v1/findings?agency=${agency}&severity=critical&limit=1000`);
    expect(selected.total).toBeGreaterThan(0);
    const sarifRes = await app.inject({
      method: 'GET',
      url: `/api/v1/findings/export.sarif?agency=${agency}&severity=critical&lang=vi`,
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(sarifRes.statusCode).toBe(200);
    expect(sarifRes.headers['content-disposition']).toMatch(/attachment; filename="govscan-findings-.*\.sarif"/);
    const sarif = sarifRes.json<{ runs: { results: { ruleId: string; level: string }[] }[] }>();
    expect(validateSarif(sarif)).toEqual([]);
    const results = sarif.runs.flatMap((r) => r.results);
    expect(results).toHaveLength(selected.total);
    expect(new Set(results.map((r) => r.ruleId))).toEqual(new Set(selected.items.map((f) => f.ruleId)));

    const json = await get<Report>(`/api/v1/findings/export.json?agency=${agency}&severity=critical`);
    expect(json.findings).toHaveLength(selected.total);
    expect(json.summary.failedBySeverity.critical).toBe(selected.total);

    const csv = await app.inject({
      method: 'GET',
      url: `/api/v1/findings/export.csv?check=tls&lang=vi`,
      headers: { authorization: `Bearer ${viewer}` },
    });
    const tls = await get<Page<FindingRow>>('/api/v1/findings?check=tls&limit=1000');
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('severity,outcome,ruleId,policyId,check,title,agency,system,target,firstFailedAt,scannedAt,message,remediation');
    expect(lines).toHaveLength(tls.total + 1);
    expect(csv.body).toContain(tls.items[0]!.title.vi);
    // A filter that selects nothing still exports a valid, empty SARIF log.
    const none = await get<unknown>('/api/v1/findings/export.sarif?rule=NO-SUCH-RULE');
    expect(validateSarif(none)).toEqual([]);
  });
});
