import { describe, expect, it } from 'vitest';
import { githubSarifFiles } from '../../src/report/github.js';
import { validateSarif } from '../helpers/sarif.js';
import { CWD, clone, fingerprint, makeReport } from './fixture.js';

describe('SARIF for GitHub: one file per category', () => {
  it('puts each policy run in its own valid file, with distinct categories and no waived results', () => {
    const report = clone(makeReport());
    const waivedOne = report.findings.find((f) => f.ruleId === 'VN-TLS-HSTS' && f.outcome === 'fail');
    if (!waivedOne) throw new Error('fixture');
    waivedOne.outcome = 'waived';
    const files = githubSarifFiles(report, { lang: 'en', cwd: CWD });
    expect(files.map((f) => f.name)).toEqual(['govscan-vn-ct02-2022.sarif', 'govscan-vn-tls-2024.sarif']);
    expect(files.map((f) => f.category)).toEqual(['govscan/vn-ct02-2022/so-tt-tt-tay-ninh/', 'govscan/vn-tls-2024/so-tt-tt-tay-ninh/']);
    for (const f of files) {
      expect(validateSarif(f.log)).toEqual([]);
      expect(f.log.runs).toHaveLength(1);
      expect(f.log.runs[0]?.results?.some((r) => r.suppressions)).toBe(false);
    }
    expect(files[0]?.log.runs[0]?.results?.map((r) => r.ruleId)).not.toContain('VN-TLS-HSTS');
  });

  it('respects GitHub limits: at most 20 categories, 25,000 results per run', () => {
    const report = clone(makeReport());
    const base = report.findings.find((f) => f.outcome === 'fail' && f.policyId === 'vn-tls-2024');
    if (!base) throw new Error('fixture');
    for (let i = 0; i < 25_010; i++) {
      const target = `https://h${i}.example.gov.vn:443`;
      report.findings.push({ ...base, target, fingerprint: fingerprint(base.ruleId, target) });
    }
    for (let i = 0; i < 21; i++) {
      const id = `extra-${String(i).padStart(2, '0')}`;
      report.policies.push({ ...report.policies[0]!, id });
      report.findings.push({ ...base, policyId: id });
    }
    const files = githubSarifFiles(report, { lang: 'en', cwd: CWD });
    expect(files).toHaveLength(20);
    expect(new Set(files.map((f) => f.category)).size).toBe(20);
    const tls = files.find((f) => f.name === 'govscan-vn-tls-2024.sarif');
    expect(tls?.log.runs[0]?.results).toHaveLength(25_000);
    expect(tls?.log.runs[0]?.invocations?.[0]?.toolExecutionNotifications?.[0]?.message.text).toMatch(/kept 25000 of 25012/);
  });

  it('keeps categories distinct when two policy ids collapse to the same slug', () => {
    const report = clone(makeReport());
    report.policies.push({ ...report.policies[1]!, id: 'vn/tls/2024' });
    report.findings.push({
      ...report.findings.find((f) => f.policyId === 'vn-tls-2024' && f.outcome === 'fail')!,
      policyId: 'vn/tls/2024',
    });
    // vn/tls/2024 → vn-tls-2024 in the id: same as the real vn-tls-2024.
    const files = githubSarifFiles(report, { lang: 'en', cwd: CWD });
    expect(new Set(files.map((f) => f.category)).size).toBe(files.length);
    expect(new Set(files.map((f) => f.name)).size).toBe(files.length);
  });
});
