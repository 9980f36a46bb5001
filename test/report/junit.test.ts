import { describe, expect, it } from 'vitest';
import { toJunit } from '../../src/report/junit.js';
import { render } from '../../src/report/index.js';
import { clone, makeReport } from './fixture.js';
import { parseJunit, validateJunit } from '../helpers/junit.js';

describe('JUnit reporter', () => {
  it('is valid against the JUnit schema in both languages', async () => {
    for (const lang of ['en', 'vi'] as const) {
      expect(await validateJunit(toJunit(makeReport(), { lang }))).toEqual([]);
    }
  });

  it('has one testcase per rule × target, grouped in one suite per policy, with matching counts', async () => {
    const report = makeReport();
    const parsed = await parseJunit(render(report, 'junit', { lang: 'en' }));
    const suites = parsed.testsuite ?? [];
    expect(suites.map((s) => s.name)).toEqual([
      'vn-ct02-2022 — Directive 02/CT-TTg (2022) baseline',
      'vn-tls-2024 — TLS and digital certificates',
    ]);
    const cases = suites.flatMap((s) => s.testcase ?? []);
    expect(cases).toHaveLength(report.findings.length);
    const ids = cases.map((c) => `${c.name?.split(':')[0]}@${c.classname}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(parsed.tests).toBe(report.findings.length);
    expect(parsed.failures).toBe(report.findings.filter((f) => f.outcome === 'fail').length);
    for (const s of suites) {
      expect(s.tests).toBe(s.testcase?.length);
      expect(s.failures).toBe(s.testcase?.filter((c) => c.failure).length);
      expect(s.skipped).toBe(s.testcase?.filter((c) => c.skipped).length);
    }
  });

  it('puts the message, evidence and remediation in each failure', async () => {
    const parsed = await parseJunit(toJunit(makeReport(), { lang: 'en' }));
    const cases = (parsed.testsuite ?? []).flatMap((s) => s.testcase ?? []);
    const expiry = cases.find((c) => c.name?.startsWith('VN-TLS-CERT-EXPIRY') && c.classname === 'dichvucong.tayninh.gov.vn:443');
    const failure = expiry?.failure?.[0];
    expect(failure?.message).toBe(
      'dichvucong.tayninh.gov.vn:443: certificate expired 3 days ago (expected at least 30 days left, found -3)',
    );
    expect(failure?.type).toBe('critical');
    expect(failure?.inner).toContain('leaf.daysToExpiry = -3');
    expect(failure?.inner).toContain('leaf.notAfter = "2026-03-01T00:00:00.000Z"');
    expect(failure?.inner).toContain('Remediation: Fix VN-TLS-CERT-EXPIRY on the server.');
    expect(failure?.inner).toContain('inventory/tay-ninh.yaml:12');
    // Not tested and not applicable are skipped with their reason, never failures.
    const notTested = cases.find((c) => c.name?.startsWith('VN-TLS-HSTS') && c.classname === 'portal.example.gov.vn:8443');
    expect(notTested?.failure).toBeUndefined();
    expect(notTested?.skipped?.[0]?.message).toBe('NOT TESTED: connect ECONNREFUSED 192.0.2.20:8443');
    const passed = cases.find((c) => c.name?.startsWith('VN-TLS-OCSP-STAPLING') && c.classname === 'dichvucong.tayninh.gov.vn:443');
    expect(passed?.failure ?? passed?.skipped).toBeUndefined();
  });

  it('writes Vietnamese with --lang vi', async () => {
    const parsed = await parseJunit(toJunit(makeReport(), { lang: 'vi' }));
    const cases = (parsed.testsuite ?? []).flatMap((s) => s.testcase ?? []);
    const failure = cases.find((c) => c.name?.startsWith('VN-TLS-CERT-EXPIRY') && c.failure)?.failure?.[0];
    expect(failure?.message).toMatch(/chứng thư số đã hết hạn/);
    expect(failure?.type).toBe('nghiêm trọng');
    expect(failure?.inner).toContain('Biện pháp khắc phục: Khắc phục VN-TLS-CERT-EXPIRY trên máy chủ.');
    expect(cases.some((c) => c.skipped?.[0]?.message?.startsWith('CHƯA KIỂM TRA'))).toBe(true);
  });

  it('survives markup, CDATA terminators and control characters in messages and evidence', async () => {
    const report = clone(makeReport());
    const f = report.findings.find((x) => x.outcome === 'fail' && x.ruleId === 'VN-TLS-HSTS');
    if (!f) throw new Error('fixture has a failure');
    f.message.en = 'bad <b>"header"</b> & ]]> \u0001 tail';
    f.evidence = { 'http.header': 'x]]>y<script>\u0007', nested: { a: [1, '&'] } };
    report.policies[0]!.title.en = 'A & B <policy>';
    const xml = toJunit(report, { lang: 'en' });
    expect(await validateJunit(xml)).toEqual([]);
    const cases = ((await parseJunit(xml)).testsuite ?? []).flatMap((s) => s.testcase ?? []);
    const failure = cases.find((c) => c.failure?.[0]?.message?.includes('"header"'))?.failure?.[0];
    expect(failure?.message).toContain('bad <b>"header"</b> & ]]> \uFFFD tail');
    expect(failure?.inner).toContain('http.header = "x]]>y<script>\\u0007"');
  });

  it('the schema check is not a rubber stamp', async () => {
    const xml = toJunit(makeReport(), { lang: 'en' });
    expect(await validateJunit(xml.replace(/ tests="\d+"/, ' tests="many"'))).not.toEqual([]);
    expect(await validateJunit(xml.replace('<testcase name=', '<testcase nom='))).not.toEqual([]);
  });

  it('is valid for an empty report', async () => {
    const report = clone(makeReport());
    report.findings = [];
    report.policies = [];
    report.targets = [];
    expect(await validateJunit(toJunit(report, { lang: 'en' }))).toEqual([]);
  });
});
