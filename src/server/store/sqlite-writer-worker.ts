// The SQLite writer thread (started by sqlite-writer.ts, which explains why it exists): a connection
// of its own to the database file, batches written in groups, one transaction per group and one
// savepoint per batch so a bad batch fails alone. It runs the SQL it is given (compiled by kysely in
// statements.ts, the same statements the in-process path uses) on better-sqlite3 directly.

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import Database from 'better-sqlite3';
import type { IngestResult } from './store-types.js';
import { CERTIFICATE_COLUMNS, FINDING_COLUMNS, IPV6_COLUMNS, TARGET_COLUMNS } from './bulk.js';
import { BATCH_TABLES, PRUNE_CHUNK } from './retention.js';
import type { BatchRows } from './ingest.js';
import type { CompiledStatement, IngestStatements } from './statements.js';

export interface WriterWorkerData {
  file: string;
  statements: IngestStatements;
  /** Batches per transaction at most. */
  maxGroup: number;
}

/** From the server to the thread. */
export type ToWriter =
  | { type: 'write'; id: number; rows: BatchRows; raw: Uint8Array }
  /** Retention: `select` (retention.ts prunableQuery, compiled) names the batches to delete. */
  | { type: 'prune'; id: number; select: { sql: string; parameters: readonly unknown[] } }
  | { type: 'close' };

interface WriteResult {
  id: number;
  status?: IngestResult['status'];
  /** Why the batch was not stored (no status then). */
  error?: string;
}

/** From the thread to the server. */
export type FromWriter =
  | { type: 'done'; results: WriteResult[] }
  | { type: 'pruned'; id: number; reports?: number; error?: string }
  | { type: 'fatal'; error: string }
  | { type: 'closed' };

type Row = Record<string, unknown>;
type Value = string | number | bigint | Uint8Array | null;

const BROTLI = {
  params: { [zlib.BROTLI_PARAM_QUALITY]: 1, [zlib.BROTLI_PARAM_LGWIN]: 18, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT },
};

function messageOf(err: unknown): string {
  return String((err instanceof Error && err.message) || err);
}

if (!parentPort) throw new Error('sqlite-writer-worker runs as a worker thread (see sqlite-writer.ts)');
const port: MessagePort = parentPort;
const { file, statements: S, maxGroup } = workerData as WriterWorkerData;
const send = (m: FromWriter): void => port.postMessage(m);

let db: Database.Database;
try {
  db = new Database(file);
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = FULL');
} catch (err) {
  send({ type: 'fatal', error: messageOf(err) });
  process.exit(1);
}

const prepared = new Map<string, Database.Statement>();
function stmt(text: string): Database.Statement {
  let s = prepared.get(text);
  if (!s) {
    s = db.prepare(text);
    prepared.set(text, s);
  }
  return s;
}

function params(st: CompiledStatement, src: object): Value[] {
  return st.keys.map((k) => ((src as Row)[k] ?? null) as Value);
}

/** The prepared multi-row insert of `count` rows into `table`, by (table, count): built once, not per batch. */
const inserts = new Map<string, Database.Statement>();
function insertStatement(table: string, columns: readonly string[], count: number): Database.Statement {
  const key = `${table}\u0000${count}`;
  let s = inserts.get(key);
  if (!s) {
    const groups = new Array<string>(count).fill(`(${columns.map(() => '?').join(', ')})`).join(', ');
    s = db.prepare(`insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${groups}`);
    inserts.set(key, s);
  }
  return s;
}

/** Multi-row inserts in a few fixed sizes, so their compiled statements are reused. */
function insertMany(table: string, columns: readonly string[], rows: readonly object[], ref: number | bigint): void {
  let start = 0;
  const put = (count: number): void => {
    const values = new Array<Value>(count * columns.length);
    let k = 0;
    for (let i = start; i < start + count; i++) {
      const r = rows[i] as Row;
      for (const c of columns) values[k++] = c === 'batch_ref' ? ref : ((r[c] ?? null) as Value);
    }
    insertStatement(table, columns, count).run(values);
    start += count;
  };
  while (rows.length - start >= 256) put(256);
  for (let size = 128; size >= 1; size >>= 1) if (rows.length - start >= size) put(size);
}

function writeOne(job: Extract<ToWriter, { type: 'write' }>): WriteResult {
  const r = job.rows;
  const body = brotliCompressSync(job.raw, BROTLI);
  db.exec('savepoint batch');
  try {
    stmt(S.agency.sql).run(params(S.agency, { id: r.batch.agency, name: r.agencyName, created_at: r.batch.received_at }));
    const inserted = stmt(S.batch.sql).get(params(S.batch, r.batch)) as { id: number | bigint } | undefined;
    if (!inserted) {
      // A batch id is its first sender's: the same agent again is a repeat, anyone else a conflict.
      const owner = stmt(S.batchOwner.sql).get(params(S.batchOwner, r.batch)) as { agent_id: string; agency: string } | undefined;
      db.exec('release batch');
      const same = owner !== undefined && owner.agent_id === r.batch.agent_id && owner.agency === r.batch.agency;
      return { id: job.id, status: same ? 'duplicate' : 'conflict' };
    }
    const ref = inserted.id;
    stmt(S.report.sql).run(params(S.report, { batch_ref: ref, encoding: 'br', body }));
    insertMany('findings', FINDING_COLUMNS, r.findings, ref);
    insertMany('targets', TARGET_COLUMNS, r.targets, ref);
    insertMany('certificates', CERTIFICATE_COLUMNS, r.certificates, ref);
    insertMany('ipv6_scores', IPV6_COLUMNS, r.ipv6, ref);
    const moved = stmt(S.latest.sql).get(
      params(S.latest, {
        agent_id: r.batch.agent_id,
        agency: r.batch.agency,
        batch_ref: ref,
        batch_id: r.batch.batch_id,
        created_at: r.batch.created_at,
      }),
    );
    const agent = {
      id: r.agent.id,
      agency: r.agent.agency,
      hostname: r.agent.hostname,
      version: r.agent.version,
      interval_seconds: r.agent.intervalSeconds,
      enrolled_at: r.batch.received_at,
      last_seen_at: r.batch.received_at,
    };
    const up = moved ? S.agentNewest : S.agentSeen;
    stmt(up.sql).run(params(up, agent));
    db.exec('release batch');
    return { id: job.id, status: 'stored' };
  } catch (err) {
    db.exec('rollback to batch');
    db.exec('release batch');
    return { id: job.id, error: messageOf(err) };
  }
}

/** Deletes the batches the query names, PRUNE_CHUNK per transaction, and their rows; how many. */
function prune(job: Extract<ToWriter, { type: 'prune' }>): number {
  const ids = (stmt(job.select.sql).all(job.select.parameters as Value[]) as { id: number | bigint }[]).map((r) => r.id);
  for (let i = 0; i < ids.length; i += PRUNE_CHUNK) {
    const chunk = ids.slice(i, i + PRUNE_CHUNK);
    const marks = chunk.map(() => '?').join(', ');
    db.exec('begin immediate');
    try {
      for (const [table, key] of BATCH_TABLES) stmt(`delete from "${table}" where "${key}" in (${marks})`).run(chunk);
      db.exec('commit');
    } catch (err) {
      if (db.inTransaction) db.exec('rollback');
      throw err;
    }
  }
  return ids.length;
}

const queue: Extract<ToWriter, { type: 'write' }>[] = [];
let scheduled = false;
let closing = false;

function flush(): void {
  scheduled = false;
  const jobs = queue.splice(0, maxGroup);
  if (jobs.length) {
    let results: WriteResult[];
    try {
      db.exec('begin immediate');
      results = jobs.map(writeOne);
      db.exec('commit');
    } catch (err) {
      try {
        if (db.inTransaction) db.exec('rollback');
      } catch {
        // The connection is unusable; each batch below reports the first error.
      }
      const message = messageOf(err);
      results = jobs.map((j) => ({ id: j.id, error: message }));
    }
    send({ type: 'done', results });
  }
  if (queue.length) schedule();
  else if (closing) {
    db.close();
    send({ type: 'closed' });
    port.close();
  }
}

/** After this round of messages: whatever arrived together is written together. */
function schedule(): void {
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
}

port.on('message', (m: ToWriter) => {
  if (m.type === 'prune') {
    // Between two groups of batches: the ones queued so far are written after it.
    try {
      send({ type: 'pruned', id: m.id, reports: prune(m) });
    } catch (err) {
      send({ type: 'pruned', id: m.id, error: messageOf(err) });
    }
    return;
  }
  if (m.type === 'write') queue.push(m);
  else closing = true;
  schedule();
});
