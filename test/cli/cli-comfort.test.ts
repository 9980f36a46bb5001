// Everyday comfort of the built CLI: shell completion (@oclif/plugin-autocomplete), a mistyped
// command answered with the right one and never a prompt without a terminal, `-h` as `--help`,
// --no-color / NO_COLOR / FORCE_COLOR, JSON errors under --json, and plurals by Intl.PluralRules.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFarm, type Farm, type FarmEndpoint } from '../../src/lab/farm.js';
import { format, localize } from '../../src/core/i18n/index.js';
import { M } from '../../src/cli/messages.js';
import { OUTCOME_MESSAGES } from '../../src/engine/scan-outcome.js';
import { runCli } from '../helpers/cli.js';

const ESC = '\x1b[';
let dir: string;
let farm: Farm;
let expired: FarmEndpoint;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-comfort-'));
  farm = await startFarm({ scenarios: ['expired'], address: '127.0.0.1' });
  expired = farm.endpoints[0]!;
});
afterAll(async () => {
  await farm?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('shell completion', () => {
  it('`autocomplete --refresh-cache` writes bash, zsh and PowerShell completion with every command and flag', {
    timeout: 30_000,
  }, async () => {
    const env = { HOME: dir, XDG_CACHE_HOME: join(dir, 'cache') };
    const r = await runCli(['autocomplete', '--refresh-cache'], { env });
    expect(r.code, r.stderr).toBe(0);
    const functions = join(dir, 'cache', 'govscan', 'autocomplete', 'functions');
    const bash = await readFile(join(functions, 'bash', 'govscan.bash'), 'utf8');
    expect(bash).toMatch(/^complete -F _govscan_autocomplete govscan$/m);
    expect(bash).toMatch(/^scan .*--targets-file --from-nmap .*--color --lang --quiet --severity --rule --skip-rule --report --config$/m);
    expect(bash).toMatch(/^fleet:status --server/m);
    expect(await readFile(join(functions, 'zsh', '_govscan'), 'utf8')).toContain('#compdef govscan');
    expect(await readFile(join(functions, 'powershell', 'govscan.ps1'), 'utf8')).toContain('Register-ArgumentCompleter');
    // The line a user adds to ~/.bashrc.
    const script = await runCli(['autocomplete', 'script', 'bash'], { env });
    expect(script.stdout).toContain(`GOVSCAN_AC_BASH_SETUP_PATH=${join(dir, 'cache', 'govscan', 'autocomplete', 'bash_setup')}`);
  });
});

describe('a mistyped command', () => {
  it('suggests the command meant, in either language, exit 127, without asking (stdin is no terminal)', { timeout: 30_000 }, async () => {
    const [scna, vi, policy, none] = await Promise.all([
      runCli(['scna', 'https://portal.example.gov.vn']),
      runCli(['scna', 'https://portal.example.gov.vn', '--lang', 'vi']),
      runCli(['polcy', 'lst']),
      runCli(['frobnicate']),
    ]);
    expect(scna).toMatchObject({ code: 127, stdout: '' });
    expect(scna.stderr).toBe('error: "scna" is not a govscan command; did you mean "govscan scan"? (govscan --help lists the commands)\n');
    expect(vi.code).toBe(127);
    expect(vi.stderr).toBe('lỗi: "scna" không phải lệnh của govscan; có phải ý bạn là "govscan scan"? (govscan --help liệt kê các lệnh)\n');
    expect(policy.stderr).toContain('did you mean "govscan policy list"?');
    expect(none).toMatchObject({ code: 127, stderr: 'error: "frobnicate" is not a govscan command (govscan --help lists the commands)\n' });
  });
});

describe('-h', () => {
  it('is --help for every command, in both languages', { timeout: 30_000 }, async () => {
    const [scan, vi, fleet] = await Promise.all([
      runCli(['scan', '-h']),
      runCli(['scan', '-h', '--lang', 'vi']),
      runCli(['fleet', 'status', '-h']),
    ]);
    expect(scan.code, scan.stderr).toBe(0);
    expect(scan.stdout).toMatch(/^USAGE\n {2}\$ govscan scan /m);
    expect(scan.stdout).toContain('--targets-file=FILE');
    expect(vi.stdout).toMatch(/^CÁCH DÙNG\n/m);
    expect(fleet).toMatchObject({ code: 0 });
    expect(fleet.stdout).toMatch(/^USAGE\n {2}\$ govscan fleet status/m);
  });
});

describe('help text', () => {
  it('names every target form, lists each environment variable once, describes the evidence topic, tells --json from --format', {
    timeout: 30_000,
  }, async () => {
    const [scan, fleet, evidence, exported, vi] = await Promise.all([
      runCli(['scan', '-h']),
      runCli(['fleet', 'status', '-h']),
      runCli(['evidence', '--help']),
      runCli(['fleet', 'export', '-h']),
      runCli(['fleet', 'status', '-h', '--lang', 'vi']),
    ]);
    expect(scan.stdout.replace(/\s+/g, ' ')).toContain(
      '[TARGETS...] https:// URL, smtp:// or smtps:// URL, host:port, or a bare domain (repeatable)',
    );
    // Once per flag: oclif's own [env: …] note, not again in the text.
    const flagsOf = (help: string, from: string, to: string): string => help.slice(help.indexOf(`\n${from}\n`), help.indexOf(`\n${to}\n`));
    expect(flagsOf(fleet.stdout, 'FLAGS', 'DESCRIPTION').match(/GOVSCAN_SERVER/g)).toHaveLength(1);
    expect(flagsOf(fleet.stdout, 'FLAGS', 'DESCRIPTION').match(/GOVSCAN_TOKEN/g)).toHaveLength(1);
    expect(flagsOf(vi.stdout, 'THAM SỐ', 'MÔ TẢ').match(/GOVSCAN_SERVER/g)).toHaveLength(1);
    expect(evidence.stdout.split('\n')[0]).toBe('Security-level evidence manifests: write one, check one');
    expect(exported.stdout.replace(/\s+/g, ' ')).toContain(
      '--json With --output: print {agency, format, file, bytes} as JSON instead of a sentence (--format chooses what is exported)',
    );
  });
});

describe('colour', () => {
  function table(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return runCli(
      [
        'scan',
        `https://${expired.host}:${expired.port}`,
        '--resolve',
        `${expired.host}:${expired.port}:127.0.0.1`,
        '--ca-file',
        farm.nationalRootPemFile,
        '--policy',
        'vn-ct02-2022-tls',
        '--quiet',
        '--fail-on',
        'none',
        ...args,
      ],
      { env: { NODE_EXTRA_CA_CERTS: farm.publicRootPemFile, NO_COLOR: '', FORCE_COLOR: '', ...env } },
    );
  }

  it('FORCE_COLOR colours the table even into a pipe; --no-color and NO_COLOR give plain text', { timeout: 60_000 }, async () => {
    const [forced, flag, noColor, piped] = await Promise.all([
      table([], { FORCE_COLOR: '1' }),
      table(['--no-color'], { FORCE_COLOR: '1' }),
      table([], { NO_COLOR: '1' }),
      table([], {}),
    ]);
    for (const r of [forced, flag, noColor, piped]) expect(r.code, r.stderr).toBe(0);
    // The same report each time; only the escapes differ.
    expect(forced.stdout).toContain(ESC);
    expect(forced.stdout).toContain('TLS-CERT-EXPIRED');
    for (const plain of [flag, noColor, piped]) {
      expect(plain.stdout).not.toContain('\x1b');
      expect(plain.stdout).toContain('TLS-CERT-EXPIRED');
    }
    expect(forced.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toBe(flag.stdout);
  });
});

describe('errors under --json', () => {
  it('are {"error":{"code","message"}} on stdout, with the exit code they always have', { timeout: 30_000 }, async () => {
    const [unknown, badFlag, vi, plain] = await Promise.all([
      runCli(['policy', 'show', 'NO-SUCH-RULE', '--json']),
      runCli(['policy', 'list', '--json', '--frobnicate']),
      runCli(['fleet', 'status', '--json', '--lang', 'vi'], { env: { GOVSCAN_SERVER: '', GOVSCAN_TOKEN: '' } }),
      runCli(['policy', 'show', 'NO-SUCH-RULE']),
    ]);
    for (const r of [unknown, badFlag, vi]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('');
      const body = JSON.parse(r.stdout) as { error: { code: string; message: string } };
      expect(Object.keys(body)).toEqual(['error']);
      expect(body.error.code).toBe('input');
      expect(body.error.message.length).toBeGreaterThan(0);
    }
    expect((JSON.parse(badFlag.stdout) as { error: { message: string } }).error.message).toMatch(/Nonexistent flag: --frobnicate/);
    // Without --json, the same error is one line on stderr.
    expect(plain.code).toBe(2);
    expect(plain.stdout).toBe('');
    expect(plain.stderr).toBe(`error: ${(JSON.parse(unknown.stdout) as { error: { message: string } }).error.message}\n`);
    // In the user's language: the same message as the human line would carry.
    expect((JSON.parse(vi.stdout) as { error: { message: string } }).error.message).toMatch(/^--server: cần địa chỉ máy chủ govscan/);
  });
});

describe('plurals', () => {
  it('English counts agree with their noun (Intl.PluralRules); Vietnamese has one form', () => {
    expect(format('{count} {count:finding|findings}', { count: 1 })).toBe('1 finding');
    expect(format('{count} {count:finding|findings}', { count: 0 })).toBe('0 findings');
    expect(localize(OUTCOME_MESSAGES.thresholdExceeded, 'en', { count: 1, failOn: 'high' })).toBe('1 finding at or above "high": exit 1');
    expect(localize(OUTCOME_MESSAGES.thresholdExceeded, 'en', { count: 2, failOn: 'high' })).toBe('2 findings at or above "high": exit 1');
    expect(localize(M.progressAggregate, 'en', { done: 1, total: 1, failed: 1 })).toBe('1/1 target scanned, 1 failed finding');
    expect(localize(OUTCOME_MESSAGES.thresholdExceeded, 'vi', { count: 1, failOn: 'high' })).toBe(
      '1 phát hiện có mức độ từ "high" trở lên: mã thoát 1',
    );
  });

  it('the scan says "1 finding" when one finding is over the threshold', { timeout: 30_000 }, async () => {
    const r = await runCli(
      [
        'scan',
        `https://${expired.host}:${expired.port}`,
        '--resolve',
        `${expired.host}:${expired.port}:127.0.0.1`,
        '--ca-file',
        farm.nationalRootPemFile,
        '--policy',
        'vn-ct02-2022-tls',
        '--fail-on',
        'critical',
        '--format',
        'json',
        '--output',
        join(dir, 'one.json'),
      ],
      { env: { NODE_EXTRA_CA_CERTS: farm.publicRootPemFile } },
    );
    const report = JSON.parse(await readFile(join(dir, 'one.json'), 'utf8')) as { summary: { failedBySeverity: Record<string, number> } };
    const critical = report.summary.failedBySeverity.critical ?? 0;
    expect(critical, r.stderr).toBeGreaterThan(0);
    expect(r.stderr).toContain(`${critical} ${critical === 1 ? 'finding' : 'findings'} at or above "critical": exit 1`);
    expect(r.stderr).not.toMatch(/\b1 findings\b/);
  });
});
