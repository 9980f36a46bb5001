// Campaigns on PostgreSQL with `govscan worker` processes, end to end through the built CLI: a
// campaign of 300 lab targets scanned by three workers stores exactly one report per target although
// one worker is killed with SIGKILL and the server is restarted halfway (rows counted in the
// database); a target that never answers ends dead with its reason without holding up the rest; a
// cancelled campaign hands out nothing more; a worker with a bad token says so and stops.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignCreated, CampaignDetail } from '../../src/contract/campaign-api.js';
import {
  startCampaignLab,
  startWorker,
  stopWorker,
  tokenFile,
  waitForCampaign,
  type CampaignLab,
  type WorkerProcess,
} from '../helpers/campaign.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { enrollmentSecret, startServer, type ServerProcess } from '../helpers/server-process.js';

const AGENCY = 'so-tttt-chien-dich';
const OTHER = 'so-tttt-huy';
/** Short leases and retries: a killed worker's jobs come back in seconds, a dead letter in three quick attempts. */
const SERVER_FLAGS = ['--campaign-lease', '4', '--campaign-attempts', '3', '--campaign-retry-delay', '1'];
const PACK = 'vn-ct02-2022-tls';

let dir: string;
let db: TestDatabase;
let server: ServerProcess;
let lab: CampaignLab;
let workerTokenFile: string;
let socTokenFile: string;
let socToken: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-campaign-'));
  [db, lab] = await Promise.all([createTestDatabase('govscan_campaign'), startCampaignLab()]);
  server = await startServer(db.url, 0, 30_000, SERVER_FLAGS);
  // An agency exists once an enrolment secret was made for it.
  await Promise.all([enrollmentSecret(db.url, AGENCY), enrollmentSecret(db.url, OTHER)]);
  [workerTokenFile, socTokenFile] = await Promise.all([
    tokenFile(db.url, 'worker', join(dir, 'worker.token')),
    tokenFile(db.url, 'soc', join(dir, 'soc.token')),
  ]);
  socToken = (await readFile(socTokenFile, 'utf8')).trim();
});

afterAll(async () => {
  await Promise.all(workers.map((w) => stopWorker(w, 5000)));
  await server?.kill();
  await lab?.close();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function create(name: string, agency: string, args: readonly string[]): Promise<CampaignCreated> {
  const r = await runCli([
    'campaign',
    'create',
    '--server',
    server.url,
    '--token-file',
    socTokenFile,
    '--name',
    name,
    '--agency',
    agency,
    '--policy',
    PACK,
    '--json',
    ...args,
  ]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as CampaignCreated;
}

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

const doneCount = (d: CampaignDetail): number => d.runs[0]?.counts.done ?? 0;
const finished = (d: CampaignDetail): boolean => Boolean(d.runs[0]?.finishedAt);

describe('govscan worker with a PostgreSQL server', () => {
  it('300 targets, 3 worker processes, one killed with SIGKILL and the server restarted midway: exactly one report per target', async () => {
    const list = join(dir, 'targets.txt');
    await writeFile(list, `# 300 names of one lab endpoint\n${lab.targets('t', 300).join('\n')}\n`);
    const created = await create('Cổng tỉnh (300)', AGENCY, ['--targets-file', list, '--timeout', '3000']);
    expect(created.campaign.targetCount).toBe(300);
    const runId = created.run?.id;
    expect(runId).toBeTruthy();
    const id = created.campaign.id;

    for (const name of ['w1', 'w2', 'w3']) workers.push(startWorker(server.url, workerTokenFile, name, lab));
    await waitForCampaign(
      () => server.url,
      socToken,
      id,
      (d) => doneCount(d) >= 60,
    );
    const killed = workers[0] as WorkerProcess;
    killed.child.kill('SIGKILL');
    expect(await killed.exited).toBeNull();

    await waitForCampaign(
      () => server.url,
      socToken,
      id,
      (d) => doneCount(d) >= 150,
    );
    await server.kill('SIGTERM');
    server = await startServer(db.url, server.port, 30_000, SERVER_FLAGS);

    const detail = await waitForCampaign(() => server.url, socToken, id, finished);
    expect(detail.runs[0]?.counts).toMatchObject({ total: 300, done: 300, dead: 0, queued: 0, running: 0, failed: 0 });
    // Both surviving workers stop cleanly on SIGTERM and said what they delivered.
    for (const w of workers.slice(1)) {
      expect(await stopWorker(w)).toBe(0);
      expect(w.stderr()).toMatch(/govscan-worker: worker w[23] stopped: \d+ results? delivered/);
    }
    // The server went away and came back: the workers waited for it rather than giving up.
    expect(workers.slice(1).some((w) => /trying again in/.test(w.stderr()))).toBe(true);

    // In the database: 300 jobs done, 300 distinct batches, each stored once, all of the agency.
    const [jobs] = await query<{ done: string; batches: string }>(
      `select count(*) filter (where state = 'done') as done, count(distinct batch_id) as batches from campaign_jobs where run_id = $1`,
      [runId],
    );
    expect(jobs).toEqual({ done: '300', batches: '300' });
    const [stored] = await query<{ n: string; joined: string }>(
      `select (select count(*) from batches where agency = $1) as n,
              (select count(*) from batches b join campaign_jobs j on j.batch_id = b.batch_id where j.run_id = $2) as joined`,
      [AGENCY, runId],
    );
    expect(stored).toEqual({ n: '300', joined: '300' });

    // What an operator sees.
    const shown = await runCli(['campaign', 'show', id, '--server', server.url, '--token-file', socTokenFile]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('300/300 done');
    // The killed worker's jobs came back when their lease ended and were done by another: listed with that reason, none dead.
    expect(detail.failures.every((f) => f.state === 'done')).toBe(true);
    expect(shown.stdout).toMatch(/done +\d+ +lease expired: worker w1 did not answer within 4 s/);
    const listed = await runCli(['campaign', 'list', '--server', server.url, '--token-file', socTokenFile], {
      env: { GOVSCAN_LANG: 'vi' },
    });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/Cổng tỉnh \(300\).*300\/300 xong, 0 bỏ cuộc/);
  }, 600_000);

  it('a target that never answers ends dead with its reason without holding up the campaign; a cancelled campaign hands out nothing', async () => {
    const good = lab.targets('d', 8);
    const created = await create('Có một đích im lặng', AGENCY, ['--timeout', '1000', lab.silentTarget, ...good]);
    const id = created.campaign.id;
    // SIGTERM once the server handed out a job: no new claim; what was handed out is finished and handed in, exit 0
    // (the count in the stop line may be 0 when the claim's answer is still on its way: its jobs are run all the same).
    const first = startWorker(server.url, workerTokenFile, 'w-term', lab);
    workers.push(first);
    await waitForCampaign(
      () => server.url,
      socToken,
      id,
      (d) => (d.runs[0]?.counts.running ?? 0) > 0,
    );
    expect(await stopWorker(first)).toBe(0);
    expect(first.stderr()).toMatch(/received SIGTERM: no new jobs; finishing the \d+ running jobs?\n(.*\n)*.*worker w-term stopped: /);
    const handedIn = /stopped: (\d+) results? delivered, (\d+) failures? reported/.exec(first.stderr());
    expect(Number(handedIn?.[1]) + Number(handedIn?.[2])).toBeGreaterThan(0);

    const worker = startWorker(server.url, workerTokenFile, 'w-dead', lab);
    workers.push(worker);
    const detail = await waitForCampaign(() => server.url, socToken, id, finished);
    expect(detail.runs[0]?.counts).toMatchObject({ total: 9, done: 8, dead: 1 });
    // Dead ones come first; a good target that needed a retry on a busy machine may be listed after it, done.
    expect(detail.failures.filter((f) => f.state === 'dead')).toHaveLength(1);
    expect(detail.failures[0]).toMatchObject({ target: lab.silentTarget, state: 'dead', attempts: 3 });
    expect(detail.failures[0]?.reason).toBe('no probe of the target could gather facts: tls.endpoint: no TLS handshake within 1000 ms');
    const shown = await runCli(['campaign', 'show', id, '--server', server.url, '--token-file', socTokenFile, '--lang', 'vi']);
    expect(shown.stdout).toContain('8/9 xong');
    expect(shown.stdout).toMatch(/silent\.bench\.farm\.test.*bỏ cuộc\s+3\s+no probe/);

    // Cancelled before a worker takes anything: its 40 jobs are cancelled, none is scanned.
    expect(await stopWorker(worker)).toBe(0);
    const later = await create('Hủy trước khi quét', OTHER, lab.targets('x', 40));
    const cancelled = await runCli(['campaign', 'cancel', later.campaign.id, '--server', server.url, '--token-file', socTokenFile]);
    expect(cancelled.stderr).toBe('');
    expect(cancelled.stdout).toContain('40 queued jobs will not be scanned');
    const idle = startWorker(server.url, workerTokenFile, 'w-idle', lab, ['--exit-when-idle']);
    expect(await idle.exited).toBe(0);
    expect(idle.stderr()).toContain('no job waiting: worker w-idle exits');
    const after = await waitForCampaign(
      () => server.url,
      socToken,
      later.campaign.id,
      () => true,
    );
    expect(after.campaign.status).toBe('cancelled');
    expect(after.runs[0]?.counts).toMatchObject({ total: 40, cancelled: 40, done: 0 });
    const [n] = await query<{ n: string }>('select count(*) as n from batches where agency = $1', [OTHER]);
    expect(n?.n).toBe('0');
  }, 300_000);

  it('a worker whose token is refused says how to get one and exits 3; a file that holds no token is FILE: … and exit 2', async () => {
    const viewer = await tokenFile(db.url, 'viewer', join(dir, 'viewer.token'));
    const refused = startWorker(server.url, viewer, 'w-viewer', lab);
    expect(await refused.exited).toBe(3);
    expect(refused.stderr()).toMatch(/refused the worker token \(40[13]\): create one with `govscan server token create --role worker`/);

    const junk = join(dir, 'junk.token');
    await writeFile(junk, 'two words\n');
    const r = await runCli(['worker', '--server', server.url, '--token-file', junk]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${junk}: not a token file: it must hold the one line \`govscan server token create\` printed\n`);
    const vi = await runCli(['worker', '--server', server.url, '--token-file', junk], { env: { GOVSCAN_LANG: 'vi' } });
    expect(vi.stderr).toContain('không phải tệp token');
  }, 120_000);
});
