// Part of `npm run bench:campaign`: what keeping a bounded history costs on PostgreSQL, to decide
// whether the findings history needs partitioning by month. For a history of R reports spread over
// DAYS days (each report one scanned target, as a campaign job's is), it measures the database size
// per report and one `--retain-days` prune of the oldest day (store/retention.ts: the same query the
// server runs every hour), at two history sizes: how the prune's time grows with the history kept.

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openStore } from '../../src/server/store/store.js';
import { batchOfFindings } from '../../src/lab/fleet-seed.js';

const DAYS = 20;
const DAY_MS = 86_400_000;
/** Findings per report: one https target judged by the built-in packs gives about this many. */
const FINDINGS = 40;

export interface RetentionFigure {
  reports: number;
  bytesPerReport: number;
  pruned: number;
  pruneMs: number;
}

async function databaseBytes(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('checkpoint').catch(() => undefined);
    const { rows } = await client.query<{ n: string }>('select pg_database_size(current_database()) as n');
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

/** `reports` reports over DAYS days in database `url` (fresh), then the prune of the oldest day. */
export async function retentionFigure(url: string, reports: number): Promise<RetentionFigure> {
  const store = await openStore(url);
  try {
    await store.migrate();
    const empty = await databaseBytes(url);
    const perDay = Math.ceil(reports / DAYS);
    const start = Date.now() - (DAYS + 1) * DAY_MS;
    let made = 0;
    // 16 at a time: the store groups what arrives together, as it does for workers' results.
    for (let day = 0; day < DAYS && made < reports; day++) {
      const todo = Math.min(perDay, reports - made);
      for (let i = 0; i < todo; i += 16) {
        await Promise.all(
          Array.from({ length: Math.min(16, todo - i) }, (_, k) => {
            const at = new Date(start + day * DAY_MS + (i + k) * 1000);
            const batch = batchOfFindings(FINDINGS, {
              agency: 'bench-retention',
              agentId: `campaign-${(i + k) % 10}`,
              batchId: randomUUID(),
              createdAt: at,
            });
            return store.ingest(batch, new Date().toISOString());
          }),
        );
      }
      made += todo;
    }
    const full = await databaseBytes(url);
    const cutoff = new Date(start + DAY_MS).toISOString();
    const t = performance.now();
    const { reports: pruned } = await store.pruneReports(cutoff);
    const pruneMs = performance.now() - t;
    return { reports: made, bytesPerReport: (full - empty) / Math.max(1, made), pruned, pruneMs };
  } finally {
    await store.close();
  }
}
