// The CI integrations run ci/scan.sh (action.yml's scan step, and the GitLab template's script): run
// it here exactly as they do, through environment variables, against a farm endpoint on loopback, and
// check what it leaves behind — the JSON report, the SARIF directory for upload-sarif, JUnit, HTML —
// and the exit code a pipeline sees. The two YAML files are checked for the wiring to that script.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { startFarm, type Farm, type FarmEndpoint } from '../../src/lab/farm.js';
import type { Report } from '../../src/engine/types.js';
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

const resolveArgs = (e: FarmEndpoint): string => `--resolve ${e.host}:${e.port}:${e.address} --ca-file ${farm.nationalRootPemFile} --timeout 3000 --quiet`;

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

  it('the GitLab template runs the packaged script and publishes JUnit', async () => {
    const tpl = parse(await readFile(join(ROOT, 'ci/gitlab/govscan.gitlab-ci.yml'), 'utf8')) as Record<string, { script: string[]; artifacts: { reports: { junit: string } } }>;
    const job = tpl['.govscan'];
    expect(job?.script.join('\n')).toContain('govscan/ci/scan.sh');
    expect(job?.artifacts.reports.junit).toBe('govscan.junit.xml');
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('ci/scan.sh');
  });
});
