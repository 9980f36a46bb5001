// `govscan demo --agency`: the README's example agency, run out of the box. The servers its inventory
// and evidence name listen on 127.0.0.1 for the run, so its TLS endpoint and live layer-2/4 probes are
// judged (not "not tested: ECONNREFUSED") and the report shows the example's intended defects. Its
// report is then opened as the HTML report in Chromium, as a manager sees it (one file: the lab's
// ports are fixed, so no other test file starts it). Screenshots go to test-artifacts/html-screens/.

import { createServer } from 'node:net';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/types.js';
import { launchChromium } from '../../src/lab/browser.js';
import { runCli } from '../helpers/cli.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/html-screens/', import.meta.url));
let agencyReport: Report | undefined;
const work = await mkdtemp(join(tmpdir(), 'govscan-demo-agency-'));

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('govscan demo --agency', () => {
  it('scans the example agency against its own lab servers: every rule judged, the intended defects found', { timeout: 120_000 }, async () => {
    const r = await runCli(['demo', '--agency', '--format', 'json', '--quiet'], { timeoutMs: 110_000 });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    agencyReport = report;
    expect(report.run.agency).toContain('Ví Dụ');
    const notTested = report.findings.filter((f) => f.outcome === 'not-tested');
    expect(notTested.map((f) => `${f.ruleId} ${f.target}: ${f.reason}`)).toEqual([]);
    const outcome = (rule: string, target: string): string | undefined => report.findings.find((f) => f.ruleId === rule && f.target === target)?.outcome;
    // The portal's TLS endpoint answers with a sound certificate.
    const tls = report.findings.filter((f) => f.target === 'tls://127.0.0.1:8443');
    expect(tls.length).toBeGreaterThan(5);
    expect(tls.filter((f) => f.outcome === 'fail').map((f) => f.ruleId)).toEqual([]);
    // cong-dvc is the complete system: its collector and NCSC endpoint are reachable.
    expect(outcome('FOURLAYER-MONITORING-LIVE', 'system://cong-dvc')).toBe('pass');
    expect(outcome('FOURLAYER-NCSC-LIVE', 'system://cong-dvc')).toBe('pass');
    expect(report.findings.filter((f) => f.target === 'system://cong-dvc' && f.outcome === 'fail').map((f) => f.ruleId)).toEqual([]);
    // The defects the README describes.
    expect(outcome('EVIDENCE-DOC-TAMPERED', 'system://cong-ttdt')).toBe('fail');
    expect(outcome('SECLEVEL-APPRAISER', 'system://mot-cua')).toBe('fail');
  });

  it('says which port is taken instead of scanning against a stranger', { timeout: 60_000 }, async () => {
    const squatter = createServer();
    squatter.listen({ host: '127.0.0.1', port: 6515, exclusive: true });
    await once(squatter, 'listening');
    try {
      const r = await runCli(['demo', '--agency', '--quiet', '--lang', 'vi']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('127.0.0.1:6515 đang được dùng');
      expect(r.stderr).toContain('điểm kết nối NCSC');
      expect(r.stdout).toBe('');
    } finally {
      squatter.close();
    }
  });
});

// What the browser evaluates (the DOM types are not in this project's lib).
declare const document: { title: string; querySelectorAll(s: string): ArrayLike<{ textContent: string | null; getClientRects(): ArrayLike<unknown>; closest(s: string): unknown }> };

describe('the example agency as an HTML report in Chromium', () => {
  it('keeps rule ids on one line, says why a rule did not apply in words (never CEL), and renders remediation code safely', { timeout: 120_000 }, async () => {
    if (!agencyReport) throw new Error('the demo run above did not produce a report');
    // A remediation that tries markup: it must show as text, its code span as code.
    const report = structuredClone(agencyReport);
    const failed = report.findings.find((f) => f.outcome === 'fail' && f.ruleId === 'SECLEVEL-APPRAISER');
    if (!failed?.remediation) throw new Error('SECLEVEL-APPRAISER did not fail with a remediation');
    const attack = '<img src=x onerror="document.title=1">';
    failed.remediation = { en: `${failed.remediation.en} Never ${attack}.`, vi: `${failed.remediation.vi} Không ${attack}.` };
    const json = join(work, 'agency.json');
    await writeFile(json, JSON.stringify(report));
    await mkdir(ARTIFACTS, { recursive: true });
    const browser = await launchChromium();
    try {
      for (const lang of ['en', 'vi'] as const) {
        const html = join(work, `agency-${lang}.html`);
        const r = await runCli(['report', 'convert', json, '--to', 'html', '--lang', lang, '-o', html]);
        expect(r.code, r.stderr).toBe(0);
        for (const [device, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 360, height: 780 }]] as const) {
          const context = await browser.newContext({ viewport, offline: true });
          const page = await context.newPage();
          await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
          const title = await page.title();
          const seen = await page.evaluate(() => {
            const ids = [...Array.from(document.querySelectorAll('code.rid, a.rid code, span.rid'))];
            return {
              ids: ids.map((el) => ({ id: el.textContent ?? '', lines: el.getClientRects().length })),
              images: document.querySelectorAll('img').length,
              remediationCode: Array.from(document.querySelectorAll('#failed td code')).map((el) => el.textContent ?? ''),
            };
          });
          // Every rule id on one line box: none broken as TLS-HSTS-MISSIN|G.
          expect(seen.ids.length).toBeGreaterThan(20);
          expect(seen.ids.filter((i) => i.lines !== 1)).toEqual([]);
          expect(seen.images).toBe(0);
          expect(title).not.toBe('1');
          expect(seen.remediationCode).toContain('appraisal:');
          expect(await page.locator('#failed').innerText()).toContain(attack);
          // Not-applicable rows of the targets (the TLS endpoint's web-only rules) say why in words.
          const targets = await page.locator('#targets').innerText();
          expect(targets).not.toMatch(/target\.kind|facts\.|==|&&/);
          expect(targets).toContain(lang === 'en' ? 'conditions of application do not hold' : 'điều kiện áp dụng của quy tắc không thỏa');
          // Built-in rules link to their reference page.
          expect(await page.locator('a.rid').count()).toBeGreaterThan(20);
          // What a reviewer looks at: the first failed findings, and the TLS endpoint with its not-applicable rows.
          for (const [name, selector] of [['failed', '#failed'], ['targets', '#targets article.target']] as const) {
            const box = await page.locator(selector).first().boundingBox();
            if (!box) throw new Error(`${selector} is not shown`);
            await page.screenshot({ path: join(ARTIFACTS, `agency-${lang}-${device}-${name}.png`), fullPage: true, clip: { x: 0, y: box.y, width: viewport.width, height: Math.min(box.height, 900) } });
          }
          await context.close();
        }
      }
    } finally {
      await browser.close();
    }
  });
});
