// `govscan server backup FILE`: a consistent copy of a SQLite database while the server keeps
// running, by SQLite's online backup API (better-sqlite3 `backup()`), written the way atomic-file.ts
// writes everything else: into a temporary file beside FILE, flushed, renamed over it, the folder
// flushed. A reader never sees half a backup, and a failed one leaves FILE as it was.
// PostgreSQL has its own tool for this (pg_dump), which this module only spells out.

import { randomBytes } from 'node:crypto';
import { chmod, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { TMP_SUFFIX, syncDirectory } from '../../core/atomic-file.js';

/** All remaining pages in one step: between steps another connection's write would restart the copy. */
const ALL_PAGES = 0x7fffffff;

export class NotAGovscanDatabase extends Error {}

/**
 * Copies the SQLite database `source` to `target` (a regular file path, symbolic links already
 * resolved) and returns the backup's size in bytes. The copy is readable by its owner only: it holds
 * the tokens' hashes. Throws NotAGovscanDatabase when `source` is not a govscan database.
 */
export async function backupSqlite(source: string, target: string): Promise<number> {
  const { default: Database } = await import('better-sqlite3');
  // fileMustExist: a mistyped --db must not create (and back up) an empty database.
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    let known: unknown;
    try {
      known = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'batches'").get();
    } catch (err) {
      throw new NotAGovscanDatabase((err as Error).message);
    }
    if (!known) throw new NotAGovscanDatabase('it has no govscan tables');
    const dir = dirname(target);
    const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}${TMP_SUFFIX}`);
    try {
      await db.backup(tmp, { progress: () => ALL_PAGES });
      await chmod(tmp, 0o600);
      const handle = await open(tmp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, target);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      await unlink(`${tmp}-journal`).catch(() => undefined);
      throw err;
    }
    await syncDirectory(dir);
    return (await stat(target)).size;
  } finally {
    db.close();
  }
}

/** The documented pg_dump command for a PostgreSQL `--db` URL (its password left out: pg_dump asks, or reads ~/.pgpass). */
export function pgDumpCommand(url: string, file: string): string {
  const u = new URL(url);
  u.password = '';
  return `pg_dump --format=custom --file=${shellQuote(file)} --dbname=${shellQuote(u.toString())}`;
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
