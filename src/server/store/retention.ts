// Retention (`govscan server --retain-days N`): reports older than the cut-off are deleted with every
// row derived from them (findings, targets, certificates, IPv6 scores, the stored batch), except the
// ones that still say something nobody has said since: an agent's latest report (the fleet's "latest
// state") and, for each agency and scan target, the newest report that scanned it (a system taken
// out of an agent's inventory keeps its last known state). Deleting never turns a kept report into
// a deletable one, and batches arriving meanwhile are newer, so pruning beside ingest is safe.
// A SQLite file is pruned on its writer thread (sqlite-writer-worker.ts), with the same query, so
// the scan behind it never stalls the HTTP server's event loop.

import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from './schema.js';

/** Reports deleted per transaction: short write locks, so ingest (SQLite's one writer) barely waits. */
export const PRUNE_CHUNK = 500;

export interface PruneResult {
  /** Reports (batches) deleted. */
  reports: number;
}

/** The ids of batches dated before `olderThan` (ISO) that are neither an agent's latest nor any target's newest, ascending. */
export function prunableQuery(olderThan: string): RawBuilder<{ id: number | string }> {
  return sql<{ id: number | string }>`
    select b.id from batches b
    where b.created_at < ${olderThan}
      and not exists (select 1 from latest_batches l where l.batch_ref = b.id)
      and b.id not in (
        select batch_ref from (
          select t.batch_ref,
                 row_number() over (partition by t.agency, t.target order by tb.created_at desc, tb.batch_id desc) as rn
          from targets t inner join batches tb on tb.id = t.batch_ref
        ) newest_per_target
        where rn = 1
      )
    order by b.id`;
}

/** The tables a batch's rows live in, children first: deleted in this order. */
export const BATCH_TABLES = [
  ['findings', 'batch_ref'],
  ['targets', 'batch_ref'],
  ['certificates', 'batch_ref'],
  ['ipv6_scores', 'batch_ref'],
  ['reports', 'batch_ref'],
  ['batches', 'id'],
] as const;

/** Deletes the reports dated before `olderThan` that retention does not keep (see above). */
export async function pruneReports(db: Kysely<DB>, olderThan: string): Promise<PruneResult> {
  const ids = (await prunableQuery(olderThan).execute(db)).rows.map((r) => Number(r.id));
  for (let i = 0; i < ids.length; i += PRUNE_CHUNK) {
    const chunk = ids.slice(i, i + PRUNE_CHUNK);
    await db.transaction().execute(async (tx) => {
      for (const [table, key] of BATCH_TABLES) await tx.deleteFrom(table).where(key, 'in', chunk).execute();
    });
  }
  return { reports: ids.length };
}
