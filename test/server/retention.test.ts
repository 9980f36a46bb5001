// Retention (`govscan server --retain-days N`) on SQLite and PostgreSQL: reports older than N days
// go with every row derived from them, but each agent's latest report and, per agency and scan
// target, the newest report that scanned it stay whatever their age. Driven by the server's clock.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Batch } from '../../src/contract/agent-api.js';
import { openStore, type KyselyStore } from '../../src/server/store/index.js';
import { RetentionSchedule, type RetentionEvent } from '../../src/server/retention-schedule.js';
import { batchOfFindings, stableUuid } from '../../src/lab/fleet-seed.js';
import { createTestDatabase } from '../helpers/postgres.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const CHILD_TABLES = ['findings', 'targets', 'certificates', 'ipv6_scores', 'reports'] as const;

/** A batch of `agent` in `agency`, `daysAgo` before NOW, whose report covers only the targets numbered in `targets`. */
function batch(name: string, agency: string, agent: string, daysAgo: number, targets: number[]): Batch {
  // Every agency's report names the same targets, so only the agency tells their scans apart.
  const b = batchOfFindings(24, {
    agency: 'so-a',
    agentId: stableUuid('retention', agent),
    createdAt: new Date(NOW.getTime() - daysAgo * DAY),
    batchId: stableUuid('retention', name),
  });
  b.agency = agency;
  const keys = b.report.targets.map((t) => t.key);
  const keep = new Set(targets.map((i) => keys[i]));
  expect(keep.has(undefined), `the template has ${keys.length} targets`).toBe(false);
  b.report.findings = b.report.findings.filter((f) => keep.has(f.target));
  b.report.targets = b.report.targets.filter((t) => keep.has(t.key));
  return b;
}

describe.each(['sqlite', 'postgres'] as const)('retention on %s', (dialect) => {
  let store: KyselyStore;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    if (dialect === 'postgres') {
      const db = await createTestDatabase();
      store = await openStore(db.url);
      drop = () => db.drop();
    } else {
      const dir = await mkdtemp(join(tmpdir(), 'govscan-retention-'));
      store = await openStore(`sqlite:${join(dir, 'govscan.db')}`);
      drop = () => rm(dir, { recursive: true, force: true });
    }
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    await drop();
  });

  it("prunes old reports and their findings, keeping each agent's latest and the newest report of each target", async () => {
    const plan: [string, string, string, number, number[]][] = [
      // Agency so-a, agent A: targets 0 and 1 last scanned together 100 days ago, then target 0 alone.
      ['a-100', 'so-a', 'A', 100, [0, 1]], // old, but still the newest report of target 1: kept
      ['a-90', 'so-a', 'A', 90, [0]], // old, and target 0 was scanned again since: pruned
      ['a-10', 'so-a', 'A', 10, [0]], // recent: kept
      // Agent B, silent for 60 days: its latest report stays the fleet's picture of it.
      ['b-70', 'so-a', 'B', 70, [0]], // pruned
      ['b-60', 'so-a', 'B', 60, [0]], // B's latest: kept
      // Agency so-b scans target 0 too, kept per agency: so-a's newer scan of it changes nothing here.
      ['c-50', 'so-b', 'C', 50, [0]], // newest report of (so-b, target 0): kept
      ['c-45', 'so-b', 'C', 45, [1]], // target 1 scanned again since: pruned
      ['c-5', 'so-b', 'C', 5, [1]], // C's latest: kept
    ];
    const batches = plan.map(([name, agency, agent, daysAgo, targets]) => batch(name, agency, agent, daysAgo, targets));
    const nameOf = new Map(batches.map((b, i) => [b.batchId, plan[i]![0]]));
    for (const b of batches) expect((await store.ingest(b, NOW.toISOString())).status).toBe('stored');
    const stored = await store.db.selectFrom('batches').select(['id', 'batch_id']).execute();
    const prunedNames = ['a-90', 'b-70', 'c-45'];
    const pruned = stored.filter((r) => prunedNames.includes(nameOf.get(r.batch_id) ?? '')).map((r) => Number(r.id));
    expect(pruned).toHaveLength(3);
    const countFindings = async (): Promise<number> =>
      Number(
        (
          await store.db
            .selectFrom('findings')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const findingsBefore = await countFindings();

    let clock = new Date(NOW.getTime() - 80 * DAY);
    const events: RetentionEvent[] = [];
    const schedule = new RetentionSchedule(store, { days: 30, now: () => clock, report: (e) => events.push(e) });
    // 80 days earlier the cut-off was 110 days back: nothing was old enough.
    await schedule.runOnce();
    expect(events).toEqual([{ reports: 0, before: new Date(clock.getTime() - 30 * DAY).toISOString() }]);

    clock = NOW;
    await schedule.runOnce();
    expect(events[1]).toEqual({ reports: 3, before: new Date(NOW.getTime() - 30 * DAY).toISOString() });
    const left = (await store.db.selectFrom('batches').select('batch_id').execute()).map((r) => nameOf.get(r.batch_id)).sort();
    expect(left).toEqual(['a-10', 'a-100', 'b-60', 'c-5', 'c-50']);

    // Every row derived from a pruned report is gone with it.
    for (const table of CHILD_TABLES) {
      const rows = await store.db.selectFrom(table).select('batch_ref').where('batch_ref', 'in', pruned).execute();
      expect(rows, table).toEqual([]);
    }
    const prunedFindings = batches
      .filter((b) => prunedNames.includes(nameOf.get(b.batchId) ?? ''))
      .reduce((n, b) => n + b.report.findings.length, 0);
    expect(prunedFindings).toBeGreaterThan(0);
    expect(await countFindings()).toBe(findingsBefore - prunedFindings);
    // The history API no longer reaches them; the latest state is what it was.
    const history = await store.history({ agency: 'so-a', limit: 1000 });
    expect(history.length).toBeGreaterThan(0);
    expect(history.filter((p) => prunedNames.includes(nameOf.get(p.batchId) ?? ''))).toEqual([]);
    expect(await store.latestReports('so-a')).toHaveLength(2);

    // Run again: nothing more to delete.
    await schedule.runOnce();
    expect(events[2]).toMatchObject({ reports: 0 });
  });
});
