// SQLite ingest on a thread of its own. better-sqlite3 is synchronous: on the event loop every write
// would stall the HTTP server for its whole duration. Here a worker thread owns a second connection to
// the same file (WAL: the server's reads go on meanwhile), compresses each batch and writes what
// arrived together in one transaction, one savepoint per batch so a bad batch fails alone. Every
// batch is acknowledged only after the commit that holds it.
//
// The thread runs sqlite-writer-worker.ts, compiled with the rest: beside this file when built, and
// from dist/ when this file runs from its TypeScript source (vitest; Node cannot start a worker from
// TypeScript), so tests of the sources need `npm run build` first, as the CLI tests do.

import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../../core/package-root.js';
import type { IngestResult } from './store-types.js';
import type { BatchRows } from './ingest.js';
import type { IngestStatements } from './statements.js';
import type { FromWriter, ToWriter, WriterWorkerData } from './sqlite-writer-worker.js';

type Status = IngestResult['status'];

export interface WriterConfig {
  file: string;
  statements: IngestStatements;
  /** Batches per transaction at most. */
  maxGroup?: number;
}

const WORKER_FILE = 'sqlite-writer-worker.js';

/** Where the compiled worker is: beside this module when built, else its counterpart under dist/. */
export function writerWorkerUrl(): URL {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return new URL(WORKER_FILE, import.meta.url);
  const root = packageRoot();
  const built = join(root, 'dist', relative(root, dirname(here)), WORKER_FILE);
  if (!existsSync(built)) throw new Error(`the SQLite writer is not built (${built} is missing): run npm run build`);
  return pathToFileURL(built);
}

interface Waiter {
  resolve: (s: Status) => void;
  reject: (e: Error) => void;
}

export class SqliteWriter {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiter>();
  private readonly pruning = new Map<number, { resolve: (reports: number) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;
  private readonly exited: Promise<void>;

  constructor(cfg: WriterConfig) {
    const workerData: WriterWorkerData = { file: cfg.file, statements: cfg.statements, maxGroup: cfg.maxGroup ?? 64 };
    this.worker = new Worker(writerWorkerUrl(), { workerData });
    // The thread must not keep a finished process alive; pending writes hold their callers anyway.
    this.worker.unref();
    this.worker.on('message', (m: FromWriter) => {
      if (m.type === 'done') {
        for (const r of m.results) {
          const w = this.waiting.get(r.id);
          if (!w) continue;
          this.waiting.delete(r.id);
          if (r.status) w.resolve(r.status);
          else w.reject(new Error(r.error ?? 'the batch could not be stored'));
        }
      } else if (m.type === 'pruned') {
        const p = this.pruning.get(m.id);
        this.pruning.delete(m.id);
        if (m.reports !== undefined) p?.resolve(m.reports);
        else p?.reject(new Error(m.error ?? 'old reports could not be deleted'));
        this.idle();
      } else if (m.type === 'fatal') this.fail(new Error(`cannot open the database for writing: ${m.error}`));
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
    for (const p of this.pruning.values()) p.reject(err);
    this.pruning.clear();
  }

  /** Lets the thread stop keeping the process alive once nothing is pending. */
  private idle(): void {
    if (this.waiting.size === 0 && this.pruning.size === 0) this.worker.unref();
  }

  /** Retention on this thread (retention.ts): deletes the batches `select` names; how many. */
  prune(select: { sql: string; parameters: readonly unknown[] }): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      this.pruning.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ type: 'prune', id, select } satisfies ToWriter);
    });
  }

  write(rows: BatchRows, raw: Uint8Array): Promise<Status> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<Status>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ type: 'write', id, rows, raw } satisfies ToWriter);
    }).finally(() => this.idle());
  }

  /** Lets queued batches finish, then closes the writer's connection. */
  async close(): Promise<void> {
    if (!this.failure) {
      this.worker.ref();
      this.worker.postMessage({ type: 'close' } satisfies ToWriter);
    }
    await this.exited;
  }
}
