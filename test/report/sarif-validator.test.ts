// The validator must catch broken logs, or every "passes validateSarif" assertion elsewhere is vacuous.

import { describe, expect, it } from 'vitest';
import type { Log, Result, Run } from 'sarif';
import { toSarif } from '../../src/report/sarif.js';
import { validateSarif } from '../helpers/sarif.js';
import { CWD, clone, makeReport } from './fixture.js';

function validLog(): Log {
  return toSarif(makeReport(), { lang: 'en', cwd: CWD });
}

function firstResult(log: Log): Result {
  const r = log.runs.find((run) => (run.results ?? []).length > 0)?.results?.[0];
  if (!r) throw new Error('fixture has no results');
  return r;
}

function firstRun(log: Log): Run {
  const run = log.runs[0];
  if (!run) throw new Error('fixture has no runs');
  return run;
}

function broken(mutate: (log: Log) => void): string[] {
  const log = clone(validLog());
  mutate(log);
  return validateSarif(log);
}

describe('validateSarif', () => {
  it('accepts the reference log', () => {
    expect(validateSarif(validLog())).toEqual([]);
  });

  it.each([
    ['file:///srv/govscan-ci/inventory/tay-ninh.yaml', /has a scheme/],
    ['https://dichvucong.tayninh.gov.vn:443', /has a scheme/],
    ['/srv/govscan-ci/inventory/tay-ninh.yaml', /is absolute/],
    ['C:\\govscan\\inventory.yaml', /Windows absolute|has a scheme/],
    ['inventory\\tay-ninh.yaml', /backslashes/],
  ])('rejects the artifact URI %s', (uri, problem) => {
    const problems = broken((log) => {
      firstResult(log).locations![0]!.physicalLocation!.artifactLocation!.uri = uri;
    });
    expect(problems.some((p) => p.startsWith('github:') && problem.test(p))).toBe(true);
  });

  it('rejects an absolute URI in run.artifacts too', () => {
    const problems = broken((log) => {
      firstRun(log).artifacts = [{ location: { uri: 'file:///etc/passwd' } }];
    });
    expect(problems).toEqual([expect.stringMatching(/runs\[0\]\.artifacts\[0\]\.location\.uri .* has a scheme/)]);
  });

  it('rejects a result without primaryLocationLineHash', () => {
    const problems = broken((log) => {
      delete firstResult(log).partialFingerprints;
    });
    expect(problems).toEqual([expect.stringMatching(/has no partialFingerprints\.primaryLocationLineHash/)]);
  });

  it('rejects a rule without security-severity, or with one out of range', () => {
    const missing = broken((log) => {
      delete firstRun(log).tool.driver.rules![0]!.properties!['security-severity'];
    });
    expect(missing).toEqual([expect.stringMatching(/security-severity.*found undefined/)]);
    const outOfRange = broken((log) => {
      firstRun(log).tool.driver.rules![0]!.properties!['security-severity'] = '11.0';
    });
    expect(outOfRange).toEqual([expect.stringMatching(/security-severity.*"11\.0"/)]);
    const notNumber = broken((log) => {
      firstRun(log).tool.driver.rules![0]!.properties!['security-severity'] = 'high';
    });
    expect(notNumber).toHaveLength(1);
  });

  it('rejects a rule without shortDescription, fullDescription or help', () => {
    for (const field of ['shortDescription', 'fullDescription', 'help'] as const) {
      const problems = broken((log) => {
        delete firstRun(log).tool.driver.rules![0]![field];
      });
      expect(problems).toContain(`github: runs[0].tool.driver.rules[0] has no ${field}.text`);
    }
  });

  it('rejects a result without a region startLine', () => {
    const problems = broken((log) => {
      delete firstResult(log).locations![0]!.physicalLocation!.region;
    });
    expect(problems).toEqual([expect.stringMatching(/has no region\.startLine ≥ 1/)]);
  });

  it('rejects a result whose rule is not in its run', () => {
    const problems = broken((log) => {
      firstResult(log).ruleId = 'VN-NO-SUCH-RULE';
    });
    expect(problems).toEqual([expect.stringMatching(/ruleId "VN-NO-SUCH-RULE" is not among its run's rules/)]);
  });

  it('rejects two runs of one tool in the same category', () => {
    const problems = broken((log) => {
      log.runs[1]!.automationDetails = { id: log.runs[0]!.automationDetails!.id };
    });
    expect(problems).toEqual([expect.stringMatching(/share the category "govscan\/vn-ct02-2022\/so-tt-tt-tay-ninh\/"/)]);
  });

  it('rejects more than 20 runs', () => {
    const problems = broken((log) => {
      const run = log.runs[0]!;
      log.runs = Array.from({ length: 21 }, (_, i) => ({ ...clone(run), automationDetails: { id: `govscan/p${i}/adhoc/` } }));
    });
    expect(problems).toEqual(['github: 21 runs in one file (at most 20)']);
  });

  it('rejects more than 25,000 results in a run', () => {
    const problems = broken((log) => {
      const run = log.runs.find((r) => (r.results ?? []).length > 0)!;
      const r = run.results![0]!;
      run.results = Array.from({ length: 25_001 }, () => r);
    });
    expect(problems).toEqual([expect.stringMatching(/has 25001 results \(at most 25000\)/)]);
  });

  it('reports OASIS schema violations', () => {
    const problems = broken((log) => {
      (log as { version: string }).version = '2.0.0';
      (firstResult(log) as { level: string }).level = 'fatal';
    });
    expect(problems.filter((p) => p.startsWith('schema:')).length).toBeGreaterThanOrEqual(2);
  });
});
