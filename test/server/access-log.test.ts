// `govscan server --access-log`: one JSON line per request on stderr naming the token that was shown,
// never the token itself. Through the built CLI, as journald would receive it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startServer } from '../helpers/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'govscan-access-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('govscan server --access-log', () => {
  it('logs method, route, status, duration and the token name of each request, never the token', async () => {
    const db = `sqlite:${join(dir, 'soc.db')}`;
    const created = await runCli(['server', 'token', 'create', '--role', 'viewer', '--name', 'soc-dashboard', '--db', db]);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim();
    const secret = token.slice(token.indexOf('.') + 1);
    const server = await startServer(db, 0, 30_000, ['--access-log']);
    try {
      const ok = await fetch(`${server.url}/api/v1/export/so-tttt.json`, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBeLessThan(500);
      const refused = await fetch(`${server.url}/api/v1/overview`, { headers: { authorization: `Bearer ${token.slice(0, -4)}AAAA` } });
      expect(refused.status).toBe(401);
      expect((await fetch(`${server.url}/api/v1/overview?agency=x`)).status).toBe(401);
      // The lines are written when each response ends; the next request's answer comes after them.
      await fetch(`${server.url}/healthz`);
    } finally {
      await server.kill();
    }
    const log = server.stderr();
    expect(log).not.toContain(secret);
    expect(log.toLowerCase()).not.toContain('bearer');
    expect(log).not.toContain('agency=x');
    const requests = jsonLines(log).filter((l) => l.event === 'request');
    const [first, second, third] = requests;
    expect(first).toMatchObject({ method: 'GET', route: '/api/v1/export/:file', token: 'soc-dashboard', address: '127.0.0.1' });
    expect([200, 404]).toContain(first?.status);
    expect(typeof first?.durationMs).toBe('number');
    // A wrong secret for a real token id is refused and logged without a name: nothing was proven.
    expect(second).toMatchObject({ method: 'GET', route: '/api/v1/overview', status: 401, token: null });
    expect(third).toMatchObject({ route: '/api/v1/overview', status: 401, token: null });
  });

  it('is off by default: only the listening line and failures reach stderr', async () => {
    const db = `sqlite:${join(dir, 'quiet.db')}`;
    const server = await startServer(db);
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.url}/api/v1/overview`)).status).toBe(401);
    } finally {
      await server.kill();
    }
    expect(jsonLines(server.stderr()).filter((l) => l.event === 'request')).toEqual([]);
  });
});
