import { describe, expect, it } from 'vitest';
import { summaryLine, toTable } from '../../src/report/table.js';
import { summarize } from '../../src/report/summary.js';
import { bareTarget, inventoryTarget, makeReport } from './fixture.js';

const ANSI = /\x1b\[[0-9;]*m/;

function lines(text: string): string[] {
  return text.split('\n');
}

describe('toTable', () => {
  it('ends with the summary line in English', () => {
    const out = toTable(makeReport(), { lang: 'en', color: false });
    expect(lines(out).at(-2)).toBe('2 targets · 4 failed (1 critical, 2 high, 1 medium) · 2 passed · 4 not tested · 1 n/a');
    expect(out.endsWith('\n')).toBe(true);
  });

  it('ends with the summary line in Vietnamese', () => {
    const out = toTable(makeReport(), { lang: 'vi', color: false });
    expect(lines(out).at(-2)).toBe(
      '2 đối tượng quét · 4 không đạt (1 nghiêm trọng, 2 cao, 1 trung bình) · 2 đạt · 4 chưa kiểm tra · 1 không áp dụng',
    );
    expect(out).toContain('hệ thống: cong-dvc — Cổng dịch vụ công tỉnh (cấp độ 3)');
    expect(out).toContain('khai báo tại:');
    expect(out).toContain('NGHIÊM TRỌNG');
  });

  it('prints a block per target with system, source and failures by severity', () => {
    const out = toTable(makeReport(), { lang: 'en', color: false });
    const text = lines(out);
    const a = text.indexOf(inventoryTarget.key);
    const b = text.indexOf(bareTarget.key);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    expect(text[a + 1]).toBe(`  system: cong-dvc — Cổng dịch vụ công tỉnh (level 3) · declared at: ${inventoryTarget.source!.file}:12`);
    const rows = text.slice(a + 2, a + 5);
    expect(
      rows.map((r) =>
        r
          .trim()
          .split(/\s{2,}/)
          .slice(0, 2),
      ),
    ).toEqual([
      ['CRITICAL', 'VN-TLS-CERT-EXPIRY'],
      ['HIGH', 'VN-TLS-PROTOCOL-MIN'],
      ['MEDIUM', 'VN-TLS-HSTS'],
    ]);
    expect(rows[0]).toContain('certificate expired 3 days ago (expected at least 30 days left, found -3)');
    // A bare URL has no system or source: straight to its findings.
    expect(text[b + 1]).toMatch(/^ {2}HIGH +VN-IPV6-WEB-AAAA +portal\.example\.gov\.vn:8443: no AAAA record/);
    expect(text[b + 2]).toBe('  not tested: 4 — connect ECONNREFUSED 192.0.2.20:8443 (3), tls.endpoint timed out after 10000 ms (1)');
  });

  it('aligns the rule and message columns across all targets', () => {
    const out = toTable(makeReport(), { lang: 'vi', color: false, showPassed: true });
    const rows = lines(out).filter((l) => /^ {2}\S.*VN-[A-Z0-9-]+ {2}/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(6);
    const ruleCols = new Set(rows.map((r) => r.indexOf('VN-')));
    expect(ruleCols.size).toBe(1);
    const messageCols = new Set(rows.map((r) => r.search(/(?<=VN-[A-Z0-9-]+ +)\S/)));
    expect(messageCols.size).toBe(1);
  });

  it('lists passed checks only when asked', () => {
    const hidden = toTable(makeReport(), { lang: 'en', color: false });
    expect(hidden).not.toMatch(/^ {2}PASS /m);
    const shown = toTable(makeReport(), { lang: 'en', color: false, showPassed: true });
    expect(shown).toMatch(/^ {2}PASS +VN-IPV6-WEB-AAAA +dichvucong\.tayninh\.gov\.vn has a global IPv6 address$/m);
  });

  it('shows waived findings with their justification', () => {
    const report = makeReport();
    const f = report.findings.find((x) => x.ruleId === 'VN-TLS-HSTS' && x.outcome === 'fail')!;
    f.outcome = 'waived';
    f.reason = 'HSTS set at the load balancer from Q3';
    // The summary line reads the report's own summary (lean reports only count passes).
    report.summary = summarize(report.targets, report.findings);
    const out = toTable(report, { lang: 'en', color: false });
    expect(out).toMatch(/^ {2}WAIVED +VN-TLS-HSTS +.* — HSTS set at the load balancer from Q3$/m);
    expect(lines(out).at(-2)).toBe('2 targets · 3 failed (1 critical, 2 high) · 2 passed · 4 not tested · 1 n/a · 1 waived');
  });

  it('uses colour only when asked', () => {
    expect(toTable(makeReport(), { lang: 'en', color: false })).not.toMatch(ANSI);
    const coloured = toTable(makeReport(), { lang: 'en', color: true });
    expect(coloured).toMatch(ANSI);
    // Colour never shifts the columns: stripped, it is the plain table.
    expect(coloured.replace(new RegExp(ANSI.source, 'g'), '')).toBe(toTable(makeReport(), { lang: 'en', color: false }));
  });

  it('never wraps: one line per finding even with newlines in a message', () => {
    const report = makeReport();
    report.findings[0]!.message.en = 'line one\nline two\n';
    const out = toTable(report, { lang: 'en', color: false });
    expect(out).toContain('dichvucong.tayninh.gov.vn:443: line one line two');
  });

  it('says so when a target has no failures, and handles an empty report', () => {
    const report = makeReport();
    report.findings = report.findings.filter((f) => f.target !== bareTarget.key || f.outcome !== 'fail');
    expect(toTable(report, { lang: 'en', color: false })).toContain(`${bareTarget.key}\n  no failed checks\n  not tested: 4`);
    const empty = { ...makeReport(), targets: [], findings: [], summary: summarize([], []) };
    expect(lines(toTable(empty, { lang: 'en', color: false })).at(-2)).toBe('0 targets · 0 failed · 0 passed · 0 not tested · 0 n/a');
  });

  it('summaryLine agrees with the table', () => {
    const report = makeReport();
    expect(lines(toTable(report, { lang: 'en', color: false })).at(-2)).toBe(summaryLine(report, 'en'));
    expect(summaryLine({ summary: summarize([inventoryTarget], []) }, 'en')).toMatch(/^1 target · /);
  });
});
