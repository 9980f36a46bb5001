// The SOC dashboard's fleet views as an analyst uses them, in Debian's headless Chromium with
// axe-core, on a seeded fleet (6 agencies with failures of every severity, 14 days of history, one
// agent gone quiet) stored through the real store: every view × {desktop 1400×900, phone 360×780} ×
// {English, Vietnamese} has no serious or critical accessibility violation, no horizontal overflow
// and no cut text on the phone, and a one- or two-line header; the overview leads with the fleet's
// most severe failures; an agency failing critically is never green; the findings filter lives in
// the address and survives a reload; an export downloads valid SARIF; a new tab needs no second
// sign-in; a refresh of unchanged data is all 304s. The HTML report passes the same axe check.
// Screenshots go to test-artifacts/dashboard-views/.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { AgencyRow, FindingRow, Page as ApiPage, SystemRow } from '../../src/contract/read-api.js';
import { toHtml } from '../../src/report/html.js';
import { fixtureReport, type Fleet } from '../../src/lab/fleet-seed.js';
import { startDashboardLab, type DashboardLab } from '../helpers/dashboard-lab.js';
import { validateSarif } from '../helpers/sarif.js';

// The page's globals, as far as the callbacks run inside Chromium use them.
declare const document: {
  body: { dataset: Record<string, string | undefined> };
  documentElement: { scrollWidth: number };
  querySelector(selector: string): DomEl | null;
  querySelectorAll(selector: string): DomEl[];
};
declare const window: {
  innerWidth: number;
  innerHeight: number;
  dispatchEvent(event: unknown): boolean;
  getComputedStyle(el: DomEl): Record<string, string>;
};
declare const axe: {
  run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }>;
};
declare const Event: new (type: string) => unknown;
interface DomEl {
  getBoundingClientRect(): { left: number; right: number; top: number; bottom: number; width: number; height: number };
  scrollWidth: number;
  clientWidth: number;
  textContent: string | null;
  tagName: string;
  closest(selector: string): DomEl | null;
  getAttribute(name: string): string | null;
}

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/dashboard-views/', import.meta.url));
const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DESKTOP = { width: 1400, height: 900 };
const PHONE = { width: 360, height: 780 };

let lab: DashboardLab;
let app: FastifyInstance;
let base: string;
let viewer: string;
let browser: Browser;
let fleet: Fleet;
const problems: string[] = [];

/** WCAG contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string): number => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [x, y] = [lum(a), lum(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

function api<T>(path: string): Promise<T> {
  return lab.api<T>(path);
}

async function signedInPage(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  await context.route(
    (url) => !url.href.startsWith(base),
    (route) => {
      problems.push(`off-loopback request: ${route.request().url()}`);
      return route.abort();
    },
  );
  const page = await context.newPage();
  watch(page);
  await page.goto(`${base}#token=${encodeURIComponent(viewer)}`);
  await ready(page, 'overview');
  return { context, page };
}

function watch(page: Page): void {
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
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

/** Serious and critical axe violations on the page as it is now, one line each. */
async function axeProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined'))) await page.evaluate(AXE_SOURCE);
  // The WCAG 2.x A/AA rules (link-in-text-block, scrollable-region-focusable and colour contrast
  // among them); axe's best-practice extras are left out to keep the 32 runs quick.
  const result = await page.evaluate(() =>
    axe.run(document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    }),
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}) × ${v.nodes.length}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
}

/** Horizontal overflow and text cut by its box, on the page as it is now. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth > width)
      out.push(`page is ${document.documentElement.scrollWidth}px wide in a ${width}px viewport`);
    for (const el of document.querySelectorAll('header *, main *')) {
      // Visually hidden on purpose: screen-reader texts, and table heads on a phone (cells are labelled).
      if (el.closest('.sr-only, thead, option, datalist, select') || (el.closest('svg') && el.tagName.toLowerCase() !== 'svg')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const label = `${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
      if (r.right > width + 1 || r.left < -1) out.push(`${label} spans ${Math.round(r.left)}–${Math.round(r.right)}px`);
      const style = window.getComputedStyle(el);
      if (
        (style['overflowX'] === 'hidden' || style['textOverflow'] === 'ellipsis') &&
        el.scrollWidth > el.clientWidth + 1 &&
        (el.textContent ?? '').trim()
      ) {
        out.push(`${label} is cut (${el.scrollWidth}px of text in ${el.clientWidth}px)`);
      }
    }
    return out.slice(0, 10);
  });
}

/** Rows the header's parts sit on. */
async function headerRows(page: Page): Promise<number> {
  return page.evaluate(() => {
    const tops = new Set<number>();
    for (const el of document.querySelectorAll('header.top > *, #tabs > a')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) tops.add(Math.round(r.top / 8));
    }
    return tops.size;
  });
}

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  lab = await startDashboardLab({ agencies: 6, agentsPerAgency: 2, days: 14 });
  ({ app, base, viewer, browser, fleet } = lab);
});

afterAll(async () => {
  await lab?.close();
});

describe('SOC dashboard fleet views', () => {
  it('has no serious accessibility violation, overflow or cut text on any view, desktop and phone, in both languages', {
    timeout: 300_000,
  }, async () => {
    const agencies = (await api<ApiPage<AgencyRow>>('/agencies')).items;
    const systems = (await api<ApiPage<SystemRow>>('/systems')).items;
    const agency = agencies.find((a) => a.failedBySeverity.critical > 0)!;
    const system = systems.find((s) => s.agency === agency.id && s.id !== '')!;
    const views: [string, string][] = [
      ['#/', 'overview'],
      ['#/findings?sort=severity', 'findings'],
      ['#/rules', 'rules'],
      ['#/rule/TLS-CERT-EXPIRED', 'rule'],
      ['#/certificates', 'certificates'],
      ['#/trend', 'trend'],
      [`#/agency/${agency.id}`, 'agency'],
      [`#/agency/${agency.id}/system/${system.id}?outcome=all`, 'system'],
    ];
    const failures: string[] = [];
    for (const [label, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const { context, page } = await signedInPage(viewport);
      for (const lang of ['en', 'vi'] as const) {
        await page.click(`#lang-group button[data-lang="${lang}"]`);
        for (const [hash, view] of views) {
          await show(page, hash, view);
          const where = `${view} ${label} ${lang}`;
          for (const p of await axeProblems(page)) failures.push(`${where}: ${p}`);
          if (label === 'phone') {
            for (const p of await layoutProblems(page)) failures.push(`${where}: ${p}`);
            const rows = await headerRows(page);
            if (rows > 2) failures.push(`${where}: header on ${rows} rows`);
          }
          await page.screenshot({ path: join(ARTIFACTS, `${view}-${label}-${lang}.png`) });
        }
      }
      await context.close();
    }
    expect(failures).toEqual([]);
  });

  it('leads the overview with the most severe open failures, and never shows an agency failing critically as green', async () => {
    const worst = (await api<ApiPage<FindingRow>>('/findings?sort=severity&limit=8')).items;
    const agencies = (await api<ApiPage<AgencyRow>>('/agencies')).items;
    expect(new Set(agencies.filter((a) => a.failedBySeverity.critical > 0).map((a) => a.id)).size).toBeGreaterThanOrEqual(2);
    for (const [label, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const { context, page } = await signedInPage(viewport);
      const rows = page.locator('#worst tr.finding-row');
      expect(await rows.evaluateAll((els) => els.map((e) => (e as unknown as DomEl).getAttribute('data-rule')))).toEqual(
        worst.map((f) => f.ruleId),
      );
      expect(await rows.first().getAttribute('data-severity')).toBe('critical');
      // On the phone too, the first of them is on the first screen.
      const box = await rows.first().boundingBox();
      expect(box && box.y + box.height <= viewport.height, label).toBe(true);
      for (const a of agencies.filter((x) => x.failedBySeverity.critical > 0 || x.failedBySeverity.high > 0)) {
        const row = page.locator(`#agencies tr[data-agency="${a.id}"]`);
        expect(await row.getAttribute('data-level'), a.id).toBe('bad');
        expect(await row.locator('.good').count(), a.id).toBe(0);
      }
      // Worst first: by highest open severity, then counts.
      const order = await page
        .locator('#agencies tbody tr')
        .evaluateAll((els) => els.map((e) => (e as unknown as DomEl).getAttribute('data-agency')));
      const rank = (a: AgencyRow): number[] => [
        a.failedBySeverity.critical > 0 ? 0 : a.failedBySeverity.high > 0 ? 1 : 2,
        -a.failedBySeverity.critical,
        -a.failedBySeverity.high,
      ];
      const ranks = order.map((id) => rank(agencies.find((a) => a.id === id)!));
      expect(ranks).toEqual([...ranks].sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!));
      // Stale agents are left out of the pass rate, and the page says so.
      expect(await page.locator('#stale-note').count()).toBe(1);
      await context.close();
    }
  });

  it('keeps the findings filter in the address, survives a reload, pages, and exports valid SARIF', async () => {
    const { context, page } = await signedInPage(DESKTOP);
    await show(page, '#/findings', 'findings');
    const all = await api<ApiPage<FindingRow>>('/findings?limit=1');
    expect(await page.locator('#findings-count').getAttribute('data-total')).toBe(String(all.total));

    await page.selectOption('#f-severity', 'critical');
    await page.waitForFunction(() => (globalThis as unknown as { location: { hash: string } }).location.hash.includes('severity=critical'));
    await ready(page, 'findings');
    const agency = fleet.agencies[2]!;
    await page.fill('#f-q', agency.place);
    await page.press('#f-q', 'Enter');
    await page.waitForFunction(() => (globalThis as unknown as { location: { hash: string } }).location.hash.includes('q='));
    await ready(page, 'findings');
    const expected = await api<ApiPage<FindingRow>>(`/findings?severity=critical&q=${agency.place}&sort=severity&limit=1000`);
    expect(expected.total).toBeGreaterThan(0);
    const count = async (): Promise<string | null> => page.locator('#findings-count').getAttribute('data-total');
    expect(await count()).toBe(String(expected.total));
    expect(await page.locator('#findings tr.finding-row[data-severity="critical"]').count()).toBe(expected.total);

    await page.reload();
    await ready(page, 'findings');
    expect(await page.inputValue('#f-severity')).toBe('critical');
    expect(await page.inputValue('#f-q')).toBe(agency.place);
    expect(await count()).toBe(String(expected.total));

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#findings button.export[data-format="sarif"]')]);
    const sarif = JSON.parse(await readFile((await download.path())!, 'utf8')) as { runs: { results: unknown[] }[] };
    expect(validateSarif(sarif)).toEqual([]);
    expect(sarif.runs.reduce((s, r) => s + r.results.length, 0)).toBe(expected.total);

    // Paging: the second page starts where the first ended.
    await show(page, '#/findings?outcome=all&sort=rule', 'findings');
    const first = await page.locator('#findings tr.finding-row').count();
    expect(first).toBe(50);
    await page.click('.pager a[rel="next"]');
    await page.waitForFunction(() => (globalThis as unknown as { location: { hash: string } }).location.hash.includes('page=2'));
    await ready(page, 'findings');
    const second = await api<ApiPage<FindingRow>>('/findings?outcome=all&sort=rule&limit=50&offset=50');
    // Polled: the hash changes before the page starts loading the next page, so "ready" may still be the first page's.
    await expect
      .poll(
        () =>
          page.locator('#findings tr.finding-row').evaluateAll((els) => els.map((e) => (e as unknown as DomEl).getAttribute('data-rule'))),
        { timeout: 20_000 },
      )
      .toEqual(second.items.map((f) => f.ruleId));
    await context.close();
  });

  it('links rules to their reference and to the agencies failing them', async () => {
    const { context, page } = await signedInPage(DESKTOP);
    await show(page, '#/rules', 'rules');
    const row = page.locator('#rules tr[data-rule="TLS-CERT-EXPIRED"]');
    const failing = Number(await row.getAttribute('data-agencies'));
    expect(failing).toBe(
      new Set(
        fleet.latest
          .filter((b) => b.report.findings.some((f) => f.ruleId === 'TLS-CERT-EXPIRED' && f.outcome === 'fail'))
          .map((b) => b.agency),
      ).size,
    );
    await row.locator('a.rule-link').click();
    await ready(page, 'rule');
    const rules = (
      await api<ApiPage<{ id: string; title: { vi: string }; description: { en: string }; remediation: { vi: string } }>>('/rules')
    ).items;
    const expired = rules.find((r) => r.id === 'TLS-CERT-EXPIRED')!;
    expect(await page.locator('#rule-reference').innerText()).toContain(expired.description.en.trim().split('\n')[0]);
    await page.click('#lang-group button[data-lang="vi"]');
    expect(await page.locator('h1').innerText()).toBe(expired.title.vi);
    expect(await page.locator('#rule-reference').innerText()).toContain(expired.remediation.vi.trim().split('\n')[0]);
    await page.click('a.see-all');
    await ready(page, 'findings');
    expect(
      await page
        .locator('#findings tr.finding-row')
        .evaluateAll((els) => [...new Set(els.map((e) => (e as unknown as DomEl).getAttribute('data-rule')))]),
    ).toEqual(['TLS-CERT-EXPIRED']);
    await context.close();
  });

  it('asks only for what changed on refresh, and signs a new tab in from the open one, never via localStorage', async () => {
    const { context, page } = await signedInPage(DESKTOP);
    const statuses: number[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/api/v1/')) statuses.push(r.status());
    });
    await page.evaluate(() => window.dispatchEvent(new Event('govscan:refresh')));
    await expect.poll(() => statuses.length).toBeGreaterThanOrEqual(4);
    await page.waitForTimeout(200);
    expect(
      statuses.every((s) => s === 304),
      JSON.stringify(statuses),
    ).toBe(true);

    const second = await context.newPage();
    watch(second);
    await second.goto(`${base}#/rules`);
    await ready(second, 'rules');
    expect(
      await second.evaluate(
        () => (globalThis as unknown as { localStorage: { length: number; key(i: number): string } }).localStorage.key(0) ?? '',
      ),
    ).not.toMatch(/token/);
    // Signing out in the new tab signs the first one out too.
    await second.click('#signout');
    await page.waitForFunction(() => document.body.dataset.state === 'signin');
    await context.close();
  });

  it('serves API answers and dashboard files compressed, with ETags', async () => {
    const js = await app.inject({ method: 'GET', url: '/assets/app.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(js.headers['content-encoding']).toBe('br');
    const overview = await app.inject({
      method: 'GET',
      url: '/api/v1/overview',
      headers: { authorization: `Bearer ${viewer}`, 'accept-encoding': 'gzip' },
    });
    expect(overview.headers['content-encoding']).toBe('gzip');
    // Kept in no cache (the token decides what it shows); the page revalidates its own copy.
    expect(overview.headers['cache-control']).toBe('no-store');
    const again = await app.inject({
      method: 'GET',
      url: '/api/v1/overview',
      headers: { authorization: `Bearer ${viewer}`, 'if-none-match': String(overview.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('renders the HTML report accessibly on a desktop and a phone', async () => {
    const failures: string[] = [];
    // Critical and high badges differ in lightness, not only in hue, and FAIL is not high's colour.
    const css = toHtml(fixtureReport(), { lang: 'en' });
    const bg = (selector: string): string => new RegExp(`\\.badge\\.${selector}\\{background:(#[0-9a-f]{6})`).exec(css)?.[1] ?? '';
    expect(contrast(bg('sev-critical'), bg('sev-high'))).toBeGreaterThanOrEqual(2.5);
    expect(bg('out-fail')).not.toBe(bg('sev-high'));
    for (const sev of ['critical', 'high', 'medium', 'low', 'info'])
      expect(contrast(bg(`sev-${sev}`), '#ffffff'), sev).toBeGreaterThanOrEqual(4.5);
    for (const lang of ['en', 'vi'] as const) {
      const html = toHtml(fixtureReport(), { lang });
      for (const [label, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        const context = await browser.newContext({ viewport });
        const page = await context.newPage();
        await page.setContent(html);
        await page.evaluate(() => {
          for (const d of document.querySelectorAll('details')) (d as unknown as { open: boolean }).open = true;
        });
        for (const p of await axeProblems(page)) failures.push(`report ${label} ${lang}: ${p}`);
        // Evidence values wrap where they must, not at every character.
        expect(await page.evaluate(() => window.getComputedStyle(document.querySelector('ul.evidence code')!)['wordBreak'])).not.toBe(
          'break-all',
        );
        if (label === 'phone') {
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > viewport.width) failures.push(`report ${lang}: ${width}px wide on a ${viewport.width}px phone`);
        }
        await page.screenshot({ path: join(ARTIFACTS, `report-${label}-${lang}.png`) });
        await context.close();
      }
    }
    expect(failures).toEqual([]);
    // The same check does see a page that is not accessible.
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.setContent('<html><body><p style="color:#777;background:#888">faint</p><a href="#x"></a></body></html>');
    expect((await axeProblems(page)).length).toBeGreaterThanOrEqual(2);
    await context.close();
  });

  it('made no request off loopback and logged no console error', () => {
    expect(problems).toEqual([]);
  });
});
