// End to end through bin/run.js against the IPv6 lab (DNS fixture on ::1, HTTP servers bound apart on
// 127.0.0.1 and ::1): every scenario reports exactly its expected rule ids in table, JSON and SARIF,
// the dual-stack domain passes everything. Every scan is pinned to the lab with --dns-server and --lab,
// so no query or connection leaves loopback.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Log } from 'sarif';
import { IPV6_SCENARIOS, startIpv6Lab, type Ipv6Lab } from '../../src/lab/dns-lab.js';
import type { Report } from '../../src/core/types.js';
import { validateSarif } from '../helpers/sarif.js';
import { runCli } from '../helpers/cli.js';

let lab: Ipv6Lab;

beforeAll(async () => {
  lab = await startIpv6Lab();
});

afterAll(async () => {
  await lab?.close();
});

const domains = IPV6_SCENARIOS.map((s) => s.domain);
const scan = (format: string, extra: string[] = [], only = domains): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  // A generous target deadline: nmap runs two at a time, and the last domains of a full scan wait their turn.
  runCli(
    [
      'scan',
      ...only,
      ...lab.args(),
      '--policy',
      'vn-ct02-2022-ipv6',
      '--format',
      format,
      '--quiet',
      '--timeout',
      '3000',
      '--target-timeout',
      '60000',
      ...extra,
    ],
    { timeoutMs: 120_000 },
  );

function failedBy(format: 'json' | 'sarif' | 'table', out: string): Map<string, string[]> {
  const by = new Map<string, string[]>();
  const add = (key: string, id: string): void => void by.set(key, [...(by.get(key) ?? []), id].sort());
  if (format === 'json') {
    for (const f of (JSON.parse(out) as Report).findings) if (f.outcome === 'fail') add(f.target, f.ruleId);
  } else if (format === 'sarif') {
    const log = JSON.parse(out) as Log;
    expect(validateSarif(log)).toEqual([]);
    for (const run of log.runs)
      for (const r of run.results ?? []) add(r.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName ?? '?', r.ruleId ?? '?');
  } else {
    let current = '';
    for (const line of out.split('\n')) {
      // The per-domain score section names rules too; it is checked on its own.
      if (/^IPv6 readiness/.test(line)) break;
      if (/^dns:\/\//.test(line)) current = line.trim();
      for (const m of line.matchAll(/\b(IPV6-[A-Z0-9-]+)\b/g)) add(current, m[1] ?? '');
    }
  }
  return by;
}

describe('govscan scan against the IPv6 lab', () => {
  for (const format of ['json', 'sarif', 'table'] as const) {
    it(`reports exactly the expected rule ids for every scenario (${format})`, async () => {
      const r = await scan(format);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect([0, 1]).toContain(r.code);
      const got = failedBy(format, r.stdout);
      const problems = IPV6_SCENARIOS.flatMap((s) => {
        const ids = got.get(`dns://${s.domain}`) ?? [];
        return JSON.stringify(ids) === JSON.stringify(s.expected)
          ? []
          : [`${s.domain}: expected ${s.expected.join(',') || 'nothing'}, got ${ids.join(',') || 'nothing'}`];
      });
      expect(problems).toEqual([]);
      if (format !== 'json') return;
      // What could not be judged says so, and nothing else is left untested in the lab.
      const untested = new Map<string, string[]>();
      for (const f of (JSON.parse(r.stdout) as Report).findings) {
        if (f.outcome !== 'not-tested') continue;
        expect(f.reason, `${f.target} ${f.ruleId}`).toBeTruthy();
        untested.set(f.target, [...(untested.get(f.target) ?? []), f.ruleId].sort());
      }
      const gaps = IPV6_SCENARIOS.flatMap((s) => {
        const ids = untested.get(`dns://${s.domain}`) ?? [];
        const want = s.notTested ?? [];
        return JSON.stringify(ids) === JSON.stringify(want)
          ? []
          : [`${s.domain}: expected not tested ${want.join(',') || 'nothing'}, got ${ids.join(',') || 'nothing'}`];
      });
      expect(gaps).toEqual([]);
    });
  }

  it('does not pass the same-site rule when neither family answered HTTP: not tested, with the reason in both languages', async () => {
    const r = await scan('json', [], ['nohttp.test']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    const same = report.findings.find((f) => f.ruleId === 'IPV6-WEB-SAME-SITE');
    expect(same?.outcome).toBe('not-tested');
    expect(same?.reason).toBe(
      'no HTTP response over IPv4 from nohttp.test:80 (none over IPv6 either), nohttp.test:443 (none over IPv6 either): nothing to compare the IPv6 site with',
    );
    expect(same?.reasonText?.vi).toMatch(/^không nhận được phản hồi HTTP qua IPv4 từ nohttp\.test:80 \(qua IPv6 cũng không\)/);
    // The ports themselves are open over both families: reachability passes.
    expect(report.findings.find((f) => f.ruleId === 'IPV6-WEB-REACH')?.outcome).toBe('pass');
    const failed = await scan('json', ['--fail-on-not-tested'], ['nohttp.test']);
    expect(failed.code).toBe(1);
  });

  it('reports a non-global AAAA of a name server and of an MX host (table, JSON, SARIF)', async () => {
    const r = await scan('table', [], ['ngmail.test']);
    expect(r.stdout).toMatch(
      /IPV6-NS-NON-GLOBAL +Zone ngmail\.test: name server\(s\) with a non-global AAAA: nsmapped\.lab\.test ::ffff:127\.0\.0\.1 \(ipv4-mapped\)/,
    );
    expect(r.stdout).toMatch(/IPV6-MX-NON-GLOBAL +MX host\(s\) of ngmail\.test with a non-global AAAA: mxula\.lab\.test fd00::25 \(ula\)/);
    expect(r.stdout).toMatch(
      /ngmail\.test +web 100 % · name servers 33 % \(IPV6-NS-AAAA, IPV6-NS-NON-GLOBAL\) · mail 0 % \(IPV6-MX-AAAA, IPV6-MX-NON-GLOBAL\)/,
    );
    const sarif = JSON.parse((await scan('sarif', [], ['ngmail.test'])).stdout) as Log;
    const ids = sarif.runs.flatMap((run) => (run.results ?? []).map((x) => x.ruleId)).sort();
    expect(ids).toEqual(['IPV6-MX-AAAA', 'IPV6-MX-NON-GLOBAL', 'IPV6-NS-AAAA', 'IPV6-NS-NON-GLOBAL']);
  });

  it('passes everything for the dual-stack domain, tests every rule, and exits 0', async () => {
    const r = await scan('json', [], ['dual.test']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    const outcomes = Object.fromEntries(report.findings.map((f) => [f.ruleId, f.outcome]));
    expect(outcomes).toEqual({
      'IPV6-WEB-AAAA': 'pass',
      'IPV6-AAAA-NON-GLOBAL': 'pass',
      'IPV6-WEB-REACH': 'pass',
      'IPV6-WEB-SAME-SITE': 'pass',
      'IPV6-PORT-PARITY': 'pass',
      'IPV6-NS-AAAA': 'pass',
      'IPV6-NS-REACH': 'pass',
      'IPV6-NS-NON-GLOBAL': 'pass',
      'IPV6-MX-AAAA': 'pass',
      'IPV6-MX-REACH': 'pass',
      'IPV6-MX-NON-GLOBAL': 'pass',
    });
    // JSON carries the facts as evidence: addresses, ports, similarity.
    const web = report.attempts.find((a) => a.check === 'ipv6.web')?.facts as {
      hosts: { aaaa: { address: string }[]; v4Open: number[]; sameSite: { similarity: number }[] }[];
    };
    expect(web.hosts[0]?.aaaa[0]?.address).toBe('::1');
    expect(web.hosts[0]?.v4Open).toEqual([80, 443]);
    expect(web.hosts[0]?.sameSite.every((c) => c.similarity >= 0.9)).toBe(true);
    expect(report.ipv6Scores?.[0]).toMatchObject({ domain: 'dual.test', score: 100 });
  });

  it('prints the IPv6 score per domain and category in the table', async () => {
    const r = await scan('table', [], ['dual.test', 'mxv4.test']);
    expect(r.stdout).toMatch(/IPv6 readiness by domain/);
    expect(r.stdout).toMatch(/dual\.test\s+web 100 % · name servers 100 % · mail 100 % · overall 100 %/);
    expect(r.stdout).toMatch(/mxv4\.test\s+web 100 % · name servers 100 % · mail 50 % \(IPV6-MX-AAAA\) · overall 83 %/);
    const vi = await scan('table', ['--lang', 'vi'], ['dual.test']);
    expect(vi.stdout).toMatch(/Mức sẵn sàng IPv6 theo tên miền/);
  });

  it('SARIF carries addresses and ports as evidence', async () => {
    const r = await scan('sarif', [], ['closed.test']);
    const log = JSON.parse(r.stdout) as Log;
    const result = log.runs.flatMap((run) => run.results ?? []).find((x) => x.ruleId === 'IPV6-WEB-REACH');
    expect(result?.message.text).toMatch(/closed\.test \[::1\] closed 80\/443/);
  });

  it('without IPv6 on the scanning host, reachability is not tested, never failed', async () => {
    const r = await scan('json', ['--ipv6-connectivity', 'no'], ['closed.test', 'nsdown.test', 'mxdown.test', 'parity.test']);
    const report = JSON.parse(r.stdout) as Report;
    const reach = report.findings.filter((f) =>
      ['IPV6-WEB-REACH', 'IPV6-NS-REACH', 'IPV6-MX-REACH', 'IPV6-PORT-PARITY'].includes(f.ruleId),
    );
    expect(reach.length).toBeGreaterThan(0);
    expect(reach.every((f) => f.outcome === 'not-tested' || f.outcome === 'not-applicable')).toBe(true);
    // Said in words, with the scanner's own reason, in both languages.
    const untested = reach.find((f) => f.outcome === 'not-tested');
    expect(untested?.reason).toMatch(/^the scanning host has no IPv6 connectivity \(.+\): nothing was tried over IPv6$/);
    expect(untested?.reasonText?.vi).toMatch(/^máy quét không có kết nối IPv6 \(.+\): chưa thử kết nối nào qua IPv6$/);
    expect(report.findings.filter((f) => f.outcome === 'fail')).toEqual([]);
  });

  it('without nmap, port parity is not tested with an install hint', async () => {
    const r = await scan('json', ['--nmap', 'govscan-no-such-nmap'], ['parity.test']);
    const report = JSON.parse(r.stdout) as Report;
    const parity = report.findings.find((f) => f.ruleId === 'IPV6-PORT-PARITY');
    expect(parity?.outcome).toBe('not-tested');
    expect(parity?.reason).toMatch(/nmap is not installed: install it \(Debian\/Ubuntu: apt-get install nmap\)/);
    expect(report.attempts.find((a) => a.check === 'ipv6.parity')?.errorKind).toBe('tool-missing');
    const table = await scan('table', ['--nmap', 'govscan-no-such-nmap', '--lang', 'vi'], ['parity.test']);
    expect(table.stdout).toMatch(/chưa cài nmap/);
  });

  it('by default a loopback answer is itself a finding, and nothing is contacted', async () => {
    const args = lab.args().filter((a) => a !== '--lab');
    const r = await runCli(
      [
        'scan',
        'dual.test',
        ...args,
        '--policy',
        'vn-ct02-2022-ipv6',
        '--format',
        'json',
        '--quiet',
        '--timeout',
        '2000',
        '--ipv6-connectivity',
        'yes',
      ],
      { timeoutMs: 60_000 },
    );
    const report = JSON.parse(r.stdout) as Report;
    const failed = report.findings
      .filter((f) => f.outcome === 'fail')
      .map((f) => f.ruleId)
      .sort();
    expect(failed).toEqual([
      'IPV6-AAAA-NON-GLOBAL',
      'IPV6-MX-AAAA',
      'IPV6-MX-NON-GLOBAL',
      'IPV6-NS-AAAA',
      'IPV6-NS-NON-GLOBAL',
      'IPV6-WEB-AAAA',
    ]);
  });
});
