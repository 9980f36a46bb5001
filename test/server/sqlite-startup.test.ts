// The README starts `govscan server` in the background and runs admin commands at once, on a SQLite
// file that does not exist yet: the server and the commands open and migrate it at the same moment.
// Each must wait for the others (busy timeout, WAL switch, migrations), never fail with "locked" or
// "already exists".

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { getJson, startServer } from '../helpers/server-process.js';
import type { AgencyRow, Page } from '../../src/contract/read-api.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-startup-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a new SQLite database opened by the server and admin commands at once', () => {
  it.each([1, 2, 3, 4, 5])('round %i: every process succeeds and the data is all there', { timeout: 60_000 }, async (round) => {
    const db = `sqlite:${join(dir, `govscan-${round}.db`)}`;
    const [server, enrolA, enrolB, viewer] = await Promise.all([
      startServer(db),
      runCli(['server', 'enrollment', 'create', '--agency', 'agency-a', '--db', db]),
      runCli(['server', 'enrollment', 'create', '--agency', 'agency-b', '--db', db]),
      runCli(['server', 'token', 'create', '--role', 'viewer', '--db', db]),
    ]);
    try {
      for (const r of [enrolA, enrolB, viewer]) expect(r.code, r.stderr).toBe(0);
      const agencies = await getJson<Page<AgencyRow>>(`${server.url}/api/v1/agencies`, viewer.stdout.trim());
      expect(agencies.items.map((a) => a.id).sort()).toEqual(['agency-a', 'agency-b']);
    } finally {
      await server.kill();
    }
  });
});
