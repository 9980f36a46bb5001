// End to end through bin/run.js: scan farm endpoints (loopback only, via --resolve) to JSON, then
// `report convert` and `report merge` to every format, judged the way each consumer would: JUnit
// against the schema and a JUnit consumer library, SARIF for GitHub per category against the OASIS
// schema and GitHub's rules, HTML standalone.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log } from 'sarif';
import { startFarm, type Farm, type FarmEndpoint } from '../../src/lab/farm.js';
import type { Report } from '../../src/core/types.js';
import { runCli } from '../helpers/cli.js';
import { parseJunit, validateJunit } from '../helpers/junit.js';
import { validateSarif } from '../helpers/sarif.js';

let farm: Farm;
let env: Record<string, string>;
let dir: string;
let expiredJson: string;
let noHstsJson: string;

function endpoint(name: string): FarmEndpoint {
  const e = farm.endpoints.find((x) => x.scenario.name === name);
  if (!e) throw new Error(`no farm endpoint ${name}`);
  return e;
}

function scanArgs(e: FarmEndpoint, ...rest: string[]): string[] {
  return [
    'scan',
    `https://${e.host}:${e.port}`,
    '--resolve',
    `${e.host}:${e.port}:${e.address}`,
    '--ca-file',
    farm.nationalRootPemFile,
    '--quiet',
    '--timeout',
    '3000',
    ...rest,
  ];
}

beforeAll(async () => {
  farm = await startFarm({ scenarios: ['expired', 'no-hsts'] });
  env = { NODE_EXTRA_CA_CERTS: farm.publicRootPemFile };
  dir = await mkdtemp(join(tmpdir(), 'govscan-report-'));
  expiredJson = join(dir, 'expired.json');
  noHstsJson = join(dir, 'no-hsts.json');
  const [a, b] = await Promise.all([
    runCli(scanArgs(endpoint('expired'), '--format', 'json', '--output', expiredJson), { env }),
    runCli(scanArgs(endpoint('no-hsts'), '--format', 'json', '--output', noHstsJson), { env }),
  ]);
  expect(a.code, a.stderr).toBe(1);
  expect(b.code, b.stderr).toBe(0);
});

afterAll(async () => {
  await farm?.close();
});

describe('govscan report convert', () => {
  it('turns a JSON report into JUnit that validates and parses, one testcase per rule × target', async () => {
    const report = JSON.parse(await readFile(expiredJson, 'utf8')) as Report;
    const r = await runCli(['report', 'convert', expiredJson, '--to', 'junit']);
    expect(r.code, r.stderr).toBe(0);
    expect(await validateJunit(r.stdout)).toEqual([]);
    const parsed = await parseJunit(r.stdout);
    const cases = (parsed.testsuite ?? []).flatMap((s) => s.testcase ?? []);
    expect(cases).toHaveLength(report.findings.length);
    const failed = cases.filter((c) => c.failure);
    expect(failed.map((c) => c.name?.split(':')[0])).toEqual(['TLS-CERT-EXPIRED']);
    expect(failed[0]?.failure?.[0]?.message).toMatch(/expired\.farm\.test/);
    expect(failed[0]?.failure?.[0]?.inner).toMatch(/Evidence:\n {2}\S+ = /);
  });

  it('writes the HTML report in Vietnamese to a file', async () => {
    const out = join(dir, 'bao-cao.html');
    const r = await runCli(['report', 'convert', expiredJson, '--to', 'html', '--lang', 'vi', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`đã ghi báo cáo vào ${out}`);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('TLS-CERT-EXPIRED');
    expect(html.indexOf('id="summary"')).toBeLessThan(html.indexOf('id="failed"'));
  });

  it('writes SARIF for GitHub as one file per category with distinct automationDetails.id', async () => {
    const sarifDir = join(dir, 'sarif');
    // A stale file from an earlier run is removed: upload-sarif would upload it again.
    const r0 = await runCli(['report', 'convert', expiredJson, '--to', 'sarif', '-o', join(dir, 'full.sarif'), '--sarif-dir', sarifDir]);
    expect(r0.code, r0.stderr).toBe(0);
    await writeFile(join(sarifDir, 'govscan-retired-policy.sarif'), '{}');
    const r = await runCli(['report', 'convert', expiredJson, '--to', 'json', '-o', join(dir, 'copy.json'), '--sarif-dir', sarifDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/SARIF file\(s\) for GitHub code scanning written to/);
    const files = (await readdir(sarifDir)).sort();
    expect(files.length).toBeGreaterThanOrEqual(1);
    expect(files).not.toContain('govscan-retired-policy.sarif');
    const ids = new Set<string>();
    for (const f of files) {
      const log = JSON.parse(await readFile(join(sarifDir, f), 'utf8')) as Log;
      expect(validateSarif(log), f).toEqual([]);
      expect(log.runs).toHaveLength(1);
      const id = log.runs[0]?.automationDetails?.id ?? '';
      expect(id).toMatch(/^govscan\/[^/]+\/[^/]+\/$/);
      ids.add(id);
      for (const res of log.runs[0]?.results ?? []) expect(res.suppressions).toBeUndefined();
    }
    expect(ids.size).toBe(files.length);
    // The full SARIF holds the same runs in one file, for SOC tools.
    const full = JSON.parse(await readFile(join(dir, 'full.sarif'), 'utf8')) as Log;
    expect(validateSarif(full)).toEqual([]);
    expect(full.runs.map((run) => run.automationDetails?.id).sort()).toEqual([...ids].sort());
  });

  it('exits 2 naming the file when the input is missing or not a govscan report', async () => {
    const missing = await runCli(['report', 'convert', join(dir, 'nope.json'), '--to', 'html']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: no such file/);
    const bogus = join(dir, 'bogus.json');
    await writeFile(bogus, '{"hello": "world"}');
    const r = await runCli(['report', 'convert', bogus, '--to', 'junit']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bogus\.json: not a govscan JSON report/);
    const badFormat = await runCli(['report', 'convert', expiredJson, '--to', 'pdf']);
    expect(badFormat.code).toBe(2);
  });
});

describe('govscan report merge', () => {
  it('merges reports into one JSON report that converts like any other', async () => {
    const merged = join(dir, 'merged.json');
    const r = await runCli(['report', 'merge', expiredJson, noHstsJson, '-o', merged]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/merged 2 reports: 2 targets/);
    const a = JSON.parse(await readFile(expiredJson, 'utf8')) as Report;
    const b = JSON.parse(await readFile(noHstsJson, 'utf8')) as Report;
    const m = JSON.parse(await readFile(merged, 'utf8')) as Report;
    expect(m.targets.map((t) => t.key)).toEqual([...a.targets, ...b.targets].map((t) => t.key));
    expect(m.findings).toHaveLength(a.findings.length + b.findings.length);
    expect(m.summary.findings.fail).toBe(a.summary.findings.fail + b.summary.findings.fail);
    const failed = m.findings
      .filter((f) => f.outcome === 'fail')
      .map((f) => f.ruleId)
      .sort();
    expect(failed).toEqual(['TLS-CERT-EXPIRED', 'TLS-HSTS-MISSING']);

    const junit = await runCli(['report', 'convert', merged, '--to', 'junit']);
    expect(await validateJunit(junit.stdout)).toEqual([]);
    const sarif = await runCli(['report', 'merge', expiredJson, noHstsJson, '--to', 'sarif']);
    expect(sarif.code, sarif.stderr).toBe(0);
    expect(validateSarif(JSON.parse(sarif.stdout))).toEqual([]);
  });

  it('keeps the latest scan of a target scanned twice, not both', async () => {
    const again = join(dir, 'expired-again.json');
    const r0 = await runCli(scanArgs(endpoint('expired'), '--format', 'json', '--output', again), { env });
    expect(r0.code, r0.stderr).toBe(1);
    const r = await runCli(['report', 'merge', expiredJson, again]);
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout) as Report;
    const latest = JSON.parse(await readFile(again, 'utf8')) as Report;
    expect(m.targets).toHaveLength(1);
    expect(m.findings).toEqual(latest.findings);
    expect(m.summary.findings).toEqual(latest.summary.findings);
  });

  it('needs two reports', async () => {
    const r = await runCli(['report', 'merge', expiredJson]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/at least two/);
  });
});

describe('govscan scan --format junit|html and --sarif-dir', () => {
  it('writes JUnit and the GitHub SARIF directory in one scan', async () => {
    const sarifDir = join(dir, 'scan-sarif');
    const r = await runCli(scanArgs(endpoint('expired'), '--format', 'junit', '--sarif-dir', sarifDir), { env });
    expect(r.code, r.stderr).toBe(1);
    expect(await validateJunit(r.stdout)).toEqual([]);
    const cases = ((await parseJunit(r.stdout)).testsuite ?? []).flatMap((s) => s.testcase ?? []);
    // Passes are testcases too: every rule of every built-in policy that applies to the target.
    expect(cases.filter((c) => !c.failure && !c.skipped).length).toBeGreaterThan(5);
    for (const f of await readdir(sarifDir)) {
      expect(validateSarif(JSON.parse(await readFile(join(sarifDir, f), 'utf8'))), f).toEqual([]);
    }
    const html = await runCli(scanArgs(endpoint('no-hsts'), '--format', 'html', '--lang', 'vi'), { env });
    expect(html.code, html.stderr).toBe(0);
    expect(html.stdout).toContain('Tóm tắt');
  });
});
