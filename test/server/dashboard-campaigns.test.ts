// The dashboard's campaign pages in Debian's headless Chromium, on a real server (SQLite store, the
// campaign service with its jobs-table queue) where a worker — the worker routes, called as
// `govscan worker` calls them — has left a campaign half done: results stored, one target dead with
// its reason, one waiting for a retry, one being scanned, one still queued. Beside it a scheduled
// campaign with no run yet and a cancelled one. Checked: the list shows each campaign's latest-run
// progress as the API counts it, the campaign page lists failures dead first with their reasons and
// the results under the campaign's agency (a link to its page); an agency's own viewer who has no
// campaign is told how to create one, with this server's address; every campaign view × {desktop,
// phone} × {English, Vietnamese} has no serious axe violation, no overflow and a header of at most
// two rows. Screenshots go to test-artifacts/dashboard-campaigns/.

import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createApiToken } from '../../src/server/admin.js';
import { CampaignRuntime } from '../../src/server/campaigns/runtime.js';
import { openStore, type KyselyStore } from '../../src/server/store/store.js';
import { fixtureReport, loadFleet, seedFleet, type Fleet } from '../../src/lab/fleet-seed.js';
import { launchChromium } from '../../src/lab/browser.js';
import type { Report } from '../../src/core/types.js';
import type { CampaignCreated, CampaignDetail, CampaignRow, ClaimResponse } from '../../src/contract/campaign-api.js';
import type { Page as ApiPage } from '../../src/contract/read-api.js';
import { lastNoonUtc } from '../helpers/dashboard-lab.js';

declare const document: {
  body: { dataset: Record<string, string | undefined> };
  documentElement: { scrollWidth: number };
  querySelectorAll(selector: string): { getBoundingClientRect(): { top: number; width: number; height: number } }[];
};
declare const window: { innerWidth: number };
declare const axe: {
  run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }>;
};

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/dashboard-campaigns/', import.meta.url));
const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DESKTOP = { width: 1400, height: 900 };
const PHONE = { width: 360, height: 780 };
const DEAD_REASON = 'connect ETIMEDOUT 127.0.0.1:443: no answer within 5000 ms (3 probes)';
const RETRY_REASON = 'TLS handshake reset by the peer';

/** A small real report (the fixture's first target), as a worker hands one back. */
const REPORT: Report = (() => {
  const r = fixtureReport();
  const key = r.targets[0]?.key;
  r.targets = r.targets.filter((t) => t.key === key);
  r.findings = r.findings.filter((f) => f.target === key);
  r.attempts = r.attempts.filter((a) => a.target === key);
  r.ipv6Scores = [];
  return r;
})();

let dir: string;
let store: KyselyStore;
let runtime: CampaignRuntime;
let app: FastifyInstance;
let browser: Browser;
let base: string;
let fleet: Fleet;
const tokens = {} as Record<'viewer' | 'soc' | 'worker' | 'ownViewer', string>;
/** The campaign a worker left half done, the scheduled one and the cancelled one. */
const ids = { half: '', scheduled: '', cancelled: '' };
let agency: string;
const problems: string[] = [];

async function call<T>(method: 'GET' | 'POST', path: string, token: string, payload?: object): Promise<T> {
  const res = await app.inject({ method, url: path, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${res.body}`);
  return res.json<T>();
}

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  dir = await mkdtemp(join(tmpdir(), 'govscan-dashboard-campaigns-'));
  store = await openStore(`sqlite:${join(dir, 'govscan.db')}`);
  await store.migrate();
  fleet = seedFleet({ now: lastNoonUtc(), agencies: 2, agentsPerAgency: 1, days: 2 });
  await loadFleet(store, fleet);
  agency = fleet.agencies[0]!.id;
  runtime = new CampaignRuntime({
    store,
    dbUrl: `sqlite:${join(dir, 'govscan.db')}`,
    settings: { maxAttempts: 3, leaseSeconds: 600, retryDelaySeconds: 600, retryDelayMaxSeconds: 600, perAddress: 8 },
    timer: false,
  });
  await runtime.start();
  app = buildApp({ store, campaigns: runtime.service });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}/`;
  tokens.viewer = (await createApiToken(store, 'viewer')).token;
  tokens.soc = (await createApiToken(store, 'soc', 'SOC tỉnh')).token;
  tokens.worker = (await createApiToken(store, 'worker', 'scanner-1')).token;
  tokens.ownViewer = (await createApiToken(store, 'viewer', 'IT', fleet.agencies[1]!.id)).token;

  // Half done: 3 results stored, 1 dead, 1 waiting for a retry, 1 being scanned, 2 still queued.
  const targets = Array.from({ length: 8 }, (_, i) => `https://cong-${i + 1}.${agency}.test/`);
  const half = await call<CampaignCreated>('POST', '/api/v1/campaigns', tokens.soc, { name: 'Cổng thông tin các sở', agency, targets });
  ids.half = half.campaign.id;
  const { jobs } = await call<ClaimResponse>('POST', '/api/v1/worker/jobs/claim', tokens.worker, { worker: 'scan-01', max: 6 });
  expect(jobs.length).toBe(6);
  for (const job of jobs.slice(0, 3)) {
    await call('POST', `/api/v1/worker/jobs/${job.id}/result`, tokens.worker, { attempt: job.attempt, report: REPORT });
  }
  const [dead, retry] = jobs.slice(3, 5);
  await call('POST', `/api/v1/worker/jobs/${dead!.id}/fail`, tokens.worker, {
    attempt: dead!.attempt,
    reason: DEAD_REASON,
    retryable: false,
  });
  await call('POST', `/api/v1/worker/jobs/${retry!.id}/fail`, tokens.worker, {
    attempt: retry!.attempt,
    reason: RETRY_REASON,
    retryable: true,
  });

  const scheduled = await call<CampaignCreated>('POST', '/api/v1/campaigns', tokens.soc, {
    name: 'Quét hằng tuần',
    agency,
    targets: [`mail.${agency}.test:25`],
    schedule: '0 2 * * 1',
  });
  ids.scheduled = scheduled.campaign.id;
  const cancelled = await call<CampaignCreated>('POST', '/api/v1/campaigns', tokens.soc, {
    name: 'Thử nghiệm đã hủy',
    agency,
    targets: [`https://thu.${agency}.test/`],
  });
  ids.cancelled = cancelled.campaign.id;
  await call('POST', `/api/v1/campaigns/${ids.cancelled}/cancel`, tokens.soc, {});
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await runtime?.stop();
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function signedIn(
  viewport: { width: number; height: number },
  token = tokens.viewer,
  hash = '#/campaigns',
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(15_000);
  await context.route(
    (url) => !url.href.startsWith(base),
    (route) => {
      problems.push(`off-loopback request: ${route.request().url()}`);
      return route.abort();
    },
  );
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await page.goto(`${base}#token=${encodeURIComponent(token)}&${hash.slice(1)}`);
  await ready(page, hash.startsWith('#/campaign/') ? 'campaign' : 'campaigns');
  return { context, page };
}

async function ready(page: Page, view: string): Promise<void> {
  await page.waitForFunction((v) => document.body.dataset.state === 'ready' && document.body.dataset.view === v, view, { timeout: 20_000 });
}

async function show(page: Page, hash: string, view: string): Promise<void> {
  await page.evaluate((h) => {
    (globalThis as unknown as { location: { hash: string } }).location.hash = h;
  }, hash);
  await ready(page, view);
}

describe('SOC dashboard campaign pages', () => {
  it('lists every campaign with its latest run counted as the API counts it', async () => {
    const listed = (await call<ApiPage<CampaignRow>>('GET', '/api/v1/campaigns', tokens.viewer)).items;
    const half = listed.find((c) => c.id === ids.half)!;
    expect(half.latestRun?.counts).toMatchObject({ total: 8, done: 3, dead: 1, failed: 1, running: 1, queued: 2 });
    const { context, page } = await signedIn(DESKTOP);
    expect(await page.locator('#campaigns tbody tr').evaluateAll((els) => els.map((e) => e.getAttribute('data-campaign')))).toEqual(
      listed.map((c) => c.id),
    );
    const row = page.locator(`#campaigns tr[data-campaign="${ids.half}"]`);
    expect(await row.locator('.progress').getAttribute('data-done')).toBe('3');
    expect(await row.locator('.progress').getAttribute('data-total')).toBe('8');
    for (const [state, n] of [
      ['running', 1],
      ['queued', 2],
      ['failed', 1],
      ['dead', 1],
    ] as const) {
      expect(await row.locator(`li[data-state="${state}"] strong`).innerText(), state).toBe(String(n));
    }
    expect(await row.getAttribute('data-level')).toBe('info');
    expect(await page.locator('#tile-dead').getAttribute('class')).toContain('bad');
    expect(await page.locator('#tile-dead .tile-value').innerText()).toContain('1');
    const scheduled = page.locator(`#campaigns tr[data-campaign="${ids.scheduled}"]`);
    expect(await scheduled.innerText()).toContain('0 2 * * 1');
    expect(await scheduled.locator('.progress').count()).toBe(0);
    expect(await page.locator(`#campaigns tr[data-campaign="${ids.cancelled}"]`).getAttribute('data-status')).toBe('cancelled');

    await page.click('#lang-group button[data-lang="vi"]');
    expect(await page.locator('h1').innerText()).toBe('Chiến dịch quét');
    expect(await row.locator('li[data-state="dead"]').innerText()).toContain('Bỏ cuộc');
    await context.close();
  });

  it('shows a campaign: failures dead first with their reasons, runs, and its results under its agency', async () => {
    const detail = await call<CampaignDetail>('GET', `/api/v1/campaigns/${ids.half}`, tokens.viewer);
    const { context, page } = await signedIn(DESKTOP);
    await page.click(`#campaigns tr[data-campaign="${ids.half}"] .campaign-name a`);
    await ready(page, 'campaign');
    expect(await page.locator('h1').innerText()).toBe('Cổng thông tin các sở');
    const failures = page.locator('#failures tbody tr');
    expect(await failures.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual(detail.failures.map((f) => f.state));
    expect(detail.failures[0]?.state).toBe('dead');
    expect(await failures.first().locator('.reason').innerText()).toBe(DEAD_REASON);
    expect(await page.locator('#failures tr[data-state="failed"] .reason').innerText()).toBe(RETRY_REASON);
    expect(await page.locator('#tile-done .tile-value').innerText()).toBe('3/8');
    expect(await page.locator('#runs tbody tr').count()).toBe(detail.runs.length);
    // Results: the campaign's agency, with its current pass rate, leading to its page.
    const result = page.locator(`#results tr[data-agency="${agency}"]`);
    expect(await result.count()).toBe(1);
    expect(await page.locator('#results .foot').innerText()).toContain(String(detail.batches.length));
    await result.locator('a').first().click();
    await ready(page, 'agency');

    await show(page, `#/campaign/${ids.scheduled}`, 'campaign');
    expect(await page.locator('#runs .empty-state').count()).toBe(1);
    expect(await page.locator('#campaign-facts').innerText()).toContain('0 2 * * 1');
    await context.close();
  });

  it("tells an agency's viewer with no campaign how to create one, with this server's address", async () => {
    const { context, page } = await signedIn(PHONE, tokens.ownViewer);
    expect(await page.locator('#campaigns tbody tr').count()).toBe(0);
    const steps = await page.locator('#first-campaign').innerText();
    expect(steps).toContain(`govscan campaign create --server ${base.replace(/\/$/, '')}`);
    expect(steps).toContain('govscan worker --server');
    expect(steps).toContain('--role worker');
    await page.screenshot({ path: join(ARTIFACTS, 'empty-phone-en.png') });
    await context.close();
  });

  it('has no serious accessibility violation, overflow or three-row header, desktop and phone, in both languages', {
    timeout: 240_000,
  }, async () => {
    const failures: string[] = [];
    for (const [label, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const { context, page } = await signedIn(viewport);
      for (const lang of ['en', 'vi'] as const) {
        await page.click(`#lang-group button[data-lang="${lang}"]`);
        for (const [hash, view] of [
          ['#/campaigns', 'campaigns'],
          [`#/campaign/${ids.half}`, 'campaign'],
        ] as const) {
          await show(page, hash, view);
          const where = `${view} ${label} ${lang}`;
          if (!(await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined'))) await page.evaluate(AXE_SOURCE);
          const result = await page.evaluate(() =>
            axe.run(document, {
              resultTypes: ['violations'],
              runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
            }),
          );
          for (const v of result.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical'))
            failures.push(`${where}: ${v.id} × ${v.nodes.length}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > viewport.width) failures.push(`${where}: page is ${width}px wide`);
          const rows = await page.evaluate(() => {
            const tops = new Set<number>();
            for (const el of document.querySelectorAll('header.top > *, #tabs > a')) {
              const r = el.getBoundingClientRect();
              if (r.width > 0 && r.height > 0) tops.add(Math.round(r.top / 8));
            }
            return tops.size;
          });
          if (rows > 2) failures.push(`${where}: header on ${rows} rows`);
          await page.screenshot({ path: join(ARTIFACTS, `${view}-${label}-${lang}.png`), fullPage: true });
        }
      }
      await context.close();
    }
    expect(failures).toEqual([]);
  });

  it('made no request off loopback and logged no console error', () => {
    expect(problems).toEqual([]);
  });
});
