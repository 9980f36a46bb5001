// Retention (`govscan server --retain-days N`): reports older than the cut-off are deleted with every
// row derived from them (findings, targets, certificates, IPv6 scores, the stored batch), except the
// ones that still say something nobody has said since: an agent's latest report (the fleet's "latest
// state") and, for each agency and scan target, the newest report that scanned it (a system taken
// out of an agent's inventory keeps its last known state). Deleting never turns a kept report into
// a deletable one, and batches arriving meanwhile are newer, so pruning beside ingest is safe.

import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';

/** Reports deleted per transaction: short write locks, so ingest (SQLite's one writer) barely waits. */
const CHUNK = 500;

export interface PruneResult {
  /** Reports (batches) deleted. */
  reports: number;
}

/** The ids of batches dated before `olderThan` (ISO) that are neither an agent's latest nor any target's newest. */
async function prunable(db: Kysely<DB>, olderThan: string): Promise<number[]> {
  const rows = await sql<{ id: number | string }>`
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
    order by b.id`.execute(db);
  return rows.rows.map((r) => Number(r.id));
}

/** Deletes the reports dated before `olderThan` that retention does not keep (see above). */
export async function pruneReports(db: Kysely<DB>, olderThan: string): Promise<PruneResult> {
  const ids = await prunable(db, olderThan);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    await db.transaction().execute(async (tx) => {
      for (const table of ['findings', 'targets', 'certificates', 'ipv6_scores', 'reports'] as const) {
        await tx.deleteFrom(table).where('batch_ref', 'in', chunk).execute();
      }
      await tx.deleteFrom('batches').where('id', 'in', chunk).execute();
    });
  }
  return { reports: ids.length };
}
