// The SOC dashboard end to end: the real server (buildApp + the SQLite store in a temp file) seeded
// with a realistic fleet, on a loopback port, opened in Debian's headless Chromium. The page must show
// the numbers the API gives, flag the stale agent and the expiring certificates, drill down to the
// evidence behind a failure, draw one trend point per seeded day, speak Vietnamese on request, and
// refuse a bad token, all without a request leaving loopback or a console error. Screenshots go to
// test-artifacts/dashboard/.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type {
  AgencyRow,
  CertificateRow,
  FindingRow,
  FleetOverview,
  HistoryPoint,
  Page as ApiPage,
  SystemRow,
  TrendPoint,
} from '../../src/contract/read-api.js';
import type { Fleet } from '../../src/lab/fleet-seed.js';
import { startDashboardLab, type DashboardLab } from '../helpers/dashboard-lab.js';

// The page's globals, as far as the callbacks run inside Chromium use them (the project compiles
// without the DOM library, and these callbacks never run in Node).
declare const document: {
  body: { dataset: Record<string, string | undefined> };
  querySelector(selector: string): { getAttribute(name: string): string | null; hasAttribute(name: string): boolean } | null;
};
declare const sessionStorage: { getItem(key: string): string | null };
declare const window: { marker?: number; dispatchEvent(event: unknown): boolean };
declare const Event: new (type: string) => unknown;

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/dashboard/', import.meta.url));
const VIEWPORT = { width: 1920, height: 1080 };
const DAYS = 7;

let lab: DashboardLab;
let base: string;
let viewer: string;
let browser: Browser;
let fleet: Fleet;

/** Every request any page made, and every console error, across the whole file. */
const offLoopback: string[] = [];
const consoleErrors: string[] = [];
const allRequests: string[] = [];

function api<T>(path: string): Promise<T> {
  return lab.api<T>(path);
}

function pct(rate: number | null): string {
  return rate === null ? 'not judged' : `${Math.floor(rate * 100 + 1e-9)}%`;
}

async function newPage(opts: { allow401?: boolean; allowNetworkErrors?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  context.setDefaultTimeout(10_000);
  // Anything not for our loopback server is refused and remembered (the page must need nothing else).
  await context.route(
    (url) => url.hostname !== '127.0.0.1' || !url.href.startsWith(base),
    (route) => {
      offLoopback.push(route.request().url());
      return route.abort();
    },
  );
  const page = await context.newPage();
  page.on('request', (r) => allRequests.push(r.url()));
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // A refused token is answered 401, which Chromium logs as a failed resource load by design.
    if (opts.allow401 && /status of 401/.test(m.text())) return;
    if (opts.allowNetworkErrors && /net::ERR_FAILED/.test(m.text())) return;
    consoleErrors.push(m.text());
  });
  return { context, page };
}

async function ready(page: Page, view: string): Promise<void> {
  await page.waitForFunction((v) => document.body.dataset.state === 'ready' && document.body.dataset.view === v, view, { timeout: 20_000 });
}

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  lab = await startDashboardLab({ agencies: 3, agentsPerAgency: 2, days: DAYS });
  ({ base, viewer, browser, fleet } = lab);
});

afterAll(async () => {
  await lab?.close();
});

describe('SOC dashboard in headless Chromium', () => {
  it('shows the fleet overview with the API numbers, stale agents and expiring certificates', async () => {
    const overview = await api<FleetOverview>('/overview');
    const certificates = (await api<ApiPage<CertificateRow>>('/certificates?days=30')).items;
    const { context, page } = await newPage();
    await page.goto(`${base}#token=${encodeURIComponent(viewer)}`);
    await ready(page, 'overview');

    // The token left the address bar (and history) at once and lives in sessionStorage only.
    expect(page.url()).not.toContain('token');
    expect(await page.evaluate(() => sessionStorage.getItem('govscan.token'))).toBe(viewer);

    expect(overview.agencies).toHaveLength(3);
    for (const a of overview.agencies) {
      const row = page.locator(`#agencies tr[data-agency="${a.id}"]`);
      await expect.poll(() => row.count()).toBe(1);
      const text = await row.innerText();
      expect(text).toContain(a.name);
      expect(await row.locator('.rate-text').innerText()).toBe(pct(a.passRate));
      expect(await row.locator('td[data-severity="high"]').innerText()).toBe(String(a.failedBySeverity.high));
    }
    // Worst pass rate first.
    const order = await page.locator('#agencies tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-agency')));
    const byRate = [...overview.agencies].sort((x, y) => (x.passRate ?? 2) - (y.passRate ?? 2)).map((a) => a.id);
    expect(order).toEqual(byRate);

    // Totals, in big tiles.
    expect(await page.locator('#tile-failed .tile-value').innerText()).toBe(String(overview.totals.failed));
    expect(await page.locator('#tile-stale .tile-value').innerText()).toBe(String(overview.totals.staleAgents));
    expect(await page.locator('#tile-agencies .tile-value').innerText()).toBe('3');

    // The seeded stale agent is flagged, in words, not by colour alone.
    const staleSeed = fleet.agencies.flatMap((a) => a.agents).filter((a) => a.stale);
    expect(staleSeed).toHaveLength(1);
    expect(overview.totals.staleAgents).toBe(1);
    const staleRow = page.locator(`#stale-agents tr[data-agent="${staleSeed[0]!.id}"]`);
    expect(await staleRow.innerText()).toMatch(new RegExp(`${staleSeed[0]!.hostname}[\\s\\S]*Not seen for \\d+ intervals`));
    expect(await page.locator('#stale-agents tbody tr').count()).toBe(1);
    expect(await page.locator(`#agencies tr[data-agency="${staleSeed[0]!.agency}"] .status.stale`).innerText()).toContain('1 stale');

    // Certificates expiring within 30 days, soonest (or longest expired) first, with their days left:
    // the overview shows the first 8 and links to the page with all of them.
    expect(certificates.length).toBeGreaterThan(8);
    const soonest = page.locator('#certificates tbody tr');
    expect(await soonest.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-days'))))).toEqual(
      certificates
        .map((c) => c.daysLeft)
        .sort((x, y) => x - y)
        .slice(0, 8),
    );
    await page.click('#certificates a.see-all');
    await ready(page, 'certificates');
    const rows = page.locator('#certificates tbody tr');
    expect(await rows.count()).toBe(certificates.length);
    const shownDays = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-days'))));
    expect(shownDays).toEqual(certificates.map((c) => c.daysLeft).sort((x, y) => x - y));
    for (const c of certificates) {
      const row = page.locator(`#certificates tr[data-where="${c.where}"][data-agency="${c.agency}"]`);
      const text = await row.first().innerText();
      if (c.daysLeft < 0) {
        expect(text).toContain(`Expired ${-c.daysLeft} days ago`);
        expect(await row.first().getAttribute('class')).toContain('expired');
      } else {
        expect(text).toContain(`${c.daysLeft} days left`);
      }
    }
    // The seeded VPN certificate file on agency 0's agents (now + 5 days) is there.
    const vpn = certificates.find((c) => c.where.startsWith('file:/etc/ssl/private/vpn-gateway.pem') && c.agency === fleet.agencies[0]!.id);
    expect(vpn).toBeDefined();
    await page.goBack();
    await ready(page, 'overview');

    // Pass rate per policy pack and IPv6 readiness per agency.
    for (const p of overview.policies) {
      expect(await page.locator(`#policies tr[data-policy="${p.policyId}"] .rate-text`).innerText()).toBe(pct(p.passRate));
    }
    expect(await page.locator('#ipv6 tbody tr').count()).toBe(3);

    await page.screenshot({ path: `${ARTIFACTS}overview-en.png` });
    expect((await stat(`${ARTIFACTS}overview-en.png`)).size).toBeGreaterThan(20_000);

    // Vietnamese: headings, column names, dates change; the numbers stay.
    await page.click('#lang-group button[data-lang="vi"]');
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Tổng quan toàn hệ thống');
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    expect(await page.locator('#agencies h2').innerText()).toBe('Cơ quan — kém nhất trước');
    expect(await page.locator('#certificates h2').innerText()).toBe('Chứng thư số hết hạn trong 30 ngày');
    expect(await page.locator('#tabs a[data-tab="trend"]').innerText()).toBe('Xu hướng');
    expect(await page.locator(`#stale-agents tr[data-agent="${staleSeed[0]!.id}"]`).innerText()).toMatch(/Không báo cáo \d+ chu kỳ/);
    const first = overview.agencies[0]!;
    expect(await page.locator(`#agencies tr[data-agency="${first.id}"] .rate-text`).innerText()).toBe(pct(first.passRate));
    await page.screenshot({ path: `${ARTIFACTS}overview-vi.png` });
    // The choice is remembered for the next visit.
    await page.reload();
    await ready(page, 'overview');
    expect(await page.locator('main h1').innerText()).toBe('Tổng quan toàn hệ thống');
    await page.click('#lang-group button[data-lang="en"]');
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Fleet overview');
    await context.close();
  });

  it('drills agency → system → finding and shows the evidence and the rule history', async () => {
    const agency = fleet.agencies[0]!;
    const agencies = (await api<ApiPage<AgencyRow>>('/agencies')).items;
    const systems = (await api<ApiPage<SystemRow>>(`/systems?agency=${agency.id}`)).items;
    const { context, page } = await newPage();
    await page.goto(`${base}#token=${encodeURIComponent(viewer)}`);
    await ready(page, 'overview');

    await page.click(`#agencies tr[data-agency="${agency.id}"] a`);
    await ready(page, 'agency');
    expect(await page.locator('main h1').innerText()).toBe(agency.name);
    expect(await page.locator('#tile-rate .tile-value').innerText()).toBe(pct(agencies.find((a) => a.id === agency.id)!.passRate));
    expect(await page.locator('#systems tbody tr').count()).toBe(systems.length);
    for (const s of systems) {
      const row = page.locator(`#systems tr[data-system="${s.id}"]`);
      if (s.name) expect(await row.innerText()).toContain(s.name);
      if (s.level) expect(await row.innerText()).toContain(`L${s.level}`);
    }

    // The system with the expired certificate (system B of agent 0).
    const sys = agency.agents[0]!.systems[1]!;
    const failed = (
      await api<ApiPage<FindingRow>>(`/findings?agency=${agency.id}&system=${encodeURIComponent(sys.id)}&outcome=fail&limit=1000`)
    ).items;
    expect(failed.length).toBeGreaterThan(0);
    await page.click(`#systems tr[data-system="${sys.id}"] a`);
    await ready(page, 'system');
    expect(await page.locator('main h1').innerText()).toBe(sys.name);
    expect(await page.locator('#findings article.finding').count()).toBe(failed.length);

    const expired = failed.find((f) => f.ruleId === 'TLS-CERT-EXPIRED');
    expect(expired).toBeDefined();
    const card = page.locator(`article.finding[data-rule="TLS-CERT-EXPIRED"][data-target="${expired!.target}"]`);
    const cardText = await card.innerText();
    expect(cardText).toContain(expired!.message.en);
    expect(cardText).toContain(expired!.target);
    expect(cardText.toUpperCase()).toContain(expired!.severity.toUpperCase());
    if (expired!.remediation) expect(cardText).toContain(expired!.remediation.en);
    for (const ref of expired!.references) expect(cardText).toContain(ref);

    // Evidence: every fact the API gives, as a key/value list, opened on demand.
    const evidence = card.locator('details.evidence');
    expect(await evidence.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(false);
    await evidence.locator('summary').click();
    const facts = evidence.locator('dl.facts');
    await expect.poll(() => facts.isVisible()).toBe(true);
    const keys = Object.keys(expired!.evidence);
    expect(keys.length).toBeGreaterThan(0);
    const shownKeys = await facts.locator(':scope > dt').evaluateAll((dts) => dts.map((d) => d.textContent));
    expect(shownKeys).toEqual(keys);
    const notAfter = String(expired!.evidence['leaf.notAfter']);
    expect(await facts.innerText()).toContain(notAfter);
    expect(await facts.innerText()).toContain(String(expired!.evidence['leaf.daysToExpiry']));

    // History: one mark per stored scan of this rule on this target, failures as filled squares.
    const history = (
      await api<ApiPage<HistoryPoint>>(
        `/history?agency=${agency.id}&system=${encodeURIComponent(sys.id)}&rule=TLS-CERT-EXPIRED&target=${encodeURIComponent(expired!.target)}`,
      )
    ).items;
    expect(history).toHaveLength(DAYS);
    await card.locator('details.history summary').click();
    const timeline = card.locator('svg.timeline');
    await expect.poll(() => timeline.count()).toBe(1);
    expect(await timeline.locator('[data-outcome]').count()).toBe(history.length);
    expect(await timeline.locator('[data-outcome="fail"]').count()).toBe(history.filter((p) => p.outcome === 'fail').length);
    expect(await card.locator('.history-summary').innerText()).toMatch(/^Fail since .* \(7 scans\) · never passed in 7 stored scans$/);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}findings-en.png` });

    // The open panels survive an automatic refresh.
    const before = await page.locator('#last-updated').getAttribute('data-at');
    await page.waitForTimeout(5); // data-at has millisecond resolution
    await page.evaluate(() => window.dispatchEvent(new Event('govscan:refresh')));
    await page.waitForFunction((at) => document.querySelector('#last-updated')?.getAttribute('data-at') !== at, before);
    expect(await card.locator('details.evidence').evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
    expect(await card.locator('details.evidence dl.facts').isVisible()).toBe(true);

    // A finding that changed over time: TLS-HSTS-MISSING failed on the first two days, passes now.
    const sysA = agency.agents[0]!.systems[0]!;
    const hstsRows = (await api<ApiPage<FindingRow>>(`/findings?agency=${agency.id}&system=${sysA.id}&rule=TLS-HSTS-MISSING&outcome=all`))
      .items;
    let changed: FindingRow | undefined;
    for (const f of hstsRows) {
      const points = (
        await api<ApiPage<HistoryPoint>>(`/history?agency=${agency.id}&rule=TLS-HSTS-MISSING&target=${encodeURIComponent(f.target)}`)
      ).items;
      if (points.some((p) => p.outcome === 'fail')) changed = f;
    }
    expect(changed?.outcome).toBe('pass');
    await page.goto(`${base}#/agency/${agency.id}/system/${sysA.id}?outcome=all`);
    await ready(page, 'system');
    const hsts = page.locator(`article.finding[data-rule="TLS-HSTS-MISSING"][data-target="${changed!.target}"]`);
    await page.click('details.passes > summary');
    await hsts.locator('details.history summary').click();
    await expect.poll(() => hsts.locator('svg.timeline [data-outcome]').count()).toBe(DAYS);
    expect(await hsts.locator('svg.timeline [data-outcome="fail"]').count()).toBe(2);
    expect(await hsts.locator('.history-summary').innerText()).toMatch(/^Pass since .* \(5 scans\) · fixed .+$/);
    await context.close();
  });

  it('draws one trend point per seeded day', async () => {
    const agency = fleet.agencies[0]!;
    const trend = (await api<ApiPage<TrendPoint>>(`/trend?agency=${agency.id}&days=30`)).items;
    expect(trend).toHaveLength(DAYS);
    const { context, page } = await newPage();
    await page.goto(`${base}#token=${encodeURIComponent(viewer)}`);
    await ready(page, 'overview');
    await page.goto(`${base}#/agency/${agency.id}`);
    await ready(page, 'agency');
    await page.screenshot({ path: `${ARTIFACTS}agency-en.png`, fullPage: true });
    const points = page.locator('#trend svg circle.point');
    expect(await points.count()).toBe(DAYS);
    const days = await points.evaluateAll((cs) => cs.map((c) => c.getAttribute('data-day')));
    expect(days).toEqual(trend.map((p) => p.day).sort());
    const rates = await points.evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('data-rate'))));
    expect(rates).toEqual([...trend].sort((x, y) => (x.day < y.day ? -1 : 1)).map((p) => p.passRate));

    // The trend screen: the whole fleet plus one chart per agency.
    await page.click('#tabs a[data-tab="trend"]');
    await ready(page, 'trend');
    for (const a of fleet.agencies) {
      const own = (await api<ApiPage<TrendPoint>>(`/trend?agency=${a.id}&days=30`)).items;
      expect(await page.locator(`.multiple[data-agency="${a.id}"] svg circle.point`).count()).toBe(own.length);
    }
    const allDays = new Set((await api<ApiPage<TrendPoint>>('/trend?days=30')).items.map((p) => p.day));
    expect(await page.locator('#trend-fleet svg circle.point').count()).toBe(allDays.size);
    await page.screenshot({ path: `${ARTIFACTS}trend-en.png`, fullPage: true });
    await context.close();
  });

  it('refreshes on its own without reloading the page, and says so when the server is unreachable', async () => {
    const { context, page } = await newPage({ allowNetworkErrors: true });
    await page.goto(`${base}?refresh=2#token=${encodeURIComponent(viewer)}`);
    await ready(page, 'overview');
    const first = await page.locator('#last-updated').getAttribute('data-at');
    await page.evaluate(() => (window.marker = 42));
    await page.waitForFunction((at) => document.querySelector('#last-updated')?.getAttribute('data-at') !== at, first, { timeout: 15_000 });
    expect(await page.evaluate(() => window.marker)).toBe(42);
    expect(await page.evaluate("performance.getEntriesByType('navigation').length")).toBe(1);
    expect(await page.locator('#agencies tbody tr').count()).toBe(3);

    // The server goes away: the last good picture stays, and the header says how old it is.
    const lastGood = await page.locator('#last-updated').getAttribute('data-at');
    await context.route(`${base}api/**`, (route) => route.abort('failed'));
    await page.waitForFunction(() => document.querySelector('#freshness.stale') !== null, undefined, { timeout: 15_000 });
    expect(await page.locator('#freshness').innerText()).toMatch(/^Update failed at .* — showing data from /);
    expect(await page.locator('#agencies tbody tr').count()).toBe(3);
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('ready');
    await page.screenshot({ path: `${ARTIFACTS}overview-stale-en.png` });
    // It comes back: the warning clears on the next refresh, still without a reload.
    await context.unroute(`${base}api/**`);
    await page.waitForFunction(
      (at) => {
        const el = document.querySelector('#last-updated');
        return el !== null && el.getAttribute('data-at') !== at;
      },
      lastGood,
      { timeout: 15_000 },
    );
    expect(await page.locator('#freshness.stale').count()).toBe(0);
    expect(await page.evaluate(() => window.marker)).toBe(42);
    await context.close();
  });

  it('passes ?staleAfter= from the address to the API', async () => {
    const lenient = await api<FleetOverview>('/overview?staleAfter=1000');
    expect(lenient.totals.staleAgents).toBe(0);
    const { context, page } = await newPage();
    await page.goto(`${base}?staleAfter=1000#token=${encodeURIComponent(viewer)}`);
    await ready(page, 'overview');
    expect(await page.locator('#tile-stale .tile-value').innerText()).toBe('0');
    expect(await page.locator('#stale-agents').innerText()).toContain('Every agent is reporting on time (6).');
    await context.close();
  });

  it('sends a bad token back to sign-in with a message, then accepts a good one', async () => {
    const { context, page } = await newPage({ allow401: true });
    const bad = 'gsv_nosuchtoken.AAAAAAAAAAAAAAAAAAAAAAAA';
    await page.goto(`${base}#token=${bad}`);
    await page.waitForFunction(() => document.body.dataset.state === 'signin');
    const error = page.locator('#signin-error');
    expect(await error.innerText()).toContain('The token was not accepted');
    expect(await page.evaluate(() => sessionStorage.getItem('govscan.token'))).toBeNull();
    expect(page.url()).not.toContain(bad);
    await page.screenshot({ path: `${ARTIFACTS}signin-error-en.png` });

    await page.fill('#token', viewer);
    await page.click('form.signin button[type="submit"]');
    await ready(page, 'overview');
    expect(await page.locator('#agencies tbody tr').count()).toBe(3);

    // Signing out forgets the token.
    await page.click('#signout');
    await page.waitForFunction(() => document.body.dataset.state === 'signin');
    expect(await page.evaluate(() => sessionStorage.getItem('govscan.token'))).toBeNull();
    await context.close();
  });

  it('made no request off loopback, never put a token in a URL, and logged no console error', () => {
    expect(allRequests.length).toBeGreaterThan(20);
    expect(offLoopback).toEqual([]);
    expect(allRequests.filter((u) => !u.startsWith(base))).toEqual([]);
    expect(allRequests.filter((u) => u.includes(viewer) || /[?&]token=/.test(u))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
