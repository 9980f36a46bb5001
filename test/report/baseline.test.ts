// Baselines and report diffs on recorded reports: JSON and SARIF read alike, matching by rule id and
// fingerprint only, baselined findings kept visible but out of --fail-on.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { InputError } from '../../src/core/errors.js';
import type { Finding, Report } from '../../src/core/types.js';
import { applyBaseline, findingKey, parseRecordedReport, toBaseline } from '../../src/report/baseline.js';
import { diffReports, diffToJson, diffToTable } from '../../src/report/diff.js';
import { toJson } from '../../src/report/json.js';
import { writeSarif } from '../../src/report/sarif.js';
import { exceedsThreshold, summarize } from '../../src/report/summary.js';
import { toTable } from '../../src/report/table.js';
import { CWD, clone, makeReport } from './fixture.js';

const DIR = 'test/fixtures/baselines';
const failedKeys = (r: Report): string[] =>
  r.findings
    .filter((f) => f.outcome === 'fail')
    .map(findingKey)
    .sort();

function rejection(text: string, file: string): InputError {
  try {
    parseRecordedReport(text, file);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error(`${file} was accepted`);
}

describe('parseRecordedReport', () => {
  it('reads the failed findings of a JSON report, and which were not tested', () => {
    const report = makeReport();
    const recorded = parseRecordedReport(toJson(report), 'main.json');
    expect(recorded.format).toBe('json');
    expect(recorded.findings.map(findingKey).sort()).toEqual(failedKeys(report));
    expect(recorded.findings[0]).toMatchObject({
      ruleId: 'VN-TLS-CERT-EXPIRY',
      target: 'https://dichvucong.tayninh.gov.vn:443',
      outcome: 'fail',
      severity: 'critical',
    });
    expect(recorded.notTested.size).toBe(4);
  });

  it('reads the same findings from the SARIF of the same run', () => {
    const report = makeReport();
    const recorded = parseRecordedReport(writeSarif(report, { lang: 'vi', cwd: CWD }), 'main.sarif');
    expect(recorded.format).toBe('sarif');
    expect(recorded.findings.map(findingKey).sort()).toEqual(failedKeys(report));
    expect(recorded.findings.find((f) => f.ruleId === 'VN-IPV6-WEB-AAAA')).toMatchObject({
      target: 'https://portal.example.gov.vn:8443',
      severity: 'high',
    });
  });

  it('reads waived SARIF results (suppressions) as waived', () => {
    const report = makeReport();
    const f = report.findings.find((x) => x.ruleId === 'VN-TLS-HSTS' && x.outcome === 'fail')!;
    f.outcome = 'waived';
    const recorded = parseRecordedReport(writeSarif(report, { lang: 'en', cwd: CWD }), 'main.sarif');
    expect(recorded.findings.find((x) => x.ruleId === 'VN-TLS-HSTS')?.outcome).toBe('waived');
  });

  it.each([
    [
      'other-tool.sarif',
      'test/fixtures/baselines/other-tool.sarif: runs[0] was not written by govscan (tool.driver.name "CodeQL"): a baseline must be a govscan report',
    ],
    [
      'no-fingerprint.sarif',
      'test/fixtures/baselines/no-fingerprint.sarif: runs[0].results[0] has no ruleId or partialFingerprints.primaryLocationLineHash to match findings by',
    ],
    [
      'not-a-report.json',
      "test/fixtures/baselines/not-a-report.json: not a govscan JSON report: / must have required property 'schemaVersion'; / must have required property 'tool'; / must have required property 'run' (and 5 more)",
    ],
  ])('rejects %s with a message naming the file', (name, message) => {
    const file = `${DIR}/${name}`;
    expect(rejection(readFileSync(file, 'utf8'), file).message).toBe(message);
  });

  it('rejects text that is not JSON, with its position when the parser gives one', () => {
    const file = `${DIR}/truncated.json`;
    // Node 20 says "Unexpected end of JSON input" without a position; later versions add one.
    expect(rejection(readFileSync(file, 'utf8'), file).message).toMatch(
      /^test\/fixtures\/baselines\/truncated\.json(?::\d+:\d+)?: not a JSON document: /,
    );
    expect(rejection('{"a": 1,, "b": 2}', 'x.json').message).toMatch(/^x\.json:1:\d+: not a JSON document: /);
  });

  it('rejects SARIF of another version', () => {
    expect(rejection('{"version":"2.0.0","runs":[]}', 'x.sarif').message).toBe(
      'x.sarif: SARIF version "2.0.0" is not supported (expected 2.1.0)',
    );
  });
});

describe('applyBaseline', () => {
  it('marks failed findings already in the baseline, keeps them visible, and leaves the new ones counting', () => {
    const before = makeReport();
    // The old run did not have the IPv6 failure: it is what this change introduced.
    before.findings = before.findings.filter((f) => f.ruleId !== 'VN-IPV6-WEB-AAAA');
    const baseline = toBaseline(parseRecordedReport(toJson(before), 'main.json'));
    const now = makeReport();
    const marked = applyBaseline(now.findings, baseline);
    expect(marked).toHaveLength(now.findings.length);
    expect(
      marked
        .filter((f) => f.baselined)
        .map((f) => f.ruleId)
        .sort(),
    ).toEqual(['VN-TLS-CERT-EXPIRY', 'VN-TLS-HSTS', 'VN-TLS-PROTOCOL-MIN']);
    expect(exceedsThreshold(marked, 'high')).toBe(true);
    expect(
      exceedsThreshold(
        marked.filter((f) => f.ruleId !== 'VN-IPV6-WEB-AAAA'),
        'critical',
      ),
    ).toBe(false);
    const summary = summarize(now.targets, marked);
    expect(summary.baselined).toBe(3);
    // Baselined findings are still failures: the summary and the report show them as such.
    expect(summary.findings.fail).toBe(4);
  });

  it('matches by rule and target fingerprint, never by message', () => {
    const before = makeReport();
    for (const f of before.findings) f.message = { en: 'worded differently', vi: 'cách diễn đạt khác' };
    const baseline = toBaseline(parseRecordedReport(writeSarif(before, { lang: 'en', cwd: CWD }), 'main.sarif'));
    const marked = applyBaseline(makeReport().findings, baseline);
    expect(marked.filter((f) => f.outcome === 'fail').every((f) => f.baselined)).toBe(true);
    expect(exceedsThreshold(marked, 'info')).toBe(false);

    // Same message, other target: a new finding.
    const moved: Finding = { ...makeReport().findings[0]!, target: 'https://other.gov.vn:443', fingerprint: 'f'.repeat(32) };
    expect(applyBaseline([moved], baseline)[0]?.baselined).toBeUndefined();
  });

  it('does not take a finding the baseline recorded as waived: once the waiver lapses it counts again', () => {
    const before = makeReport();
    const hsts = before.findings.find((f) => f.ruleId === 'VN-TLS-HSTS' && f.outcome === 'fail')!;
    hsts.outcome = 'waived';
    for (const text of [toJson(before), writeSarif(before, { lang: 'en', cwd: CWD })]) {
      const baseline = toBaseline(parseRecordedReport(text, 'main'));
      const marked = applyBaseline(makeReport().findings, baseline);
      expect(marked.find((f) => f.ruleId === 'VN-TLS-HSTS' && f.outcome === 'fail')?.baselined).toBeUndefined();
      expect(marked.find((f) => f.ruleId === 'VN-TLS-CERT-EXPIRY' && f.outcome === 'fail')?.baselined).toBe(true);
    }
  });

  it('does not mark waived, passed or not-tested findings', () => {
    const report = makeReport();
    const baseline = { file: 'b', keys: new Set(report.findings.map(findingKey)) };
    const out = applyBaseline(report.findings, baseline);
    expect(out.filter((f) => f.baselined).every((f) => f.outcome === 'fail')).toBe(true);
    expect(out.filter((f) => f.outcome !== 'fail')).toEqual(report.findings.filter((f) => f.outcome !== 'fail'));
  });

  it('shows baselined findings marked in the table, with a count in the summary line', () => {
    const report = makeReport();
    report.run.baseline = 'main.json';
    report.findings = applyBaseline(report.findings, { file: 'main.json', keys: new Set([findingKey(report.findings[0]!)]) });
    report.summary = summarize(report.targets, report.findings);
    const en = toTable(report, { lang: 'en', color: false });
    expect(en).toMatch(/^ {2}CRITICAL +VN-TLS-CERT-EXPIRY +.*certificate expired 3 days ago .* \[in baseline\]$/m);
    expect(en.trimEnd().split('\n').at(-1)).toMatch(/ · 1 in baseline$/);
    expect(toTable(report, { lang: 'vi', color: false })).toMatch(/\[có trong báo cáo mốc \(baseline\)\]$/m);
  });

  it('marks SARIF results new or unchanged when a baseline was given', () => {
    const report = makeReport();
    report.run.baseline = 'main.sarif';
    report.findings = applyBaseline(report.findings, { file: 'main.sarif', keys: new Set([findingKey(report.findings[0]!)]) });
    const log = JSON.parse(writeSarif(report, { lang: 'en', cwd: CWD })) as {
      runs: Array<{ results: Array<{ ruleId: string; baselineState?: string }> }>;
    };
    const states = log.runs.flatMap((r) => r.results.map((x) => `${x.ruleId}:${x.baselineState ?? '-'}`)).sort();
    expect(states).toEqual(['VN-IPV6-WEB-AAAA:new', 'VN-TLS-CERT-EXPIRY:unchanged', 'VN-TLS-HSTS:new', 'VN-TLS-PROTOCOL-MIN:new']);
    const plain = JSON.parse(writeSarif(makeReport(), { lang: 'en', cwd: CWD })) as typeof log;
    expect(plain.runs.flatMap((r) => r.results).every((x) => x.baselineState === undefined)).toBe(true);
  });
});

describe('diffReports', () => {
  function pair(): { old: Report; now: Report } {
    const old = makeReport();
    const now = clone(old);
    // Fixed since: HSTS on A now passes. New: TLS 1.0 on A was... kept; IPv6 on B is new.
    old.findings = old.findings.filter((f) => !(f.ruleId === 'VN-IPV6-WEB-AAAA' && f.outcome === 'fail'));
    const hsts = now.findings.find((f) => f.ruleId === 'VN-TLS-HSTS' && f.outcome === 'fail')!;
    hsts.outcome = 'pass';
    // The protocol finding is waived in the new run.
    now.findings.find((f) => f.ruleId === 'VN-TLS-PROTOCOL-MIN' && f.outcome === 'fail')!.outcome = 'waived';
    return { old, now };
  }

  it('lists new, fixed and unchanged findings by rule and fingerprint', () => {
    const { old, now } = pair();
    const diff = diffReports(parseRecordedReport(toJson(old), 'old.json'), parseRecordedReport(toJson(now), 'new.json'));
    expect(diff.summary).toEqual({ new: 1, fixed: 1, unchanged: 2, notRetested: 0 });
    expect(diff.findings.new.map((e) => e.ruleId)).toEqual(['VN-IPV6-WEB-AAAA']);
    expect(diff.findings.fixed.map((e) => e.ruleId)).toEqual(['VN-TLS-HSTS']);
    expect(diff.findings.unchanged.map((e) => [e.ruleId, e.outcome, e.previousOutcome])).toEqual([
      ['VN-TLS-CERT-EXPIRY', 'fail', undefined],
      ['VN-TLS-PROTOCOL-MIN', 'waived', 'fail'],
    ]);
  });

  it('gives the same answer from SARIF, and from a mix of SARIF and JSON', () => {
    const { old, now } = pair();
    const fromJson = diffReports(parseRecordedReport(toJson(old), 'old'), parseRecordedReport(toJson(now), 'new'));
    const fromSarif = diffReports(
      parseRecordedReport(writeSarif(old, { lang: 'en', cwd: CWD }), 'old'),
      parseRecordedReport(writeSarif(now, { lang: 'vi', cwd: CWD }), 'new'),
    );
    const keys = (d: typeof fromJson): Record<string, string[]> =>
      Object.fromEntries(Object.entries(d.findings).map(([k, v]) => [k, v.map((e) => e.fingerprint)]));
    expect(keys(fromSarif)).toEqual(keys(fromJson));
  });

  it('does not call a finding fixed when the new run could not test it', () => {
    const old = makeReport();
    const now = clone(old);
    const expiry = now.findings.find((f) => f.ruleId === 'VN-TLS-CERT-EXPIRY' && f.outcome === 'fail')!;
    expiry.outcome = 'not-tested';
    const diff = diffReports(parseRecordedReport(toJson(old), 'old'), parseRecordedReport(toJson(now), 'new'));
    expect(diff.findings.fixed).toEqual([]);
    expect(diff.findings.notRetested.map((e) => e.ruleId)).toEqual(['VN-TLS-CERT-EXPIRY']);
  });

  it('renders a table in either language and JSON', () => {
    const { old, now } = pair();
    const diff = diffReports(parseRecordedReport(toJson(old), 'old.json'), parseRecordedReport(toJson(now), 'new.json'));
    const en = diffToTable(diff, 'en');
    expect(en.split('\n')[0]).toBe('govscan report diff: old.json → new.json');
    expect(en).toMatch(
      /^New \(1\):\n {2}HIGH +VN-IPV6-WEB-AAAA +https:\/\/portal\.example\.gov\.vn:8443 +portal\.example\.gov\.vn:8443: no AAAA record/m,
    );
    expect(en).toMatch(/^Fixed \(1\):\n {2}MEDIUM +VN-TLS-HSTS /m);
    expect(en).toMatch(/VN-TLS-PROTOCOL-MIN .* \[waived\]$/m);
    expect(en.trimEnd().split('\n').at(-1)).toBe('1 new · 1 fixed · 2 unchanged');
    const vi = diffToTable(diff, 'vi');
    expect(vi).toMatch(/^Mới \(1\):$/m);
    expect(vi).toMatch(/^Đã khắc phục \(1\):$/m);
    expect(vi.trimEnd().split('\n').at(-1)).toBe('1 mới · 1 đã khắc phục · 2 không đổi');
    expect(JSON.parse(diffToJson(diff))).toMatchObject({ schemaVersion: 1, old: 'old.json', new: 'new.json', summary: diff.summary });
  });
});
