import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../src/core/types.js';
import { exceedsThreshold, severityRank, summarize } from '../../src/report/summary.js';
import { makeReport } from './fixture.js';

function only(outcome: Finding['outcome'], severity: Severity): Finding[] {
  const f = makeReport().findings[0]!;
  return [{ ...f, outcome, severity }];
}

describe('summary', () => {
  it('counts outcomes and failures by severity', () => {
    const r = makeReport();
    expect(summarize(r.targets, r.findings)).toEqual({
      targets: 2,
      findings: { pass: 2, fail: 4, 'not-applicable': 1, 'not-tested': 4, waived: 0 },
      failedBySeverity: { critical: 1, high: 2, medium: 1, low: 0, info: 0 },
    });
  });

  it('ranks severities, most severe highest', () => {
    expect((['info', 'low', 'medium', 'high', 'critical'] as const).map(severityRank)).toEqual([0, 1, 2, 3, 4]);
  });

  it('exceeds the threshold on a failure at or above it only', () => {
    expect(exceedsThreshold(only('fail', 'high'), 'high')).toBe(true);
    expect(exceedsThreshold(only('fail', 'critical'), 'high')).toBe(true);
    expect(exceedsThreshold(only('fail', 'medium'), 'high')).toBe(false);
    expect(exceedsThreshold(only('fail', 'info'), 'info')).toBe(true);
    expect(exceedsThreshold(only('fail', 'critical'), 'none')).toBe(false);
    for (const outcome of ['pass', 'waived', 'not-tested', 'not-applicable'] as const) {
      expect(exceedsThreshold(only(outcome, 'critical'), 'info')).toBe(false);
    }
    expect(exceedsThreshold(makeReport().findings, 'critical')).toBe(true);
    expect(exceedsThreshold([], 'info')).toBe(false);
  });
});
