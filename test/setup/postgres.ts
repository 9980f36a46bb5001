// Vitest global setup: one PostgreSQL server for the whole run. `.ci/run` may start one and pass its
// URL in GOVSCAN_TEST_PG; otherwise a throwaway cluster is started here with scripts/pg-cluster.mjs
// (in a temp dir, on a free loopback port) and stopped at teardown. PostgreSQL missing is a failure,
// never a skip: the storage tests must run on both stores.
//
// Test files reach the URL through test/helpers/postgres.ts (pgUrl()): it is both put in process.env
// before the workers are forked and handed over with vitest's provide/inject.

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    govscanTestPg: string;
  }
}

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../scripts/pg-cluster.mjs', import.meta.url));

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.GOVSCAN_TEST_PG;
  if (given) {
    project.provide('govscanTestPg', given);
    return undefined;
  }
  const dir = await mkdtemp(join(tmpdir(), 'govscan-test-pg-'));
  let url: string;
  try {
    const { stdout } = await run(process.execPath, [SCRIPT, 'start', dir], { timeout: 120_000 });
    url = stdout.trim().split('\n').pop() ?? '';
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    const e = err as { stderr?: string; message: string };
    throw new Error(
      `could not start a PostgreSQL cluster for the tests: ${(e.stderr ?? e.message).trim()}\n` +
        'Install PostgreSQL (apt-get install -y postgresql) or set GOVSCAN_TEST_PG to a server URL.',
    );
  }
  process.env.GOVSCAN_TEST_PG = url;
  project.provide('govscanTestPg', url);
  return async () => {
    try {
      await run(process.execPath, [SCRIPT, 'stop', dir], { timeout: 120_000 });
    } finally {
      delete process.env.GOVSCAN_TEST_PG;
      await rm(dir, { recursive: true, force: true });
    }
  };
}
