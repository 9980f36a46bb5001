// Group commit through kysely (PostgreSQL; SQLite in memory): batches that arrive while a write is
// under way are written together in the next transaction, with multi-row statements, so the cost of
// a commit (an fsync, a round trip per statement) is shared by many batches. Each batch is still
// all-or-nothing and acknowledged only after the commit that holds it: when a group fails, its
// batches are retried one by one, so a bad batch fails alone and its neighbours are stored.
// (SQLite files are written by sqlite-writer.ts, on a thread of their own, with the same SQL.)

import { promisify } from 'node:util';
import { brotliDecompress } from 'node:zlib';
import type { Kysely, Transaction } from 'kysely';
import { upsertAgents, upsertLatest } from './statements.js';
import type { Batch } from '../../contract/agent-api.js';
import type { IngestResult } from './store-types.js';
import type { Report } from '../../core/types.js';
import { cutDeepNesting } from './bounded-json.js';
import { CERTIFICATE_COLUMNS, FINDING_COLUMNS, IPV6_COLUMNS, REPORT_COLUMNS, TARGET_COLUMNS, insertRows, type RowGroup } from './bulk.js';
import type { BatchRows } from './ingest.js';
import type { DialectName } from './migrations.js';
import type { DB } from './schema.js';

type Status = IngestResult['status'];

const decompressAsync = promisify(brotliDecompress);

/**
 * The Report of a stored batch: its body is the JSON of the whole Batch, brotli-compressed (`br`) or
 * not (`json`). Nesting deeper than any batch ingest accepts is cut (bounded-json.ts), so what the
 * readers get never overflows a recursive writer. Throws when the body is not a JSON object.
 */
export async function readStoredReport(body: Uint8Array, encoding: string): Promise<Report> {
  const bytes = encoding === 'br' ? await decompressAsync(body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const parsed = JSON.parse(bytes.toString('utf8')) as Partial<Batch> | null;
  if (parsed === null || typeof parsed !== 'object') throw new Error('the stored report is not a JSON object');
  cutDeepNesting(parsed);
  const report = (parsed.report ?? parsed) as Report;
  if (report === null || typeof report !== 'object') throw new Error('the stored report is not a JSON object');
  return report;
}

export interface PreparedBatch {
  rows: BatchRows;
  /** The batch as JSON, brotli-compressed (`br`) or as sent (`json`). */
  body: Uint8Array;
  encoding: 'br' | 'json';
}

/** A batch id belongs to the agent (and agency) that stored it first. */
function sameOwner(a: { agent_id: string; agency: string }, b: { agent_id: string; agency: string }): boolean {
  return a.agent_id === b.agent_id && a.agency === b.agency;
}

function newer(a: BatchRows, b: BatchRows): boolean {
  const x = a.batch;
  const y = b.batch;
  return x.created_at > y.created_at || (x.created_at === y.created_at && x.batch_id > y.batch_id);
}

function byKey<T>(key: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

/**
 * Writes a group of batches in one transaction; returns each one's status in order. Rows are sent in
 * key order (batch id, agent id) so that concurrent groups on PostgreSQL lock rows in the same order.
 */
export async function writeGroup(db: Kysely<DB>, dialect: DialectName, items: readonly PreparedBatch[]): Promise<Status[]> {
  return db.transaction().execute((tx) => writeInTransaction(tx, dialect, items));
}

async function writeInTransaction(tx: Transaction<DB>, dialect: DialectName, items: readonly PreparedBatch[]): Promise<Status[]> {
  const status: Status[] = items.map(() => 'duplicate');
  // The same batch id twice in one group: the first one decides (stored, or a repeat of what is stored).
  const first = new Map<string, number>();
  items.forEach((it, i) => {
    if (!first.has(it.rows.batch.batch_id)) first.set(it.rows.batch.batch_id, i);
  });
  const unique = [...first.values()].sort(byKey((i) => items[i]!.rows.batch.batch_id));

  const agencies = new Map<string, { name: string; at: string }>();
  for (const i of unique) {
    const r = items[i]!.rows;
    if (!agencies.has(r.batch.agency)) agencies.set(r.batch.agency, { name: r.agencyName, at: r.batch.received_at });
  }
  await tx
    .insertInto('agencies')
    .values([...agencies].sort(byKey(([id]) => id)).map(([id, a]) => ({ id, name: a.name, created_at: a.at })))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();

  const inserted = await tx
    .insertInto('batches')
    .values(unique.map((i) => items[i]!.rows.batch))
    .onConflict((oc) => oc.column('batch_id').doNothing())
    .returning(['id', 'batch_id'])
    .execute();
  const refOf = new Map(inserted.map((r) => [r.batch_id, Number(r.id)]));
  const stored = unique.filter((i) => refOf.has(items[i]!.rows.batch.batch_id));
  // Every other copy is a repeat when it comes from the batch id's owner (whoever stored it first,
  // now or earlier), a conflict otherwise.
  const ownerOf = new Map<string, { agent_id: string; agency: string }>(
    stored.map((i) => [items[i]!.rows.batch.batch_id, items[i]!.rows.batch]),
  );
  const earlier = unique.filter((i) => !refOf.has(items[i]!.rows.batch.batch_id)).map((i) => items[i]!.rows.batch.batch_id);
  if (earlier.length > 0) {
    for (const o of await tx.selectFrom('batches').select(['batch_id', 'agent_id', 'agency']).where('batch_id', 'in', earlier).execute())
      ownerOf.set(o.batch_id, o);
  }
  items.forEach((it, i) => {
    const owner = ownerOf.get(it.rows.batch.batch_id);
    if (owner && owner !== it.rows.batch && !sameOwner(owner, it.rows.batch)) status[i] = 'conflict';
  });
  if (stored.length === 0) return status;
  for (const i of stored) status[i] = 'stored';

  const groups = (pick: (r: PreparedBatch) => readonly object[]): RowGroup[] =>
    stored.map((i) => ({ ref: refOf.get(items[i]!.rows.batch.batch_id) as number, rows: pick(items[i]!) }));
  // Child tables in insertion order: each row group belongs to its batch's ref.
  const children: [keyof DB, readonly string[], (r: PreparedBatch) => readonly object[]][] = [
    ['reports', REPORT_COLUMNS, (it) => [{ encoding: it.encoding, body: it.body }]],
    ['findings', FINDING_COLUMNS, (it) => it.rows.findings],
    ['targets', TARGET_COLUMNS, (it) => it.rows.targets],
    ['certificates', CERTIFICATE_COLUMNS, (it) => it.rows.certificates],
    ['ipv6_scores', IPV6_COLUMNS, (it) => it.rows.ipv6],
  ];
  for (const [table, columns, pick] of children) await insertRows(tx, dialect, table, columns, groups(pick));

  // Per agent: its newest batch of the group competes for "latest"; its last contact is the latest receipt.
  const perAgent = new Map<string, { newest: BatchRows; lastSeen: string }>();
  for (const i of stored) {
    const r = items[i]!.rows;
    const cur = perAgent.get(r.batch.agent_id);
    if (!cur) perAgent.set(r.batch.agent_id, { newest: r, lastSeen: r.batch.received_at });
    else {
      if (newer(r, cur.newest)) cur.newest = r;
      if (r.batch.received_at > cur.lastSeen) cur.lastSeen = r.batch.received_at;
    }
  }
  const agents = [...perAgent.entries()].sort(byKey(([id]) => id));
  const moved = await upsertLatest(
    tx,
    agents.map(([agentId, a]) => ({
      agent_id: agentId,
      agency: a.newest.batch.agency,
      batch_ref: refOf.get(a.newest.batch.batch_id) as number,
      batch_id: a.newest.batch.batch_id,
      created_at: a.newest.batch.created_at,
    })),
  ).execute();
  const movedIds = new Set(moved.map((m) => m.agent_id));
  const rowsFor = (list: typeof agents): DB['agents'][] =>
    list.map(([id, a]) => ({
      id,
      agency: a.newest.agent.agency,
      hostname: a.newest.agent.hostname,
      version: a.newest.agent.version,
      interval_seconds: a.newest.agent.intervalSeconds,
      enrolled_at: a.lastSeen,
      last_seen_at: a.lastSeen,
    }));
  const newestHere = agents.filter(([id]) => movedIds.has(id));
  const olderHere = agents.filter(([id]) => !movedIds.has(id));
  if (newestHere.length) await upsertAgents(tx, rowsFor(newestHere), true).execute();
  if (olderHere.length) await upsertAgents(tx, rowsFor(olderHere), false).execute();
  return status;
}

interface Job {
  item: PreparedBatch;
  resolve: (s: Status) => void;
  reject: (e: unknown) => void;
}

/**
 * The queue in front of writeGroup. A write starts as soon as a batch arrives and no more than
 * `parallel` writes run; what arrives meanwhile forms the next group (at most `maxGroup` batches).
 */
export class IngestQueue {
  private pending: Job[] = [];
  private active = 0;
  private scheduled = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly write: (items: readonly PreparedBatch[]) => Promise<Status[]>,
    private readonly parallel: number,
    private readonly maxGroup = 64,
  ) {}

  submit(item: PreparedBatch): Promise<Status> {
    return new Promise<Status>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Starts writes after the event loop's current round of callbacks, not inside one: every batch that
   * became ready in this round (HTTP bodies, finished compressions) then joins the same group. Without
   * this, SQLite's synchronous driver would finish each write before the next batch is even queued.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /** Resolves when nothing is queued or being written. */
  async drained(): Promise<void> {
    if (this.active === 0 && this.pending.length === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.active < this.parallel && this.pending.length > 0) {
      const jobs = this.pending.splice(0, this.maxGroup);
      this.active++;
      void this.run(jobs).finally(() => {
        this.active--;
        this.schedule();
        if (this.active === 0 && this.pending.length === 0) for (const f of this.idle.splice(0)) f();
      });
    }
  }

  private async run(jobs: Job[]): Promise<void> {
    try {
      const statuses = await this.write(jobs.map((j) => j.item));
      for (const [i, j] of jobs.entries()) j.resolve(statuses[i] as Status);
      return;
    } catch (err) {
      if (jobs.length === 1) {
        jobs[0]!.reject(err);
        return;
      }
    }
    // The group failed as a whole (one bad batch, a deadlock with another replica): each on its own.
    for (const j of jobs) {
      try {
        j.resolve((await this.write([j.item]))[0] as Status);
      } catch (err) {
        j.reject(err);
      }
    }
  }
}
