// PostgreSQL for tests: the server URL the global setup (test/setup/postgres.ts) started or was given
// (GOVSCAN_TEST_PG), and a fresh database per test file so files never see each other's rows.
//
//   const db = await createTestDatabase();   // { url, name, drop() }
//   afterAll(() => db.drop());
//   await withDatabase(async (url) => { … });  // created, used, dropped

import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import pg from 'pg';

/** The PostgreSQL server URL (its maintenance database), e.g. `postgres://postgres@127.0.0.1:5433/postgres`. */
function pgUrl(): string {
  const url = process.env.GOVSCAN_TEST_PG || inject('govscanTestPg');
  if (!url)
    throw new Error('GOVSCAN_TEST_PG is not set and no PostgreSQL was started: is test/setup/postgres.ts in vitest.config.ts globalSetup?');
  return url;
}

export interface TestDatabase {
  /** URL of the new database. */
  url: string;
  name: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(prefix = 'govscan_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`.toLowerCase();
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name prefix: ${prefix}`);
  // C collation and UTF-8 whatever the server's defaults: text sorts bytewise, as on SQLite.
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`));
  const url = new URL(pgUrl());
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
