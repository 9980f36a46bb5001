// npm run bench:campaign — campaign throughput of `govscan worker` processes against a real
// `govscan server` on PostgreSQL (pg-boss; a throwaway cluster from scripts/pg-cluster.mjs), and the
// queue's overhead per job against a direct `govscan scan` of the same targets. Prints; asserts nothing.
//
//   - N lab endpoints (BENCH_TARGETS, default 48; bench/tls/farm-process.ts in a process of its own),
//     each behind a proxy on an address of its own (127.0.1.x) that answers every connection after
//     BENCH_DELAY_MS (default 200): scanning is I/O-bound, as on the internet, and the per-address
//     limit treats them as the N machines they stand for;
//   - for 1, 2 and 4 workers (each `--concurrency BENCH_CONCURRENCY`, default 8), one campaign of the
//     N targets: wall time from `govscan campaign create` until its run has finished, targets/s and
//     the ratio to one worker (goal: ≥ 3.2× with 4); then every target is counted back as done, once;
//   - `govscan scan` of the same N targets with the same concurrency as one worker: the difference
//     per target is what the queue (claim, result upload, idempotent store) costs a job.
//
// Everything listens on and dials loopback only: names are pinned with --resolve, nothing resolves.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import type { CampaignCreated, CampaignDetail } from '../../src/contract/campaign-api.js';
import type { Report } from '../../src/core/types.js';
import { startFarmProcess } from '../tls/farm-client.js';
import { retentionFigure, type RetentionFigure } from './retention.js';

const run = promisify(execFile);
const TARGETS = Number(process.env.BENCH_TARGETS ?? 48);
const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** The workers' --poll-interval while the queue is empty (BENCH_POLL_MS; the worker's default is 2000). */
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 1000);
const WORKER_COUNTS = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number);
const TARGET_SPEEDUP = 3.2;
const BIN = fileURLToPath(new URL('../../../bin/run.js', import.meta.url));
const PG_CLUSTER = fileURLToPath(new URL('../../../scripts/pg-cluster.mjs', import.meta.url));
const AGENCY = 'bench-campaign';
/** History sizes (reports) the retention figure is taken at (BENCH_RETENTION). */
const RETENTION_SIZES = (process.env.BENCH_RETENTION ?? '1000,4000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);

interface DelayedTarget {
  url: string;
  /** HOST:PORT:ADDRESS, as --resolve takes it. */
  pin: string;
}

/**
 * A proxy per endpoint on 127.0.1.x: each connection waits `delayMs` before a byte goes either way,
 * then is piped to the farm. Bounded: the farm is ours, and both ends are closed together.
 */
async function delayedTargets(
  endpoints: { host: string; port: number }[],
  delayMs: number,
): Promise<{ targets: DelayedTarget[]; close(): Promise<void> }> {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const targets = await Promise.all(
    endpoints.map(async (e, i) => {
      const address = `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
      const server = createServer((client) => {
        sockets.add(client);
        client.pause();
        const timer = setTimeout(() => {
          const upstream = connect(e.port, '127.0.0.1');
          sockets.add(upstream);
          const end = (): void => {
            client.destroy();
            upstream.destroy();
          };
          upstream.on('error', end).on('close', () => {
            sockets.delete(upstream);
            end();
          });
          client.on('error', end).on('close', () => {
            sockets.delete(client);
            end();
          });
          client.pipe(upstream);
          upstream.pipe(client);
          client.resume();
        }, delayMs);
        client.once('close', () => clearTimeout(timer));
      });
      servers.push(server);
      const port = await new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, address, () => resolve((server.address() as { port: number }).port));
      });
      return { url: `https://${e.host}:${port}/`, pin: `${e.host}:${port}:${address}` };
    }),
  );
  return {
    targets,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await run(process.execPath, [BIN, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.trim();
}

/** A Node process that prints `listening on http://…` on stderr once it accepts connections. */
async function startServer(db: string): Promise<{ url: string; stop(): Promise<void> }> {
  // --campaign-pool 0: only the measured workers scan (PostgreSQL's default, said here all the same).
  const child = spawn(
    process.execPath,
    [BIN, 'server', '--db', db, '--listen', '127.0.0.1:0', '--ingest-limit', '0', '--campaign-pool', '0'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  let err = '';
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${err}`)), 60_000);
    child.stderr?.on('data', (d: Buffer) => {
      if (err.length < 100_000) err += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(err);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${String(code)}):\n${err}`));
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(t);
    },
  };
}

function startWorker(server: string, tokenFile: string, caFile: string, name: string): ChildProcess {
  return spawn(
    process.execPath,
    [
      BIN,
      'worker',
      '--server',
      server,
      '--token-file',
      tokenFile,
      '--name',
      name,
      '--concurrency',
      String(CONCURRENCY),
      '--poll-interval',
      String(POLL_MS),
      '--ca-file',
      caFile,
      // After the campaign's own pins: anything else a probe asks for stays on loopback too.
      '--resolve',
      '*:*:127.0.0.1',
    ],
    { stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, NO_COLOR: '1' } },
  );
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.exitCode !== null || w.signalCode !== null) return resolve();
          const t = setTimeout(() => w.kill('SIGKILL'), 30_000);
          w.once('close', () => {
            clearTimeout(t);
            resolve();
          });
          w.kill('SIGTERM');
        }),
    ),
  );
}

async function getJson<T>(base: string, path: string, token: string): Promise<T> {
  const res = await fetch(new URL(path, base), { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface CampaignRun {
  workers: number;
  seconds: number;
  done: number;
  dead: number;
  retried: number;
  reports: number;
  /** Growth of the database (reports, findings, jobs, pg-boss rows) per target scanned, in bytes. */
  bytesPerTarget: number;
}

async function databaseBytes(db: pg.Client): Promise<number> {
  const { rows } = await db.query<{ n: string }>('select pg_database_size(current_database()) as n');
  return Number(rows[0]?.n ?? 0);
}

/** One campaign of every target with `count` workers: creation to finished run. */
async function campaign(
  count: number,
  ctx: {
    server: string;
    admin: string;
    socTokenFile: string;
    workerTokenFile: string;
    caFile: string;
    targets: DelayedTarget[];
    db: pg.Client;
  },
): Promise<CampaignRun> {
  // Workers first, polling: a SOC's workers are running before a campaign is created.
  const workers = Array.from({ length: count }, (_, i) =>
    startWorker(ctx.server, ctx.workerTokenFile, ctx.caFile, `bench-${count}-${i + 1}`),
  );
  try {
    await new Promise((r) => setTimeout(r, 3000));
    const sizeBefore = await databaseBytes(ctx.db);
    const started = performance.now();
    const created = JSON.parse(
      await cli([
        'campaign',
        'create',
        '--server',
        ctx.server,
        '--token-file',
        ctx.socTokenFile,
        '--json',
        '--name',
        `bench ${count} worker(s)`,
        '--agency',
        AGENCY,
        ...ctx.targets.flatMap((t) => ['--resolve', t.pin]),
        ...ctx.targets.map((t) => t.url),
      ]),
    ) as CampaignCreated;
    const id = created.campaign.id;
    let detail: CampaignDetail;
    // Bounded: a campaign that does not finish in 30 minutes is reported as such.
    for (let i = 0; ; i++) {
      detail = await getJson<CampaignDetail>(ctx.server, `/api/v1/campaigns/${encodeURIComponent(id)}`, ctx.admin);
      if (detail.runs[0]?.finishedAt) break;
      if (i > 18_000) throw new Error(`campaign ${id} did not finish within 30 minutes`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const counts = detail.runs[0]!.counts;
    // Counted in the database: one stored report per done job, never two.
    const { rows } = await ctx.db.query<{ n: string }>(
      'select count(*) as n from batches b join campaign_jobs j on j.batch_id = b.batch_id where j.campaign_id = $1',
      [id],
    );
    // After a checkpoint, so what the run wrote is counted in the files rather than pending in the WAL.
    await ctx.db.query('checkpoint').catch(() => undefined);
    const bytesPerTarget = ((await databaseBytes(ctx.db)) - sizeBefore) / Math.max(1, counts.total);
    return {
      workers: count,
      seconds,
      done: counts.done,
      dead: counts.dead,
      retried: counts.retried,
      reports: Number(rows[0]?.n ?? 0),
      bytesPerTarget,
    };
  } finally {
    await stopWorkers(workers);
  }
}

async function withPostgres<T>(dir: string, fn: (url: string) => Promise<T>): Promise<T> {
  const { stdout } = await run(process.execPath, [PG_CLUSTER, 'start', dir], { timeout: 120_000 });
  const base = stdout.trim().split('\n').pop() ?? '';
  try {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query('CREATE DATABASE govscan_campaign_bench');
    for (const n of RETENTION_SIZES) await client.query(`CREATE DATABASE govscan_retention_${n}`);
    await client.end();
    const u = new URL(base);
    u.pathname = '/govscan_campaign_bench';
    return await fn(u.toString());
  } finally {
    await run(process.execPath, [PG_CLUSTER, 'stop', dir], { timeout: 120_000 }).catch(() => undefined);
  }
}

const f1 = (n: number): string => n.toFixed(1);
const f2 = (n: number): string => n.toFixed(2);

async function main(): Promise<void> {
  console.log(
    `govscan campaign benchmark — ${TARGETS} lab targets answering after ${DELAY_MS} ms, workers of --concurrency ${CONCURRENCY}, PostgreSQL (pg-boss), ${cpus().length} CPUs, node ${process.version}`,
  );
  const dir = await mkdtemp(join(tmpdir(), 'govscan-bench-campaign-'));
  const farm = await startFarmProcess(TARGETS);
  const lab = await delayedTargets(farm.info.endpoints.slice(0, TARGETS), DELAY_MS);
  // Not under `dir`: the cluster runs as the postgres user, who cannot enter root's private temp folder.
  const pgDir = await mkdtemp(join(tmpdir(), 'govscan-bench-campaign-pg-'));
  try {
    // Direct scan first: the same targets, pins and trust, as many at once as one worker scans.
    const scanStarted = performance.now();
    await cli([
      'scan',
      ...lab.targets.map((t) => t.url),
      ...lab.targets.flatMap((t) => ['--resolve', t.pin]),
      '--resolve',
      '*:*:127.0.0.1',
      '--ca-file',
      farm.info.rootPem,
      '--concurrency',
      String(CONCURRENCY),
      '--quiet',
      '--fail-on',
      'none',
      '--format',
      'json',
      '--output',
      join(dir, 'direct.json'),
    ]);
    const direct = (performance.now() - scanStarted) / 1000;
    // What the scans found, so a lab that only timed out cannot pass for a fast one.
    const findings = (JSON.parse(await readFile(join(dir, 'direct.json'), 'utf8')) as Report).summary.findings;

    const { rows, retention } = await withPostgres(pgDir, async (db) => {
      // An enrolment registers the agency the results are stored for.
      await cli(['server', 'enrollment', 'create', '--agency', AGENCY, '--name', 'Benchmark', '--db', db]);
      const admin = await cli(['server', 'token', 'create', '--role', 'admin', '--db', db]);
      const soc = await cli(['server', 'token', 'create', '--role', 'soc', '--db', db]);
      const worker = await cli(['server', 'token', 'create', '--role', 'worker', '--db', db]);
      const socTokenFile = join(dir, 'soc.token');
      const workerTokenFile = join(dir, 'worker.token');
      await writeFile(socTokenFile, `${soc}\n`, { mode: 0o600 });
      await writeFile(workerTokenFile, `${worker}\n`, { mode: 0o600 });
      const server = await startServer(db);
      const client = new pg.Client({ connectionString: db });
      await client.connect();
      const out: CampaignRun[] = [];
      try {
        for (const n of WORKER_COUNTS) {
          out.push(
            await campaign(n, {
              server: server.url,
              admin,
              socTokenFile,
              workerTokenFile,
              caFile: farm.info.rootPem,
              targets: lab.targets,
              db: client,
            }),
          );
        }
      } finally {
        await client.end();
        await server.stop();
      }
      // With the workers and the server stopped: the retention figures have the machine to themselves.
      const figures: RetentionFigure[] = [];
      for (const n of RETENTION_SIZES) {
        const u = new URL(db);
        u.pathname = `/govscan_retention_${n}`;
        figures.push(await retentionFigure(u.toString(), n));
      }
      return { rows: out, retention: figures };
    });

    const one = rows.find((r) => r.workers === 1);
    console.log('');
    console.log('  workers  wall s  targets/s  vs 1 worker  done  dead  retried  reports stored  database growth/target');
    for (const r of rows) {
      const rate = TARGETS / r.seconds;
      console.log(
        `  ${String(r.workers).padStart(7)}  ${f2(r.seconds).padStart(6)}  ${f2(rate).padStart(9)}  ${one ? `${f2(one.seconds / r.seconds)}×`.padStart(11) : '-'.padStart(11)}  ${String(r.done).padStart(4)}  ${String(r.dead).padStart(4)}  ${String(r.retried).padStart(7)}  ${String(r.reports).padStart(14)}  ${`${(r.bytesPerTarget / 1024).toFixed(1)} KiB`.padStart(22)}`,
      );
    }
    console.log(
      `  govscan scan, same targets, --concurrency ${CONCURRENCY}: ${f2(direct)} s, ${f2(TARGETS / direct)} targets/s (findings: ${findings.pass} pass, ${findings.fail} fail, ${findings['not-tested']} not tested)`,
    );
    console.log('');
    console.log('  against the targets:');
    const four = rows.find((r) => r.workers === 4);
    if (one && four) {
      const speedup = one.seconds / four.seconds;
      console.log(`    4 workers vs 1: ${f2(speedup)}× vs ≥ ${TARGET_SPEEDUP}×${speedup >= TARGET_SPEEDUP ? ' (met)' : ' (not met)'}`);
    }
    if (one) {
      const overheadMs = ((one.seconds - direct) * 1000 * CONCURRENCY) / TARGETS;
      console.log(
        `    queue overhead per job (1 worker vs govscan scan, ${CONCURRENCY} at once): ${overheadMs.toFixed(0)} ms of a job slot (${f2((one.seconds / direct - 1) * 100)} % of the direct scan's time)`,
      );
    }
    for (const f of retention) {
      console.log(
        `  retention on PostgreSQL, ${f.reports} reports over 20 days (${(f.bytesPerReport / 1024).toFixed(1)} KiB each, findings included): the hourly --retain-days prune of the oldest day deleted ${f.pruned} in ${f1(f.pruneMs)} ms`,
      );
    }
    for (const r of rows) {
      if (r.reports !== r.done || r.done !== TARGETS)
        console.log(`    ${r.workers} worker(s): ${r.done} done, ${r.reports} reports stored for ${TARGETS} targets — expected one each!`);
    }
  } finally {
    await lab.close();
    farm.stop();
    await rm(pgDir, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
