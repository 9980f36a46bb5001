// The on-disk spool: each run's batch is written here (atomically) before any upload and leaves only
// once the server has acknowledged it. Names sort by creation time, so the oldest goes first. A size
// cap keeps a long outage from filling the disk: beyond it the oldest batches are dropped, and the
// log says how many — never silently.

import { mkdir, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Batch } from '../src/server/contract.js';
import { encodeAsciiJson } from '../src/server/wire.js';
import { syncDirectory, TMP_SUFFIX, writeFileAtomic } from '../src/engine/atomic-file.js';
import type { AgentLog } from './log.js';
import { AGENT_MESSAGES as M } from './messages.js';

export interface SpooledBatch {
  batchId: string;
  file: string;
  bytes: number;
  /** Creation time encoded in the name (ms since the epoch). */
  createdMs: number;
}

export interface SpoolOptions {
  maxBytes: number;
  log: AgentLog;
  /** Unfinished writes older than this are removed when the spool opens (default 10 min). */
  staleTmpMs?: number;
  now?: () => number;
}

// <15-digit ms>-<4-digit sequence>-<uuid>.batch.json
const NAME = /^(\d{15})-(\d{4})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.batch\.json$/;
export const REJECTED_DIR = 'rejected';

let sequence = 0;

export class Spool {
  readonly rejectedDir: string;
  private readonly now: () => number;

  constructor(
    readonly dir: string,
    private readonly opts: SpoolOptions,
  ) {
    this.rejectedDir = join(dir, REJECTED_DIR);
    this.now = opts.now ?? Date.now;
  }

  /** Create the folders (mode 0700: batches hold the agency's findings) and sweep old unfinished writes. */
  async open(): Promise<this> {
    await mkdir(this.rejectedDir, { recursive: true, mode: 0o700 });
    const stale = this.now() - (this.opts.staleTmpMs ?? 600_000);
    let removed = 0;
    for (const name of await readdir(this.dir)) {
      if (!name.endsWith(TMP_SUFFIX)) continue;
      const file = join(this.dir, name);
      const info = await stat(file).catch(() => null);
      if (info && info.mtimeMs < stale && (await unlink(file).then(() => true, () => false))) removed++;
    }
    if (removed) this.opts.log.info(M.spoolTmpRemoved, { count: removed });
    return this;
  }

  /** Write the batch whole (tmp + fsync + rename), then enforce the cap on the older ones. */
  async add(batch: Batch): Promise<SpooledBatch> {
    const body = encodeAsciiJson(batch);
    const createdMs = this.now();
    sequence = (sequence + 1) % 10_000;
    const name = `${String(createdMs).padStart(15, '0')}-${String(sequence).padStart(4, '0')}-${batch.batchId.toLowerCase()}.batch.json`;
    const file = join(this.dir, name);
    await writeFileAtomic(file, body, 0o600);
    const entry = { batchId: batch.batchId.toLowerCase(), file, bytes: body.length, createdMs };
    await this.enforceCap(entry.file);
    return entry;
  }

  /** Complete batches, oldest first; unfinished writes and anything else in the folder are ignored. */
  async list(): Promise<SpooledBatch[]> {
    const names = (await readdir(this.dir)).filter((n) => NAME.test(n)).sort();
    const out: SpooledBatch[] = [];
    for (const name of names) {
      const m = NAME.exec(name);
      const file = join(this.dir, name);
      const info = await stat(file).catch(() => null);
      // Removed meanwhile (delivered by another process, or dropped by the cap): not ours to list.
      if (!m || !info) continue;
      out.push({ batchId: m[3] ?? '', file, bytes: info.size, createdMs: Number(m[1]) });
    }
    return out;
  }

  async read(entry: SpooledBatch): Promise<Buffer> {
    return readFile(entry.file);
  }

  /** After the server acknowledged it. A batch already gone (another process delivered it) is fine. */
  async remove(entry: SpooledBatch): Promise<void> {
    await unlink(entry.file).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await syncDirectory(this.dir);
  }

  /** A batch the server will never accept: kept aside for a human, out of the delivery queue. */
  async reject(entry: SpooledBatch): Promise<string> {
    const target = join(this.rejectedDir, entry.file.slice(this.dir.length + 1));
    await rename(entry.file, target);
    await syncDirectory(this.dir);
    return target;
  }

  /** Drop the oldest batches until the spool fits its cap; `keep` (the batch just written) is never dropped. */
  async enforceCap(keep?: string): Promise<SpooledBatch[]> {
    const all = await this.list();
    let total = all.reduce((n, b) => n + b.bytes, 0);
    const dropped: SpooledBatch[] = [];
    for (const b of all) {
      if (total <= this.opts.maxBytes) break;
      if (b.file === keep) continue;
      await unlink(b.file).catch(() => undefined);
      total -= b.bytes;
      dropped.push(b);
    }
    if (dropped.length) {
      await syncDirectory(this.dir);
      this.opts.log.warn(M.spoolDropped, {
        max: this.opts.maxBytes,
        count: dropped.length,
        bytes: dropped.reduce((n, b) => n + b.bytes, 0),
        ids: listIds(dropped.map((b) => b.batchId)),
      });
    }
    return dropped;
  }
}

/** A log line names at most 20 batches; the count says how many there were. */
function listIds(ids: string[]): string {
  return ids.length <= 20 ? ids.join(', ') : `${ids.slice(0, 20).join(', ')}, … (+${ids.length - 20})`;
}
