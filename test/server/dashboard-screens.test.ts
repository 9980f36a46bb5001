// What a SOC sees on a new server and on pack texts, in Chromium: a fleet with no agent explains how to
// enrol the first one (never a green "every agent is on time (0)"), an agency without agents says the
// command for it, and remediation code spans show as code while markup in them stays text.
// Screenshots go to test-artifacts/dashboard-screens/.

import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createApiToken, createEnrollment } from '../../src/server/admin.js';
import { openStore, type KyselyStore } from '../../src/server/store/store.js';
import { launchChromium } from '../../src/lab/browser.js';
import { lastNoonUtc } from '../helpers/dashboard-lab.js';
import { loadFleet, seedFleet } from '../../src/lab/fleet-seed.js';

declare const document: { body: { dataset: Record<string, string> }; documentElement: { scrollWidth: number } };
declare const window: { innerWidth: number };
declare const axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> };

const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/dashboard-screens/', import.meta.url));
const ATTACK = '<img src=x onerror="document.title=1">';

interface Server {
  dir: string;
  store: KyselyStore;
  app: FastifyInstance;
  base: string;
  viewer: string;
}

async function startServer(): Promise<Server> {
  const dir = await mkdtemp(join(tmpdir(), 'govscan-screens-'));
  const store = await openStore(`sqlite:${join(dir, 'govscan.db')}`);
  await store.migrate();
  const viewer = (await createApiToken(store, 'viewer')).token;
  const app = buildApp({ store });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { dir, store, app, base: `http://127.0.0.1:${address.port}/`, viewer };
}

async function stopServer(s: Server | undefined): Promise<void> {
  if (!s) return;
  await s.app.close();
  await s.store.close();
  await rm(s.dir, { recursive: true, force: true });
}

let browser: Browser;
let empty: Server;
let seeded: Server;
/** Where the seeded failed finding with the crafted remediation is shown. */
let systemHash = '';
const problems: string[] = [];

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  [browser, empty, seeded] = await Promise.all([launchChromium(), startServer(), startServer()]);
  // One agency, one agent, one day, whose failed TLS-CERT-EXPIRED finding carries a remediation with a
  // code span and markup, as a user's own pack could write it.
  const fleet = seedFleet({ now: lastNoonUtc(), agencies: 1, agentsPerAgency: 1, days: 1 });
  for (const batch of fleet.batches) {
    for (const f of batch.report.findings) {
      if (f.ruleId !== 'TLS-CERT-EXPIRED' || f.outcome !== 'fail') continue;
      f.remediation = { en: `Run \`certbot renew ${ATTACK}\` and never ${ATTACK}.`, vi: `Chạy \`certbot renew ${ATTACK}\`, không bao giờ ${ATTACK}.` };
      const system = batch.report.targets.find((t) => t.key === f.target)?.system?.id;
      if (system) systemHash = `#/agency/${encodeURIComponent(batch.agency)}/system/${encodeURIComponent(system)}`;
    }
  }
  if (!systemHash) throw new Error('the seeded fleet has no failed TLS-CERT-EXPIRED finding on a system');
  await loadFleet(seeded.store, fleet);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([stopServer(empty), stopServer(seeded)]);
});

async function open(server: Server, hash: string, view: string, viewport: { width: number; height: number }, lang: 'en' | 'vi'): Promise<Page> {
  const context = await browser.newContext({ viewport });
  await context.route((url) => !url.href.startsWith(server.base), (route) => {
    problems.push(`off-loopback request: ${route.request().url()}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(`${server.base}?lang=${lang}${hash}${hash.includes('?') ? '&' : '#'}token=${encodeURIComponent(server.viewer)}`.replace(`${hash}#token`, `#token`));
  await page.waitForFunction(() => document.body.dataset['state'] === 'ready', undefined, { timeout: 20_000 });
  if (hash) {
    await page.evaluate((h) => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = h;
    }, hash);
    await page.waitForFunction((v) => document.body.dataset['state'] === 'ready' && document.body.dataset['view'] === v, view, { timeout: 20_000 });
  }
  return page;
}

describe('dashboard screens', () => {
  it('a new server explains how to enrol the first agent instead of showing green, in English and Vietnamese', { timeout: 90_000 }, async () => {
    for (const [lang, viewport, device] of [['en', { width: 1400, height: 900 }, 'desktop'], ['vi', { width: 360, height: 780 }, 'phone']] as const) {
      const page = await open(empty, '', 'overview', viewport, lang);
      const enrol = page.locator('#enrol-first');
      expect(await enrol.isVisible()).toBe(true);
      const text = await enrol.innerText();
      expect(text).toContain('govscan server enrollment create --agency');
      expect(text).toContain(`govscan-agent enroll --server ${empty.base.replace(/\/$/, '')} --secret`);
      expect(text).toContain('govscan-agent run --once');
      expect(text).toContain(lang === 'en' ? 'No agent has reported to this server yet' : 'Chưa có tác tử nào gửi báo cáo về máy chủ này');
      const whole = await page.locator('main').innerText();
      expect(whole).not.toMatch(/Every agent is reporting on time|đều báo cáo đúng hạn|No open failure|không có lỗi nào đang tồn tại/);
      expect(await page.locator('#stale-agents').innerText()).toContain(lang === 'en' ? 'No agent is enrolled yet.' : 'Chưa có tác tử nào được đăng ký.');
      // Nothing says "fine" (green) about a fleet that has never reported.
      expect(await page.locator('.empty-state.good, .tile.good').count()).toBe(0);
      // The commands fit the screen: nothing to scroll sideways, even on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      // As accessible as the views with data (the WCAG A/AA rules dashboard-views checks).
      await page.evaluate(AXE_SOURCE);
      const violations = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
      expect(violations.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} × ${v.nodes.length}`)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, `empty-overview-${lang}-${device}.png`) });
      await page.context().close();
    }
  });

  it('an agency without agents names the command that enrols one', { timeout: 60_000 }, async () => {
    await createEnrollment(empty.store, { agency: 'so-khcn', name: 'Sở KH&CN' }, new Date());
    const page = await open(empty, '#/agency/so-khcn', 'agency', { width: 1400, height: 900 }, 'vi');
    const agents = page.locator('#agents');
    expect(await agents.locator('code').allInnerTexts()).toEqual(['govscan server enrollment create --agency so-khcn', 'govscan-agent enroll']);
    expect(await agents.innerText()).not.toContain('`');
    await agents.screenshot({ path: join(ARTIFACTS, 'agency-no-agents-vi.png') });
    await page.context().close();
  });

  it('remediation code spans render as code and markup in a pack text stays text', { timeout: 60_000 }, async () => {
    const page = await open(seeded, systemHash, 'system', { width: 1400, height: 900 }, 'en');
    const remediation = page.locator('article.finding[data-rule="TLS-CERT-EXPIRED"] dd.remediation').first();
    expect(await remediation.locator('code').allInnerTexts()).toEqual([`certbot renew ${ATTACK}`]);
    expect(await remediation.innerText()).toBe(`Run certbot renew ${ATTACK} and never ${ATTACK}.`);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.title()).not.toBe('1');
    await page.locator('article.finding[data-rule="TLS-CERT-EXPIRED"]').first().screenshot({ path: join(ARTIFACTS, 'remediation-system-en.png') });
    // A built-in rule's reference: its remediation's code span is code, without backticks.
    await page.evaluate(() => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = '#/rule/IPV6-WEB-REACH';
    });
    await page.waitForFunction(() => document.body.dataset['state'] === 'ready' && document.body.dataset['view'] === 'rule', undefined, { timeout: 20_000 });
    const reference = page.locator('#rule-reference dd.remediation');
    expect(await reference.locator('code').allInnerTexts()).toEqual(['listen [::]:443']);
    expect(await reference.innerText()).not.toContain('`');
    await reference.screenshot({ path: join(ARTIFACTS, 'remediation-rule-en.png') });
    await page.context().close();
    expect(problems).toEqual([]);
  });
});
