// The embedded SQLite server runs campaigns with its own in-process worker pool: the same campaign of
// 300 lab targets as the PostgreSQL test completes with exactly one stored report per target and no
// `govscan worker` process at all (rows counted in the database file).

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignCreated } from '../../src/contract/campaign-api.js';
import { startCampaignLab, tokenFile, waitForCampaign, type CampaignLab } from '../helpers/campaign.js';
import { runCli } from '../helpers/cli.js';
import { enrollmentSecret, startServer, type ServerProcess } from '../helpers/server-process.js';

const AGENCY = 'so-tttt-nhung';

let dir: string;
let file: string;
let server: ServerProcess;
let lab: CampaignLab;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-campaign-sqlite-'));
  file = join(dir, 'server.db');
  lab = await startCampaignLab();
  server = await startServer(`sqlite:${file}`, 0, 30_000, ['--campaign-lease', '4', '--campaign-retry-delay', '1']);
  await enrollmentSecret(`sqlite:${file}`, AGENCY);
});

afterAll(async () => {
  await server?.kill();
  await lab?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('campaigns on the embedded SQLite server', () => {
  it('300 targets scanned by the in-process pool: exactly one report per target, no worker process', async () => {
    const soc = await tokenFile(`sqlite:${file}`, 'soc', join(dir, 'soc.token'));
    const list = join(dir, 'targets.txt');
    await writeFile(list, lab.targets('e', 300).join('\n') + '\n');
    const r = await runCli([
      'campaign',
      'create',
      '--server',
      server.url,
      '--token-file',
      soc,
      '--name',
      'Nhúng (300)',
      '--agency',
      AGENCY,
      '--targets-file',
      list,
      '--policy',
      'vn-ct02-2022-tls',
      '--timeout',
      '3000',
      // No worker flags here: the server's pool scans, so the campaign carries the pins.
      ...lab.resolve.flatMap((p) => ['--resolve', p]),
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const created = JSON.parse(r.stdout) as CampaignCreated;
    const token = (await readFile(soc, 'utf8')).trim();
    const detail = await waitForCampaign(
      () => server.url,
      token,
      created.campaign.id,
      (d) => Boolean(d.runs[0]?.finishedAt),
    );
    expect(detail.runs[0]?.counts).toMatchObject({ total: 300, done: 300, dead: 0 });

    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const jobs = db
        .prepare(`select count(*) as done, count(distinct batch_id) as batches from campaign_jobs where run_id = ? and state = 'done'`)
        .get(created.run?.id);
      expect(jobs).toEqual({ done: 300, batches: 300 });
      const stored = db
        .prepare(
          `select (select count(*) from batches where agency = ?) as n,
                  (select count(*) from batches b join campaign_jobs j on j.batch_id = b.batch_id where j.run_id = ?) as joined`,
        )
        .get(AGENCY, created.run?.id);
      expect(stored).toEqual({ n: 300, joined: 300 });
    } finally {
      db.close();
    }
  }, 600_000);
});
