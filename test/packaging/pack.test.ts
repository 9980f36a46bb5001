// What a user gets from the registry: `npm pack` makes the tarball, it installs into an empty folder,
// and the installed `govscan` runs — `npx govscan --version`, and a scan of a local TLS endpoint
// (the farm on loopback, reached through --resolve), `govscan cert verify` and `import { verifyCertificate }
// from 'govscan'` in a small ESM script, then `govscan-agent --version` and a `govscan server`
// on SQLite answering /healthz and serving the dashboard. Runs after `npm run build` (the test script
// builds first), so the pack skips the prepare script instead of rebuilding dist/ under other tests.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFarm, type Farm } from '../../src/lab/farm.js';
import { issueCertificate } from '../../src/lab/pki.js';
import type { Report } from '../../src/core/types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PKG = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], opts: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      // npm and npx resolve `node` through PATH: the directory of the node running the tests comes
      // first, so the package installs and runs under the suite's Node, not the machine's.
      {
        cwd: opts.cwd,
        env: { ...process.env, PATH: `${join(process.execPath, '..')}:${process.env.PATH ?? ''}`, NO_COLOR: '1', ...opts.env },
        timeout: opts.timeoutMs ?? 180_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

let work: string;
let tarball: string;
let farm: Farm;

beforeAll(async () => {
  expect(existsSync(join(ROOT, 'dist/src/commands/index.js')), 'run `npm run build` first').toBe(true);
  expect(existsSync(join(ROOT, 'oclif.manifest.json')), 'the build writes oclif.manifest.json').toBe(true);
  work = await mkdtemp(join(tmpdir(), 'govscan-pack-'));
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT });
  expect(packed.code, packed.stderr).toBe(0);
  const info = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, info[0]?.filename ?? '');
  files = info[0]?.files.map((f) => f.path) ?? [];
  farm = await startFarm({ scenarios: ['good-rsa'] });
}, 240_000);

let files: string[] = [];

afterAll(async () => {
  await farm?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('npm pack → install into an empty folder → run', () => {
  it('packs what a user needs and nothing of the tests or sources', () => {
    expect(files).toContain('bin/run.js');
    expect(files).toContain('oclif.manifest.json');
    expect(files).toContain('ci/scan.sh');
    expect(files).toContain('dist/src/commands/index.js');
    // The library entry point and its type declarations (package.json "exports" ".").
    expect(files).toContain('dist/src/api.js');
    expect(files).toContain('dist/src/api.d.ts');
    expect(files).toContain('dist/src/pki/verify.d.ts');
    expect(files.some((f) => f.startsWith('policies/'))).toBe(true);
    expect(
      files.filter(
        (f) =>
          f.startsWith('test/') ||
          f.startsWith('src/') ||
          f.startsWith('dist/test/') ||
          (f.endsWith('.ts') && !(f.startsWith('dist/src/') && f.endsWith('.d.ts'))),
      ),
    ).toEqual([]);
  });

  it('installs into an empty folder and answers `npx govscan --version`, then scans a local endpoint', { timeout: 600_000 }, async () => {
    const app = join(work, 'empty');
    await run('mkdir', ['-p', app], { cwd: work });
    expect(await readdir(app)).toEqual([]);
    // --prefer-offline: the dependencies `npm ci` just fetched are in the cache; the registry is asked only for what is not.
    // better-sqlite3 (the server's embedded store) builds from source here, as on a user's machine without prebuilt binaries.
    const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--omit=dev', tarball], {
      cwd: app,
      timeoutMs: 480_000,
    });
    expect(install.code, install.stderr).toBe(0);

    const version = await run('npx', ['--no-install', 'govscan', '--version'], { cwd: app });
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout).toContain(`${PKG.name}/${PKG.version}`);
    // npm's own warnings about the machine's npm config are not ours; anything else on stderr is.
    expect(version.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('npm warn'))).toEqual([]);

    const e = farm.endpoints[0];
    if (!e) throw new Error('no farm endpoint');
    const scan = await run(
      'npx',
      [
        '--no-install',
        'govscan',
        'scan',
        `https://${e.host}:${e.port}`,
        '--resolve',
        `${e.host}:${e.port}:${e.address}`,
        '--ca-file',
        farm.nationalRootPemFile,
        '--format',
        'json',
        '--quiet',
        '--timeout',
        '3000',
      ],
      { cwd: app, env: { NODE_EXTRA_CA_CERTS: farm.publicRootPemFile } },
    );
    expect(scan.code, scan.stderr).toBe(0);
    const report = JSON.parse(scan.stdout) as Report;
    expect(report.tool.version).toBe(PKG.version);
    expect(report.targets.map((t) => t.key)).toEqual([`https://${e.host}:${e.port}`]);
    expect(report.findings.filter((f) => f.outcome === 'fail')).toEqual([]);
    expect(report.summary.findings.pass).toBeGreaterThan(5);

    // Certificates offline from the same install: the command, and the library as an ESM import.
    const root = await issueCertificate({ subject: 'CN=Pack Test Root CA, C=VN', key: { type: 'ec' }, isCA: true });
    const leaf = await issueCertificate({
      subjectCN: 'pack.example.gov.vn',
      sans: { dns: ['pack.example.gov.vn'] },
      key: { type: 'ec' },
      issuer: root,
    });
    await Promise.all([writeFile(join(app, 'root.pem'), root.certPem), writeFile(join(app, 'leaf.pem'), leaf.certPem)]);
    const certVerify = await run(
      'npx',
      ['--no-install', 'govscan', 'cert', 'verify', 'leaf.pem', '--ca-file', 'root.pem', '--name', 'pack.example.gov.vn'],
      { cwd: app },
    );
    expect(certVerify.code, certVerify.stderr).toBe(0);
    expect(certVerify.stdout).toContain('Verdict: VALID');
    const wrongName = await run(
      'npx',
      ['--no-install', 'govscan', 'cert', 'verify', 'leaf.pem', '--ca-file', 'root.pem', '--name', 'other.example.gov.vn'],
      { cwd: app },
    );
    expect(wrongName.code).toBe(1);
    await writeFile(
      join(app, 'verify.mjs'),
      [
        "import { readFileSync } from 'node:fs';",
        "import { verifyCertificate } from 'govscan';",
        "import pkg from 'govscan/package.json' with { type: 'json' };",
        "const read = (f) => readFileSync(f, 'utf8');",
        "const ok = await verifyCertificate({ chain: [read('leaf.pem')], anchors: [read('root.pem')], name: 'pack.example.gov.vn' });",
        "const other = await verifyCertificate({ chain: read('leaf.pem'), anchors: [read('root.pem')], name: 'other.example.gov.vn' });",
        'console.log(JSON.stringify({ version: pkg.version, ok, other }));',
      ].join('\n'),
    );
    const api = await run(process.execPath, ['verify.mjs'], { cwd: app });
    expect(api.code, api.stderr).toBe(0);
    const answers = JSON.parse(api.stdout) as {
      version: string;
      ok: { valid: boolean; path: unknown[] };
      other: { valid: boolean; problems: string[] };
    };
    expect(answers.version).toBe(PKG.version);
    expect(answers.ok).toMatchObject({ valid: true, trusted: true, hostnameMatches: true, problems: [] });
    expect(answers.ok.path).toHaveLength(2);
    expect(answers.other).toMatchObject({ valid: false, trusted: true, hostnameMatches: false, problems: ['hostname-mismatch'] });

    const help = await run('npx', ['--no-install', 'govscan', 'report', 'convert', '--help'], { cwd: app });
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/json\|sarif\|junit\|html/);

    // The SOC side from the same install: the agent answers, and the server opens its embedded SQLite
    // store (better-sqlite3, built at install), serves /healthz and the dashboard's files.
    const agentVersion = await run('npx', ['--no-install', 'govscan-agent', '--version'], { cwd: app });
    expect(agentVersion.code, agentVersion.stderr).toBe(0);
    expect(agentVersion.stdout).toContain(PKG.version);
    const server = spawn(
      join(app, 'node_modules', '.bin', 'govscan'),
      ['server', '--db', `sqlite:${join(app, 'govscan.db')}`, '--listen', '127.0.0.1:0'],
      {
        cwd: app,
        env: { ...process.env, PATH: `${join(process.execPath, '..')}:${process.env.PATH ?? ''}` },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let err = '';
        const timer = setTimeout(() => reject(new Error(`installed govscan server did not start:\n${err}`)), 30_000);
        server.stderr.on('data', (d: Buffer) => {
          err += d.toString();
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        server.once('close', (code) => reject(new Error(`installed govscan server exited (${String(code)}):\n${err}`)));
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<script type="module"');
    } finally {
      server.kill('SIGTERM');
    }
  });
});
