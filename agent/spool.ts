// The on-disk spool: each run's batch is written here (atomically) before any upload and leaves only
// once the server has acknowledged it. Names sort by creation time, so the oldest goes first. A size
// cap keeps a long outage from filling the disk: beyond it the oldest batches are dropped, and the
// log says how many — never silently. Only regular files the agent can read are sent: a symbolic
// link is never followed (it could point anywhere on the host), and an entry that cannot be read (a
// root-owned batch left by `sudo`, a folder, a pipe) is set aside with a log line instead of
// stopping the delivery of every batch behind it.

import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Localized } from '../src/core/types.js';
import { localize } from '../src/core/i18n/index.js';
import type { Batch } from '../src/contract/agent-api.js';
import { encodeAsciiJson } from '../src/contract/wire.js';
import { syncDirectory, TMP_SUFFIX, writeFileAtomic } from '../src/core/atomic-file.js';
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
const REJECTED_DIR = 'rejected';

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
      const info = await lstat(file).catch(() => null);
      if (
        info &&
        info.mtimeMs < stale &&
        (await unlink(file).then(
          () => true,
          () => false,
        ))
      )
        removed++;
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

  /**
   * Entries named like batches, oldest first; unfinished writes and anything else in the folder are
   * ignored. Looked at, not through (lstat): what is not a batch file is refused by `read`.
   */
  async list(): Promise<SpooledBatch[]> {
    const names = (await readdir(this.dir)).filter((n) => NAME.test(n)).sort();
    const out: SpooledBatch[] = [];
    for (const name of names) {
      const m = NAME.exec(name);
      const file = join(this.dir, name);
      const info = await lstat(file).catch(() => null);
      // Removed meanwhile (delivered by another process, or dropped by the cap): not ours to list.
      if (!m || !info) continue;
      out.push({ batchId: m[3] ?? '', file, bytes: info.size, createdMs: Number(m[1]) });
    }
    return out;
  }

  /**
   * The batch's bytes. What is not a regular file is refused before it is opened (opening a device
   * can do something); the file is opened without following a symbolic link and without waiting on a
   * pipe, then checked again on the open file itself, so nothing swapped in meanwhile is read either.
   * Throws UnreadableEntry for anything that is not a regular file the agent may read; ENOENT as it is.
   */
  async read(entry: SpooledBatch): Promise<Buffer> {
    const seen = await lstat(entry.file);
    if (!seen.isFile()) throw new UnreadableEntry(entry.file, kindOf(seen), null, seen.uid);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(entry.file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
      if (code === 'ENOENT') throw err;
      // ELOOP: replaced by a symbolic link since the lstat.
      throw new UnreadableEntry(entry.file, code === 'ELOOP' ? 'symlink' : null, code, seen.uid);
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new UnreadableEntry(entry.file, kindOf(info), null, info.uid);
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  /** An entry `read` refused: moved to rejected/ (a link is moved, never its target) and logged, so the rest is delivered. */
  async setAside(entry: SpooledBatch, problem: UnreadableEntry): Promise<boolean> {
    let target: string;
    try {
      target = await this.reject(entry);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      const lang = this.opts.log.lang;
      const why = problem.kind ? localize(KIND_TEXT[problem.kind], lang) : localize(M.whyUnreadable, lang, { code: problem.code });
      this.opts.log.warn(M.entryStuck, { file: entry.file, why, dir: this.rejectedDir, code });
      return false;
    }
    const user = agentUser();
    if (problem.kind)
      this.opts.log.warn(M.entryNotAFile, { file: entry.file, kind: localize(KIND_TEXT[problem.kind], this.opts.log.lang), target });
    else if (problem.uid !== null && problem.uid !== process.getuid?.()) {
      this.opts.log.warn(M.entryForeign, { file: entry.file, code: problem.code, uid: problem.uid, user, target, spool: this.dir });
    } else this.opts.log.warn(M.entryUnreadable, { file: entry.file, code: problem.code, user, target, spool: this.dir });
    return true;
  }

  /** After the server acknowledged it. A batch already gone (another process delivered it) is fine. */
  async remove(entry: SpooledBatch): Promise<void> {
    await unlink(entry.file).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await syncDirectory(this.dir);
  }

  /** A batch the server will never accept (or an entry that is no readable batch): kept aside for a human, out of the delivery queue. */
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

export type EntryKind = 'symlink' | 'directory' | 'fifo' | 'socket' | 'device' | 'other';

const KIND_TEXT: Record<EntryKind, Localized> = {
  symlink: M.kindSymlink,
  directory: M.kindDirectory,
  fifo: M.kindFifo,
  socket: M.kindSocket,
  device: M.kindDevice,
  other: M.kindOther,
};

/** A spool entry that is not a regular file (`kind`), or one the agent may not read (`code`, e.g. EACCES). */
export class UnreadableEntry extends Error {
  constructor(
    readonly file: string,
    readonly kind: EntryKind | null,
    readonly code: string | null,
    readonly uid: number | null,
  ) {
    super(`${file}: ${kind ?? code ?? 'unreadable'}`);
    this.name = 'UnreadableEntry';
  }
}

function kindOf(info: Stats): EntryKind {
  if (info.isSymbolicLink()) return 'symlink';
  if (info.isDirectory()) return 'directory';
  if (info.isFIFO()) return 'fifo';
  if (info.isSocket()) return 'socket';
  if (info.isBlockDevice() || info.isCharacterDevice()) return 'device';
  return 'other';
}

/** The user the agent runs as, for the `chown` it suggests. */
function agentUser(): string {
  try {
    return userInfo().username;
  } catch {
    // A uid with no name (a container's arbitrary uid): chown takes the number.
    return String(process.getuid?.() ?? '');
  }
}

/** A log line names at most 20 batches; the count says how many there were. */
function listIds(ids: string[]): string {
  return ids.length <= 20 ? ids.join(', ') : `${ids.slice(0, 20).join(', ')}, … (+${ids.length - 20})`;
}
