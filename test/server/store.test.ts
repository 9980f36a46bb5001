// The storage layer against a real SQLite file and a real PostgreSQL database, with the same suite:
// migrations, enrolment and tokens, idempotent ingest (also under concurrency and across two store
// instances, as server replicas would be), atomic ingest, and every read the API serves, checked
// against what the seeded batches say, computed here independently of the store.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Batch } from '../../src/contract/agent-api.js';
import type { Finding, Outcome } from '../../src/core/types.js';
import { InputError } from '../../src/core/errors.js';
import { openStore, parseDbUrl, type KyselyStore } from '../../src/server/store/index.js';
import { batchOfFindings, loadFleet, seedFleet, stableUuid, type Fleet } from '../../src/lab/fleet-seed.js';
import { createTestDatabase } from '../helpers/postgres.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const TABLES = [
  'agencies',
  'agents',
  'batches',
  'reports',
  'findings',
  'targets',
  'certificates',
  'ipv6_scores',
  'latest_batches',
  'tokens',
  'enrollments',
] as const;

interface Place {
  url: string;
  drop(): Promise<void>;
}

type Dialect = 'sqlite' | 'postgres';

async function newPlace(dialect: Dialect): Promise<Place> {
  if (dialect === 'postgres') {
    const db = await createTestDatabase();
    return { url: db.url, drop: () => db.drop() };
  }
  const dir = await mkdtemp(join(tmpdir(), 'govscan-store-'));
  return { url: `sqlite:${join(dir, 'govscan.db')}`, drop: () => rm(dir, { recursive: true, force: true }) };
}

async function rowCounts(store: KyselyStore): Promise<Record<(typeof TABLES)[number], number>> {
  const out = {} as Record<(typeof TABLES)[number], number>;
  for (const t of TABLES) {
    const r = await store.db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}

/** The newest batch of each agent, as the fleet defines it (the store must agree). */
function latestOf(batches: readonly Batch[]): Map<string, Batch> {
  const by = new Map<string, Batch>();
  for (const b of batches) {
    const cur = by.get(b.agentId);
    if (!cur || b.createdAt > cur.createdAt || (b.createdAt === cur.createdAt && b.batchId > cur.batchId)) by.set(b.agentId, b);
  }
  return by;
}

function systemOf(b: Batch, target: string): string {
  return b.report.targets.find((t) => t.key === target)?.system?.id ?? '';
}

function shuffle<T>(items: T[], seed = 7): T[] {
  const a = [...items];
  let s = seed;
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

describe('--db URLs', () => {
  it('accepts sqlite:PATH and postgres URLs and names --db for anything else', () => {
    expect(parseDbUrl('sqlite:./govscan.db')).toEqual({ dialect: 'sqlite', path: './govscan.db' });
    expect(parseDbUrl('sqlite:///var/lib/govscan.db')).toEqual({ dialect: 'sqlite', path: '/var/lib/govscan.db' });
    expect(parseDbUrl('postgresql://u:p@127.0.0.1:5432/soc')).toMatchObject({ dialect: 'postgres' });
    expect(() => parseDbUrl('mysql://127.0.0.1/soc')).toThrow(InputError);
    expect(() => parseDbUrl('mysql://127.0.0.1/soc')).toThrow(/^--db: unsupported database "mysql:"; use sqlite:PATH or postgres:/);
    expect(() => parseDbUrl('govscan.db')).toThrow(/^--db: not a database URL: govscan\.db/);
    expect(() => parseDbUrl('sqlite:')).toThrow(/^--db: sqlite: needs a file path/);
  });

  it('works in memory too (sqlite::memory:), where batches are written in-process', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      await store.migrate();
      const b = batchOfFindings(30, { createdAt: NOW });
      expect(await store.ingest(b, NOW.toISOString())).toEqual({ status: 'stored' });
      expect(await store.ingest(b, NOW.toISOString())).toEqual({ status: 'duplicate' });
      expect(await store.latestReports(b.agency)).toEqual([b.report]);
      expect((await store.listFindings({ outcome: 'all' })).total).toBe(30);
    } finally {
      await store.close();
    }
  });

  it('says which folder is missing for a SQLite file', async () => {
    await expect(openStore('sqlite:/nonexistent-govscan-dir/x.db')).rejects.toThrow(
      /^--db: the folder of \/nonexistent-govscan-dir\/x\.db does not exist/,
    );
  });
});

describe.each(['sqlite', 'postgres'] as const)('store on %s', (dialect) => {
  const places: Place[] = [];
  const stores: KyselyStore[] = [];

  /** A migrated store on a database of its own. */
  async function fresh(): Promise<{ store: KyselyStore; place: Place }> {
    const place = await newPlace(dialect);
    places.push(place);
    const store = await openStore(place.url, { now: () => NOW });
    stores.push(store);
    await store.migrate();
    return { store, place };
  }

  afterAll(async () => {
    for (const s of stores) await s.close().catch(() => undefined);
    for (const p of places) await p.drop();
  });

  describe('schema', () => {
    it('migrates once: a second run, and a second store on the same database, change nothing', async () => {
      const { store, place } = await fresh();
      expect(store.dialect).toBe(dialect);
      await store.createAgency('a', 'Agency A');
      const migrations = async (): Promise<unknown[]> =>
        (await sql`select name, timestamp from govscan_migration order by name`.execute(store.db)).rows;
      const before = await migrations();
      await store.migrate();
      // Two more instances (replicas starting together) migrating at the same moment.
      const others = await Promise.all([openStore(place.url), openStore(place.url)]);
      stores.push(...others);
      await Promise.all(others.map((o) => o.migrate()));
      const after = await migrations();
      expect(after).toEqual(before);
      expect(after.map((m) => (m as { name: string }).name)).toEqual(['0001_initial', '0002_token_names', '0003_campaigns']);
      expect(await store.getAgency('a')).toEqual({ id: 'a', name: 'Agency A' });
    });
  });

  describe('access', () => {
    let store: KyselyStore;
    beforeAll(async () => {
      ({ store } = await fresh());
      await store.createAgency('so-a', 'Sở A');
    });

    it('enrols with a one-time secret: the first redeem creates the agent and its token, the second gets null', async () => {
      await store.createEnrollment('so-a', 'hash-1', new Date(NOW.getTime() + DAY).toISOString());
      const first = await store.redeemEnrollment(
        'hash-1',
        { hostname: 'agent1.a.gov.vn', version: '0.1.0' },
        { id: 'tok-1', secretHash: 'th-1' },
        NOW.toISOString(),
      );
      expect(first).toMatchObject({ agency: 'so-a' });
      expect(first?.agentId).toMatch(/^[0-9a-f-]{36}$/);
      expect(await store.getToken('tok-1')).toEqual({
        id: 'tok-1',
        role: 'agent',
        secretHash: 'th-1',
        agency: 'so-a',
        agentId: first?.agentId,
        createdAt: NOW.toISOString(),
        name: null,
      });
      const agents = await store.listAgents(NOW.toISOString(), 3, 'so-a');
      expect(agents).toEqual([
        {
          id: first?.agentId,
          agency: 'so-a',
          hostname: 'agent1.a.gov.vn',
          version: '0.1.0',
          intervalSeconds: 0,
          enrolledAt: NOW.toISOString(),
          lastSeenAt: null,
          stale: false,
        },
      ]);
      const again = await store.redeemEnrollment(
        'hash-1',
        { hostname: 'other', version: '0.1.0' },
        { id: 'tok-2', secretHash: 'th-2' },
        NOW.toISOString(),
      );
      expect(again).toBeNull();
      expect(await store.getToken('tok-2')).toBeNull();
      expect(await store.listAgents(NOW.toISOString(), 3, 'so-a')).toHaveLength(1);
    });

    it('refuses an expired or unknown secret', async () => {
      await store.createEnrollment('so-a', 'hash-old', new Date(NOW.getTime() - 1000).toISOString());
      expect(
        await store.redeemEnrollment('hash-old', { hostname: 'h', version: 'v' }, { id: 'tok-old', secretHash: 'x' }, NOW.toISOString()),
      ).toBeNull();
      expect(
        await store.redeemEnrollment(
          'no-such-hash',
          { hostname: 'h', version: 'v' },
          { id: 'tok-none', secretHash: 'x' },
          NOW.toISOString(),
        ),
      ).toBeNull();
      expect(await store.getToken('tok-old')).toBeNull();
    });

    it('gives a secret redeemed ten times at once to exactly one agent', async () => {
      await store.createEnrollment('so-a', 'hash-race', new Date(NOW.getTime() + DAY).toISOString());
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.redeemEnrollment(
            'hash-race',
            { hostname: `h${i}`, version: 'v' },
            { id: `tok-race-${i}`, secretHash: 'x' },
            NOW.toISOString(),
          ),
        ),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    });

    it('creates the agency of an enrolment when it is new', async () => {
      await store.createEnrollment('so-new', 'hash-new', new Date(NOW.getTime() + DAY).toISOString());
      expect(await store.getAgency('so-new')).toEqual({ id: 'so-new', name: 'so-new' });
      await store.createAgency('so-new', 'Sở Mới');
      expect(await store.getAgency('so-new')).toEqual({ id: 'so-new', name: 'Sở Mới' });
      expect(await store.getAgency('so-none')).toBeNull();
    });

    it('keeps viewer and admin tokens and refuses an unknown role', async () => {
      await store.createToken({ id: 'v1', role: 'viewer', secretHash: 'vh', agency: null, agentId: null });
      await store.createToken({ id: 'm1', role: 'admin', secretHash: 'mh', agency: null, agentId: null });
      expect(await store.getToken('v1')).toEqual({
        id: 'v1',
        role: 'viewer',
        secretHash: 'vh',
        agency: null,
        agentId: null,
        createdAt: NOW.toISOString(),
        name: null,
      });
      expect((await store.getToken('m1'))?.role).toBe('admin');
      // The campaign roles (0003_campaigns): soc, optionally scoped to an agency, and worker.
      await store.createToken({ id: 's1', role: 'soc', secretHash: 'sh', agency: 'so-a', agentId: null });
      await store.createToken({ id: 'w1', role: 'worker', secretHash: 'wh', agency: null, agentId: null });
      expect((await store.getToken('s1'))?.agency).toBe('so-a');
      expect((await store.getToken('w1'))?.role).toBe('worker');
      expect(await store.getToken('nope')).toBeNull();
      await expect(
        store.createToken({ id: 'r1', role: 'root' as 'admin', secretHash: 'x', agency: null, agentId: null }),
      ).rejects.toThrow();
      await expect(store.createToken({ id: 'v1', role: 'viewer', secretHash: 'other', agency: null, agentId: null })).rejects.toThrow();
      expect((await store.getToken('v1'))?.secretHash).toBe('vh');
    });

    it('names tokens, lists them without their hashes, and revokes one by id', async () => {
      await store.createToken({ id: 'wall', role: 'viewer', secretHash: 'wh', agency: null, agentId: null, name: 'Màn hình SOC' });
      const listed = await store.listTokens();
      expect(listed.find((t) => t.id === 'wall')).toEqual({
        id: 'wall',
        role: 'viewer',
        agency: null,
        agentId: null,
        createdAt: NOW.toISOString(),
        name: 'Màn hình SOC',
      });
      expect(listed.every((t) => !('secretHash' in t))).toBe(true);
      expect(await store.revokeToken('wall')).toBe(true);
      expect(await store.getToken('wall')).toBeNull();
      expect(await store.revokeToken('wall')).toBe(false);
      expect((await store.listTokens()).map((t) => t.id)).not.toContain('wall');
    });
  });

  describe('ingest', () => {
    const fleet = seedFleet({ now: NOW, agencies: 2, agentsPerAgency: 2, days: 3, seed: 11 });

    it('stores a batch whole: its report comes back as sent, every finding with its texts and evidence', async () => {
      const { store } = await fresh();
      const b = fleet.latest[0] as Batch;
      expect(await store.ingest(b, NOW.toISOString())).toEqual({ status: 'stored' });
      expect(await store.latestReports(b.agency)).toEqual([b.report]);
      const counts = await rowCounts(store);
      expect(counts).toMatchObject({
        batches: 1,
        reports: 1,
        findings: b.report.findings.length,
        targets: b.report.targets.length,
        latest_batches: 1,
        agents: 1,
        agencies: 1,
      });
      const page = await store.listFindings({ outcome: 'all', limit: 1000 });
      expect(page.total).toBe(b.report.findings.length);
      const byKey = new Map(b.report.findings.map((f) => [`${f.ruleId} ${f.target}`, f]));
      for (const row of page.items) {
        const f = byKey.get(`${row.ruleId} ${row.target}`) as Finding;
        expect(row).toEqual({
          agency: b.agency,
          system: systemOf(b, f.target),
          batchId: b.batchId,
          scannedAt: b.createdAt,
          ruleId: f.ruleId,
          policyId: f.policyId,
          check: f.check,
          target: f.target,
          outcome: f.outcome,
          severity: f.severity,
          title: f.title,
          message: f.message,
          remediation: f.remediation ?? null,
          references: f.references,
          evidence: f.evidence,
          fingerprint: f.fingerprint,
          // One batch: a failure started with it.
          firstFailedAt: f.outcome === 'fail' ? b.createdAt : null,
        });
      }
      const agent = (await store.listAgents(NOW.toISOString(), 3))[0];
      expect(agent).toMatchObject({
        id: b.agentId,
        agency: b.agency,
        hostname: b.agent.hostname,
        version: b.agent.version,
        intervalSeconds: b.agent.intervalSeconds,
        lastSeenAt: NOW.toISOString(),
      });
      expect(await store.getAgency(b.agency)).toEqual({ id: b.agency, name: b.report.run.agency });
    });

    it('acknowledges a repeated batch id as a duplicate and stores nothing new, even with other content', async () => {
      const { store } = await fresh();
      const b = fleet.latest[0] as Batch;
      await store.ingest(b, NOW.toISOString());
      const before = await rowCounts(store);
      expect(await store.ingest(b, new Date(NOW.getTime() + 60_000).toISOString())).toEqual({ status: 'duplicate' });
      const changed: Batch = {
        ...b,
        createdAt: new Date(NOW.getTime() + 3_600_000).toISOString(),
        report: { ...b.report, findings: b.report.findings.slice(0, 3) },
      };
      expect(await store.ingest(changed, NOW.toISOString())).toEqual({ status: 'duplicate' });
      expect(await rowCounts(store)).toEqual(before);
      expect(await store.latestReports(b.agency)).toEqual([b.report]);
      // A repeat is not a sign of life that moves anything either.
      expect((await store.listAgents(NOW.toISOString(), 3))[0]?.lastSeenAt).toBe(NOW.toISOString());
    });

    it('stores each of 20 batches exactly once when they arrive three times each, at once, through two store instances', async () => {
      const { store, place } = await fresh();
      const replica = await openStore(place.url);
      stores.push(replica);
      const batches = Array.from({ length: 20 }, (_, i) =>
        batchOfFindings(10 + i, {
          agentId: stableUuid('race-agent', i % 4),
          batchId: stableUuid('race', dialect, i),
          createdAt: new Date(NOW.getTime() - i * 60_000),
        }),
      );
      const calls = shuffle(batches.flatMap((b) => [b, b, b]).map((b, i) => ({ b, via: i % 2 === 0 ? store : replica })));
      const results = await Promise.all(
        calls.map(async ({ b, via }) => ({ id: b.batchId, status: (await via.ingest(b, NOW.toISOString())).status })),
      );
      for (const b of batches) {
        const mine = results
          .filter((r) => r.id === b.batchId)
          .map((r) => r.status)
          .sort();
        expect(mine, b.batchId).toEqual(['duplicate', 'duplicate', 'stored']);
      }
      const counts = await rowCounts(store);
      expect(counts.batches).toBe(20);
      expect(counts.reports).toBe(20);
      expect(counts.findings).toBe(batches.reduce((s, b) => s + b.report.findings.length, 0));
      expect(counts.latest_batches).toBe(4);
      // Each agent's latest is its newest batch, whatever order the uploads landed in.
      const latest = await store.db.selectFrom('latest_batches').select(['agent_id', 'batch_id']).execute();
      const expected = latestOf(batches);
      expect(Object.fromEntries(latest.map((l) => [l.agent_id, l.batch_id]))).toEqual(
        Object.fromEntries([...expected].map(([a, b]) => [a, b.batchId])),
      );
    });

    it('keeps the newest batch as the latest state when an older one arrives late', async () => {
      const { store } = await fresh();
      const mine = fleet.batches.filter((b) => b.agentId === fleet.latest[0]?.agentId);
      const newest = mine[mine.length - 1] as Batch;
      await store.ingest(newest, NOW.toISOString());
      for (const old of mine.slice(0, -1))
        expect((await store.ingest(old, new Date(NOW.getTime() + 1000).toISOString())).status).toBe('stored');
      expect(await store.latestReports(newest.agency)).toEqual([newest.report]);
      const agent = (await store.listAgents(NOW.toISOString(), 3))[0];
      // Seen most recently through the late upload; described by its newest batch.
      expect(agent).toMatchObject({ lastSeenAt: new Date(NOW.getTime() + 1000).toISOString(), hostname: newest.agent.hostname });
      const history = await store.history({
        agency: newest.agency,
        rule: 'TLS-HSTS-MISSING',
        target: newest.report.findings.find((f) => f.ruleId === 'TLS-HSTS-MISSING')?.target as string,
      });
      expect(history.map((h) => h.batchId)).toEqual(mine.map((b) => b.batchId));
    });

    it('leaves nothing behind when a batch fails to store, and its neighbours in the same write are stored', async () => {
      const { store } = await fresh();
      const good = fleet.latest[0] as Batch;
      await store.ingest(good, NOW.toISOString());
      const before = await rowCounts(store);
      const latestBefore = await store.db.selectFrom('latest_batches').selectAll().execute();
      // A finding the schema refuses (the API would have refused it too): the last row of the batch.
      const bad = batchOfFindings(50, {
        agency: 'so-bad',
        agencyName: 'Bad',
        batchId: stableUuid('bad', dialect),
        agentId: stableUuid('bad-agent'),
      });
      (bad.report.findings[49] as { outcome: string }).outcome = 'bogus';
      const neighbours = Array.from({ length: 5 }, (_, i) =>
        batchOfFindings(20, { agentId: stableUuid('n', i), batchId: stableUuid('neighbour', dialect, i), createdAt: NOW }),
      );
      const results = await Promise.allSettled([bad, ...neighbours].map((b) => store.ingest(b, NOW.toISOString())));
      expect(results[0]?.status).toBe('rejected');
      expect(results.slice(1).map((r) => (r.status === 'fulfilled' ? r.value.status : 'rejected'))).toEqual([
        'stored',
        'stored',
        'stored',
        'stored',
        'stored',
      ]);
      const after = await rowCounts(store);
      expect(after).toEqual({
        ...before,
        batches: before.batches + 5,
        reports: before.reports + 5,
        findings: before.findings + 100,
        targets: after.targets,
        certificates: after.certificates,
        ipv6_scores: after.ipv6_scores,
        latest_batches: before.latest_batches + 5,
        agents: before.agents + 5,
      });
      expect(await store.getAgency('so-bad')).toBeNull();
      const badRows = await store.db.selectFrom('batches').select('batch_id').where('batch_id', '=', bad.batchId).execute();
      expect(badRows).toEqual([]);
      expect(await store.db.selectFrom('latest_batches').selectAll().where('agent_id', '=', good.agentId).execute()).toEqual(latestBefore);
      // Fixed and sent again, the batch is stored: the failed attempt left no trace to collide with.
      (bad.report.findings[49] as { outcome: string }).outcome = 'pass';
      expect(await store.ingest(bad, NOW.toISOString())).toEqual({ status: 'stored' });
    });

    it('stores the request body it is given as the batch, sending only its bytes across threads', async () => {
      const { store } = await fresh();
      const b = fleet.latest[1] as Batch;
      // A view into a larger buffer, as an HTTP body can be; the report must come back exactly.
      const text = JSON.stringify(b);
      const big = Buffer.from(`xxxx${text}yyyy`);
      expect(await store.ingest(b, NOW.toISOString(), big.subarray(4, 4 + Buffer.byteLength(text)))).toEqual({ status: 'stored' });
      expect(await store.latestReports(b.agency)).toEqual([b.report]);
      const stored = await store.db.selectFrom('reports').select(['encoding', 'body']).executeTakeFirstOrThrow();
      // Compressed at rest (SQLite file and PostgreSQL alike).
      expect(stored.encoding).toBe('br');
      expect(stored.body.byteLength).toBeLessThan(Buffer.byteLength(text) / 3);
    });

    it('refuses a batch whose dates are not dates, before writing anything', async () => {
      const { store } = await fresh();
      const b = { ...(fleet.latest[0] as Batch), createdAt: 'yesterday' };
      await expect(store.ingest(b, NOW.toISOString())).rejects.toThrow(/createdAt: not a date/);
      expect((await rowCounts(store)).batches).toBe(0);
    });
  });

  describe('reads over a seeded fleet', () => {
    let store: KyselyStore;
    let fleet: Fleet;
    let latest: Map<string, Batch>;
    const now = NOW.toISOString();

    beforeAll(async () => {
      ({ store } = await fresh());
      fleet = seedFleet({ now: NOW });
      // Uploads land out of order (retries, spools draining): the store must not care.
      const shuffled = shuffle(fleet.batches, 3);
      for (const a of fleet.agencies) await store.createAgency(a.id, a.name);
      for (const b of shuffled) await store.ingest(b, new Date(Date.parse(b.createdAt) + 2000).toISOString());
      latest = latestOf(fleet.batches);
    });

    const latestFindings = (filter: (f: Finding, b: Batch) => boolean = () => true): { b: Batch; f: Finding }[] =>
      [...latest.values()].flatMap((b) => b.report.findings.filter((f) => filter(f, b)).map((f) => ({ b, f })));

    it('agrees with the loadFleet helper the other tests use', async () => {
      const { store: other } = await fresh();
      await loadFleet(other, fleet);
      expect(await other.listAgencies()).toEqual(await store.listAgencies());
      expect(await other.stats()).toEqual(await store.stats());
    });

    it('counts the latest state per agency, with every outcome and severity key', async () => {
      const rows = await store.listAgencies();
      expect(rows.map((r) => r.id)).toEqual(fleet.agencies.map((a) => a.id).sort());
      for (const row of rows) {
        const mine = latestFindings((_f, b) => b.agency === row.id);
        const counts: Record<Outcome, number> = { pass: 0, fail: 0, 'not-applicable': 0, 'not-tested': 0, waived: 0 };
        const sev = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
        for (const { f } of mine) {
          counts[f.outcome]++;
          if (f.outcome === 'fail') sev[f.severity]++;
        }
        const agency = fleet.agencies.find((a) => a.id === row.id);
        const agents = agency?.agents ?? [];
        const lastSeen = [...latest.values()]
          .filter((b) => b.agency === row.id)
          .map((b) => new Date(Date.parse(b.createdAt) + 2000).toISOString())
          .sort()
          .pop();
        expect(row).toEqual({
          id: row.id,
          name: agency?.name,
          agents: agents.length,
          systems: 4,
          lastSeenAt: lastSeen,
          counts,
          failedBySeverity: sev,
          passRate: counts.pass / (counts.pass + counts.fail),
        });
      }
    });

    it('lists systems of the latest state, with targets outside any system under ""', async () => {
      const rows = await store.listSystems('so-tttt-ha-giang');
      expect(rows.map((r) => r.id)).toEqual(['', 'cong-dvc', 'mot-cua', 'thu-dien-tu', 'van-ban']);
      const cong = rows.find((r) => r.id === 'cong-dvc');
      expect(cong).toMatchObject({ agency: 'so-tttt-ha-giang', name: 'Cổng dịch vụ công', level: 3, targets: 3 });
      const expected = latestFindings((f, b) => b.agency === 'so-tttt-ha-giang' && systemOf(b, f.target) === 'cong-dvc');
      expect(cong?.counts.pass).toBe(expected.filter((x) => x.f.outcome === 'pass').length);
      expect(cong?.counts.fail).toBe(expected.filter((x) => x.f.outcome === 'fail').length);
      // Hà Giang's webmail endpoints are declared outside any system, beside the agents' local hosts.
      const none = rows.find((r) => r.id === '');
      expect(none).toMatchObject({ name: null, level: null, targets: 4 });
      expect(none?.counts.fail).toBe(
        latestFindings((f, b) => b.agency === 'so-tttt-ha-giang' && systemOf(b, f.target) === '' && f.outcome === 'fail').length,
      );
      expect((await store.listSystems()).length).toBe(4 * 3 + 3);
    });

    it('filters findings by agency, system, rule, policy, target, outcome and severity, and counts them all', async () => {
      const cases: [Parameters<KyselyStore['listFindings']>[0], (f: Finding, b: Batch) => boolean][] = [
        [{}, (f) => f.outcome === 'fail'],
        [{ outcome: 'all' }, () => true],
        [{ outcome: 'pass', agency: 'so-tttt-da-nang' }, (f, b) => f.outcome === 'pass' && b.agency === 'so-tttt-da-nang'],
        [
          { agency: 'so-tttt-tay-ninh', system: 'thu-dien-tu' },
          (f, b) => f.outcome === 'fail' && b.agency === 'so-tttt-tay-ninh' && systemOf(b, f.target) === 'thu-dien-tu',
        ],
        [{ rule: 'TLS-CERT-EXPIRING', outcome: 'all' }, (f) => f.ruleId === 'TLS-CERT-EXPIRING'],
        [{ policy: 'vn-ct02-2022-ipv6', outcome: 'all' }, (f) => f.policyId === 'vn-ct02-2022-ipv6'],
        [{ severity: 'critical' }, (f) => f.outcome === 'fail' && f.severity === 'critical'],
        [
          { target: 'https://api.dichvucong.tayninh.gov.vn:443', outcome: 'all' },
          (f) => f.target === 'https://api.dichvucong.tayninh.gov.vn:443',
        ],
        [{ outcome: 'not-applicable', system: '' }, (f, b) => f.outcome === 'not-applicable' && systemOf(b, f.target) === ''],
        [{ agency: 'no-such-agency', outcome: 'all' }, () => false],
      ];
      for (const [q, pred] of cases) {
        const expected = latestFindings(pred);
        const page = await store.listFindings({ ...q, limit: 1000 });
        expect(page.total, JSON.stringify(q)).toBe(expected.length);
        expect(page.items.map((r) => `${r.agency} ${r.target} ${r.ruleId}`).sort(), JSON.stringify(q)).toEqual(
          expected.map(({ b, f }) => `${b.agency} ${f.target} ${f.ruleId}`).sort(),
        );
      }
    });

    it('pages findings newest first without overlap, and caps a page at 1000', async () => {
      const all = await store.listFindings({ outcome: 'all', limit: 1000 });
      expect(all.total).toBeGreaterThan(500);
      expect(all.items.length).toBe(all.total);
      const times = all.items.map((r) => r.scannedAt);
      expect(times).toEqual([...times].sort().reverse());
      const p1 = await store.listFindings({ outcome: 'all', limit: 7, offset: 0 });
      const p2 = await store.listFindings({ outcome: 'all', limit: 7, offset: 7 });
      expect(p1.total).toBe(all.total);
      expect([...p1.items, ...p2.items]).toEqual(all.items.slice(0, 14));
      expect((await store.listFindings({ outcome: 'all', limit: 5000 })).items.length).toBe(Math.min(1000, all.total));
      expect((await store.listFindings({ outcome: 'all', offset: all.total })).items).toEqual([]);
    });

    it('gives the history of a rule on a system oldest first, one point per batch, with the fix showing', async () => {
      const webmail = 'https://webmail.mail.tayninh.gov.vn:443';
      const points = await store.history({ agency: 'so-tttt-tay-ninh', system: 'thu-dien-tu', rule: 'TLS-PROTO-LEGACY', target: webmail });
      const batches = fleet.batches.filter(
        (b) => b.agency === 'so-tttt-tay-ninh' && b.report.targets.some((t) => t.system?.id === 'thu-dien-tu'),
      );
      expect(points.map((p) => p.batchId)).toEqual(batches.map((b) => b.batchId));
      expect(points.every((p) => p.target === webmail)).toBe(true);
      expect(points.map((p) => p.scannedAt)).toEqual(batches.map((b) => b.createdAt));
      // Tây Ninh (an even agency) fixed legacy TLS half way through the week.
      expect(points.map((p) => p.outcome)).toEqual(['fail', 'fail', 'fail', 'fail', 'pass', 'pass', 'pass']);
      expect(points.every((p) => p.system === 'thu-dien-tu' && p.ruleId === 'TLS-PROTO-LEGACY' && p.agency === 'so-tttt-tay-ninh')).toBe(
        true,
      );
      const last3 = await store.history({
        agency: 'so-tttt-tay-ninh',
        system: 'thu-dien-tu',
        rule: 'TLS-PROTO-LEGACY',
        target: webmail,
        limit: 3,
      });
      expect(last3).toEqual(points.slice(-3));
      // Without a target: a point per batch and target of the system (its main endpoint passes throughout).
      const both = await store.history({ agency: 'so-tttt-tay-ninh', system: 'thu-dien-tu', rule: 'TLS-PROTO-LEGACY' });
      expect(both).toHaveLength(14);
      expect(both.filter((p) => p.target !== webmail).map((p) => p.outcome)).toEqual(Array(7).fill('pass'));
      expect(both.map((p) => p.scannedAt)).toEqual(both.map((p) => p.scannedAt).sort());
      expect(await store.history({ rule: 'NO-SUCH-RULE' })).toEqual([]);
    });

    it('trends pass/fail per day from the last batch of each agent that day', async () => {
      const { store: s2 } = await fresh();
      await loadFleet(s2, fleet);
      // A second, later run the same day: it replaces the first in that day's point.
      const last = fleet.latest[0] as Batch;
      const rerun: Batch = {
        ...last,
        batchId: randomUUID(),
        createdAt: new Date(Date.parse(last.createdAt) + 60_000).toISOString(),
        report: { ...last.report, findings: last.report.findings.map((f) => ({ ...f, outcome: 'pass' as Outcome })) },
      };
      await s2.ingest(rerun, now);
      const points = await s2.trend({ agency: last.agency, days: 7, now });
      const days = [...new Set(fleet.batches.map((b) => b.createdAt.slice(0, 10)))].sort().slice(-7);
      expect(points.map((p) => p.day)).toEqual(days);
      for (const p of points) {
        const dayBatches = latestOf(
          [...fleet.batches, rerun].filter((b) => b.agency === last.agency && b.createdAt.slice(0, 10) === p.day),
        );
        const passed = [...dayBatches.values()].reduce((s, b) => s + b.report.findings.filter((f) => f.outcome === 'pass').length, 0);
        const failed = [...dayBatches.values()].reduce((s, b) => s + b.report.findings.filter((f) => f.outcome === 'fail').length, 0);
        expect(p).toEqual({ day: p.day, agency: last.agency, passed, failed, passRate: passed / (passed + failed) });
      }
      // Without an agency: one point per agency and day; the window ends today.
      const two = await s2.trend({ days: 2, now });
      expect(two.map((p) => `${p.day} ${p.agency}`)).toEqual(
        days.slice(-2).flatMap((d) => fleet.agencies.map((a) => `${d} ${a.id}`).sort()),
      );
      expect((await s2.trend({ days: 1, now })).map((p) => p.day)).toEqual([now.slice(0, 10), now.slice(0, 10), now.slice(0, 10)]);
    });

    it('lists certificates expiring within N days, from endpoint leafs and from files on agent hosts', async () => {
      const rows = await store.certificates({ days: 30, now });
      const tay = rows.filter((r) => r.agency === 'so-tttt-tay-ninh');
      expect(tay).toEqual([
        {
          agency: 'so-tttt-tay-ninh',
          system: 'thu-dien-tu',
          where: 'https://mail.tayninh.gov.vn:443',
          subject: 'CN=mail.tayninh.gov.vn',
          issuer: expect.any(String),
          notAfter: new Date(NOW.getTime() - 40 * DAY).toISOString(),
          daysLeft: -40,
          source: 'endpoint',
        },
        {
          agency: 'so-tttt-tay-ninh',
          system: 'van-ban',
          where: 'https://qlvb.tayninh.gov.vn:443',
          subject: 'CN=qlvb.tayninh.gov.vn',
          issuer: expect.any(String),
          notAfter: new Date(NOW.getTime() - 40 * DAY).toISOString(),
          daysLeft: -40,
          source: 'endpoint',
        },
        {
          agency: 'so-tttt-tay-ninh',
          system: '',
          where: 'file:/etc/ssl/private/vpn-gateway.pem@agent1.tayninh.gov.vn',
          subject: 'CN=vpn.tayninh.gov.vn',
          issuer: expect.any(String),
          notAfter: new Date(NOW.getTime() + 5 * DAY).toISOString(),
          daysLeft: 5,
          source: 'file',
        },
        {
          agency: 'so-tttt-tay-ninh',
          system: '',
          where: 'file:/etc/ssl/private/vpn-gateway.pem@agent2.tayninh.gov.vn',
          subject: 'CN=vpn.tayninh.gov.vn',
          issuer: expect.any(String),
          notAfter: new Date(NOW.getTime() + 5 * DAY).toISOString(),
          daysLeft: 5,
          source: 'file',
        },
        {
          agency: 'so-tttt-tay-ninh',
          system: 'cong-dvc',
          where: 'https://api.dichvucong.tayninh.gov.vn:443',
          subject: 'CN=api.dichvucong.tayninh.gov.vn',
          issuer: expect.any(String),
          notAfter: new Date(NOW.getTime() + 10 * DAY).toISOString(),
          daysLeft: 10,
          source: 'endpoint',
        },
        {
          agency: 'so-tttt-tay-ninh',
          system: 'mot-cua',
          where: 'https://api.motcua.tayninh.gov.vn:443',
          subject: 'CN=api.motcua.tayninh.gov.vn',
          issuer: expect.any(String),
          notAfter: new Date(NOW.getTime() + 10 * DAY).toISOString(),
          daysLeft: 10,
          source: 'endpoint',
        },
      ]);
      expect(rows).toHaveLength(3 * 6);
      expect(rows.map((r) => r.notAfter)).toEqual(rows.map((r) => r.notAfter).sort());
      // Not the file good for 200 days, nor the missing one.
      expect(rows.some((r) => r.where.includes('intranet') || r.where.includes('old-portal'))).toBe(false);
      expect((await store.certificates({ days: 0, now })).every((r) => r.daysLeft < 0)).toBe(true);
      expect(await store.certificates({ days: 30, now, agency: 'so-tttt-da-nang' })).toEqual(
        rows.filter((r) => r.agency === 'so-tttt-da-nang'),
      );
      expect((await store.certificates({ days: 250, now })).some((r) => r.where.includes('intranet.pem'))).toBe(true);
    });

    it('scores IPv6 readiness per agency from the latest batches', async () => {
      const rows = await store.ipv6();
      expect(rows.map((r) => r.agency)).toEqual(['so-tttt-da-nang', 'so-tttt-ha-giang', 'so-tttt-tay-ninh']);
      expect(rows.find((r) => r.agency === 'so-tttt-tay-ninh')).toEqual({
        agency: 'so-tttt-tay-ninh',
        score: (100 + 67 + 100 + 67) / 4,
        domains: [
          { domain: 'dichvucong.tayninh.gov.vn', score: 100, failedRules: [] },
          { domain: 'mail.tayninh.gov.vn', score: 67, failedRules: ['IPV6-MX-AAAA'] },
          { domain: 'motcua.tayninh.gov.vn', score: 100, failedRules: [] },
          { domain: 'qlvb.tayninh.gov.vn', score: 67, failedRules: ['IPV6-MX-AAAA'] },
        ],
      });
      // Đà Nẵng gave its mail servers IPv6 addresses half way through the week.
      expect(rows.find((r) => r.agency === 'so-tttt-da-nang')?.score).toBe(100);
      expect(await store.ipv6('so-tttt-da-nang')).toEqual([rows[0]]);
      const { store: empty } = await fresh();
      await empty.createAgency('so-empty', 'Sở chưa có dữ liệu');
      expect(await empty.ipv6()).toEqual([{ agency: 'so-empty', score: null, domains: [] }]);
    });

    it("gives the latest report of each of an agency's agents", async () => {
      const reports = await store.latestReports('so-tttt-da-nang');
      const expected = [...latest.values()]
        .filter((b) => b.agency === 'so-tttt-da-nang')
        .sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
      expect(reports).toEqual(expected.map((b) => b.report));
      expect(await store.latestReports('no-such-agency')).toEqual([]);
    });

    it('marks agents not seen for N intervals as stale', async () => {
      const agents = await store.listAgents(now, 3);
      expect(agents).toHaveLength(6);
      const stale = fleet.agencies.flatMap((a) => a.agents).filter((a) => a.stale);
      expect(stale).toHaveLength(1);
      expect(agents.filter((a) => a.stale).map((a) => a.id)).toEqual(stale.map((a) => a.id));
      expect((await store.listAgents(now, 5)).filter((a) => a.stale)).toEqual([]);
      expect((await store.listAgents(now, 3, 'so-tttt-da-nang')).map((a) => a.agency)).toEqual(['so-tttt-da-nang', 'so-tttt-da-nang']);
    });

    it('sums up the fleet and counts rows for metrics', async () => {
      const overview = await store.overview(now, 3);
      const agencies = await store.listAgencies(undefined, now, 3);
      expect(overview.agencies).toEqual(agencies);
      // Without a clock the pass rate is over every agent; with one, the stale agent's is left out.
      const unaware = await store.listAgencies();
      expect(unaware.map((a) => a.counts)).toEqual(agencies.map((a) => a.counts));
      const staleAgency = fleet.agencies.find((a) => a.agents.some((g) => g.stale))?.id;
      expect(agencies.map((a) => a.staleAgents)).toEqual(agencies.map((a) => (a.id === staleAgency ? 1 : 0)));
      expect(overview.totals).toEqual({
        agencies: 3,
        agents: 6,
        staleAgents: 1,
        batches: fleet.batches.length,
        failed: agencies.reduce((s, a) => s + a.counts.fail, 0),
      });
      const tls = overview.policies.find((p) => p.policyId === 'vn-ct02-2022-tls');
      const expected = latestFindings((f) => f.policyId === 'vn-ct02-2022-tls');
      expect(tls).toEqual({
        policyId: 'vn-ct02-2022-tls',
        passed: expected.filter((x) => x.f.outcome === 'pass').length,
        failed: expected.filter((x) => x.f.outcome === 'fail').length,
        passRate:
          expected.filter((x) => x.f.outcome === 'pass').length /
          expected.filter((x) => x.f.outcome === 'pass' || x.f.outcome === 'fail').length,
      });
      expect(overview.generatedAt).toBe(now);
      expect(await store.stats()).toEqual({
        agencies: 3,
        agents: 6,
        batches: fleet.batches.length,
        findings: fleet.batches.reduce((s, b) => s + b.report.findings.length, 0),
      });
    });
  });
});
