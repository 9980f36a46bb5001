// The table's post-quantum readiness line: counted from the findings of the rules tagged
// post-quantum, each endpoint once, in English and Vietnamese; absent when no such rule was judged.

import { describe, expect, it } from 'vitest';
import type { Finding, Outcome, Report } from '../../src/core/types.js';
import { pqReadinessLines } from '../../src/report/pq-readiness.js';
import { toTable } from '../../src/report/table.js';
import { clone, makeReport } from './fixture.js';

function withPq(outcomes: [string, Outcome][]): Report {
  const report = clone(makeReport());
  const [template] = report.findings;
  if (!template) throw new Error('the fixture report has no finding');
  report.rules.push({
    ...clone(report.rules[0]!),
    id: 'TLS-PQ-KEX-MISSING',
    severity: 'info',
    tags: ['tls', 'crypto', 'kex', 'post-quantum'],
  });
  for (const [target, outcome] of outcomes) {
    const f: Finding = { ...clone(template), ruleId: 'TLS-PQ-KEX-MISSING', target, outcome, severity: 'info' };
    report.findings.push(f);
  }
  return report;
}

describe('post-quantum readiness', () => {
  it('counts the endpoints that pass, names those that fail, and counts those not tested', () => {
    const report = withPq([
      ['https://a.gov.vn:443', 'pass'],
      ['https://b.gov.vn:443', 'fail'],
      ['https://c.gov.vn:443', 'pass'],
      ['https://d.gov.vn:443', 'not-tested'],
    ]);
    expect(pqReadinessLines(report, 'en')).toEqual([
      'Post-quantum key exchange readiness (TLS endpoints selecting X25519MLKEM768 or another ML-KEM hybrid; informational, never fails a run)',
      '  2 of 3 ready (67 %) · not ready: https://b.gov.vn:443 · not tested: 1',
    ]);
    expect(pqReadinessLines(report, 'vi')[1]).toBe(
      '  2 trên 3 đã sẵn sàng (67 %) · chưa sẵn sàng: https://b.gov.vn:443 · chưa kiểm tra được: 1',
    );
    const table = toTable(report, { lang: 'en', color: false });
    expect(table).toContain('2 of 3 ready (67 %)');
  });

  it('names ten endpoints that are not ready and counts the rest', () => {
    const many = Array.from({ length: 12 }, (_, i): [string, Outcome] => [`https://h${String(i).padStart(2, '0')}.gov.vn:443`, 'fail']);
    const line = pqReadinessLines(withPq(many), 'en')[1] ?? '';
    expect(line).toContain('0 of 12 ready (0 %)');
    expect(line).toContain('https://h09.gov.vn:443 and 2 more');
    expect(line).not.toContain('h10');
  });

  it('says nothing when no post-quantum rule was judged', () => {
    expect(pqReadinessLines(makeReport(), 'en')).toEqual([]);
    expect(toTable(makeReport(), { lang: 'en', color: false })).not.toContain('Post-quantum');
  });
});
