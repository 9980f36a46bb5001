// The agent's configuration: every mistake is one line `file:line:col: what is wrong` and exit 2,
// before anything runs; defaults and relative paths resolve the way an operator expects.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAgentConfig, parseAgentConfig } from '../../agent/config.js';
import { InputError } from '../../src/core/errors.js';
import { runAgent } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-agent-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function errorOf(text: string): string {
  try {
    parseAgentConfig(text, 'agent.yaml', {});
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('accepted');
}

describe('agent configuration', () => {
  it.each([
    ['server:\n  url: http://127.0.0.1:8080\n  tiemout: 5\n', 'agent.yaml:3:3: server: unknown field "tiemout"'],
    ['schedule:\n  interval: 30s\n', 'agent.yaml:2:13: schedule.interval: must be at least 60s (got 30s)'],
    [
      'schedule:\n  interval: 5x\n',
      'agent.yaml:2:13: schedule.interval: "5x" is not valid: use seconds as a number, or a number followed by s, m, h or d (e.g. 15m, 6h)',
    ],
    [
      'server:\n  url: soc.example.gov.vn\n',
      'agent.yaml:2:8: server.url: "soc.example.gov.vn" is not valid: use the server\'s base URL, http(s)://HOST[:PORT], e.g. https://soc.example.gov.vn:8443',
    ],
    ['spool:\n  maxBytes: 10\n', 'agent.yaml:2:13: spool.maxBytes: must be >= 1024 (got 10)'],
    ['scan:\n  policies: vn-ct02-2022-tls\n', 'agent.yaml:2:13: scan.policies: must be a list (got string "vn-ct02-2022-tls")'],
    ['scan:\n  legalBasis: nd2020\n', 'agent.yaml:2:15: scan.legalBasis: must be one of nd85-2016, nd331-2026 (got "nd2020")'],
    [
      'host:\n  forwarders:\n    - name: soc\n      collector: soc.example:70000\n      configFiles: [/etc/rsyslog.d]\n',
      'agent.yaml:4:18: host.forwarders[0].collector: port must be 1–65535 (got 70000)',
    ],
    [
      'host:\n  forwarders:\n    - name: soc\n      configFiles: [/etc/rsyslog.d]\n',
      'agent.yaml:3:7: host.forwarders[0]: missing required field "collector"',
    ],
    ['upload:\n  backoff: 10m\n  maxBackoff: 1m\n', 'agent.yaml:3:15: upload.maxBackoff: must not be shorter than upload.backoff (600s)'],
    ['server: [\n', 'agent.yaml:2:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]'],
  ])('%j → %s', (text, message) => {
    expect(errorOf(text)).toBe(message);
  });

  it('refuses server anchors it cannot use, pointing at the entry', async () => {
    await writeFile(join(dir, 'empty.pem'), 'nothing here\n');
    const file = join(dir, 'agent.yaml');
    expect(() => parseAgentConfig('server:\n  caFiles:\n    - absent.pem\n', file, {})).toThrow(
      `${file}:3:7: server.caFiles[0]: cannot read ${join(dir, 'absent.pem')}: ENOENT`,
    );
    expect(() => parseAgentConfig('server:\n  caFiles: [empty.pem]\n', file, {})).toThrow(
      `${file}:2:13: server.caFiles[0]: ${join(dir, 'empty.pem')} holds no PEM certificate`,
    );
  });

  it('resolves relative paths against the file and takes the state directory from systemd', async () => {
    const file = join(dir, 'etc', 'agent.yaml');
    await mkdir(join(dir, 'etc'), { recursive: true });
    await writeFile(join(dir, 'etc', 'soc-ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const c = parseAgentConfig(
      'server:\n  url: https://soc.example.gov.vn:8443/\n  caFiles: [soc-ca.pem]\nscan:\n  inventory: inventory.yaml\n  policies: [vn-ct02-2022-tls, ./local-pack.yaml]\nschedule:\n  interval: 6h\n  jitter: 10m\nhost:\n  certificateFiles: [/etc/ssl/portal.pem, certs/mail.pem]\n',
      file,
      { STATE_DIRECTORY: '/var/lib/govscan-agent:/var/lib/other' },
    );
    expect(c.server).toEqual({ url: 'https://soc.example.gov.vn:8443', caFiles: [join(dir, 'etc', 'soc-ca.pem')], timeoutMs: 30_000 });
    expect(c.stateDirectory).toBe('/var/lib/govscan-agent');
    expect(c.tokenFile).toBe('/var/lib/govscan-agent/token.json');
    expect(c.spool).toEqual({ directory: '/var/lib/govscan-agent/spool', maxBytes: 256 * 1024 * 1024 });
    expect(c.schedule).toEqual({ intervalSeconds: 21_600, jitterSeconds: 600 });
    expect(c.scan.inventory).toBe(join(dir, 'etc', 'inventory.yaml'));
    expect(c.scan.policies).toEqual(['vn-ct02-2022-tls', join(dir, 'etc', 'local-pack.yaml')]);
    expect(c.host.certificateFiles).toEqual(['/etc/ssl/portal.pem', join(dir, 'etc', 'certs', 'mail.pem')]);
    // An empty file is every default.
    expect(parseAgentConfig('', file, {})).toEqual({ ...defaultAgentConfig({}), file });
  });

  it('stops `govscan-agent run` with one line and exit 2, in either language', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'schedule:\n  interval: 10\n');
    for (const [lang, prefix] of [
      ['en', 'error'],
      ['vi', 'lỗi'],
    ] as const) {
      for (const args of [['run', '--once'], ['run']]) {
        const r = await runAgent([...args, '--config', file, '--lang', lang]);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe(`${prefix}: ${file}:2:13: schedule.interval: must be at least 60s (got 10s)\n`);
      }
    }
  });

  it('refuses bad command lines with one line and exit 2', async () => {
    const cases: [string[], string][] = [
      [['frob'], 'error: unknown command "frob": expected enroll or run (see --help)\n'],
      [['run', '--onse'], 'error: --onse: unknown option for "run" (see --help)\n'],
      [['enroll', '--server', 'https://soc.example.gov.vn'], 'error: --secret: required\n'],
      [['enroll', '--secret', 's', '--server', 'ftp://soc'], 'error: --server: "ftp://soc" is not an http(s)://HOST[:PORT] URL\n'],
      [['enroll', '--secret'], 'error: --secret: expects a value\n'],
      [['run', '--lang', 'fr'], 'error: --lang: must be en or vi (got "fr")\n'],
      [['run', '--config', join(dir, 'absent.yaml')], `error: ${join(dir, 'absent.yaml')}: cannot read the configuration: ENOENT\n`],
    ];
    for (const [args, stderr] of cases) {
      const r = await runAgent(args);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 2, stderr });
    }
    const help = await runAgent(['--help', '--lang', 'vi']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('govscan-agent enroll --server URL --secret SECRET');
    expect(help.stdout).toContain('Mã thoát');
  });
});
