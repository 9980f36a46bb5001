// The HTML report as a manager gets it: standalone (nothing fetched), summary first, in the chosen
// language — checked on the markup here, and in a real headless Chromium in html-chromium.test.ts.

import { describe, expect, it } from 'vitest';
import { toHtml } from '../../src/report/html.js';
import { render } from '../../src/report/index.js';
import { clone, makeReport } from './fixture.js';

describe('HTML reporter', () => {
  it('references nothing outside the file: no scripts, stylesheets, fonts, images or frames to fetch', () => {
    const html = toHtml(makeReport(), { lang: 'en' });
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<(img|iframe|object|embed|video|audio)\b/i);
    expect(html).not.toMatch(/\bsrc\s*=/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import|@font-face/i);
    expect(html).toContain(`Content-Security-Policy" content="default-src 'none'`);
  });

  it('puts the summary first, then failures, then targets', () => {
    const html = toHtml(makeReport(), { lang: 'en' });
    const at = (id: string): number => html.indexOf(`<section id="${id}"`);
    expect(at('summary')).toBeGreaterThan(0);
    expect(at('summary')).toBeLessThan(at('failed'));
    expect(at('failed')).toBeLessThan(at('targets'));
    expect(at('targets')).toBeLessThan(at('not-tested'));
    expect(at('not-tested')).toBeLessThan(at('policies'));
    // 4 failures, 2 at or above high (critical expiry, high protocol; the IPv6 high fails too).
    expect(html).toMatch(/3 finding\(s\) at or above “high”/);
    expect(html).toContain('Sở TT&amp;TT Tây Ninh');
  });

  it('writes every heading in Vietnamese with lang vi, and declares the language', () => {
    const html = render(makeReport(), 'html', { lang: 'vi' });
    expect(html).toContain('<html lang="vi">');
    for (const text of [
      'Báo cáo kiểm tra tuân thủ an toàn thông tin',
      'Tóm tắt',
      'Các kiểm tra không đạt',
      'Kết quả theo đối tượng quét',
      'Bộ quy tắc và căn cứ pháp lý',
      'nghiêm trọng',
      'chứng thư số đã hết hạn',
    ]) {
      expect(html).toContain(text);
    }
    expect(html).not.toMatch(/>(Summary|Failed checks|Results by target)</);
  });

  it('escapes whatever a server or policy put in a message', () => {
    const report = clone(makeReport());
    report.findings[0]!.message.en = '<script>alert(1)</script> & "quoted"';
    report.findings[0]!.evidence = { header: '<img src=x onerror=alert(1)>' };
    const html = toHtml(report, { lang: 'en' });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;');
  });

  it('says so plainly when nothing failed', () => {
    const report = clone(makeReport());
    report.findings = report.findings.filter((f) => f.outcome !== 'fail');
    report.summary.findings.fail = 0;
    for (const k of Object.keys(report.summary.failedBySeverity) as Array<keyof typeof report.summary.failedBySeverity>)
      report.summary.failedBySeverity[k] = 0;
    const html = toHtml(report, { lang: 'en' });
    expect(html).toContain('No failed finding at or above “high”.');
    expect(html).toContain('No check failed.');
  });
});
