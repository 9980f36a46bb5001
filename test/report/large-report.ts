// Large reports generated from the one real fixture report (test/fixtures/server/report-agency.json):
// as many targets, failed findings and waivers as a test needs, valid against report.schema.json, in
// well under a second for 100,000s of findings. Each target copies a real one under a new name and
// carries `failedPerTarget` copies of a real failed finding, each its own rule id.

import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Finding, Report, ReportWaiver, Target } from '../../src/core/types.js';

const TEMPLATE = JSON.parse(readFileSync('test/fixtures/server/report-agency.json', 'utf8')) as Report;

export interface LargeReportOptions {
  targets: number;
  failedPerTarget: number;
  /** Waivers listed in the report (each matching nothing): the table prints two lines per waiver. */
  waivers?: number;
  /** Changes fingerprints of every other target, so two reports differ (report diff). */
  variant?: number;
}

function largeReport(opts: LargeReportOptions): Report {
  const baseTarget = TEMPLATE.targets[0] as Target;
  const failed = TEMPLATE.findings.find((f) => f.outcome === 'fail') as Finding;
  const targets: Target[] = [];
  const findings: Finding[] = [];
  for (let t = 0; t < opts.targets; t++) {
    const host = `host-${t}.example.gov.vn`;
    const key = `https://${host}:443`;
    targets.push({ ...baseTarget, key, host, port: 443 });
    const moved = opts.variant !== undefined && t % 2 === 1 ? `-${opts.variant}` : '';
    for (let r = 0; r < opts.failedPerTarget; r++) {
      const ruleId = `GEN-RULE-${r}`;
      // Only what a reader needs: the file stays ~250 bytes per finding, so reading it back is quick.
      findings.push({
        ...failed,
        title: { en: 'Expires soon', vi: 'Sắp hết hạn' },
        references: [],
        evidence: {},
        remediation: { en: 'Renew.', vi: 'Gia hạn.' },
        ruleId,
        target: key,
        fingerprint: `${(t * opts.failedPerTarget + r).toString(16).padStart(24, '0')}${moved.padEnd(8, '0').replace('-', 'f')}`,
        message: { en: `${host}: expires soon`, vi: `${host}: sắp hết hạn` },
      });
    }
  }
  const waivers: ReportWaiver[] = [];
  for (let w = 0; w < (opts.waivers ?? 0); w++) {
    waivers.push({
      id: `waivers.yaml:${w * 6 + 2}`,
      rule: `GEN-RULE-${w}`,
      target: `nothing-${w}.example.gov.vn`,
      justification: 'Accepted while the replacement is installed.',
      approver: 'CISO',
      expires: '2099-12-31',
      expired: false,
      waived: 0,
      expiredMatches: 0,
      source: { file: 'waivers.yaml', line: w * 6 + 2, column: 5 },
    } as ReportWaiver);
  }
  const total = findings.length;
  return {
    ...TEMPLATE,
    run: { ...TEMPLATE.run, ...(waivers.length ? { waivers: 'waivers.yaml' } : {}) },
    targets,
    attempts: [],
    findings,
    ipv6Scores: [],
    summary: {
      targets: targets.length,
      findings: { fail: total, pass: 0, 'not-tested': 0, 'not-applicable': 0, waived: 0 },
      failedBySeverity: { critical: 0, high: 0, medium: total, low: 0, info: 0, [failed.severity]: total },
    },
    ...(waivers.length ? { waivers } : {}),
  };
}

export async function writeLargeReport(file: string, opts: LargeReportOptions): Promise<Report> {
  const report = largeReport(opts);
  await writeFile(file, JSON.stringify(report));
  return report;
}
