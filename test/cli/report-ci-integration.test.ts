// The CI integrations run ci/scan.sh (action.yml's scan step, and the GitLab template's script): run
// it here exactly as they do, through environment variables, against a farm endpoint on loopback, and
// check what it leaves behind — the JSON report, the SARIF directory for upload-sarif, JUnit, HTML —
// and the exit code a pipeline sees. The two YAML files are checked for the wiring to that script.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { startFarm, type Farm, type FarmEndpoint } from '../../src/lab/farm.js';
import type { Report } from '../../src/core/types.js';
import { BIN } from '../helpers/cli.js';
import { validateJunit } from '../helpers/junit.js';
import { validateSarif } from '../helpers/sarif.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'ci/scan.sh');
let farm: Farm;

beforeAll(async () => {
  farm = await startFarm({ scenarios: ['expired', 'good-rsa'] });
});
afterAll(async () => {
  await farm?.close();
});

function endpoint(name: string): FarmEndpoint {
  const e = farm.endpoints.find((x) => x.scenario.name === name);
  if (!e) throw new Error(`no ${name}`);
  return e;
}

function runScript(cwd: string, vars: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [SCRIPT],
      {
        cwd,
        env: {
          ...process.env,
          PATH: `${join(process.execPath, '..')}:${process.env.PATH ?? ''}`,
          NO_COLOR: '1',
          NODE_EXTRA_CA_CERTS: farm.publicRootPemFile,
          GOVSCAN_BIN: BIN,
          GITHUB_OUTPUT: join(cwd, 'github-output'),
          ...vars,
        },
        timeout: 120_000,
      },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

const resolveArgs = (e: FarmEndpoint): string =>
  `--resolve ${e.host}:${e.port}:${e.address} --ca-file ${farm.nationalRootPemFile} --timeout 3000 --quiet`;

describe('ci/scan.sh (GitHub Action and GitLab template)', () => {
  it('fails on a high finding and leaves JSON, per-category SARIF, JUnit and HTML', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'govscan-action-'));
    const e = endpoint('expired');
    const r = await runScript(cwd, {
      GOVSCAN_TARGETS: `https://${e.host}:${e.port}`,
      GOVSCAN_ARGS: resolveArgs(e),
      GOVSCAN_FAIL_ON: 'high',
      GOVSCAN_JUNIT: 'govscan.junit.xml',
      GOVSCAN_HTML: 'govscan.html',
      GOVSCAN_LANG: 'vi',
    });
    expect(r.code, r.stderr).toBe(1);
    expect(await readFile(join(cwd, 'github-output'), 'utf8')).toBe('exit-code=1\n');
    const report = JSON.parse(await readFile(join(cwd, 'govscan.json'), 'utf8')) as Report;
    expect(report.findings.filter((f) => f.outcome === 'fail').map((f) => f.ruleId)).toEqual(['TLS-CERT-EXPIRED']);
    const sarifFiles = await readdir(join(cwd, 'govscan-sarif'));
    expect(sarifFiles.length).toBeGreaterThanOrEqual(1);
    for (const f of sarifFiles) expect(validateSarif(JSON.parse(await readFile(join(cwd, 'govscan-sarif', f), 'utf8'))), f).toEqual([]);
    expect(await validateJunit(await readFile(join(cwd, 'govscan.junit.xml'), 'utf8'))).toEqual([]);
    expect(await readFile(join(cwd, 'govscan.html'), 'utf8')).toContain('Tóm tắt');
  });

  it('passes on a clean endpoint and exits 2 on invalid input, as a pipeline sees it', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'govscan-action-'));
    const e = endpoint('good-rsa');
    const ok = await runScript(cwd, { GOVSCAN_TARGETS: `https://${e.host}:${e.port}\n`, GOVSCAN_ARGS: resolveArgs(e) });
    expect(ok.code, ok.stderr).toBe(0);
    const bad = await runScript(cwd, { GOVSCAN_INVENTORY: 'does-not-exist.yaml' });
    expect(bad.code).toBe(2);
    expect(await readFile(join(cwd, 'github-output'), 'utf8')).toBe('exit-code=0\nexit-code=2\n');
  });

  it('GOVSCAN_FAIL_ON_NOT_TESTED=true fails the job when a target could not be tested', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'govscan-action-'));
    const e = endpoint('good-rsa');
    // A port nobody listens on: that endpoint is not tested (connection refused), the other passes.
    const closed = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const vars = {
      GOVSCAN_TARGETS: `https://${e.host}:${e.port} https://down.test:${closed}`,
      GOVSCAN_ARGS: `${resolveArgs(e)} --resolve down.test:${closed}:127.0.0.1`,
    };
    expect((await runScript(cwd, vars)).code).toBe(0);
    const gated = await runScript(cwd, { ...vars, GOVSCAN_FAIL_ON_NOT_TESTED: 'true' });
    expect(gated.code, gated.stderr).toBe(1);
    const report = JSON.parse(await readFile(join(cwd, 'govscan.json'), 'utf8')) as Report;
    expect(report.summary.findings['not-tested']).toBeGreaterThan(0);
    expect((await runScript(cwd, { ...vars, GOVSCAN_FAIL_ON_NOT_TESTED: 'maybe' })).code).toBe(2);
  });
});

describe('job summary and GitLab Code Quality (ci/scan.sh, report convert)', () => {
  it("the same scan leaves a Markdown job summary (appended) and a Code Quality report in GitLab's documented shape", async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'govscan-summary-'));
    const e = endpoint('expired');
    const closed = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });
    // A target list in the repository: Code Quality points at the line of each target.
    await writeFile(join(cwd, 'targets.txt'), `# agency portals\nhttps://${e.host}:${e.port}\nhttps://down.test:${closed}\n`);
    await writeFile(join(cwd, 'step-summary.md'), 'written by an earlier step\n');
    const r = await runScript(cwd, {
      GOVSCAN_ARGS: `--targets-file targets.txt ${resolveArgs(e)} --resolve down.test:${closed}:127.0.0.1`,
      GOVSCAN_SUMMARY: join(cwd, 'step-summary.md'),
      GOVSCAN_CODEQUALITY: 'gl-code-quality-report.json',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'so-tttt/cong-dvc',
    });
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(await readFile(join(cwd, 'govscan.json'), 'utf8')) as Report;
    const failed = report.findings.filter((f) => f.outcome === 'fail');
    const untested = report.findings.filter((f) => f.outcome === 'not-tested');
    expect(failed.map((f) => f.ruleId)).toEqual(['TLS-CERT-EXPIRED']);
    expect(untested.length).toBeGreaterThan(0);

    const md = await readFile(join(cwd, 'step-summary.md'), 'utf8');
    expect(md.startsWith('written by an earlier step\n### ❌ govscan: 1 failed finding at or above high\n')).toBe(true);
    const s = report.summary;
    expect(md).toContain(
      `${s.targets} targets · ${s.findings.pass} passed · 1 failed · ${s.findings['not-tested']} not tested · 0 waived · ${s.findings['not-applicable']} not applicable`,
    );
    expect(md).toContain(`⚠️ ${s.findings['not-tested']} applicable rules could not be evaluated (not tested)`);
    for (const sev of ['critical', 'high', 'medium', 'low', 'info'] as const)
      expect(md).toContain(`| ${sev} | ${s.failedBySeverity[sev]} |`);
    expect(md).toMatch(
      new RegExp(
        `^\\| \\*\\*${failed[0]!.severity}\\*\\* \\| \`TLS-CERT-EXPIRED\` \\| ${e.host.replace(/[.]/g, '\\.')}:${e.port} \\| .+ \\|$`,
        'm',
      ),
    );
    expect(md).toContain('[All findings in code scanning](https://github.com/so-tttt/cong-dvc/security/code-scanning)');

    const issues = JSON.parse(await readFile(join(cwd, 'gl-code-quality-report.json'), 'utf8')) as unknown[];
    expect(issues).toHaveLength(failed.length + untested.length);
    // GitLab's required fields, and nothing of a wrong type.
    for (const issue of issues) {
      expect(issue).toEqual({
        description: expect.any(String),
        check_name: expect.stringMatching(/^[A-Z0-9-]+$/),
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
        severity: expect.stringMatching(/^(info|minor|major|critical|blocker)$/),
        location: { path: expect.any(String), lines: { begin: expect.any(Number) } },
        categories: ['Security'],
      });
    }
    const fingerprints = (issues as { fingerprint: string }[]).map((i) => i.fingerprint);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    const expired = (issues as { check_name: string; severity: string; location: unknown; description: string }[]).find(
      (i) => i.check_name === 'TLS-CERT-EXPIRED',
    );
    expect(expired).toMatchObject({
      severity: { critical: 'blocker', high: 'critical', medium: 'major', low: 'minor', info: 'info' }[failed[0]!.severity],
      location: { path: 'targets.txt', lines: { begin: 2 } },
    });
    const down = (issues as { severity: string; location: { path: string; lines: { begin: number } }; description: string }[]).filter(
      (i) => i.location.lines.begin === 3,
    );
    expect(down.length).toBe(untested.length);
    for (const i of down) {
      expect(i.severity).toBe('info');
      expect(i.description).toMatch(/\(down\.test:\d+\): not tested: /);
    }
  });

  it('the summary in Vietnamese, and text from a scanned server cannot break the table or bring HTML', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'govscan-summary-'));
    const e = endpoint('expired');
    expect(
      (await runScript(cwd, { GOVSCAN_TARGETS: `https://${e.host}:${e.port}`, GOVSCAN_ARGS: resolveArgs(e), GOVSCAN_SARIF_DIR: '' })).code,
    ).toBe(1);
    const report = JSON.parse(await readFile(join(cwd, 'govscan.json'), 'utf8')) as Report;
    const finding = report.findings.find((f) => f.outcome === 'fail')!;
    finding.message = { en: 'CN <img src=x onerror=alert(1)> | [click](https://evil.example)\nnext', vi: 'CN <b>x</b> | y' };
    await writeFile(join(cwd, 'hostile.json'), JSON.stringify(report));
    const convert = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
      new Promise((resolve) =>
        execFile(
          process.execPath,
          [BIN, 'report', 'convert', join(cwd, 'hostile.json'), '--to', 'markdown', ...args],
          { env: { ...process.env, GITHUB_SERVER_URL: '', GITHUB_REPOSITORY: '' } },
          (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }),
        ),
      );
    const [en, vi] = await Promise.all([convert([]), convert(['--lang', 'vi'])]);
    expect(en.code, en.stderr).toBe(0);
    const row = en.stdout.split('\n').find((l) => l.includes('TLS-CERT-EXPIRED'))!;
    // No tag, and no link syntax left unescaped.
    expect(row).not.toMatch(/<img|[^\\]\]\(https/);
    expect(row).toContain('&lt;img src=x onerror=alert(1)&gt; \\| \\[click\\](https://evil.example) next');
    // Four cells, whatever the text held.
    expect(row.replace(/\\\|/g, '').split('|').length).toBe(6);
    expect(en.stdout).not.toContain('code scanning');
    expect(vi.stdout).toMatch(/^### ❌ govscan: 1 phát hiện không đạt từ mức cao trở lên$/m);
    expect(vi.stdout).toContain('| Mức độ | Không đạt |');
  });
});

describe('the integration files', () => {
  it('action.yml is a composite action whose scan step runs ci/scan.sh with every input', async () => {
    const action = parse(await readFile(join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, unknown>;
      runs: { using: string; steps: Array<{ run?: string; env?: Record<string, string> }> };
    };
    expect(action.runs.using).toBe('composite');
    for (const input of ['targets', 'inventory', 'policy', 'fail-on', 'waivers', 'baseline']) expect(action.inputs).toHaveProperty(input);
    const scan = action.runs.steps.find((s) => s.run?.includes('ci/scan.sh'));
    const wired = Object.values(scan?.env ?? {}).join(' ');
    for (const input of ['targets', 'inventory', 'policy', 'fail-on', 'fail-on-not-tested', 'waivers', 'baseline', 'lang', 'sarif-dir']) {
      expect(wired).toContain(`inputs.${input} }}`);
    }
  });

  it('the GitLab template runs the packaged script, pins the version, caches npm, publishes JUnit and Code Quality', async () => {
    const tpl = parse(await readFile(join(ROOT, 'ci/gitlab/govscan.gitlab-ci.yml'), 'utf8')) as Record<
      string,
      {
        script: string[];
        variables: Record<string, string>;
        cache: { key: string; paths: string[] };
        artifacts: { reports: { junit: string; codequality: string }; paths: string[] };
      }
    >;
    const job = tpl['.govscan'];
    expect(job?.script.join('\n')).toContain('govscan/ci/scan.sh');
    expect(job?.script.join('\n')).toContain('--omit=dev');
    expect(job?.artifacts.reports.junit).toBe('govscan.junit.xml');
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { files: string[]; version: string };
    expect(pkg.files).toContain('ci/scan.sh');
    // Pinned to this release, exactly.
    expect(job?.variables.GOVSCAN_PACKAGE).toBe(`govscan@${pkg.version}`);
    expect(job?.artifacts.reports.codequality).toBe(job?.variables.GOVSCAN_CODEQUALITY);
    expect(job?.artifacts.paths).toContain(job?.variables.GOVSCAN_CODEQUALITY);
    expect(job?.variables.npm_config_cache).toBe('$CI_PROJECT_DIR/.npm');
    expect(job?.cache.paths).toEqual(['.npm/']);
  });

  it('the action and the GitLab template run govscan on a Node major its engines accept', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const floor = Number(/^>=(\d+)\./.exec(pkg.engines.node)?.[1]);
    expect(floor).toBeGreaterThanOrEqual(22);
    const action = parse(await readFile(join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default: string }>;
      runs: { steps: Array<{ uses?: string; with?: Record<string, string> }> };
    };
    expect(Number(action.inputs['node-version']?.default)).toBeGreaterThanOrEqual(floor);
    const setup = action.runs.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    expect(setup?.with?.['node-version']).toBe('${{ inputs.node-version }}');
    const tpl = parse(await readFile(join(ROOT, 'ci/gitlab/govscan.gitlab-ci.yml'), 'utf8')) as Record<string, { image: string }>;
    expect(Number(/^node:(\d+)/.exec(tpl['.govscan']?.image ?? '')?.[1])).toBeGreaterThanOrEqual(floor);
  });

  it('the action installs the published package (or a packed tarball) without dev dependencies, caches npm and writes the job summary', async () => {
    const action = parse(await readFile(join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default: string }>;
      runs: { steps: Array<{ uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, string> }> };
    };
    const scripts = action.runs.steps.map((s) => s.run ?? '').join('\n');
    expect(scripts).not.toMatch(/npm ci|npm run build/);
    expect(scripts).toMatch(/npm install [^\n]*--omit=dev[^\n]*"\$GOVSCAN_SPEC"/);
    expect(action.runs.steps.find((s) => s.uses?.startsWith('actions/cache@'))?.with?.path).toBe('~/.npm');
    expect(action.inputs).toHaveProperty('tarball');
    expect(action.inputs.summary?.default).toBe('true');
    const scan = action.runs.steps.find((s) => s.run?.includes('ci/scan.sh'));
    expect(scan?.run).toContain('GOVSCAN_SUMMARY="$GITHUB_STEP_SUMMARY"');
  });
});
