// SQLite ingest on a thread of its own. better-sqlite3 is synchronous: on the event loop every write
// would stall the HTTP server for its whole duration. Here a worker thread owns a second connection to
// the same file (WAL: the server's reads go on meanwhile), compresses each batch and writes what
// arrived together in one transaction, one savepoint per batch so a bad batch fails alone. Every
// batch is acknowledged only after the commit that holds it.
//
// The worker is plain JavaScript run from a string: it must start the same way under vitest (from
// TypeScript sources) and when built, and it needs nothing of ours but the SQL, which it is given
// (compiled by kysely in statements.ts, the same statements the in-process path uses).

import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { IngestResult } from './store-types.js';
import { CERTIFICATE_COLUMNS, FINDING_COLUMNS, IPV6_COLUMNS, TARGET_COLUMNS } from './bulk.js';
import type { BatchRows } from './ingest.js';
import type { IngestStatements } from './statements.js';

type Status = IngestResult['status'];

export interface WriterConfig {
  file: string;
  statements: IngestStatements;
  /** Batches per transaction at most. */
  maxGroup?: number;
}

const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const zlib = require('node:zlib');
const Database = require(workerData.driver);
const S = workerData.statements;
const COLUMNS = workerData.columns;
const MAX_GROUP = workerData.maxGroup;
const BROTLI = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1, [zlib.constants.BROTLI_PARAM_LGWIN]: 18, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT } };

let db;
try {
  db = new Database(workerData.file);
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = FULL');
} catch (err) {
  parentPort.postMessage({ type: 'fatal', error: String(err && err.message || err) });
  process.exit(1);
}

const prepared = new Map();
function stmt(text) {
  let s = prepared.get(text);
  if (!s) { s = db.prepare(text); prepared.set(text, s); }
  return s;
}
function params(st, src) { return st.keys.map((k) => (src[k] === undefined ? null : src[k])); }

// Multi-row inserts in a few fixed sizes, so their compiled statements are reused.
function insertMany(table, columns, rows, ref) {
  let start = 0;
  const put = (count) => {
    const groups = new Array(count).fill('(' + columns.map(() => '?').join(', ') + ')').join(', ');
    const text = 'insert into "' + table + '" (' + columns.map((c) => '"' + c + '"').join(', ') + ') values ' + groups;
    const values = [];
    for (let i = start; i < start + count; i++) {
      const r = rows[i];
      for (const c of columns) { const v = c === 'batch_ref' ? ref : r[c]; values.push(v === undefined ? null : v); }
    }
    stmt(text).run(values);
    start += count;
  };
  while (rows.length - start >= 256) put(256);
  for (let size = 128; size >= 1; size >>= 1) if (rows.length - start >= size) put(size);
}

function writeOne(job) {
  const r = job.rows;
  const body = zlib.brotliCompressSync(job.raw, BROTLI);
  db.exec('savepoint batch');
  try {
    stmt(S.agency.sql).run(params(S.agency, { id: r.batch.agency, name: r.agencyName, created_at: r.batch.received_at }));
    const inserted = stmt(S.batch.sql).get(params(S.batch, r.batch));
    if (!inserted) {
      // A batch id is its first sender's: the same agent again is a repeat, anyone else a conflict.
      const owner = stmt(S.batchOwner.sql).get(params(S.batchOwner, r.batch));
      db.exec('release batch');
      const same = owner && owner.agent_id === r.batch.agent_id && owner.agency === r.batch.agency;
      return { id: job.id, status: same ? 'duplicate' : 'conflict' };
    }
    const ref = inserted.id;
    stmt(S.report.sql).run(params(S.report, { batch_ref: ref, encoding: 'br', body }));
    insertMany('findings', COLUMNS.findings, r.findings, ref);
    insertMany('targets', COLUMNS.targets, r.targets, ref);
    insertMany('certificates', COLUMNS.certificates, r.certificates, ref);
    insertMany('ipv6_scores', COLUMNS.ipv6, r.ipv6, ref);
    const moved = stmt(S.latest.sql).get(params(S.latest, { agent_id: r.batch.agent_id, agency: r.batch.agency, batch_ref: ref, batch_id: r.batch.batch_id, created_at: r.batch.created_at }));
    const agent = { id: r.agent.id, agency: r.agent.agency, hostname: r.agent.hostname, version: r.agent.version, interval_seconds: r.agent.intervalSeconds, enrolled_at: r.batch.received_at, last_seen_at: r.batch.received_at };
    const up = moved ? S.agentNewest : S.agentSeen;
    stmt(up.sql).run(params(up, agent));
    db.exec('release batch');
    return { id: job.id, status: 'stored' };
  } catch (err) {
    db.exec('rollback to batch');
    db.exec('release batch');
    return { id: job.id, error: String(err && err.message || err) };
  }
}

const queue = [];
let scheduled = false;
let closing = false;

function flush() {
  scheduled = false;
  const jobs = queue.splice(0, MAX_GROUP);
  if (jobs.length) {
    let results;
    try {
      db.exec('begin immediate');
      results = jobs.map(writeOne);
      db.exec('commit');
    } catch (err) {
      try { if (db.inTransaction) db.exec('rollback'); } catch {}
      const message = String(err && err.message || err);
      results = jobs.map((j) => ({ id: j.id, error: message }));
    }
    parentPort.postMessage({ type: 'done', results });
  }
  if (queue.length) schedule();
  else if (closing) { db.close(); parentPort.postMessage({ type: 'closed' }); parentPort.close(); }
}
// After this round of messages: whatever arrived together is written together.
function schedule() { if (!scheduled) { scheduled = true; setImmediate(flush); } }

parentPort.on('message', (m) => {
  if (m.type === 'write') queue.push(m);
  else if (m.type === 'close') closing = true;
  schedule();
});
`;

interface Waiter {
  resolve: (s: Status) => void;
  reject: (e: Error) => void;
}

export class SqliteWriter {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 1;
  private failure: Error | null = null;
  private readonly exited: Promise<void>;

  constructor(cfg: WriterConfig) {
    const require = createRequire(import.meta.url);
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        file: cfg.file,
        driver: require.resolve('better-sqlite3'),
        statements: cfg.statements,
        columns: { findings: FINDING_COLUMNS, targets: TARGET_COLUMNS, certificates: CERTIFICATE_COLUMNS, ipv6: IPV6_COLUMNS },
        maxGroup: cfg.maxGroup ?? 64,
      },
    });
    // The thread must not keep a finished process alive; pending writes hold their callers anyway.
    this.worker.unref();
    this.worker.on('message', (m: { type: string; results?: { id: number; status?: Status; error?: string }[]; error?: string }) => {
      if (m.type === 'done') {
        for (const r of m.results ?? []) {
          const w = this.waiting.get(r.id);
          if (!w) continue;
          this.waiting.delete(r.id);
          if (r.status) w.resolve(r.status);
          else w.reject(new Error(r.error ?? 'the batch could not be stored'));
        }
      } else if (m.type === 'fatal') this.fail(new Error(`cannot open the database for writing: ${m.error ?? ''}`));
    });
    this.worker.on('error', (err) => this.fail(err));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', () => {
        this.fail(new Error('the database writer stopped'));
        resolve();
      }),
    );
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  write(rows: BatchRows, raw: Uint8Array): Promise<Status> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<Status>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ type: 'write', id, rows, raw });
    }).finally(() => {
      if (this.waiting.size === 0) this.worker.unref();
    });
  }

  /** Lets queued batches finish, then closes the writer's connection. */
  async close(): Promise<void> {
    if (!this.failure) {
      this.worker.ref();
      this.worker.postMessage({ type: 'close' });
    }
    await this.exited;
  }
}
