import { describe, expect, it } from 'vitest';
import type { Log, Result, Run } from 'sarif';
import type { Finding, PolicyRef, Report } from '../../src/core/types.js';
import { GITHUB_LIMITS, SECURITY_SEVERITY, pascalCase, slugify, toSarif, writeSarif } from '../../src/report/sarif.js';
import { summarize } from '../../src/report/summary.js';
import { validateSarif } from '../helpers/sarif.js';
import { CWD, bareTarget, clone, fingerprint, inventoryTarget, makeReport } from './fixture.js';

function runFor(log: Log, policy: string): Run {
  const run = log.runs.find((r) => (r.properties?.policy as { id?: string } | undefined)?.id === policy);
  if (!run) throw new Error(`no run for ${policy}`);
  return run;
}

function resultsFor(log: Log, target: string): Result[] {
  return log.runs.flatMap((r) => r.results ?? []).filter((r) => r.properties?.target === target);
}

function allArtifactUris(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) allArtifactUris(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'artifactLocation' && v && typeof v === 'object' && 'uri' in v) out.push(String((v as { uri: unknown }).uri));
      allArtifactUris(v, out);
    }
  }
  return out;
}

describe('toSarif', () => {
  it.each(['en', 'vi'] as const)('passes the OASIS schema and the GitHub rules (%s)', (lang) => {
    const log = toSarif(makeReport(), { lang, cwd: CWD });
    expect(validateSarif(log)).toEqual([]);
    // And the string writer emits the same document.
    expect(JSON.parse(writeSarif(makeReport(), { lang, cwd: CWD }))).toEqual(log);
  });

  it('writes one run per policy with a distinct category naming policy and agency', () => {
    const log = toSarif(makeReport(), { lang: 'en', cwd: CWD });
    expect(log.version).toBe('2.1.0');
    expect(log.runs.map((r) => r.automationDetails?.id)).toEqual([
      'govscan/vn-ct02-2022/so-tt-tt-tay-ninh/',
      'govscan/vn-tls-2024/so-tt-tt-tay-ninh/',
    ]);
    const adhoc = makeReport();
    delete adhoc.run.agency;
    adhoc.targets = adhoc.targets.map((t) => ({ ...t, agency: undefined }));
    expect(toSarif(adhoc, { lang: 'en', cwd: CWD }).runs[0]?.automationDetails?.id).toBe('govscan/vn-ct02-2022/adhoc/');
  });

  it('describes the tool and every rule of the policy the way GitHub reads them', () => {
    const log = toSarif(makeReport(), { lang: 'en', cwd: CWD });
    const run = runFor(log, 'vn-tls-2024');
    const driver = run.tool.driver;
    expect(driver.name).toBe('govscan');
    expect(driver.version).toBe('0.1.0');
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules?.map((r) => r.id)).toEqual([
      'VN-TLS-CERT-EXPIRY',
      'VN-TLS-PROTOCOL-MIN',
      'VN-TLS-OCSP-STAPLING',
      'VN-TLS-KEY-INFO',
    ]);
    const expiry = driver.rules?.[0];
    expect(expiry).toMatchObject({
      name: 'VnTlsCertExpiry',
      shortDescription: { text: 'Certificate not expired' },
      fullDescription: { text: 'Certificate not expired: the endpoint must comply.' },
      defaultConfiguration: { level: 'error' },
      properties: { 'security-severity': '9.5', precision: 'high' },
    });
    expect(expiry?.properties?.tags).toEqual(['security', 'tls', 'certificate']);
    expect(expiry?.help?.text).toContain('Fix VN-TLS-CERT-EXPIRY on the server.');
    expect(expiry?.help?.text).toContain('TCVN 11930:2017');
    expect(expiry?.help?.markdown).toContain('**Legal basis**');
    expect(expiry?.help?.markdown).toContain('- vn-tls-2024 VN-TLS-CERT-EXPIRY');
    const scores = Object.fromEntries((driver.rules ?? []).map((r) => [r.id, r.properties?.['security-severity']]));
    expect(scores).toEqual({
      'VN-TLS-CERT-EXPIRY': '9.5',
      'VN-TLS-PROTOCOL-MIN': '8.0',
      'VN-TLS-OCSP-STAPLING': '3.0',
      'VN-TLS-KEY-INFO': '1.0',
    });
    const levels = Object.fromEntries((driver.rules ?? []).map((r) => [r.id, r.defaultConfiguration?.level]));
    expect(levels).toEqual({
      'VN-TLS-CERT-EXPIRY': 'error',
      'VN-TLS-PROTOCOL-MIN': 'error',
      'VN-TLS-OCSP-STAPLING': 'note',
      'VN-TLS-KEY-INFO': 'note',
    });
  });

  it('localizes rule texts and messages', () => {
    const log = toSarif(makeReport(), { lang: 'vi', cwd: CWD });
    const run = runFor(log, 'vn-tls-2024');
    expect(run.language).toBe('vi-VN');
    expect(run.tool.driver.rules?.[0]?.shortDescription?.text).toBe('Chứng thư số còn hạn');
    expect(run.tool.driver.rules?.[0]?.help?.text).toContain('Căn cứ pháp lý');
    expect(run.results?.[0]?.message.text).toBe(
      'dichvucong.tayninh.gov.vn:443: chứng thư số đã hết hạn 3 ngày (yêu cầu còn ít nhất 30 ngày, thực tế -3)',
    );
  });

  it('emits results only for failed findings, most severe first, with the right ruleIndex and level', () => {
    const log = toSarif(makeReport(), { lang: 'en', cwd: CWD });
    const tls = runFor(log, 'vn-tls-2024');
    expect(tls.results?.map((r) => [r.ruleId, r.level, r.properties?.target])).toEqual([
      ['VN-TLS-CERT-EXPIRY', 'error', inventoryTarget.key],
      ['VN-TLS-PROTOCOL-MIN', 'error', inventoryTarget.key],
    ]);
    for (const run of log.runs) {
      for (const r of run.results ?? []) expect(run.tool.driver.rules?.[r.ruleIndex ?? -1]?.id).toBe(r.ruleId);
    }
    const ct02 = runFor(log, 'vn-ct02-2022');
    expect(ct02.results?.map((r) => [r.ruleId, r.level, r.properties?.target])).toEqual([
      ['VN-IPV6-WEB-AAAA', 'error', bareTarget.key],
      ['VN-TLS-HSTS', 'warning', inventoryTarget.key],
    ]);
  });

  it('points an inventory target at its file and line, relative to cwd', () => {
    const log = toSarif(makeReport(), { lang: 'en', cwd: CWD });
    const [r] = resultsFor(log, inventoryTarget.key);
    expect(r?.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'inventory/tay-ninh.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 12, startColumn: 9 },
        },
        logicalLocations: [
          { name: 'dichvucong.tayninh.gov.vn:443', fullyQualifiedName: 'https://dichvucong.tayninh.gov.vn:443', kind: 'resource' },
        ],
      },
    ]);
    expect(r?.properties).toMatchObject({ system: 'cong-dvc', declaredAt: 'inventory/tay-ninh.yaml:12' });
  });

  it('points a bare URL at a synthetic targets/<host>/<port> path', () => {
    const log = toSarif(makeReport(), { lang: 'en', cwd: CWD });
    const [r] = resultsFor(log, bareTarget.key);
    expect(r?.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'targets/portal.example.gov.vn/8443', uriBaseId: '%SRCROOT%' },
          region: { startLine: 1 },
        },
        logicalLocations: [
          { name: 'portal.example.gov.vn:8443', fullyQualifiedName: 'https://portal.example.gov.vn:8443', kind: 'resource' },
        ],
      },
    ]);
    expect(r?.properties?.system).toBeNull();
  });

  it('never writes a scheme or an absolute path into an artifact location', () => {
    const report = makeReport();
    report.targets.push(
      // Relative already, with a Vietnamese file name.
      { ...inventoryTarget, key: 'https://a.gov.vn:443', host: 'a.gov.vn', source: { file: 'kiểm kê/đơn vị.yaml', line: 3, column: 1 } },
      // Outside cwd: meaningless to GitHub, so it falls back to the synthetic path.
      { ...inventoryTarget, key: 'https://b.gov.vn:443', host: 'b.gov.vn', source: { file: '/etc/govscan/inv.yaml', line: 4, column: 1 } },
      // IPv6 literal.
      { ...bareTarget, key: 'tls://[2001:db8::1]:993', kind: 'host', scheme: 'tls', host: '2001:db8::1', port: 993 },
    );
    for (const key of ['https://a.gov.vn:443', 'https://b.gov.vn:443', 'tls://[2001:db8::1]:993']) {
      report.findings.push({ ...report.findings[0]!, target: key, fingerprint: fingerprint('VN-TLS-CERT-EXPIRY', key) });
    }
    const log = toSarif(report, { lang: 'en', cwd: CWD });
    expect(validateSarif(log)).toEqual([]);
    const uris = allArtifactUris(log);
    expect(uris).toContain('inventory/tay-ninh.yaml');
    expect(uris).toContain('kiểm kê/đơn vị.yaml'.split('/').map(encodeURIComponent).join('/'));
    expect(uris).toContain('targets/b.gov.vn/443');
    expect(uris).toContain('targets/2001%3Adb8%3A%3A1/993');
    for (const uri of uris) {
      expect(uri).not.toMatch(/^[a-z][a-z0-9+.-]*:/i);
      expect(uri).not.toContain('://');
      expect(uri.startsWith('/')).toBe(false);
      expect(uri.startsWith('..')).toBe(false);
    }
    const ipv6 = resultsFor(log, 'tls://[2001:db8::1]:993')[0];
    expect(ipv6?.locations?.[0]?.logicalLocations?.[0]?.name).toBe('[2001:db8::1]:993');
    expect(ipv6?.message.text).toMatch(/^\[2001:db8::1\]:993: /);
  });

  it('fingerprints results by rule and target only', () => {
    const a = makeReport();
    const b = makeReport();
    for (const f of b.findings) {
      f.message = { en: `${f.message.en} (reworded)`, vi: `${f.message.vi} (diễn đạt lại)` };
      f.evidence = { changed: true };
    }
    b.targets = b.targets.map((t) => (t.source ? { ...t, source: { ...t.source, line: t.source.line + 5 } } : t));
    const la = toSarif(a, { lang: 'en', cwd: CWD });
    const lb = toSarif(b, { lang: 'en', cwd: CWD });
    const prints = (log: Log): string[] =>
      log.runs.flatMap((r) => (r.results ?? []).map((x) => x.partialFingerprints?.primaryLocationLineHash ?? ''));
    const texts = (log: Log): string[] => log.runs.flatMap((r) => (r.results ?? []).map((x) => x.message.text ?? ''));
    expect(prints(lb)).toEqual(prints(la));
    expect(texts(lb)).not.toEqual(texts(la));
    expect(prints(la)).toEqual([
      fingerprint('VN-IPV6-WEB-AAAA', bareTarget.key),
      fingerprint('VN-TLS-HSTS', inventoryTarget.key),
      fingerprint('VN-TLS-CERT-EXPIRY', inventoryTarget.key),
      fingerprint('VN-TLS-PROTOCOL-MIN', inventoryTarget.key),
    ]);
    expect(new Set(prints(la)).size).toBe(4);
  });

  it('carries severity, outcome, evidence, target and system in the result properties', () => {
    const log = toSarif(makeReport(), { lang: 'en', cwd: CWD });
    const r = runFor(log, 'vn-tls-2024').results?.[0];
    expect(r?.properties).toMatchObject({
      severity: 'critical',
      outcome: 'fail',
      target: inventoryTarget.key,
      system: 'cong-dvc',
      evidence: { 'leaf.daysToExpiry': -3, 'leaf.notAfter': '2026-03-01T00:00:00.000Z' },
    });
  });

  it('names the endpoint in the message even when the policy text does not', () => {
    const report = makeReport();
    report.findings[0]!.message = { en: 'certificate expired', vi: 'chứng thư số hết hạn' };
    const log = toSarif(report, { lang: 'en', cwd: CWD });
    expect(runFor(log, 'vn-tls-2024').results?.[0]?.message.text).toBe('dichvucong.tayninh.gov.vn:443: certificate expired');
  });

  it('records the invocation', () => {
    const log = toSarif(makeReport(), { lang: 'en', cwd: CWD });
    expect(log.runs[0]?.invocations).toEqual([
      {
        executionSuccessful: true,
        startTimeUtc: '2026-03-04T02:00:00.000Z',
        endTimeUtc: '2026-03-04T02:00:03.250Z',
        machine: 'ci-runner-7',
      },
    ]);
  });

  it('writes waived findings as externally suppressed results, or leaves them out', () => {
    const report = makeReport();
    const waived = report.findings.find((f) => f.ruleId === 'VN-TLS-PROTOCOL-MIN' && f.outcome === 'fail')!;
    waived.outcome = 'waived';
    waived.reason = 'Legacy tax kiosk clients; approved by CIO until 2026-06-30';
    const soc = toSarif(report, { lang: 'en', cwd: CWD });
    expect(validateSarif(soc)).toEqual([]);
    const r = runFor(soc, 'vn-tls-2024').results?.find((x) => x.ruleId === 'VN-TLS-PROTOCOL-MIN');
    expect(r?.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'Legacy tax kiosk clients; approved by CIO until 2026-06-30' },
    ]);
    expect(r?.properties?.outcome).toBe('waived');
    expect(runFor(soc, 'vn-tls-2024').results?.[0]?.suppressions).toBeUndefined();

    const github = toSarif(report, { lang: 'en', cwd: CWD, includeWaived: false });
    expect(runFor(github, 'vn-tls-2024').results?.map((x) => x.ruleId)).toEqual(['VN-TLS-CERT-EXPIRY']);
  });

  it('adds a rule descriptor for a finding whose rule the report does not list', () => {
    const report = makeReport();
    report.rules = report.rules.filter((r) => r.id !== 'VN-TLS-HSTS');
    const log = toSarif(report, { lang: 'en', cwd: CWD });
    expect(validateSarif(log)).toEqual([]);
    expect(runFor(log, 'vn-ct02-2022').tool.driver.rules?.map((r) => r.id)).toEqual(['VN-IPV6-WEB-AAAA', 'VN-TLS-HSTS']);
  });

  it('keeps a run for a policy with no failures, so GitHub can close its fixed alerts', () => {
    const report = makeReport();
    report.findings = report.findings.filter((f) => f.policyId !== 'vn-tls-2024' || f.outcome !== 'fail');
    const log = toSarif(report, { lang: 'en', cwd: CWD });
    expect(runFor(log, 'vn-tls-2024').results).toEqual([]);
    expect(validateSarif(log)).toEqual([]);
  });

  it('truncates results above 25,000 per run deterministically, most severe first, and says so', () => {
    const report = makeReport();
    const base = report.findings.find((f) => f.ruleId === 'VN-TLS-OCSP-STAPLING')!;
    const extra: Finding[] = [];
    for (let i = 0; i < GITHUB_LIMITS.resultsPerRun; i++) {
      const key = `https://h${String(i).padStart(5, '0')}.example.gov.vn:443`;
      extra.push({ ...base, outcome: 'fail', target: key, fingerprint: fingerprint(base.ruleId, key) });
    }
    report.findings.push(...extra);
    report.summary = summarize(report.targets, report.findings);
    const log = toSarif(report, { lang: 'en', cwd: CWD });
    const run = runFor(log, 'vn-tls-2024');
    expect(run.results).toHaveLength(GITHUB_LIMITS.resultsPerRun);
    // The two critical/high failures survive; the lowest-sorting low ones are cut.
    expect(run.results?.slice(0, 2).map((r) => r.ruleId)).toEqual(['VN-TLS-CERT-EXPIRY', 'VN-TLS-PROTOCOL-MIN']);
    expect(run.results?.at(-1)?.properties?.target).toBe('https://h24997.example.gov.vn:443');
    expect(run.properties?.truncated).toEqual({ kept: 25_000, total: 25_002 });
    expect(run.invocations?.[0]?.toolExecutionNotifications?.[0]?.message.text).toMatch(/kept 25000 of 25002/);
    expect(validateSarif(log)).toEqual([]);
    // Same input, same output.
    expect(toSarif(report, { lang: 'en', cwd: CWD })).toEqual(log);
  });

  it('keeps at most 20 runs and names the policies left out', () => {
    const report = makeReport();
    const extra: PolicyRef[] = Array.from({ length: 21 }, (_, i) => ({
      ...report.policies[0]!,
      id: `extra-${String(i).padStart(2, '0')}`,
    }));
    report.policies.push(...extra);
    const log = toSarif(report, { lang: 'en', cwd: CWD });
    expect(log.runs).toHaveLength(20);
    expect(log.runs[0]?.properties?.droppedPolicies).toEqual(['extra-18', 'extra-19', 'extra-20']);
    expect(log.runs[0]?.invocations?.[0]?.toolExecutionNotifications?.[0]?.message.text).toContain('extra-18, extra-19, extra-20');
    expect(validateSarif(log)).toEqual([]);
  });
});

describe('helpers', () => {
  it('PascalCases rule ids', () => {
    expect(pascalCase('VN-IPV6-WEB-AAAA')).toBe('VnIpv6WebAaaa');
    expect(pascalCase('tls.cert_expiry')).toBe('TlsCertExpiry');
  });

  it('slugs Vietnamese agency names', () => {
    expect(slugify('Sở Thông tin và Truyền thông Đồng Nai')).toBe('so-thong-tin-va-truyen-thong-dong-nai');
    expect(slugify('So TT&TT Tay Ninh / VP')).toBe('so-tt-tt-tay-ninh-vp');
  });

  it('scores info above zero: GitHub treats 0 as no score', () => {
    expect(Number(SECURITY_SEVERITY.info)).toBeGreaterThan(0);
    expect(Number(SECURITY_SEVERITY.info)).toBeLessThan(Number(SECURITY_SEVERITY.low));
  });

  it('does not mutate the report', () => {
    const report: Report = makeReport();
    const before = clone(report);
    toSarif(report, { lang: 'en', cwd: CWD });
    expect(report).toEqual(before);
  });
});
