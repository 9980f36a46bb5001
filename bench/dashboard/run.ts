// npm run bench:dashboard — the SOC dashboard with a large fleet, in Debian's headless Chromium:
// 30 agencies × 4 agents × 2 systems (240 systems), 14 days of history, stored through the real
// store (SQLite file) and served by the real app on 127.0.0.1.
//
//   - time to main content per view: from navigation start to the view drawn with its data
//     (<body data-state="ready">), median of BENCH_RUNS (default 3) fresh loads in a signed-in tab;
//   - bytes per refresh: what one refresh of each view moves over the wire (headers + encoded
//     bodies) when nothing changed (the 60-second wall-screen case), and the decoded JSON size the
//     same refresh would move without ETags and compression.
//
// Prints a table and writes bench/results/dashboard.json; asserts nothing. Before this work (issue
// 17): overview 571 ms to main content, 20.9 kB per minute uncompressed (124 kB at 30 agencies).

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page, Request } from 'playwright-core';
import { buildApp } from '../../src/server/app.js';
import { createApiToken } from '../../src/server/admin.js';
import { openStore } from '../../src/server/store/store.js';
import { loadFleet, seedFleet } from '../../src/lab/fleet-seed.js';
import { launchChromium } from '../../src/lab/browser.js';

declare const document: { body: { dataset: Record<string, string | undefined> } };
declare const performance: { now(): number };
declare const window: { dispatchEvent(event: unknown): boolean };
declare const Event: new (type: string) => unknown;

const AGENCIES = Number(process.env.BENCH_AGENCIES ?? 30);
const AGENTS = Number(process.env.BENCH_AGENTS_PER_AGENCY ?? 4);
const DAYS = Number(process.env.BENCH_DAYS ?? 14);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const RESULTS = fileURLToPath(new URL('../../../bench/results/', import.meta.url));

interface ViewResult {
  view: string;
  msToMain: number;
  firstLoadKb: number;
  refreshKb: number;
  refreshUncompressedKb: number;
  refreshRequests: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function wireBytes(r: Request): Promise<number> {
  const sizes = await r.sizes();
  return sizes.responseHeadersSize + sizes.responseBodySize;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'govscan-bench-dashboard-'));
  const store = await openStore(`sqlite:${join(dir, 'govscan.db')}`);
  await store.migrate();
  const now = new Date();
  const fleet = seedFleet({ now, agencies: AGENCIES, agentsPerAgency: AGENTS, days: DAYS });
  const t0 = Date.now();
  await loadFleet(store, fleet);
  const systems = (await store.listSystems()).length;
  console.log(
    `seeded ${fleet.agencies.length} agencies, ${AGENCIES * AGENTS} agents, ${systems} systems, ${fleet.batches.length} batches in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  const viewer = (await createApiToken(store, 'viewer')).token;
  const app = buildApp({ store });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const base = `http://127.0.0.1:${address.port}/`;
  const browser = await launchChromium();
  const agency = fleet.agencies[0]!;
  const system = agency.agents[0]!.systems[0]!;
  const views: [string, string][] = [
    ['overview', '#/'],
    ['findings', '#/findings?sort=severity'],
    ['rules', '#/rules'],
    ['trend', '#/trend'],
    ['certificates', '#/certificates'],
    ['agency', `#/agency/${agency.id}`],
    ['system', `#/agency/${agency.id}/system/${system.id}`],
  ];
  const results: ViewResult[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const signIn = await context.newPage();
    await signIn.goto(`${base}#token=${encodeURIComponent(viewer)}`);
    await signIn.waitForFunction(() => document.body.dataset.state === 'ready');
    for (const [view, hash] of views) {
      const times: number[] = [];
      let firstLoad = 0;
      for (let i = 0; i < RUNS; i++) {
        // A new tab of the signed-in session: it takes the token from the open one, then loads.
        const page: Page = await context.newPage();
        const requests: Request[] = [];
        page.on('requestfinished', (r) => requests.push(r));
        await page.goto(`${base}${hash}`);
        await page.waitForFunction((v) => document.body.dataset.state === 'ready' && document.body.dataset.view === v, view, {
          timeout: 120_000,
        });
        times.push(await page.evaluate(() => performance.now()));
        if (i === 0) firstLoad = (await Promise.all(requests.map(wireBytes))).reduce((a, b) => a + b, 0);
        if (i < RUNS - 1) await page.close();
        else {
          // One refresh with nothing changed: what a wall screen costs per minute.
          const refresh: Request[] = [];
          page.on('response', (r) => refresh.push(r.request()));
          await page.waitForFunction(() => document.body.dataset.state === 'ready');
          await page.waitForTimeout(300);
          await page.evaluate(() => window.dispatchEvent(new Event('govscan:refresh')));
          await page.waitForTimeout(3000);
          const bytes = (await Promise.all(refresh.map(wireBytes))).reduce((a, b) => a + b, 0);
          // The same answers as full bodies, uncompressed: the refresh without ETags or compression.
          let uncompressed = 0;
          for (const r of refresh) {
            if (!r.url().includes('/api/v1/')) continue;
            const res = await app.inject({
              method: 'GET',
              url: new URL(r.url()).pathname + new URL(r.url()).search,
              headers: { authorization: `Bearer ${viewer}` },
            });
            uncompressed += res.rawPayload.length;
          }
          results.push({
            view,
            msToMain: Math.round(median(times)),
            firstLoadKb: Math.round(firstLoad / 102.4) / 10,
            refreshKb: Math.round(bytes / 102.4) / 10,
            refreshUncompressedKb: Math.round(uncompressed / 102.4) / 10,
            refreshRequests: refresh.length,
          });
          await page.close();
        }
      }
    }
    await context.close();
  } finally {
    await browser.close();
    await app.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`\n${AGENCIES} agencies / ${systems} systems, median of ${RUNS} loads (Chromium, 1400×900)\n`);
  console.log('view           to main (ms)   first load (kB)   refresh (kB, 304s)   same refresh uncompressed (kB)   requests');
  for (const r of results) {
    console.log(
      `${r.view.padEnd(14)} ${String(r.msToMain).padStart(12)}   ${String(r.firstLoadKb).padStart(15)}   ${String(r.refreshKb).padStart(18)}   ${String(r.refreshUncompressedKb).padStart(30)}   ${String(r.refreshRequests).padStart(8)}`,
    );
  }
  await mkdir(RESULTS, { recursive: true });
  await writeFile(
    join(RESULTS, 'dashboard.json'),
    JSON.stringify({ agencies: AGENCIES, systems, days: DAYS, runs: RUNS, results }, null, 2) + '\n',
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
