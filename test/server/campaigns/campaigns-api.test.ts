// Campaigns end to end through fastify inject, on SQLite (the jobs-table queue) and on PostgreSQL
// (pg-boss): a worker loop calls the worker routes as `govscan worker` does. Covered: role and agency
// checks, the per-address limit, results stored exactly once (resubmissions and late results of an
// expired attempt are duplicates), retries with backoff, the dead state with its reason, lease
// expiry, cancel, a schedule starting a run at its cron time on a moved clock, and a restart.
// On SQLite time is the server clock (moved); pg-boss judges retry delays and expiry by the
// database's clock, so there the test polls (bounded) instead.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/server/app.js';
import { createApiToken, createEnrollment } from '../../../src/server/admin.js';
import { openStore, type KyselyStore } from '../../../src/server/store/index.js';
import { CampaignRuntime } from '../../../src/server/campaigns/runtime.js';
import { fixtureReport } from '../../../src/lab/fleet-seed.js';
import type { Report } from '../../../src/core/types.js';
import type {
  CampaignCancelled,
  CampaignCreated,
  CampaignDetail,
  CampaignRow,
  ClaimResponse,
  ClaimedJob,
  JobFailAck,
  JobHeartbeatAck,
  JobResultAck,
} from '../../../src/contract/campaign-api.js';
import type { Page } from '../../../src/contract/read-api.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';

const SETTINGS = { maxAttempts: 3, leaseSeconds: 3, retryDelaySeconds: 1, retryDelayMaxSeconds: 2, perAddress: 2 };

/** A small real report (the fixture's first target) for a worker to hand back. */
const REPORT: Report = (() => {
  const r = fixtureReport();
  const key = r.targets[0]?.key;
  r.targets = r.targets.filter((t) => t.key === key);
  r.findings = r.findings.filter((f) => f.target === key);
  r.attempts = r.attempts.filter((a) => a.target === key);
  r.ipv6Scores = [];
  return r;
})();

describe.each(['sqlite', 'postgres'] as const)('campaigns on %s', (dialect) => {
  let tmp: string;
  let url: string;
  let pg: TestDatabase | undefined;
  let store: KyselyStore;
  let runtime: CampaignRuntime;
  let app: FastifyInstance;
  /** The server clock: real time plus what the test moved it by. */
  let offsetMs = 0;
  const now = (): Date => new Date(Date.now() + offsetMs);
  const tokens = {} as Record<'admin' | 'soc' | 'socA' | 'viewerB' | 'viewer' | 'worker', string>;

  const start = async (): Promise<void> => {
    store = await openStore(url);
    await store.migrate();
    runtime = new CampaignRuntime({ store, dbUrl: url, settings: SETTINGS, now, timer: false });
    await runtime.start();
    app = buildApp({ store, now, dashboard: false, campaigns: runtime.service });
    await app.ready();
  };
  const stop = async (): Promise<void> => {
    await app?.close();
    await runtime?.stop();
    await store?.close();
  };

  const call = async <T>(method: 'GET' | 'POST', path: string, token: string, payload?: object) => {
    const res = await app.inject({
      method,
      url: path,
      headers: { authorization: `Bearer ${token}` },
      ...(payload !== undefined ? { payload } : method === 'POST' ? { payload: {} } : {}),
    });
    return { status: res.statusCode, body: res.json<T>() };
  };
  const ok = async <T>(method: 'GET' | 'POST', path: string, token: string, payload?: object): Promise<T> => {
    const res = await call<T>(method, path, token, payload);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body).slice(0, 400)}`).toBeLessThan(300);
    return res.body;
  };
  const create = (body: object, token = tokens.soc) => ok<CampaignCreated>('POST', '/api/v1/campaigns', token, body);
  const claim = async (max = 10, worker = 'w1'): Promise<ClaimedJob[]> =>
    (await ok<ClaimResponse>('POST', '/api/v1/worker/jobs/claim', tokens.worker, { worker, max })).jobs;
  const result = (job: ClaimedJob, attempt = job.attempt) =>
    call<JobResultAck>('POST', `/api/v1/worker/jobs/${job.id}/result`, tokens.worker, { attempt, report: REPORT });
  const fail = (job: ClaimedJob, reason: string, retryable = true, attempt = job.attempt) =>
    ok<JobFailAck>('POST', `/api/v1/worker/jobs/${job.id}/fail`, tokens.worker, { attempt, reason, retryable });
  const show = (id: string, token = tokens.soc) => ok<CampaignDetail>('GET', `/api/v1/campaigns/${id}`, token);
  const batches = async (): Promise<number> =>
    Number(
      (
        await store.db
          .selectFrom('batches')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  /**
   * Claims until `want` jobs of `campaignId` come back. SQLite: the server clock moves 5 s per try
   * (backoff and leases are judged by it); PostgreSQL: pg-boss judges them by the database's clock,
   * so each try waits a quarter second. Bounded either way.
   */
  const claimOf = async (campaignId: string, want: number): Promise<ClaimedJob[]> => {
    const got: ClaimedJob[] = [];
    for (let i = 0; i < 80 && got.length < want; i++) {
      got.push(...(await claim(want - got.length)).filter((j) => j.campaignId === campaignId));
      if (got.length >= want) break;
      if (dialect === 'sqlite') offsetMs += 5_000;
      else await new Promise((r) => setTimeout(r, 250));
    }
    return got;
  };

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'govscan-campaigns-'));
    url = `sqlite:${join(tmp, 'govscan.db')}`;
    if (dialect === 'postgres') {
      pg = await createTestDatabase('govscan_campaigns');
      url = pg.url;
    }
    await start();
    for (const agency of ['so-a', 'so-b']) await createEnrollment(store, { agency }, now());
    tokens.admin = (await createApiToken(store, 'admin')).token;
    tokens.soc = (await createApiToken(store, 'soc', 'SOC tỉnh')).token;
    tokens.socA = (await createApiToken(store, 'soc', 'IT so-a', 'so-a')).token;
    tokens.viewerB = (await createApiToken(store, 'viewer', 'IT so-b', 'so-b')).token;
    tokens.viewer = (await createApiToken(store, 'viewer')).token;
    tokens.worker = (await createApiToken(store, 'worker', 'scanner-1')).token;
  });

  afterAll(async () => {
    await stop();
    await pg?.drop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('confines each token to its role and agency', async () => {
    const body = { name: 'Cổng A', targets: ['https://portal.so-a.test/'] };
    expect((await call('POST', '/api/v1/campaigns', tokens.viewer, { ...body, agency: 'so-a' })).status).toBe(403);
    expect((await call('POST', '/api/v1/campaigns', tokens.worker, { ...body, agency: 'so-a' })).status).toBe(403);
    const other = await call<{ error: string; localized: { en: string; vi: string } }>('POST', '/api/v1/campaigns', tokens.socA, {
      ...body,
      agency: 'so-b',
    });
    expect(other.status).toBe(403);
    expect(other.body.localized.vi).toContain('so-a');
    // A scoped soc token's campaign is its agency's, named or not.
    const own = await create(body, tokens.socA);
    expect(own.campaign.agency).toBe('so-a');
    expect(own.campaign.createdBy).not.toBe('');

    // so-b's IT sees none of so-a's campaigns, and is told "not found" rather than "forbidden".
    const listedB = await ok<Page<CampaignRow>>('GET', '/api/v1/campaigns', tokens.viewerB);
    expect(listedB.items.map((c) => c.id)).not.toContain(own.campaign.id);
    expect((await call('GET', `/api/v1/campaigns/${own.campaign.id}`, tokens.viewerB)).status).toBe(404);
    expect((await call('GET', '/api/v1/campaigns?agency=so-a', tokens.viewerB)).status).toBe(404);
    expect((await call('POST', `/api/v1/campaigns/${own.campaign.id}/cancel`, tokens.viewerB)).status).toBe(403);
    // Fleet-wide readers and the creator see it; workers read nothing, soc tokens read no fleet data.
    expect((await ok<Page<CampaignRow>>('GET', '/api/v1/campaigns', tokens.viewer)).items.map((c) => c.id)).toContain(own.campaign.id);
    expect((await show(own.campaign.id, tokens.socA)).campaign.name).toBe('Cổng A');
    expect((await call('GET', '/api/v1/campaigns', tokens.worker)).status).toBe(403);
    expect((await call('GET', '/api/v1/overview', tokens.soc)).status).toBe(403);
    expect((await call('POST', '/api/v1/worker/jobs/claim', tokens.soc, { worker: 'x', max: 1 })).status).toBe(403);
    // Leave nothing queued for the tests below.
    await ok('POST', `/api/v1/campaigns/${own.campaign.id}/cancel`, tokens.socA);
  });

  it('refuses bad campaigns with the reason in English and Vietnamese', async () => {
    const cases: [object, string][] = [
      [{ name: 'x', agency: 'so-a', targets: ['https://ok.test/', 'ftp://nope.test/'] }, 'body/targets/1'],
      [{ name: 'x', agency: 'so-a', targets: ['a.test:443'], schedule: '61 * * * *' }, 'body/schedule'],
      [{ name: 'x', agency: 'so-a', targets: ['a.test:443'], schedule: '0 2 * *' }, 'body/schedule'],
      [{ name: 'x', agency: 'so-a', targets: ['a.test:443'], inventory: 'systems: []' }, 'body'],
      [{ name: 'x', targets: ['a.test:443'] }, 'body/agency'],
      [{ name: 'x', agency: 'so-a', targets: ['a.test:443'], options: { policies: ['no-such-pack'] } }, 'body/options/policies/0'],
      [{ name: 'x', agency: 'so-a', targets: ['a.test:443'], options: { resolve: ['a.test:443:not-an-ip'] } }, 'body/options/resolve/0'],
      [
        { name: 'x', agency: 'so-a', inventory: 'agency: so-a\nsystems:\n  - id: s1\n    endpoints: ["gopher://x.test"]\n' },
        'body/inventory',
      ],
    ];
    for (const [body, where] of cases) {
      const res = await call<{ error: string; message: string; localized?: { en: string; vi: string } }>(
        'POST',
        '/api/v1/campaigns',
        tokens.soc,
        body,
      );
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message.startsWith(where), res.body.message).toBe(true);
      expect(res.body.localized?.vi.startsWith(where), JSON.stringify(res.body)).toBe(true);
      expect(res.body.localized?.vi).not.toBe(res.body.localized?.en);
    }
    // Unknown fields and oversized lists are refused by the schema before anything is queued.
    expect(
      (await call('POST', '/api/v1/campaigns', tokens.soc, { name: 'x', agency: 'so-a', targets: ['a.test:443'], extra: 1 })).status,
    ).toBe(400);
    expect((await ok<Page<CampaignRow>>('GET', '/api/v1/campaigns', tokens.soc)).items.filter((c) => c.name === 'x')).toEqual([]);
  });

  it('hands jobs out within the per-address limit and stores each result exactly once', async () => {
    const targets = ['https://a.test/', 'a.test:8443', 'smtp://a.test', 'https://b.test/', 'b.test:8443', 'smtp://b.test'];
    const { campaign, run } = await create({ name: 'Hai cổng', agency: 'so-b', targets, options: { policies: ['vn-ct02-2022-tls'] } });
    expect(run?.counts).toMatchObject({ total: 6, queued: 6 });
    const before = await batches();

    // At most two jobs per address run at once, across every worker.
    const first = await claim(10, 'w1');
    expect(first.length).toBe(4);
    expect(first.filter((j) => j.target.includes('a.test')).length).toBe(2);
    expect(await claim(10, 'w2')).toEqual([]);
    expect(first[0]?.options).toEqual({ policies: ['vn-ct02-2022-tls'] });
    expect(first[0]).toMatchObject({ agency: 'so-b', attempt: 1, system: null, leaseSeconds: SETTINGS.leaseSeconds });

    for (const job of first) expect((await result(job)).status).toBe(201);
    // The same result again (a worker retrying its POST) is a duplicate, never a second report.
    const again = await result(first[0] as ClaimedJob);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('duplicate');

    const rest = await claimOf(campaign.id, 2);
    expect(rest.length).toBe(2);
    for (const job of rest) expect((await result(job)).body.status).toBe('stored');

    expect((await batches()) - before).toBe(6);
    const detail = await show(campaign.id);
    expect(detail.runs[0]?.counts).toMatchObject({ total: 6, done: 6, queued: 0, running: 0, retried: 0 });
    expect(detail.runs[0]?.finishedAt).not.toBeNull();
    expect(detail.batches.length).toBe(6);
    // The results are so-b's reports: the fleet views show them like agents' batches.
    const agents = await ok<Page<{ id: string; agency: string }>>('GET', '/api/v1/agents?agency=so-b', tokens.viewer);
    expect(agents.items.filter((a) => a.id.startsWith(`campaign:${campaign.id}:`)).length).toBe(6);
  });

  it('retries a failing target with backoff, then leaves it dead with its reason without holding up the others', async () => {
    const { campaign } = await create({ name: 'Hết giờ', agency: 'so-a', targets: ['https://slow.test/', 'https://fine.test/'] });
    const both = await claimOf(campaign.id, 2);
    const slow = both.find((j) => j.target.includes('slow')) as ClaimedJob;
    const fine = both.find((j) => j.target.includes('fine')) as ClaimedJob;
    expect((await result(fine)).body.status).toBe('stored');

    let job = slow;
    for (let attempt = 1; attempt <= SETTINGS.maxAttempts; attempt++) {
      expect(job.attempt).toBe(attempt);
      const ack = await fail(job, `timed out after 5000 ms (attempt ${attempt})`);
      if (attempt < SETTINGS.maxAttempts) {
        expect(ack.state).toBe('failed');
        expect(Date.parse(ack.retryAt ?? '')).toBeGreaterThan(now().getTime() - 1000);
        // Not handed out again before its backoff (SQLite: the clock has not moved).
        if (dialect === 'sqlite') expect((await claim()).filter((j) => j.id === job.id)).toEqual([]);
        [job] = (await claimOf(campaign.id, 1)) as [ClaimedJob];
        expect(job.id).toBe(slow.id);
      } else {
        expect(ack.state).toBe('dead');
      }
    }
    const detail = await show(campaign.id);
    expect(detail.runs[0]?.counts).toMatchObject({ total: 2, done: 1, dead: 1, retried: 1 });
    expect(detail.runs[0]?.finishedAt).not.toBeNull();
    expect(detail.failures).toEqual([
      {
        jobId: slow.id,
        runId: slow.runId,
        target: 'https://slow.test/',
        state: 'dead',
        attempts: 3,
        reason: 'timed out after 5000 ms (attempt 3)',
      },
    ]);

    // A failure that retrying cannot fix is dead at once.
    const { campaign: c2 } = await create({ name: 'Sai', agency: 'so-a', targets: ['https://gone.test/'] });
    const [gone] = (await claimOf(c2.id, 1)) as [ClaimedJob];
    expect((await fail(gone, 'no such host: gone.test', false)).state).toBe('dead');
    expect((await show(c2.id)).failures[0]).toMatchObject({ state: 'dead', attempts: 1, reason: 'no such host: gone.test' });
  });

  it('returns the job of a worker that went silent, and keeps the one result whichever attempt delivers it', async () => {
    const { campaign } = await create({ name: 'Mất kết nối', agency: 'so-a', targets: ['https://lost.test/'] });
    const [held] = (await claimOf(campaign.id, 1)) as [ClaimedJob];
    // The holder never answers: once its lease ends the job is handed out again.
    const [again] = (await claimOf(campaign.id, 1)) as [ClaimedJob];
    expect(again.id).toBe(held.id);
    expect(again.attempt).toBe(2);
    // The first attempt is stale now: its failure and heartbeat are ignored…
    expect((await fail(held, 'late failure')).state).toBe('ignored');
    const hb = await ok<JobHeartbeatAck>('POST', `/api/v1/worker/jobs/${held.id}/heartbeat`, tokens.worker, { attempt: 1 });
    expect(hb.held).toBe(false);
    const hb2 = await ok<JobHeartbeatAck>('POST', `/api/v1/worker/jobs/${again.id}/heartbeat`, tokens.worker, { attempt: 2 });
    expect(hb2.held).toBe(true);
    // …but its result, arriving late, is the scan's result: stored once; the second attempt's is a duplicate.
    const before = await batches();
    expect((await result(held)).body.status).toBe('stored');
    expect((await result(again)).body.status).toBe('duplicate');
    expect((await batches()) - before).toBe(1);
    const detail = await show(campaign.id);
    expect(detail.runs[0]?.counts).toMatchObject({ total: 1, done: 1, retried: 1 });
    expect(detail.failures[0]?.reason).toMatch(/^lease expired: worker w1 did not answer/);
    // A result for an attempt never handed out is refused.
    expect((await result(again, 9)).status).toBe(409);
    expect((await call('POST', '/api/v1/worker/jobs/nope:0/result', tokens.worker, { attempt: 1, report: REPORT })).status).toBe(404);
  });

  it('stops handing out the jobs of a cancelled campaign', async () => {
    const { campaign } = await create({
      name: 'Hủy',
      agency: 'so-a',
      targets: ['https://c1.test/', 'https://c2.test/', 'https://c3.test/', 'https://c4.test/'],
    });
    const [taken] = (await claimOf(campaign.id, 1)) as [ClaimedJob];
    const cancelled = await ok<CampaignCancelled>('POST', `/api/v1/campaigns/${campaign.id}/cancel`, tokens.soc);
    expect(cancelled.cancelledJobs).toBe(3);
    expect(cancelled.campaign.status).toBe('cancelled');
    expect((await call('POST', `/api/v1/campaigns/${campaign.id}/cancel`, tokens.soc)).status).toBe(409);
    if (dialect === 'sqlite') offsetMs += 60_000;
    expect((await claim(10)).filter((j) => j.campaignId === campaign.id)).toEqual([]);
    // The scan already under way still delivers its result.
    expect((await result(taken)).body.status).toBe('stored');
    const detail = await show(campaign.id);
    expect(detail.runs[0]?.counts).toMatchObject({ total: 4, done: 1, cancelled: 3 });
    expect(detail.runs[0]?.finishedAt).not.toBeNull();
  });

  it('starts a scheduled run at its cron time on the server clock, once', async () => {
    const created = await create({ name: 'Hằng đêm', agency: 'so-a', targets: ['https://night.test/'], schedule: '0 2 * * *' });
    expect(created.run).toBeNull();
    const at = Date.parse(created.campaign.nextRunAt ?? '');
    expect(new Date(at).toISOString()).toMatch(/T02:00:00\.000Z$/);
    expect(await runtime.service.tick()).toEqual([]);
    offsetMs += at - now().getTime() + 1000;
    const started = await runtime.service.tick();
    expect(started.length).toBe(1);
    expect(await runtime.service.tick()).toEqual([]);
    const detail = await show(created.campaign.id);
    expect(detail.runs.map((r) => r.startedAt)).toEqual([new Date(at).toISOString()]);
    expect(detail.campaign.nextRunAt).toBe(new Date(at + 86_400_000).toISOString());
    const [job] = (await claimOf(created.campaign.id, 1)) as [ClaimedJob];
    expect(job.target).toBe('https://night.test/');
    expect((await result(job)).body.status).toBe('stored');
    await ok('POST', `/api/v1/campaigns/${created.campaign.id}/cancel`, tokens.soc);
  });

  it('queues an inventory: one job per endpoint and domain, each with its system', async () => {
    const inventory = [
      'agency: so-a',
      'systems:',
      '  - id: cong-dvc',
      '    name: Cổng dịch vụ công',
      '    level: 3',
      '    domain: dichvucong.so-a.test',
      '    endpoints: ["https://dichvucong.so-a.test/", "smtp://mail.so-a.test"]',
      '',
    ].join('\n');
    const { campaign, run } = await create({ name: 'Danh mục', inventory });
    expect(campaign).toMatchObject({ agency: 'so-a', source: 'inventory', targetCount: 3 });
    expect(run?.counts.total).toBe(3);
    const jobs = await claimOf(campaign.id, 3);
    expect(jobs.map((j) => j.target).sort()).toEqual(['dichvucong.so-a.test', 'https://dichvucong.so-a.test/', 'smtp://mail.so-a.test']);
    expect(jobs[0]?.system).toMatchObject({ id: 'cong-dvc', name: 'Cổng dịch vụ công', level: 3 });
    for (const j of jobs) await result(j);
    // so-a's IT may not queue another agency's inventory.
    const res = await call('POST', '/api/v1/campaigns', tokens.socA, {
      name: 'x',
      inventory: inventory.replace('agency: so-a', 'agency: so-b'),
    });
    expect(res.status).toBe(403);
  });

  it('keeps jobs and progress across a server restart and resumes handing them out', async () => {
    const { campaign } = await create({
      name: 'Khởi động lại',
      agency: 'so-b',
      targets: ['https://r1.test/', 'https://r2.test/', 'https://r3.test/'],
    });
    const [first] = (await claimOf(campaign.id, 1)) as [ClaimedJob];
    expect((await result(first)).body.status).toBe('stored');
    await stop();
    await start();
    const detail = await show(campaign.id);
    expect(detail.runs[0]?.counts).toMatchObject({ total: 3, done: 1, queued: 2 });
    const rest = await claimOf(campaign.id, 2);
    expect(rest.map((j) => j.id).sort()).toEqual(detail.runs[0] ? [`${detail.runs[0].id}:1`, `${detail.runs[0].id}:2`] : []);
    for (const j of rest) expect((await result(j)).body.status).toBe('stored');
    // The first job's result sent again after the restart is still a duplicate.
    expect((await result(first)).body.status).toBe('duplicate');
    expect((await show(campaign.id)).runs[0]?.counts).toMatchObject({ total: 3, done: 3 });
  });
});
