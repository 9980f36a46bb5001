// A seeded fleet served by the real app on loopback, with Debian's Chromium to look at it: the
// setting every dashboard test starts from.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { createApiToken } from '../../src/server/admin.js';
import { openStore, type KyselyStore } from '../../src/server/store/store.js';
import { loadFleet, seedFleet, type Fleet } from '../../src/lab/fleet-seed.js';
import { launchChromium } from '../../src/lab/browser.js';

export interface DashboardLab {
  store: KyselyStore;
  app: FastifyInstance;
  /** `http://127.0.0.1:PORT/` */
  base: string;
  /** A viewer token for the API and the sign-in form. */
  viewer: string;
  browser: Browser;
  fleet: Fleet;
  /** GET /api/v1<path> as the viewer; anything but 200 throws with the answer. */
  api<T>(path: string): Promise<T>;
  close(): Promise<void>;
}

/**
 * The most recent 12:00 UTC in the past: seeded batches then land a few minutes before noon, one per
 * UTC day, whatever time the test runs, and never in the browser's future.
 */
export function lastNoonUtc(): Date {
  const now = new Date();
  const noon = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 12));
  return noon.getTime() <= now.getTime() ? noon : new Date(noon.getTime() - 86_400_000);
}

export async function startDashboardLab(seed: { agencies: number; agentsPerAgency: number; days: number }): Promise<DashboardLab> {
  const dir = await mkdtemp(join(tmpdir(), 'govscan-dashboard-'));
  const store = await openStore(`sqlite:${join(dir, 'govscan.db')}`);
  await store.migrate();
  const fleet = seedFleet({ now: lastNoonUtc(), ...seed });
  await loadFleet(store, fleet);
  const viewer = (await createApiToken(store, 'viewer')).token;
  const app = buildApp({ store });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const browser = await launchChromium();
  return {
    store,
    app,
    base: `http://127.0.0.1:${address.port}/`,
    viewer,
    browser,
    fleet,
    async api<T>(path: string): Promise<T> {
      const res = await app.inject({ method: 'GET', url: `/api/v1${path}`, headers: { authorization: `Bearer ${viewer}` } });
      if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
      return res.json() as T;
    },
    async close() {
      await browser.close();
      await app.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
