// `govscan server backup FILE` through the built CLI: a backup of a live server's SQLite database,
// taken while it runs, restores into a working server that serves the same reports; an existing FILE
// needs --force; PostgreSQL gets the pg_dump line. And `--retain-days` at a server's start.

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EnrollResponse } from '../../src/contract/agent-api.js';
import { runCli } from '../helpers/cli.js';
import { createApiToken } from '../../src/server/admin.js';
import { openStore } from '../../src/server/store/index.js';
import { batchOfFindings, stableUuid } from '../../src/lab/fleet-seed.js';
import { enrollmentSecret, getJson, startServer, viewerToken } from '../helpers/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'govscan-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DAY = 86_400_000;

async function post(url: string, path: string, token: string | null, body: unknown): Promise<Response> {
  return fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

/** What a viewer reads that depends on every stored report: agencies, the findings page and history, an export. */
async function snapshot(url: string, token: string): Promise<unknown[]> {
  return Promise.all([
    getJson(`${url}/api/v1/agencies`, token),
    getJson(`${url}/api/v1/findings?limit=500`, token),
    getJson(`${url}/api/v1/history?agency=so-tttt-tay-ninh&limit=500`, token),
    getJson(`${url}/api/v1/export/so-tttt-tay-ninh.json`, token),
  ]);
}

describe('govscan server backup', () => {
  it('backs up a live SQLite server into a file a new server serves the same reports from', async () => {
    const db = `sqlite:${join(dir, 'soc.db')}`;
    const live = await startServer(db);
    let before: unknown[];
    const viewer = await viewerToken(db);
    try {
      const agency = 'so-tttt-tay-ninh';
      const enrolled = await post(live.url, '/api/v1/enroll', null, {
        secret: await enrollmentSecret(db, agency),
        hostname: 'agent1.tayninh.gov.vn',
        agentVersion: '0.1.0',
      });
      expect(enrolled.status).toBe(201);
      const agent = (await enrolled.json()) as EnrollResponse;
      for (const daysAgo of [3, 2, 1]) {
        const batch = batchOfFindings(30, { agency, agentId: agent.agentId, createdAt: new Date(Date.now() - daysAgo * DAY) });
        expect((await post(live.url, '/api/v1/batches', agent.token, batch)).status).toBe(201);
      }
      before = await snapshot(live.url, viewer);

      const file = join(dir, 'backup.db');
      const made = await runCli(['server', 'backup', file, '--db', db]);
      expect(made.code, made.stderr).toBe(0);
      expect(made.stderr).toMatch(/^backup of sqlite:.*soc\.db written to .*backup\.db \(\d+ bytes\)/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      // The server went on serving during and after the backup.
      expect((await fetch(`${live.url}/healthz`)).status).toBe(200);
    } finally {
      await live.kill();
    }

    const restored = await startServer(`sqlite:${join(dir, 'backup.db')}`);
    try {
      // The viewer token was in the database too: the same token reads the same answers.
      expect(await snapshot(restored.url, viewer)).toEqual(before);
    } finally {
      await restored.kill();
    }
  });

  it('replaces an existing FILE only with --force', async () => {
    const db = `sqlite:${join(dir, 'small.db')}`;
    const store = await openStore(db);
    await store.migrate();
    await store.close();
    const file = join(dir, 'existing.db');
    writeFileSync(file, 'an older backup');
    const refused = await runCli(['server', 'backup', file, '--db', db, '--lang', 'vi']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`lỗi: ${file} đã tồn tại: thêm --force để ghi đè\n`);
    expect(readFileSync(file, 'utf8')).toBe('an older backup');
    const forced = await runCli(['server', 'backup', file, '--db', db, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(file).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('--retain-days deletes, at start, the reports older than N days that newer ones superseded', async () => {
    const file = join(dir, 'retention.db');
    const store = await openStore(`sqlite:${file}`);
    await store.migrate();
    const viewer = (await createApiToken(store, 'viewer', 'retention check')).token;
    const agency = 'so-tttt-tay-ninh';
    // A year-old report, superseded by the two since (same agent, same targets).
    for (const daysAgo of [400, 2, 1]) {
      const batch = batchOfFindings(30, { agency, agentId: stableUuid('retention-cli'), createdAt: new Date(Date.now() - daysAgo * DAY) });
      expect((await store.ingest(batch, new Date().toISOString())).status).toBe('stored');
    }
    await store.close();

    const server = await startServer(`sqlite:${file}`, 0, 30_000, ['--retain-days', '365']);
    try {
      for (let i = 0; i < 100 && !/retention: /.test(server.stderr()); i++) await new Promise((r) => setTimeout(r, 100));
      expect(server.stderr()).toMatch(/govscan server: retention: 1 report dated before \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC deleted/);
      const after = await getJson<{ items: { batchId: string }[] }>(`${server.url}/api/v1/history?agency=${agency}&limit=500`, viewer);
      expect(new Set(after.items.map((p) => p.batchId)).size).toBe(2);
    } finally {
      await server.kill();
    }
  });

  it('prints the pg_dump command for PostgreSQL, without its password, and exits 2 (en, vi)', async () => {
    const url = 'postgres://govscan:s3cret@127.0.0.1:5432/govscan';
    const en = await runCli(['server', 'backup', join(dir, 'soc.dump')], { env: { GOVSCAN_DB: url } });
    expect(en.code).toBe(2);
    expect(en.stderr).toBe(
      `error: --db: a PostgreSQL database is backed up with PostgreSQL's own tool, while the server runs: pg_dump --format=custom --file=${join(dir, 'soc.dump')} --dbname=postgres://govscan@127.0.0.1:5432/govscan\n`,
    );
    const vi = await runCli(['server', 'backup', join(dir, 'soc.dump'), '--db', url, '--lang', 'vi']);
    expect(vi.code).toBe(2);
    expect(vi.stderr).toMatch(
      /^lỗi: --db: cơ sở dữ liệu PostgreSQL được sao lưu bằng công cụ của chính PostgreSQL.*: pg_dump --format=custom /,
    );
    expect(vi.stderr).not.toContain('s3cret');
  });
});
