// CI gating end to end through bin/run.js against the TLS farm (loopback only, every host pinned with
// --resolve): a job fails on a new high finding, passes once it is waived with a justification and a
// future expiry, fails again after the expiry, and passes when the finding is in the baseline. Bad
// waiver and baseline files stop the run with exit 2 before a single connection is made.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log } from 'sarif';
import { startFarm, type Farm, type FarmEndpoint } from '../../src/lab/farm.js';
import type { Report } from '../../src/core/types.js';
import type { ReportDiff } from '../../src/report/diff.js';
import { validateSarif } from '../helpers/sarif.js';
import { runCli } from '../helpers/cli.js';

const DAY = 86_400_000;
/** A UTC day relative to today, as a waiver's `expires` is written. */
const utcDay = (offsetDays: number): string => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

let farm: Farm;
let env: Record<string, string>;
let dir: string;
let wrongHost: FarmEndpoint;
let selfSigned: FarmEndpoint;

beforeAll(async () => {
  farm = await startFarm({ scenarios: ['wrong-host', 'self-signed'] });
  env = { NODE_EXTRA_CA_CERTS: farm.publicRootPemFile };
  dir = await mkdtemp(join(tmpdir(), 'govscan-gating-'));
  const find = (name: string): FarmEndpoint => {
    const e = farm.endpoints.find((x) => x.scenario.name === name);
    if (!e) throw new Error(`no ${name} endpoint`);
    return e;
  };
  wrongHost = find('wrong-host');
  selfSigned = find('self-signed');
});

afterAll(async () => {
  await farm?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const key = (e: FarmEndpoint): string => `https://${e.host}:${e.port}`;

/** `govscan scan` of the given endpoints, each pinned to its loopback address. */
function scan(endpoints: FarmEndpoint[], ...extra: string[]): string[] {
  const args = ['scan', ...endpoints.map(key)];
  for (const e of endpoints) args.push('--resolve', `${e.host}:${e.port}:${e.address}`);
  // The TLS pack only: its rules are what the farm's defects exercise, and no other check family
  // (e.g. DNS lookups of the IPv6 checks) gets a chance to send traffic beyond loopback.
  return [
    ...args,
    '--policy',
    'vn-ct02-2022-tls',
    '--ca-file',
    farm.nationalRootPemFile,
    '--quiet',
    '--timeout',
    '3000',
    '--fail-on',
    'high',
    ...extra,
  ];
}

async function waiverFile(name: string, expires: string, target = 'wrong-host.farm.test'): Promise<string> {
  const file = join(dir, name);
  await writeFile(
    file,
    [
      'apiVersion: govscan/v1',
      'kind: Waivers',
      'waivers:',
      '  - rule: TLS-CERT-HOSTNAME',
      `    target: "${target}"`,
      '    justification: Certificate for the new name is on order (ticket SEC-1234).',
      '    approver: Nguyễn Văn An, CISO',
      `    expires: ${expires}`,
      '',
    ].join('\n'),
  );
  return file;
}

const hostname = (report: Report, e: FarmEndpoint) => report.findings.find((f) => f.ruleId === 'TLS-CERT-HOSTNAME' && f.target === key(e));
const failed = (report: Report): string[] =>
  report.findings
    .filter((f) => f.outcome === 'fail')
    .map((f) => f.ruleId)
    .sort();

describe('CI gating: waivers', () => {
  it('fails the job on a new high finding', async () => {
    const r = await runCli(scan([wrongHost], '--format', 'json'), { env });
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(failed(report)).toEqual(['TLS-CERT-HOSTNAME']);
    expect(r.stderr).toBe('');
  });

  it('passes once the finding is waived with a justification and a future expiry', async () => {
    const file = await waiverFile('future.yaml', utcDay(1));
    const r = await runCli(scan([wrongHost], '--format', 'json', '--waivers', file), { env });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    const id = `${file}:4`;
    expect(hostname(report, wrongHost)).toMatchObject({ outcome: 'waived', severity: 'high', waiver: { id, expires: utcDay(1) } });
    expect(failed(report)).toEqual([]);
    expect(report.summary.findings.waived).toBe(1);
    expect(report.run.waivers).toBe(file);
    // Listed once in the report, with what it did; findings only refer to it.
    expect(report.waivers).toEqual([
      {
        id,
        rule: 'TLS-CERT-HOSTNAME',
        target: 'wrong-host.farm.test',
        justification: 'Certificate for the new name is on order (ticket SEC-1234).',
        approver: 'Nguyễn Văn An, CISO',
        expires: utcDay(1),
        source: { file, line: 4, column: 5 },
        expired: false,
        waived: 1,
        expiredMatches: 0,
      },
    ]);
    expect(r.stdout.split('Certificate for the new name is on order').length - 1).toBe(1);
  });

  it('writes the waived finding as a SARIF suppression carrying the justification, and prints the waiver once in the table', async () => {
    const file = await waiverFile('future-sarif.yaml', utcDay(1));
    const sarif = await runCli(scan([wrongHost], '--format', 'sarif', '--waivers', file), { env });
    expect(sarif.code, sarif.stderr).toBe(0);
    const log = JSON.parse(sarif.stdout) as Log;
    expect(validateSarif(log)).toEqual([]);
    const result = log.runs.flatMap((run) => run.results ?? []).find((x) => x.ruleId === 'TLS-CERT-HOSTNAME');
    expect(result?.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'Certificate for the new name is on order (ticket SEC-1234).',
        properties: { waiver: `${file}:4`, approver: 'Nguyễn Văn An, CISO', expires: utcDay(1) },
      },
    ]);

    const table = await runCli(scan([wrongHost], '--format', 'table', '--waivers', file), { env });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(
      new RegExp(`^ {2}WAIVED +TLS-CERT-HOSTNAME +.* — waiver ${escapeRegExp(file)}:4, until ${utcDay(1)}$`, 'm'),
    );
    expect(table.stdout).toContain(
      `Waivers (${file}):\n  ${file}:4  TLS-CERT-HOSTNAME  wrong-host.farm.test · until ${utcDay(1)} · approved by Nguyễn Văn An, CISO · 1 waived, 0 no longer waived\n    Certificate for the new name is on order (ticket SEC-1234).\n`,
    );
    expect(table.stdout.split('Certificate for the new name is on order').length - 1).toBe(1);
    expect(table.stdout.trimEnd().split('\n').at(-1)).toMatch(/ · 1 waived$/);
  });

  it('fails again once the waiver has expired, and the finding says so (GOVSCAN_NOW moves the clock past the expiry)', async () => {
    const file = await waiverFile('lapsing.yaml', utcDay(1));
    const later = { ...env, GOVSCAN_NOW: new Date(Date.now() + 2 * DAY).toISOString() };
    const r = await runCli(scan([wrongHost], '--format', 'json', '--waivers', file), { env: later });
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    const f = hostname(report, wrongHost);
    expect(f).toMatchObject({ outcome: 'fail', waiver: { id: `${file}:4`, expires: utcDay(1), expired: true } });
    expect(f?.message.en).toContain(
      `waiver ${file}:4 expired on ${utcDay(1)} (approved by Nguyễn Văn An, CISO): this finding counts again`,
    );
    expect(f?.message.vi).toContain(
      `miễn trừ ${file}:4 đã hết hạn ngày ${utcDay(1).split('-').reverse().join('/')} (người phê duyệt: Nguyễn Văn An, CISO): phát hiện này được tính lại`,
    );
    expect(report.waivers?.[0]).toMatchObject({ expired: true, waived: 0, expiredMatches: 1 });
    // Nothing else moved with the clock: the expired waiver alone is why the job fails.
    expect(failed(report)).toEqual(['TLS-CERT-HOSTNAME']);
    expect(r.stderr).toBe('');

    const vi = await runCli(scan([wrongHost], '--format', 'table', '--lang', 'vi', '--waivers', file), { env: later });
    expect(vi.code).toBe(1);
    expect(vi.stdout).toMatch(/^ {2}CAO +TLS-CERT-HOSTNAME +.*đã hết hạn ngày \d{2}\/\d{2}\/\d{4} .*phát hiện này được tính lại$/m);
    expect(vi.stdout).toContain(`ĐÃ HẾT HẠN ngày ${utcDay(1).split('-').reverse().join('/')}`);
  });

  it('fails when the waiver was written with a past expiry', async () => {
    const file = await waiverFile('past.yaml', utcDay(-1));
    const r = await runCli(scan([wrongHost], '--format', 'json', '--waivers', file), { env });
    expect(r.code, r.stderr).toBe(1);
    expect(hostname(JSON.parse(r.stdout) as Report, wrongHost)).toMatchObject({ outcome: 'fail', waiver: { expired: true } });
  });

  it('still fails on a high finding the waiver does not cover', async () => {
    const file = await waiverFile('narrow.yaml', utcDay(30));
    const r = await runCli(scan([wrongHost, selfSigned], '--format', 'json', '--waivers', file), { env });
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(failed(report)).toEqual(['TLS-CERT-SELF-SIGNED']);
    expect(hostname(report, wrongHost)?.outcome).toBe('waived');
  });

  it('warns about a waiver naming a rule no policy has, and runs on', async () => {
    const file = join(dir, 'typo.yaml');
    await writeFile(
      file,
      'waivers:\n  - rule: TLS-CERT-HOSTNAM\n    target: "*"\n    justification: typo\n    approver: me\n    expires: 2999-01-01\n',
    );
    const r = await runCli(scan([wrongHost], '--format', 'json', '--waivers', file), { env });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(
      `warning: ${file}:2:5: waiver names rule "TLS-CERT-HOSTNAM", which none of the loaded policies has: it cannot apply`,
    );
  });
});

describe('CI gating: baselines', () => {
  let baseJson: string;
  let baseSarif: string;

  beforeAll(async () => {
    baseJson = join(dir, 'main.json');
    baseSarif = join(dir, 'main.sarif');
    // The main branch's reports: the wrong-host finding is known there.
    const a = await runCli(scan([wrongHost], '--format', 'json', '--output', baseJson), { env });
    const b = await runCli(scan([wrongHost], '--format', 'sarif', '--output', baseSarif), { env });
    expect([a.code, b.code]).toEqual([1, 1]);
  });

  it.each(['json', 'sarif'] as const)('passes when the finding is in the baseline (%s), which stays visible but marked', async (kind) => {
    const r = await runCli(scan([wrongHost], '--format', 'json', '--baseline', kind === 'json' ? baseJson : baseSarif), { env });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(hostname(report, wrongHost)).toMatchObject({ outcome: 'fail', baselined: true });
    expect(report.summary).toMatchObject({ baselined: 1, findings: { fail: 1 } });
    expect(report.run.baseline).toBe(kind === 'json' ? baseJson : baseSarif);
  });

  it('fails on a new high finding that is not in the baseline, counting only that one', async () => {
    const r = await runCli(scan([wrongHost, selfSigned], '--format', 'table', '--baseline', baseJson), { env: { ...env } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}HIGH +TLS-CERT-HOSTNAME +.* \[in baseline\]$/m);
    expect(r.stdout).toMatch(/^ {2}HIGH +TLS-CERT-SELF-SIGNED +(?!.*\[in baseline\]).*$/m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/ · 1 in baseline$/);

    const sarif = await runCli(scan([wrongHost, selfSigned], '--format', 'sarif', '--baseline', baseSarif), { env });
    expect(sarif.code).toBe(1);
    const states = (JSON.parse(sarif.stdout) as Log).runs
      .flatMap((run) => run.results ?? [])
      .map((x) => `${x.ruleId}:${x.baselineState}`)
      .sort();
    expect(states).toEqual(['TLS-CERT-HOSTNAME:unchanged', 'TLS-CERT-SELF-SIGNED:new']);
  });

  it('does not let a baseline recorded while a waiver held hide the finding once the waiver lapses', async () => {
    const waivers = await waiverFile('main-waivers.yaml', utcDay(1));
    const waivedBase = join(dir, 'main-waived.sarif');
    const main = await runCli(scan([wrongHost], '--format', 'sarif', '--output', waivedBase, '--waivers', waivers), { env });
    expect(main.code, main.stderr).toBe(0);
    const later = { ...env, GOVSCAN_NOW: new Date(Date.now() + 2 * DAY).toISOString() };
    const r = await runCli(scan([wrongHost], '--format', 'json', '--waivers', waivers, '--baseline', waivedBase), { env: later });
    expect(r.code, r.stderr).toBe(1);
    const f = hostname(JSON.parse(r.stdout) as Report, wrongHost);
    expect(f).toMatchObject({ outcome: 'fail', waiver: { expired: true } });
    expect(f?.baselined).toBeUndefined();
  });

  it('report diff lists new, fixed and unchanged findings (table and --json), exit 0', async () => {
    const branch = join(dir, 'branch.json');
    const r = await runCli(scan([selfSigned, wrongHost], '--format', 'json', '--output', branch), { env });
    expect(r.code).toBe(1);
    const fixedSide = join(dir, 'fixed.sarif');
    await runCli(scan([selfSigned], '--format', 'sarif', '--output', fixedSide), { env });

    const table = await runCli(['report', 'diff', baseJson, branch]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^New \(1\):\n {2}HIGH +TLS-CERT-SELF-SIGNED +https:\/\/self-signed\.farm\.test:\d+ /m);
    expect(table.stdout).toMatch(/^Unchanged \(1\):\n {2}HIGH +TLS-CERT-HOSTNAME /m);
    expect(table.stdout.trimEnd().split('\n').at(-1)).toBe('1 new · 0 fixed · 1 unchanged');

    const json = await runCli(['report', 'diff', baseSarif, fixedSide, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const diff = JSON.parse(json.stdout) as ReportDiff;
    expect(diff.summary).toEqual({ new: 1, fixed: 1, unchanged: 0, notRetested: 0 });
    expect(diff.findings.fixed.map((e) => [e.ruleId, e.target])).toEqual([['TLS-CERT-HOSTNAME', key(wrongHost)]]);
    expect(diff.findings.new.map((e) => e.ruleId)).toEqual(['TLS-CERT-SELF-SIGNED']);

    const vi = await runCli(['report', 'diff', baseJson, branch, '--lang', 'vi']);
    expect(vi.stdout.trimEnd().split('\n').at(-1)).toBe('1 mới · 0 đã khắc phục · 1 không đổi');
  });
});

describe('CI gating: bad waiver and baseline files stop the run before any connection', () => {
  let server: net.Server;
  let connections = 0;
  let port = 0;

  beforeAll(async () => {
    // A listener the scan would reach first if it got that far: it must see nobody.
    server = net.createServer((s) => {
      connections += 1;
      s.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const args = (...extra: string[]): string[] => [
    'scan',
    `https://portal.farm.test:${port}`,
    '--resolve',
    `portal.farm.test:${port}:127.0.0.1`,
    '--policy',
    'vn-ct02-2022-tls',
    '--quiet',
    ...extra,
  ];
  const W = 'test/fixtures/waivers';

  it.each([
    [`${W}/yaml-syntax.yaml`, '5:1: YAML syntax error: Missing closing "quote'],
    [`${W}/missing-justification.yaml`, '2:5: waiver TLS-CERT-HOSTNAME: missing required field "justification"'],
    [`${W}/missing-expiry.yaml`, '2:5: waiver TLS-CERT-HOSTNAME: missing required field "expires"'],
    [`${W}/bad-expiry.yaml`, '6:14: waiver TLS-CERT-HOSTNAME: expires: must be a date YYYY-MM-DD (got "2026-02-30")'],
    [`${W}/empty-justification.yaml`, '4:20: waiver TLS-HSTS-MISSING: justification: must not be empty'],
    [`${W}/unknown-field.yaml`, '6:5: waiver TLS-HSTS-MISSING: unknown field "expiry" (did you mean "expires"?)'],
    [`${W}/duplicate.yaml`, '7:5: waiver TLS-HSTS-MISSING: duplicate waiver for target "PORTAL.example.gov.vn" (first on line 2)'],
    [`${W}/empty.yaml`, '1:1: waiver file is empty: expected a mapping with "waivers"'],
  ])('--waivers %s → exit 2, file:line:col: message', async (file, message) => {
    const r = await runCli(args('--waivers', file));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`error: ${file}:${message}`);
    expect(r.stderr).not.toMatch(/\n\s+at |node:internal/);
    expect(r.stdout).toBe('');
    expect(connections).toBe(0);
  });

  it('says it in Vietnamese with --lang vi', async () => {
    const r = await runCli(args('--waivers', `${W}/missing-expiry.yaml`, '--lang', 'vi'));
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`lỗi: ${W}/missing-expiry.yaml:2:5: waiver TLS-CERT-HOSTNAME: missing required field "expires"`);
  });

  it.each([
    ['test/fixtures/waivers/missing.yaml', '--waivers', 'test/fixtures/waivers/missing.yaml: cannot read waiver file: ENOENT'],
    [
      'test/fixtures/baselines/other-tool.sarif',
      '--baseline',
      'test/fixtures/baselines/other-tool.sarif: runs[0] was not written by govscan (tool.driver.name "CodeQL"): a baseline must be a govscan report',
    ],
    [
      'test/fixtures/baselines/not-a-report.json',
      '--baseline',
      "test/fixtures/baselines/not-a-report.json: not a govscan JSON report: / must have required property 'schemaVersion'",
    ],
    ['test/fixtures/baselines/missing.json', '--baseline', 'test/fixtures/baselines/missing.json: cannot read baseline report: ENOENT'],
  ])('%s → exit 2', async (file, flag, message) => {
    const r = await runCli(args(flag, file));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.split('\n')[0]).toContain(`error: ${message}`);
    expect(connections).toBe(0);
  });

  it('rejects a GOVSCAN_NOW that is not a date', async () => {
    const r = await runCli(args(), { env: { GOVSCAN_NOW: 'next tuesday' } });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      'error: GOVSCAN_NOW "next tuesday" is not a date: use YYYY-MM-DD or an ISO 8601 time with Z or an offset',
    );
    expect(connections).toBe(0);
  });

  it('report diff with an unreadable report → exit 2', async () => {
    const r = await runCli(['report', 'diff', 'test/fixtures/baselines/other-tool.sarif', 'test/fixtures/baselines/truncated.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: test\/fixtures\/baselines\/other-tool\.sarif: runs\[0\] was not written by govscan/);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
