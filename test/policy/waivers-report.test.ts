// What the reporters make of waivers: listed once (table section, JSON `waivers`), referred to by id
// from each finding, SARIF suppressions carrying the waiver's justification, and a JSON report that
// still validates against its schema and reads back as a baseline.

import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/types.js';
import { parseRecordedReport } from '../../src/report/baseline.js';
import { WaiverTally, applyWaivers, parseWaivers } from '../../src/policy/waivers.js';
import { parseJsonReport, toJson } from '../../src/report/json.js';
import { toSarif } from '../../src/report/sarif.js';
import { summarize } from '../../src/report/summary.js';
import { toTable } from '../../src/report/table.js';
import { validateSarif } from '../helpers/sarif.js';
import { CWD, makeReport } from '../report/fixture.js';

const NOW = new Date('2026-03-04T02:00:00.000Z');
const WAIVERS = `waivers:
  - rule: VN-TLS-PROTOCOL-MIN
    target: dichvucong.tayninh.gov.vn
    justification: Legacy tax kiosks need TLS 1.0 until they are replaced in June.
    approver: Lê Văn Cường, Giám đốc
    expires: 2026-06-30
  - rule: VN-TLS-HSTS
    target: "*.tayninh.gov.vn"
    justification: HSTS comes with the new load balancer.
    approver: Lê Văn Cường, Giám đốc
    expires: 2026-02-28
  - rule: VN-TLS-CERT-EXPIRY
    target: other.gov.vn
    justification: Unused on purpose.
    approver: Lê Văn Cường, Giám đốc
    expires: 2026-12-31
`;

function waivedReport(): Report {
  const report = makeReport();
  const { file, waivers } = parseWaivers(WAIVERS, 'ci/waivers.yaml');
  report.findings = applyWaivers({ findings: report.findings, waivers, now: NOW, targets: new Map(report.targets.map((t) => [t.key, t])) });
  const tally = new WaiverTally(waivers, NOW);
  tally.add(report.findings);
  report.waivers = tally.list();
  report.run.waivers = file;
  report.summary = summarize(report.targets, report.findings);
  return report;
}

describe('reports with waivers', () => {
  it('JSON lists each waiver once, findings refer to it, and the report validates and reads back', () => {
    const report = waivedReport();
    const text = toJson(report);
    expect(text.split('Legacy tax kiosks').length - 1).toBe(1);
    const back = parseJsonReport(text, 'scan.json');
    expect(back.waivers?.map((w) => [w.id, w.expired, w.waived, w.expiredMatches])).toEqual([
      ['ci/waivers.yaml:2', false, 1, 0],
      ['ci/waivers.yaml:7', true, 0, 1],
      ['ci/waivers.yaml:12', false, 0, 0],
    ]);
    expect(back.findings.find((f) => f.ruleId === 'VN-TLS-PROTOCOL-MIN')?.waiver).toEqual({
      id: 'ci/waivers.yaml:2',
      expires: '2026-06-30',
    });
    const recorded = parseRecordedReport(text, 'scan.json');
    expect(recorded.findings.find((f) => f.ruleId === 'VN-TLS-PROTOCOL-MIN')?.outcome).toBe('waived');
  });

  it('SARIF: a suppression with the waiver justification; the lapsed one is a plain result that says so', () => {
    const log = toSarif(waivedReport(), { lang: 'en', cwd: CWD });
    expect(validateSarif(log)).toEqual([]);
    const results = log.runs.flatMap((r) => r.results ?? []);
    expect(results.find((r) => r.ruleId === 'VN-TLS-PROTOCOL-MIN')?.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'Legacy tax kiosks need TLS 1.0 until they are replaced in June.',
        properties: { waiver: 'ci/waivers.yaml:2', approver: 'Lê Văn Cường, Giám đốc', expires: '2026-06-30' },
      },
    ]);
    const hsts = results.find((r) => r.ruleId === 'VN-TLS-HSTS');
    expect(hsts?.suppressions).toBeUndefined();
    expect(hsts?.message.text).toMatch(
      / — waiver ci\/waivers\.yaml:7 expired on 2026-02-28 \(approved by Lê Văn Cường, Giám đốc\): this finding counts again$/,
    );
    expect(hsts?.properties?.waiverExpired).toBe('ci/waivers.yaml:7');
    // GitHub uploads leave waived results out altogether.
    const github = toSarif(waivedReport(), { lang: 'en', cwd: CWD, includeWaived: false });
    expect(github.runs.flatMap((r) => r.results ?? []).map((r) => r.ruleId)).not.toContain('VN-TLS-PROTOCOL-MIN');
  });

  it.each(['en', 'vi'] as const)('table (%s): each waiver once in its own section, rows only name it', (lang) => {
    const out = toTable(waivedReport(), { lang, color: false });
    expect(out.split('Legacy tax kiosks').length - 1).toBe(1);
    if (lang === 'en') {
      expect(out).toMatch(/^ {2}WAIVED +VN-TLS-PROTOCOL-MIN +.* — waiver ci\/waivers\.yaml:2, until 2026-06-30$/m);
      expect(out).toContain(
        [
          'Waivers (ci/waivers.yaml):',
          '  ci/waivers.yaml:2  VN-TLS-PROTOCOL-MIN  dichvucong.tayninh.gov.vn · until 2026-06-30 · approved by Lê Văn Cường, Giám đốc · 1 waived, 0 no longer waived',
          '    Legacy tax kiosks need TLS 1.0 until they are replaced in June.',
          '  ci/waivers.yaml:7  VN-TLS-HSTS  *.tayninh.gov.vn · EXPIRED on 2026-02-28 · approved by Lê Văn Cường, Giám đốc · 0 waived, 1 no longer waived',
        ].join('\n'),
      );
    } else {
      expect(out).toMatch(/^ {2}MIỄN TRỪ +VN-TLS-PROTOCOL-MIN +.* — miễn trừ ci\/waivers\.yaml:2, đến hết 30\/06\/2026$/m);
      expect(out).toContain('Miễn trừ (ci/waivers.yaml):');
      expect(out).toContain(
        'ĐÃ HẾT HẠN ngày 28/02/2026 · người phê duyệt: Lê Văn Cường, Giám đốc · 0 được miễn trừ, 1 không còn được miễn trừ',
      );
      expect(out).toMatch(/đã hết hạn ngày 28\/02\/2026 \(người phê duyệt: Lê Văn Cường, Giám đốc\): phát hiện này được tính lại$/m);
    }
  });
});
