// Delivery that loses nothing, on SQLite and on PostgreSQL. Twenty agents (the agent's own spool and
// uploader modules, each with its own spool and enrolled token) upload concurrently; the server is
// SIGKILLed mid-way and restarted on the same port and database; the agents keep retrying until their
// spools are empty, and then every batch is stored exactly once. And with the server down, an agent
// (the real `govscan-agent run --once`) keeps spooling its runs and delivers them all when it returns.

import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAgentConfig } from '../../agent/config.js';
import { enroll } from '../../agent/enroll.js';
import { memoryLog } from '../../agent/log.js';
import { Spool } from '../../agent/spool.js';
import { readToken } from '../../agent/token.js';
import { abortableSleep, drain, Uploader } from '../../agent/upload.js';
import type { FleetOverview, HistoryPoint, Page } from '../../src/contract/read-api.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { runAgent, smallBatch, smallReport } from '../agent/helpers.js';
import { getJson, startServer, type ServerProcess } from '../helpers/server-process.js';

const AGENTS = 20;
const BATCHES_PER_AGENT = 8;
const AGENCIES = ['so-a', 'so-b'];
const RULE = 'HOST-IPV6-NO-GLOBAL-ADDRESS';

let dir: string;
const pgDatabases: TestDatabase[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-fault-'));
});
afterAll(async () => {
  await Promise.all(pgDatabases.map((d) => d.drop()));
  await rm(dir, { recursive: true, force: true });
});

async function database(dialect: 'sqlite' | 'postgres', name: string): Promise<string> {
  if (dialect === 'sqlite') return `sqlite:${join(dir, `${name}.db`)}`;
  const db = await createTestDatabase('govscan_fault');
  pgDatabases.push(db);
  return db.url;
}

async function adminToken(db: string): Promise<string> {
  const r = await runCli(['server', 'token', 'create', '--role', 'admin', '--db', db]);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

async function newSecret(server: ServerProcess, admin: string, agency: string): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/enrollments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ agency }),
  });
  if (res.status !== 201) throw new Error(`enrollments: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { secret: string }).secret;
}

/** Batch ids stored for an agency, one history point per stored batch of RULE. */
async function storedIds(server: ServerProcess, admin: string, agency: string): Promise<string[]> {
  const h = await getJson<Page<HistoryPoint> | HistoryPoint[]>(
    `${server.url}/api/v1/history?agency=${agency}&rule=${RULE}&limit=10000`,
    admin,
  );
  return (Array.isArray(h) ? h : h.items).map((p) => p.batchId);
}

interface Agent {
  name: string;
  agency: string;
  spool: Spool;
  uploader: Uploader;
  log: ReturnType<typeof memoryLog>;
  ids: string[];
}

describe.each(['sqlite', 'postgres'] as const)('delivery through a server crash (%s)', (dialect) => {
  it(`${AGENTS} agents upload while the server is SIGKILLed and restarted: every batch stored exactly once, every spool empty`, {
    timeout: 60_000,
  }, async () => {
    const db = await database(dialect, 'crash');
    let server = await startServer(db);
    const port = server.port;
    const admin = await adminToken(db);

    // Enrol every agent with the agent's own enrolment code, then spool its runs before any upload.
    const agents: Agent[] = await Promise.all(
      Array.from({ length: AGENTS }, async (_, i) => {
        const name = `agent-${String(i).padStart(2, '0')}`;
        const agency = AGENCIES[i % AGENCIES.length] as string;
        const home = join(dir, dialect, name);
        await mkdir(home, { recursive: true });
        const config = { ...defaultAgentConfig({}), tokenFile: join(home, 'token.json') };
        await enroll({
          server: server.url,
          secret: await newSecret(server, admin, agency),
          config,
          force: false,
          lang: 'en',
          hostname: name,
        });
        const token = await readToken(config.tokenFile);
        const log = memoryLog();
        const spool = await new Spool(join(home, 'spool'), { maxBytes: 1 << 26, log }).open();
        const ids: string[] = [];
        for (let b = 0; b < BATCHES_PER_AGENT; b++) {
          const batch = smallBatch({
            agentId: token.agentId,
            agency,
            agent: { version: '0.1.0', hostname: name, intervalSeconds: 3600 },
            report: smallReport(name, b % 2 ? 'fail' : 'pass'),
          });
          ids.push((await spool.add(batch)).batchId);
        }
        return { name, agency, spool, log, ids, uploader: new Uploader({ server: server.url, token: token.token, timeoutMs: 5000 }) };
      }),
    );
    const total = AGENTS * BATCHES_PER_AGENT;

    // Every agent drains over and over (bounded attempts per drain, short pauses) until its spool is empty.
    const deadline = Date.now() + 40_000;
    let delivered = 0;
    const countDelivered = (): number =>
      agents.reduce((n, a) => n + a.log.lines.filter((l) => / delivered$| already stored/.test(l)).length, 0);
    const runAgentDrain = async (a: Agent): Promise<void> => {
      while ((await a.spool.list()).length && Date.now() < deadline) {
        const r = await drain(a.spool, a.uploader, a.log, { maxAttempts: 3, backoffMs: 50, maxBackoffMs: 400 });
        if (r.remaining) await abortableSleep(100);
      }
    };
    const draining = Promise.all(agents.map(runAgentDrain));

    // Kill the server once a quarter of the batches are acknowledged, with uploads in flight.
    while ((delivered = countDelivered()) < total / 4 && Date.now() < deadline) await abortableSleep(2);
    await server.kill('SIGKILL');
    const atKill = countDelivered();
    expect(atKill).toBeLessThan(total);
    await abortableSleep(300);
    server = await startServer(db, port);
    await draining;
    for (const a of agents) a.uploader.close();

    try {
      // Every spool is empty, nothing was set aside, and the agents did retry through the outage.
      for (const a of agents) {
        expect(await a.spool.list(), a.name).toEqual([]);
        expect(await readdir(a.spool.rejectedDir), a.name).toEqual([]);
      }
      const retried = agents.flatMap((a) => a.log.lines).filter((l) => /attempt \d of 3 failed|server unavailable/.test(l));
      expect(retried.length).toBeGreaterThan(0);

      // Each batch is stored exactly once: one history point per batch id, and the totals agree.
      for (const agency of AGENCIES) {
        const stored = await storedIds(server, admin, agency);
        const expected = agents.filter((a) => a.agency === agency).flatMap((a) => a.ids);
        expect([...stored].sort()).toEqual([...expected].sort());
      }
      const overview = await getJson<FleetOverview>(`${server.url}/api/v1/overview`, admin);
      expect(overview.totals.batches).toBe(total);
      expect(overview.totals.agents).toBe(AGENTS);
      process.stderr.write(
        `fault (${dialect}): killed after ${atKill}/${total} acknowledged (waited for ${delivered}); all ${total} stored once\n`,
      );
    } finally {
      await server.kill();
    }
  });

  it('with the server down the agent keeps spooling its runs, and delivers them all when it returns', { timeout: 120_000 }, async () => {
    const db = await database(dialect, 'down');
    let server = await startServer(db);
    const admin = await adminToken(db);
    const home = join(dir, dialect, 'down');
    await mkdir(home, { recursive: true });
    const config = join(home, 'agent.yaml');
    await writeFile(
      config,
      `stateDirectory: state\nserver: { url: "${server.url}", timeout: 5s }\nupload: { maxAttempts: 2, backoff: 1s, maxBackoff: 1s }\nhost: { name: down-host }\n`,
    );
    const enrolled = await runAgent(['enroll', '--config', config, '--secret', await newSecret(server, admin, 'so-down')]);
    expect(enrolled.code, enrolled.stderr).toBe(0);
    const port = server.port;
    await server.kill('SIGKILL');

    const spoolDir = join(home, 'state', 'spool');
    const batches = async (): Promise<string[]> => (await readdir(spoolDir)).filter((n) => n.endsWith('.batch.json')).sort();
    const ran: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const r = await runAgent(['run', '--once', '--config', config]);
      // A run the server cannot take yet is still a successful run: its batch waits in the spool.
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/server unavailable \(.*ECONNREFUSED.*\): \d batch\(es\) stay in the spool/);
      ran.push(/run ([0-9a-f-]{36}): scanning/.exec(r.stderr)?.[1] ?? '');
      expect(await batches()).toHaveLength(i);
    }

    server = await startServer(db, port);
    try {
      const r = await runAgent(['run', '--once', '--config', config]);
      expect(r.code, r.stderr).toBe(0);
      ran.push(/run ([0-9a-f-]{36}): scanning/.exec(r.stderr)?.[1] ?? '');
      // Oldest first: the three runs from the outage, then this one.
      expect(
        [...r.stderr.matchAll(/batch ([0-9a-f-]{36}) delivered/g)].map((m) => m[1]),
        r.stderr,
      ).toEqual(ran);
      expect(await batches()).toEqual([]);
      expect((await storedIds(server, admin, 'so-down')).sort()).toEqual([...ran].sort());
    } finally {
      await server.kill();
    }
  });
});
