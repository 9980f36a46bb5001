// The HTML report opened in a real headless Chromium: it renders from a file:// URL with the network
// refused, makes no request but its own, shows the summary in the first screen (screenshot kept in
// test-artifacts/), and prints to A4.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { toHtml } from '../../src/report/html.js';
import { makeReport } from './fixture.js';
import { launchChromium } from '../../src/lab/browser.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
let browser: Browser;

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('HTML report in headless Chromium', () => {
  it.each(['en', 'vi'] as const)('opens offline and shows the summary first (%s)', async (lang) => {
    const file = `${ARTIFACTS}html-report-${lang}.html`;
    await writeFile(file, toHtml(makeReport(), { lang }));
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await context.route(/^(?!file:)/, (route) => route.abort());
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    expect(requests).toEqual([pathToFileURL(file).href]);
    const summary = page.locator('#summary');
    expect(await summary.isVisible()).toBe(true);
    const box = await summary.boundingBox();
    expect(box?.y ?? Infinity).toBeLessThan(900);
    const text = await summary.innerText();
    if (lang === 'vi') {
      expect(text).toContain('Tóm tắt');
      expect(text).toMatch(/3 phát hiện có mức độ từ “cao” trở lên/);
    } else {
      expect(text).toContain('Summary');
      expect(text).toMatch(/3 finding\(s\) at or above “high”/);
    }
    // The verdict is the first thing under the title: above every other section.
    const failedTop = (await page.locator('#failed').boundingBox())?.y ?? 0;
    expect(box?.y ?? Infinity).toBeLessThan(failedTop);

    const shot = `${ARTIFACTS}html-report-${lang}.png`;
    await page.screenshot({ path: shot });
    expect((await stat(shot)).size).toBeGreaterThan(10_000);

    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    await writeFile(`${ARTIFACTS}html-report-${lang}.pdf`, pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await context.close();
  });
});
