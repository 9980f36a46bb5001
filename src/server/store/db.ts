// Opens the server's database from a `--db` URL: `sqlite:PATH` (embedded, the default) or
// `postgres://…` / `postgresql://…`. The drivers are native or heavy, so each is imported only when
// its kind of URL is opened: `govscan --version` loads neither.

import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import { dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { InputError } from '../../core/errors.js';
import type { DB } from './schema.js';
import type { DialectName } from './migrations.js';

export type DbTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

export interface OpenedDb {
  db: Kysely<DB>;
  dialect: DialectName;
  /** The URL without its password, for logs. */
  display: string;
  /** SQLite: the database file (null for :memory:); PostgreSQL: null. */
  file: string | null;
}

export interface OpenOptions {
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** The flag name errors cite (default `--db`). */
  flag?: string;
}

/** Reads a `--db` value; an InputError names the flag when the scheme is not one we speak. */
export function parseDbUrl(url: string, flag = '--db'): DbTarget {
  if (url.startsWith('sqlite:')) {
    let path = url.slice('sqlite:'.length);
    // sqlite:///abs/path and sqlite://rel/path read like URLs; sqlite:PATH is the documented form.
    if (path.startsWith('//')) path = path.slice(2);
    if (!path) throw InputError.inFile(flag, 'sqlite: needs a file path, e.g. sqlite:./govscan.db');
    return { dialect: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      throw InputError.inFile(flag, `not a valid PostgreSQL URL: ${redact(url)}`);
    }
    return { dialect: 'postgres', url };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw InputError.inFile(
    flag,
    `${scheme ? `unsupported database "${scheme}:"` : `not a database URL: ${redact(url)}`}; use sqlite:PATH or postgres://USER@HOST:PORT/DB`,
  );
}

/** The URL with any password replaced, safe to print. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
  }
}

export async function openDatabase(url: string, opts: OpenOptions = {}): Promise<OpenedDb> {
  const target = parseDbUrl(url, opts.flag);
  return target.dialect === 'sqlite' ? openSqlite(target.path, opts.flag ?? '--db') : openPostgres(target.url, opts.poolSize ?? 10);
}

async function openSqlite(path: string, flag: string): Promise<OpenedDb> {
  const { default: Database } = await import('better-sqlite3');
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:' && !existsSync(dirname(file))) throw InputError.inFile(flag, `the folder of ${path} does not exist`);
  let raw: import('better-sqlite3').Database;
  try {
    raw = new Database(file);
  } catch (err) {
    throw InputError.inFile(flag, `cannot open ${path}: ${(err as Error).message}`);
  }
  try {
    // First: another process (an admin command beside a starting server) waits for the lock instead
    // of failing, also while this one switches to WAL.
    raw.pragma('busy_timeout = 10000');
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    // FULL: a batch acknowledged to an agent survives a power cut, not only a killed process.
    raw.pragma('synchronous = FULL');
  } catch (err) {
    raw.close();
    throw InputError.inFile(flag, `${path} is not a usable SQLite database: ${(err as Error).message}`);
  }
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: cachingDatabase(raw) }) });
  return { db, dialect: 'sqlite', display: `sqlite:${path}`, file: file === ':memory:' ? null : file };
}

/**
 * better-sqlite3 compiles SQL on every prepare() and kysely prepares every query it runs; ingest runs
 * the same few statements thousands of times a second, so compiled statements are kept by SQL text.
 * Safe because kysely gives the single connection to one query at a time and we never stream.
 */
function cachingDatabase(raw: import('better-sqlite3').Database, max = 256): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      raw.close();
    },
    prepare(sqlText: string): SqliteStatement {
      let stmt = cache.get(sqlText);
      if (stmt) {
        // Refresh its place: the map's insertion order is the eviction order.
        cache.delete(sqlText);
        cache.set(sqlText, stmt);
        return stmt;
      }
      stmt = raw.prepare(sqlText) as unknown as SqliteStatement;
      cache.set(sqlText, stmt);
      if (cache.size > max) cache.delete(cache.keys().next().value as string);
      return stmt;
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<OpenedDb> {
  const { default: pg } = await import('pg');
  // COUNT/SUM come back as int8/numeric, which pg leaves as strings: every count here fits a double.
  const asNumber = (v: string): number => Number(v);
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return asNumber;
      return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
    }) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 15_000 });
  // An idle client whose server went away emits 'error' on the pool; unhandled, it would end the
  // process. The next query reports the problem to its caller instead.
  pool.on('error', () => undefined);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', display: redact(url), file: null };
}
