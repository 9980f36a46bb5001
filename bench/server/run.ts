// npm run bench:server — ingest throughput of a real `govscan server` process over HTTP on 127.0.0.1,
// on SQLite and on PostgreSQL (a throwaway cluster from scripts/pg-cluster.mjs), and the idle memory
// of `govscan-agent run`. Prints a table and ratios against the targets; asserts nothing.
//
//   - 50 simulated agents (env BENCH_AGENTS), each enrolled over the API, upload batches of 50
//     findings (BENCH_FINDINGS) back to back for 10 s per store (BENCH_SECONDS): batches/s and the
//     p50/p99 latency of an acknowledged upload; every acknowledged batch is then counted back from
//     the server, so a fast but lossy server cannot score;
//   - the peer (naive-server.ts) in turns with govscan on SQLite: BENCH_ROUNDS slices each, in ABBA
//     order, so load from anything else on the machine falls on both alike and their ratio holds;
//   - the store alone (no HTTP), same batches, as a reference for where the time goes;
//   - agent idle RSS: `govscan-agent run` against the SQLite server, sampled after its first run.
//
// The load generator runs in this process on the same two cores as the server: the figures are
// what one box does end to end, not the server's ceiling.

import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { getJson, percentile, runLoad, type LoadResult } from './load.js';
import { storeDirect } from './store-direct.js';
import type { FleetOverview } from '../../src/contract/read-api.js';

const run = promisify(execFile);
const AGENTS = Number(process.env.BENCH_AGENTS ?? 50);
const FINDINGS = Number(process.env.BENCH_FINDINGS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** govscan and its naive peer take turns this many times each (BENCH_ROUNDS). */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
const TARGET_RATE = 1000;
const TARGET_RSS_MB = 60;
const BIN = fileURLToPath(new URL('../../../bin/run.js', import.meta.url));
const AGENT_BIN = fileURLToPath(new URL('../../../bin/agent.js', import.meta.url));
const NAIVE = fileURLToPath(new URL('./naive-server.js', import.meta.url));
const PG_CLUSTER = fileURLToPath(new URL('../../../scripts/pg-cluster.mjs', import.meta.url));

interface ServerProcess {
  url: string;
  child: ChildProcess;
  peakRssMb(): number;
  stop(): Promise<void>;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** CPU time (user + system, ms) of processes so far, all their threads included. */
function cpuMs(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** The postmaster of the cluster in `dir` and its children (backends, WAL writer, checkpointer…). */
function clusterPids(dir: string): number[] {
  try {
    const master = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const kids = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === master;
        } catch {
          return false;
        }
      })
      .map(Number);
    return [master, ...kids];
  } catch {
    return [];
  }
}

async function startServer(db: string): Promise<ServerProcess> {
  // Throughput, not fairness, is measured: 50 agents enrol from one address and upload back to back.
  return startProcess([BIN, 'server', '--db', db, '--listen', '127.0.0.1:0', '--ingest-limit', '0', '--enroll-limit', '0']);
}

/** A Node process that prints `listening on http://…` on stderr once it accepts connections. */
async function startProcess(args: string[]): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let err = '';
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[1] ?? 'server'} did not start:\n${err}`)), 60_000);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(err);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args[1] ?? 'server'} exited (${String(code)}):\n${err}`));
    });
  });
  return {
    url,
    child,
    peakRssMb: () => (child.pid ? statusKb(child.pid, 'VmHWM') / 1024 : 0),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(t);
    },
  };
}

async function cli(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return stdout.trim();
}

interface Row {
  store: string;
  load: LoadResult;
  /** CPU per acknowledged batch: the server process, the database server (PostgreSQL), this load generator. */
  cpu: { server: number; db: number | null; client: number };
  counted: number;
  peakRssMb: number;
  direct: { perSecond: number; p50: number; p99: number } | null;
}

/** Load on one server so far: what `runLoad` rounds added up to, and the CPU they cost. */
interface Tally {
  load: LoadResult;
  cpu: { server: number; db: number; client: number };
}

function emptyTally(): Tally {
  return {
    load: { stored: 0, duplicates: 0, errors: 0, firstError: null, seconds: 0, latenciesMs: [], bodyBytes: 0 },
    cpu: { server: 0, db: 0, client: 0 },
  };
}

/** One round of load on `server`, added to `tally` with the CPU the server (and its database) spent. */
async function round(
  tally: Tally,
  server: ServerProcess,
  adminToken: string,
  agency: string,
  seconds: number,
  dbPids: () => number[],
): Promise<void> {
  const pid = server.child.pid ?? 0;
  // Enrolment happens inside runLoad; it is a few dozen requests against thousands of uploads.
  const before = { server: cpuMs([pid]), db: cpuMs(dbPids()), client: process.cpuUsage() };
  const load = await runLoad({ baseUrl: server.url, adminToken, agents: AGENTS, findings: FINDINGS, seconds, agency });
  const client = process.cpuUsage(before.client);
  tally.cpu.server += cpuMs([pid]) - before.server;
  tally.cpu.db += cpuMs(dbPids()) - before.db;
  tally.cpu.client += (client.user + client.system) / 1000;
  const t = tally.load;
  t.stored += load.stored;
  t.duplicates += load.duplicates;
  t.errors += load.errors;
  t.firstError ??= load.firstError;
  t.seconds += load.seconds;
  for (const ms of load.latenciesMs) t.latenciesMs.push(ms);
  t.bodyBytes = load.bodyBytes;
}

interface Paired {
  row: Row;
  naive: { rate: number; p99: number; cpu: number; counted: number; stored: number } | null;
}

/**
 * govscan on `db` for SECONDS, and (with `naiveFile`) the naive peer for as long, taken in turns of
 * SECONDS/ROUNDS each (ABBA order): whatever else loads the machine meanwhile falls on both alike, so
 * their ratio holds even on a shared box.
 */
async function benchPaired(name: string, db: string, naiveFile: string | null, dbPids: () => number[] = () => []): Promise<Paired> {
  const admin = await cli(['server', 'token', 'create', '--role', 'admin', '--db', db]);
  const server = await startServer(db);
  const peer = naiveFile
    ? await startProcess([NAIVE, naiveFile]).catch(async (err: unknown) => {
        await server.stop();
        throw err;
      })
    : null;
  try {
    const ours = emptyTally();
    const theirs = emptyTally();
    const slice = SECONDS / ROUNDS;
    for (let i = 0; i < ROUNDS; i++) {
      const govscanFirst = i % 2 === 0;
      if (govscanFirst) await round(ours, server, admin, `bench-${name}`, slice, dbPids);
      if (peer) await round(theirs, peer, 'none', 'bench', slice, () => []);
      if (!govscanFirst) await round(ours, server, admin, `bench-${name}`, slice, dbPids);
    }
    const n = Math.max(1, ours.load.stored);
    const cpu = {
      server: ours.cpu.server / n,
      db: dbPids().length ? ours.cpu.db / n : null,
      client: ours.cpu.client / n,
    };
    const overview = await getJson<FleetOverview>(server.url, '/api/v1/overview', admin);
    const row: Row = { store: name, load: ours.load, cpu, counted: overview.totals.batches, peakRssMb: server.peakRssMb(), direct: null };
    if (!peer) return { row, naive: null };
    const counted = (await getJson<{ batches: number }>(peer.url, '/api/v1/count', 'none')).batches;
    const lat = [...theirs.load.latenciesMs].sort((a, b) => a - b);
    const stored = theirs.load.stored;
    return {
      row,
      naive: {
        rate: stored / theirs.load.seconds,
        p99: percentile(lat, 0.99),
        cpu: theirs.cpu.server / Math.max(1, stored),
        counted,
        stored,
      },
    };
  } finally {
    await Promise.all([server.stop(), peer?.stop()]);
  }
}

async function withPostgres<T>(dir: string, fn: (url: string) => Promise<T>): Promise<T> {
  const { stdout } = await run(process.execPath, [PG_CLUSTER, 'start', dir], { timeout: 120_000 });
  const base = stdout.trim().split('\n').pop() ?? '';
  try {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query('CREATE DATABASE govscan_bench');
    await client.query('CREATE DATABASE govscan_bench_direct');
    await client.end();
    const u = new URL(base);
    u.pathname = '/govscan_bench';
    return await fn(u.toString());
  } finally {
    await run(process.execPath, [PG_CLUSTER, 'stop', dir], { timeout: 120_000 }).catch(() => undefined);
  }
}

async function agentIdleRss(dir: string): Promise<{ rssMb: number | null; note: string }> {
  const db = `sqlite:${join(dir, 'agent-server.db')}`;
  const server = await startServer(db);
  const home = join(dir, 'agent');
  await mkdir(home, { recursive: true });
  let child: ChildProcess | null = null;
  try {
    const secret = await cli(['server', 'enrollment', 'create', '--agency', 'bench-agent', '--db', db]);
    // An inventory of one loopback endpoint nobody listens on: the run is quick and sends nothing off the box.
    await writeFile(
      join(home, 'inventory.yaml'),
      'agency: Bench\nsystems:\n  - id: web\n    name: Web\n    level: 2\n    endpoints:\n      - https://127.0.0.1:9\n',
    );
    const config = join(home, 'agent.yaml');
    await writeFile(
      config,
      [
        'stateDirectory: state',
        `server: { url: "${server.url}" }`,
        'schedule: { interval: 6h, jitter: 0 }',
        'scan:',
        '  inventory: inventory.yaml',
        '  timeoutMs: 1000',
        'host:',
        '  name: bench-agent.example',
        '',
      ].join('\n'),
    );
    await run(process.execPath, [AGENT_BIN, 'enroll', '--config', config, '--secret', secret], { timeout: 60_000 });
    child = spawn(process.execPath, [AGENT_BIN, 'run', '--config', config], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, GOVSCAN_LANG: '' },
    });
    const proc = child;
    let err = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`govscan-agent: no first run within 90 s:\n${err}`)), 90_000);
      proc.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('next run in')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('close', (code) => {
        clearTimeout(timer);
        reject(new Error(`govscan-agent exited (${String(code)}):\n${err}`));
      });
    });
    // Idle: sample for 3 s and keep the largest resident size.
    let max = 0;
    for (let i = 0; i < 12; i++) {
      await new Promise((r) => setTimeout(r, 250));
      max = Math.max(max, proc.pid ? statusKb(proc.pid, 'VmRSS') : 0);
    }
    return { rssMb: max / 1024, note: /delivered/.test(err) ? 'after its first run was delivered' : 'after its first run' };
  } catch (err) {
    return { rssMb: null, note: `not measured: ${(err as Error).message.split('\n')[0]}` };
  } finally {
    child?.kill('SIGTERM');
    await server.stop();
  }
}

const f0 = (n: number): string => (Number.isFinite(n) ? n.toFixed(0) : '-');
const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : '-');

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'govscan-bench-server-'));
  console.log(
    `govscan server benchmark — ${AGENTS} agents, batches of ${FINDINGS} findings, ${SECONDS} s per store, ${cpus().length} CPUs, node ${process.version}`,
  );
  const rows: Row[] = [];
  try {
    const sqliteUrl = `sqlite:${join(dir, 'bench.db')}`;
    const { row: sqlite, naive: paired } = await benchPaired('sqlite', sqliteUrl, join(dir, 'naive.db'));
    if (!paired) throw new Error('the naive peer was not measured');
    const naive = paired;
    sqlite.direct = await storeDirect(`sqlite:${join(dir, 'direct.db')}`, Math.min(SECONDS, 5), AGENTS);
    rows.push(sqlite);

    // Not under `dir`: the cluster runs as the postgres user, who cannot enter root's private temp folder.
    const pgDir = await mkdtemp(join(tmpdir(), 'govscan-bench-pg-'));
    try {
      await withPostgres(pgDir, async (url) => {
        const { row } = await benchPaired('postgres', url, null, () => clusterPids(pgDir));
        row.direct = await storeDirect(url.replace(/\/govscan_bench$/, '/govscan_bench_direct'), Math.min(SECONDS, 5), AGENTS);
        rows.push(row);
      });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      console.log(`  postgres: not measured: ${(e.stderr || e.message).trim().split('\n')[0]}`);
    } finally {
      await rm(pgDir, { recursive: true, force: true });
    }

    const agent = await agentIdleRss(dir);
    const govscanSqlite = sqlite.load.stored / sqlite.load.seconds;
    const peerLine = `  peer (same process tree, same agents and bodies, in turns with govscan on SQLite: ${ROUNDS} × ${f1(SECONDS / ROUNDS)} s each): a naive ingest server — node:http, JSON.parse, one INSERT OR IGNORE of the raw body per request into SQLite (WAL, synchronous=FULL), no validation, rows or grouping: ${f0(naive.rate)} batches/s, p99 ${f1(naive.p99)} ms, ${naive.cpu.toFixed(2)} ms CPU/batch, counted back ${naive.counted}/${naive.stored} → govscan on SQLite ${(govscanSqlite / naive.rate).toFixed(2)}× its rate`;

    console.log('');
    console.log(
      '  store      acked  batches/s  p50 ms  p99 ms  errors  counted back  server peak RSS  CPU ms/batch server+db+client  store alone (no HTTP)',
    );
    for (const r of rows) {
      const lat = [...r.load.latenciesMs].sort((a, b) => a - b);
      const rate = r.load.stored / r.load.seconds;
      console.log(
        `  ${r.store.padEnd(9)} ${String(r.load.stored).padStart(6)}  ${f0(rate).padStart(9)}  ${f1(percentile(lat, 0.5)).padStart(6)}  ${f1(percentile(lat, 0.99)).padStart(6)}  ${String(r.load.errors).padStart(6)}  ${String(r.counted).padStart(12)}  ${`${f0(r.peakRssMb)} MB`.padStart(15)}  ${`${r.cpu.server.toFixed(2)} + ${r.cpu.db === null ? '-' : r.cpu.db.toFixed(2)} + ${r.cpu.client.toFixed(2)}`.padStart(30)}  ${r.direct ? `${f0(r.direct.perSecond)}/s, p99 ${f1(r.direct.p99)} ms` : '-'}`,
      );
      if (r.load.firstError) console.log(`             first error: ${r.load.firstError}`);
    }
    console.log(
      `  body: ${(rows[0]?.load.bodyBytes ?? 0) / 1024 > 0 ? `${f1((rows[0]?.load.bodyBytes ?? 0) / 1024)} KiB` : '-'} per batch`,
    );
    console.log(peerLine);
    console.log(`  govscan-agent idle RSS: ${agent.rssMb === null ? agent.note : `${f1(agent.rssMb)} MB (${agent.note})`}`);
    console.log('');
    console.log('  against the targets:');
    for (const r of rows) {
      const rate = r.load.stored / r.load.seconds;
      const lost = r.counted < r.load.stored ? `, ${r.load.stored - r.counted} acknowledged batches missing!` : '';
      console.log(
        `    ${r.store}: ${f0(rate)} batches/s vs ≥ ${TARGET_RATE}: ${(rate / TARGET_RATE).toFixed(2)}×${rate >= TARGET_RATE ? ' (met)' : ' (not met)'}${lost}`,
      );
      // What the CPU spent per batch allows at best, were every core busy with this and nothing else.
      const total = r.cpu.server + (r.cpu.db ?? 0) + r.cpu.client;
      console.log(
        `      CPU per batch ${total.toFixed(2)} ms (server ${r.cpu.server.toFixed(2)}, database ${r.cpu.db === null ? 'in the server' : r.cpu.db.toFixed(2)}, load generator ${r.cpu.client.toFixed(2)}): at most ~${f0((cpus().length * 1000) / total)} batches/s on ${cpus().length} cores`,
      );
    }
    if (agent.rssMb !== null) {
      console.log(
        `    agent idle RSS: ${f1(agent.rssMb)} MB vs ≤ ${TARGET_RSS_MB} MB: ${(agent.rssMb / TARGET_RSS_MB).toFixed(2)}× of the limit${agent.rssMb <= TARGET_RSS_MB ? ' (met)' : ' (not met)'}`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
