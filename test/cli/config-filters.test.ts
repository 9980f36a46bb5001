// Everyday settings and filters through the built CLI, against the TLS farm on loopback (every host
// pinned with --resolve): govscan.yaml, GOVSCAN_<FLAG> and flags in their order of precedence (in a
// real scan and in `config show`), a bad settings file stopping the run at its line with exit 2,
// --severity (a finding not reported cannot fail the run, as Trivy), --rule/--skip-rule, and several
// --report outputs from one run.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log } from 'sarif';
import { startFarm, type Farm, type FarmEndpoint } from '../../src/lab/farm.js';
import type { Report } from '../../src/core/types.js';
import { runAgentCli, runCli } from '../helpers/cli.js';
import { validateSarif } from '../helpers/sarif.js';
import { reviewVietnamese } from '../helpers/vietnamese-review.js';

let farm: Farm;
let wrongHost: FarmEndpoint;
let root: string;
let env: Record<string, string>;
let n = 0;
/** A loopback listener that only counts connections: input errors must stop a run before any. */
let trap: net.Server;
let trapHits = 0;

beforeAll(async () => {
  farm = await startFarm({ scenarios: ['wrong-host'] });
  const e = farm.endpoints[0];
  if (!e) throw new Error('no wrong-host endpoint');
  wrongHost = e;
  env = { NODE_EXTRA_CA_CERTS: farm.publicRootPemFile };
  root = await mkdtemp(join(tmpdir(), 'govscan-config-'));
  trap = net.createServer((socket) => {
    trapHits++;
    socket.destroy();
  });
  await new Promise<void>((done) => trap.listen(0, '127.0.0.1', done));
});

afterAll(async () => {
  await farm?.close();
  await new Promise((done) => trap?.close(done));
  if (root) await rm(root, { recursive: true, force: true });
});

const target = (): string => `https://${wrongHost.host}:${wrongHost.port}`;

/** A fresh working folder holding a govscan.yaml with these lines (none: no file). */
async function folder(lines?: string[]): Promise<string> {
  const dir = join(root, `run-${++n}`);
  await mkdir(dir);
  if (lines) await writeFile(join(dir, 'govscan.yaml'), lines.join('\n') + '\n');
  return dir;
}

/** The scan of the wrong-host endpoint (a high TLS-CERT-HOSTNAME failure), TLS pack only. */
function scanArgs(...extra: string[]): string[] {
  return [
    'scan',
    target(),
    '--resolve',
    `${wrongHost.host}:${wrongHost.port}:${wrongHost.address}`,
    '--policy',
    'vn-ct02-2022-tls',
    '--ca-file',
    farm.nationalRootPemFile,
    '--quiet',
    ...extra,
  ];
}

/** A scan of the trap (which must never see a connection). */
function trapArgs(...extra: string[]): string[] {
  const port = (trap.address() as net.AddressInfo).port;
  return [
    'scan',
    `https://trap.test:${port}`,
    '--resolve',
    `trap.test:${port}:127.0.0.1`,
    '--policy',
    'vn-ct02-2022-tls',
    '--quiet',
    ...extra,
  ];
}

const failed = (report: Report): string[] =>
  report.findings
    .filter((f) => f.outcome === 'fail')
    .map((f) => `${f.ruleId} ${f.target}`)
    .sort();

describe('settings: flag > GOVSCAN_<FLAG> > govscan.yaml > default', () => {
  it('a scan takes settings from the file, the environment over the file, a flag over both', async () => {
    // The file asks for JSON to stdout and fail-on none; the environment raises fail-on to high.
    const cwd = await folder(['format: json', 'fail-on: none', 'timeout: 3000', 'severity: [critical, high]']);
    const fromEnv = await runCli(scanArgs(), { cwd, env: { ...env, GOVSCAN_FAIL_ON: 'high' } });
    expect(fromEnv.stderr).toBe('');
    expect(fromEnv.code).toBe(1);
    const report = JSON.parse(fromEnv.stdout) as Report;
    expect(report.run.failOn).toBe('high');
    expect(failed(report)).toEqual([`TLS-CERT-HOSTNAME ${target()}`]);

    // A flag wins over the variable; with neither, the file's value holds.
    const [fromFlag, fromFile] = await Promise.all([
      runCli(scanArgs('--fail-on', 'none'), { cwd, env: { ...env, GOVSCAN_FAIL_ON: 'high' } }),
      runCli(scanArgs(), { cwd, env }),
    ]);
    expect([fromFlag.code, fromFile.code]).toEqual([0, 0]);
    expect((JSON.parse(fromFlag.stdout) as Report).run.failOn).toBe('none');
    expect((JSON.parse(fromFile.stdout) as Report).run.failOn).toBe('none');
  }, 60_000);

  it('config show names the source of every setting, in English, Vietnamese and JSON', async () => {
    const cwd = await folder([
      '# settings of the agency CI job',
      'fail-on: medium',
      'timeout: 2000',
      'policy: [vn-ct02-2022-tls]',
      'lab: true',
    ]);
    const run = (...extra: string[]) =>
      runCli(['config', 'show', '--concurrency', '8', ...extra], {
        cwd,
        env: { GOVSCAN_TIMEOUT: '4000', GOVSCAN_SEVERITY: 'high,critical' },
      });
    const [json, en, vi] = await Promise.all([run('--json'), run(), run('--lang', 'vi')]);
    expect(json.code).toBe(0);
    const shown = JSON.parse(json.stdout) as { file: string; settings: Record<string, { value: unknown; source: string; where?: string }> };
    expect(shown.file).toBe('govscan.yaml');
    expect(shown.settings['concurrency']).toEqual({ value: 8, source: 'flag' });
    expect(shown.settings['timeout']).toEqual({ value: 4000, source: 'env', where: 'GOVSCAN_TIMEOUT' });
    expect(shown.settings['severity']).toEqual({ value: ['high', 'critical'], source: 'env', where: 'GOVSCAN_SEVERITY' });
    expect(shown.settings['fail-on']).toEqual({ value: 'medium', source: 'file', where: 'govscan.yaml:2' });
    expect(shown.settings['policy']).toEqual({ value: ['vn-ct02-2022-tls'], source: 'file', where: 'govscan.yaml:4' });
    expect(shown.settings['lab']).toEqual({ value: true, source: 'file', where: 'govscan.yaml:5' });
    expect(shown.settings['per-host']).toEqual({ value: 4, source: 'default' });

    expect(en.code).toBe(0);
    expect(en.stdout).toMatch(/^--concurrency +8 +command line$/m);
    expect(en.stdout).toMatch(/^--timeout +4000 +environment GOVSCAN_TIMEOUT$/m);
    expect(en.stdout).toMatch(/^--fail-on +medium +file govscan\.yaml:2$/m);
    expect(en.stdout).toMatch(/^--lab +yes +file govscan\.yaml:5$/m);
    expect(en.stdout).toMatch(/^--per-host +4 +default$/m);

    expect(vi.code).toBe(0);
    expect(vi.stdout).toMatch(/^Tệp cấu hình: govscan\.yaml$/m);
    expect(vi.stdout).toMatch(/^--concurrency +8 +dòng lệnh$/m);
    expect(vi.stdout).toMatch(/^--timeout +4000 +biến môi trường GOVSCAN_TIMEOUT$/m);
    expect(vi.stdout).toMatch(/^--lab +có +tệp cấu hình govscan\.yaml:5$/m);
    expect(vi.stdout).toMatch(/^--per-host +4 +mặc định$/m);
    // The values are what a user types (option names); everything around them is Vietnamese.
    expect(reviewVietnamese(vi.stdout, 'config show', new Set(['table', 'auto', 'medium', 'high', 'critical', 'vi']))).toEqual([]);
  }, 30_000);

  it('a bad settings file, named or found, stops the run at its line with exit 2 before any connection', async () => {
    const cases: { lines: string[]; error: RegExp; named?: boolean }[] = [
      { lines: ['fail-on: high', 'timeout: fast'], error: /^error: govscan\.yaml:2:\d+: timeout: must be a integer/m },
      {
        lines: ['policy: [vn-ct02-2022-tls]', 'fail_on: high'],
        error: /^error: govscan\.yaml:2:1: unknown field "fail_on" \(the key is the flag.s name: "fail-on"\)$/m,
      },
      {
        lines: ['severity: [urgent]'],
        error: /^error: govscan\.yaml:1:\d+: severity\.?\[?0?\]?: must be one of critical, high, medium, low, info/m,
      },
      { lines: ['concurrency: 0'], error: /^error: govscan\.yaml:1:\d+: concurrency: must be >= 1/m },
      { lines: ['fail-on: [high'], error: /^error: ci\.yaml:1:\d+: YAML syntax error/m, named: true },
    ];
    const results = await Promise.all(
      cases.map(async (c) => {
        const cwd = await folder(c.named ? undefined : c.lines);
        if (c.named) await writeFile(join(cwd, 'ci.yaml'), c.lines.join('\n'));
        return runCli(trapArgs(...(c.named ? ['--config', 'ci.yaml'] : []), '--report', 'json=out.json'), { cwd, env });
      }),
    );
    results.forEach((r, i) => {
      expect(r.stderr, cases[i]?.lines.join('; ')).toMatch(cases[i]?.error ?? /x^/);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
    // A named file that does not exist, and a list variable with a value that is not a choice.
    const cwd = await folder();
    const [missing, badList] = await Promise.all([
      runCli(trapArgs(), { cwd, env: { ...env, GOVSCAN_CONFIG: 'nowhere.yaml' } }),
      runCli(trapArgs(), { cwd, env: { ...env, GOVSCAN_SEVERITY: 'high,urgent' } }),
    ]);
    expect(missing.stderr).toMatch(/^error: nowhere\.yaml: cannot read the settings file: no such file$/m);
    expect(badList.stderr).toMatch(/^error: GOVSCAN_SEVERITY: "urgent" is not one of critical, high, medium, low, info$/m);
    expect([missing.code, badList.code]).toEqual([2, 2]);
    expect(trapHits).toBe(0);
  }, 30_000);

  it('govscan-agent takes its options from GOVSCAN_<OPTION>: flag > variable > configuration file', async () => {
    const cwd = await folder();
    const config = join(cwd, 'agent.yaml');
    await writeFile(config, ['server:', '  url: http://127.0.0.1:1', `stateDirectory: ${join(cwd, 'state')}`].join('\n'));
    const [fromEnv, fromFlag, fromFile] = await Promise.all([
      runAgentCli(['enroll', '--config', config], { cwd, env: { GOVSCAN_SECRET: 's3cret', GOVSCAN_SERVER: 'not a url' } }),
      runAgentCli(['enroll', '--config', config, '--server', 'also://bad'], {
        cwd,
        env: { GOVSCAN_SECRET: 's3cret', GOVSCAN_SERVER: 'not a url' },
      }),
      runAgentCli(['enroll', '--config', config], { cwd, env: { GOVSCAN_SECRET: 's3cret' } }),
    ]);
    // The variable wins over the file's server.url; a flag over the variable.
    expect(fromEnv.stderr).toMatch(/not a url/);
    expect(fromEnv.code).toBe(2);
    expect(fromFlag.stderr).toMatch(/also:\/\/bad/);
    expect(fromFlag.code).toBe(2);
    // The secret came from the environment and the file's server was tried (nothing listens on port 1).
    expect(fromFile.stderr).toMatch(/127\.0\.0\.1:1/);
    expect(fromFile.code).toBe(3);
  }, 30_000);
});

describe('filters', () => {
  it('--severity: a finding not reported cannot fail the run (the first test shows a reported one still does)', async () => {
    const low = await runCli(scanArgs('--severity', 'medium,low', '--format', 'json', '--timeout', '3000'), { cwd: await folder(), env });
    expect(low.code).toBe(0);
    const report = JSON.parse(low.stdout) as Report;
    expect(report.findings.filter((f) => !['medium', 'low'].includes(f.severity))).toEqual([]);
    expect(report.findings.some((f) => f.ruleId === 'TLS-CERT-HOSTNAME')).toBe(false);
    expect(report.summary.failedBySeverity.high).toBe(0);
  }, 60_000);

  it('--rule / --skip-rule choose the rules evaluated; a glob matching no rule is exit 2', async () => {
    const cwd = await folder();
    const [chosen, typo] = await Promise.all([
      runCli(scanArgs('--rule', 'TLS-CERT-*', '--skip-rule', 'tls-cert-host*', '--format', 'json', '--timeout', '3000'), { cwd, env }),
      runCli(trapArgs('--skip-rule', 'TLS-CERT-HOSTNAM'), { cwd, env }),
    ]);
    expect(chosen.code).toBe(0);
    const report = JSON.parse(chosen.stdout) as Report;
    const ids = report.rules.map((r) => r.id);
    expect(ids.length).toBeGreaterThan(1);
    expect(ids.every((id) => id.startsWith('TLS-CERT-') && id !== 'TLS-CERT-HOSTNAME')).toBe(true);
    expect(new Set(report.findings.map((f) => f.ruleId))).toEqual(new Set(ids));
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^error: --skip-rule TLS-CERT-HOSTNAM matches no rule of the selected policy packs/m);
  }, 60_000);
});

describe('several reports from one run', () => {
  it('SARIF and JSON files plus the table on stdout, the same findings in each', async () => {
    const cwd = await folder(['timeout: 3000']);
    const r = await runCli(scanArgs('--report', 'sarif=out/govscan.sarif', '--report', 'json=govscan.json', '--report', 'table'), {
      cwd: await mkdirIn(cwd, 'out'),
      env,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/TLS-CERT-HOSTNAME/);
    const report = JSON.parse(await readFile(join(cwd, 'govscan.json'), 'utf8')) as Report;
    const sarif = JSON.parse(await readFile(join(cwd, 'out', 'govscan.sarif'), 'utf8')) as Log;
    expect(validateSarif(sarif)).toEqual([]);
    const sarifFailed = sarif.runs
      .flatMap((run) => run.results ?? [])
      .filter((res) => res.kind === undefined || res.kind === 'fail')
      .filter((res) => !res.suppressions?.length && res.level !== 'note' && res.level !== 'none')
      .map((res) => `${res.ruleId} ${target()}`)
      .sort();
    expect(failed(report)).toEqual([`TLS-CERT-HOSTNAME ${target()}`]);
    expect(sarifFailed).toEqual(failed(report));
    // No temporary file left beside either report.
    expect(existsSync(join(cwd, 'govscan.json.tmp')) || existsSync(join(cwd, 'out', 'govscan.sarif.tmp'))).toBe(false);
  }, 60_000);

  it('two reports to stdout, or two to one file, are exit 2 before any connection', async () => {
    const cwd = await folder();
    const [twoStdout, formatAndReport, sameFile] = await Promise.all([
      runCli(trapArgs('--report', 'json', '--report', 'sarif'), { cwd, env }),
      runCli(trapArgs('--format', 'sarif', '--report', 'json'), { cwd, env }),
      runCli(trapArgs('--report', 'json=a.json', '--report', 'sarif=./a.json'), { cwd, env }),
    ]);
    expect(twoStdout.stderr).toMatch(/^error: two reports to stdout \(--report json and --report sarif\)/m);
    expect(formatAndReport.stderr).toMatch(/^error: two reports to stdout \(--format sarif and --report json\)/m);
    expect(sameFile.stderr).toMatch(/^error: two reports to the same file \.\/a\.json/m);
    expect([twoStdout.code, formatAndReport.code, sameFile.code]).toEqual([2, 2, 2]);
    expect(existsSync(join(cwd, 'a.json'))).toBe(false);
    expect(trapHits).toBe(0);
  }, 30_000);
});

async function mkdirIn(dir: string, sub: string): Promise<string> {
  await mkdir(join(dir, sub), { recursive: true });
  return dir;
}
