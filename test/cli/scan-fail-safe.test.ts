// A scan never passes what it could not do (issue 10): a name that does not resolve or a dead DNS
// server is "not tested" with the reason and exits 3 when nothing at all was probed; --resolve cannot
// silently empty a run; bad ports and pattern hosts are bad input; repeatable flags leave the target
// after them alone; --fail-on-not-tested turns what could not be evaluated into exit 1. Every name
// goes to the loopback DNS lab (--dns-server on ::1) or is pinned with --resolve.

import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIpv6Lab, type Ipv6Lab } from '../../src/lab/dns-lab.js';
import { COMMANDS } from '../../src/commands/index.js';
import type { Report } from '../../src/core/types.js';
import { runCli, type CliResult } from '../helpers/cli.js';

let lab: Ipv6Lab;
beforeAll(async () => {
  lab = await startIpv6Lab();
});
afterAll(async () => {
  await lab?.close();
});

const scan = (args: string[], extra: { env?: Record<string, string> } = {}): Promise<CliResult> =>
  runCli(['scan', ...args, ...lab.args([]), '--timeout', '2000', '--target-timeout', '30000', '--quiet'], { timeoutMs: 120_000, ...extra });

const ipv6 = ['--policy', 'vn-ct02-2022-ipv6'];

function json(r: CliResult): Report {
  return JSON.parse(r.stdout) as Report;
}

/** A UDP port on loopback with nobody behind it: a DNS server there is dead (the kernel refuses at once). */
async function deadUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('a target that cannot be resolved', () => {
  it('an https:// URL that does not exist: every rule not tested with the reason, no score, exit 3', async () => {
    const r = await scan(['https://nosuch.test']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/not tested: \d+ — cannot resolve nosuch\.test with \[::1\]:\d+: the name does not exist in DNS \(NXDOMAIN\)/);
    expect(r.stdout).toMatch(/nosuch\.test does not exist in DNS \(NXDOMAIN\)/);
    expect(r.stdout).not.toMatch(/100 %|IPv6 readiness by domain/);
    expect(r.stdout).toMatch(/0 failed · 0 passed · \d+ not tested · 0 n\/a/);
    expect(r.stderr).toMatch(/^the scan could not run: no target could be probed \(/m);
    const report = json(await scan(['https://nosuch.test', '--format', 'json']));
    expect(report.findings.length).toBeGreaterThan(20);
    expect(report.findings.filter((f) => f.outcome !== 'not-tested')).toEqual([]);
    expect(report.findings.every((f) => (f.reason ?? '').length > 0)).toBe(true);
  });

  it('a bare domain that does not exist: the same, in Vietnamese too', async () => {
    const r = await scan(['nosuch.test', '--lang', 'vi']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/chưa kiểm tra: 11 — tên nosuch\.test không tồn tại trên DNS \(NXDOMAIN\) \(11\)/);
    expect(r.stdout).not.toMatch(/100 %/);
    expect(r.stderr).toMatch(
      /^không thể thực hiện quét: không thăm dò được đối tượng quét nào \(tên nosuch\.test không tồn tại trên DNS \(NXDOMAIN\)\)$/m,
    );
  });

  it('a dead --dns-server: not tested with the reason, exit 3', async () => {
    const port = await deadUdpPort();
    const r = await runCli(
      [
        'scan',
        'https://portal.test',
        'portal.test',
        '--dns-server',
        `127.0.0.1:${port}`,
        '--lab',
        '--timeout',
        '2000',
        '--quiet',
        '--format',
        'json',
      ],
      { timeoutMs: 60_000 },
    );
    expect(r.code, r.stderr).toBe(3);
    const report = json(r);
    expect(report.findings.filter((f) => f.outcome !== 'not-tested')).toEqual([]);
    expect(report.findings.find((f) => f.target === 'https://portal.test:443' && f.check === 'tls.endpoint')?.reason).toBe(
      `cannot resolve portal.test with 127.0.0.1:${port}: the DNS server refused the connection (ECONNREFUSED)`,
    );
    expect(report.summary.findings.pass).toBe(0);
  });

  it('among targets that resolve: not tested, the run judged on the rest (exit 0); --fail-on-not-tested exits 1', async () => {
    const r = await scan(['dual.test', 'nosuch.test', ...ipv6, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = json(r);
    expect(report.findings.filter((f) => f.target === 'dns://dual.test').every((f) => f.outcome === 'pass')).toBe(true);
    expect(report.findings.filter((f) => f.target === 'dns://nosuch.test').every((f) => f.outcome === 'not-tested')).toBe(true);
    const gateArgs = ['scan', 'dual.test', 'nosuch.test', ...ipv6, ...lab.args([]), '--timeout', '2000', '--fail-on-not-tested'];
    const gate = await runCli(gateArgs, { timeoutMs: 60_000 });
    expect(gate.code, gate.stderr).toBe(1);
    expect(gate.stderr).toMatch(/^11 applicable rules could not be evaluated \(not tested\) and --fail-on-not-tested is set: exit 1$/m);
    const vi = await runCli([...gateArgs, '--lang', 'vi'], { timeoutMs: 60_000 });
    expect(vi.code).toBe(1);
    expect(vi.stderr).toMatch(/^11 quy tắc áp dụng chưa kiểm tra được và có tham số --fail-on-not-tested: mã thoát 1$/m);
    // Quiet: the gate still decides the exit code, without a word.
    const quiet = await scan(['dual.test', 'nosuch.test', ...ipv6, '--fail-on-not-tested']);
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toBe('');
  });

  it('--fail-on-not-tested does nothing when every rule was evaluated', async () => {
    const r = await scan(['dual.test', ...ipv6, '--fail-on-not-tested']);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('bad input', () => {
  it('port 0 or past 65535: one line, exit 2', async () => {
    for (const [target, shown] of [
      ['https://portal.test:0', 'https://portal.test:0'],
      ['https://portal.test:70000/x', 'https://portal.test:70000/x'],
      ['portal.test:0', 'portal.test:0'],
    ]) {
      const r = await runCli(['scan', target ?? '', '--quiet'], { timeoutMs: 30_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`error: target 1: "${shown}": port must be 1–65535\n`);
    }
  });

  it('a pattern host in --resolve is refused, never ignored', async () => {
    const r = await runCli(['scan', 'https://portal.example.gov.vn', '--resolve', '*.example.gov.vn:443:127.0.0.1', '--quiet'], {
      timeoutMs: 30_000,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: --resolve "*.example.gov.vn:443:127.0.0.1": "*.example.gov.vn" is a pattern: only a bare * stands for every name (list each name with its own --resolve)\n',
    );
  });
});

describe('--resolve', () => {
  it('pins a bare domain: every rule not tested with the reason, exit 3 when it is the only target', async () => {
    for (const pin of ['dual.test:443:127.0.0.1', '*:*:127.0.0.1']) {
      const r = await scan(['dual.test', '--resolve', pin, '--format', 'json']);
      expect(r.code, `${pin}: ${r.stderr}`).toBe(3);
      const report = json(r);
      expect(report.findings.length).toBe(11);
      expect(report.findings.every((f) => f.outcome === 'not-tested')).toBe(true);
      expect(new Set(report.findings.map((f) => f.reason))).toEqual(
        new Set([
          '--resolve pins the addresses of dual.test: what DNS publishes for it (IPv6 readiness) is not judged; leave it out of --resolve to test it',
        ]),
      );
      expect(report.findings[0]?.reasonText?.vi).toBe(
        '--resolve cố định địa chỉ của dual.test: dữ liệu DNS công bố cho tên này (mức sẵn sàng IPv6) không được đánh giá; bỏ tên này khỏi --resolve để kiểm tra',
      );
    }
  });

  it('leaving no check that applies (a pinned web host judged on IPv6 alone) is no pass: exit 3, said in words', async () => {
    const r = await runCli(['scan', 'https://portal.test', '--resolve', 'portal.test:443:127.0.0.1', ...ipv6, '--quiet'], {
      timeoutMs: 30_000,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('the scan could not run: no check of the chosen policies applies to these targets, so nothing was judged\n');
  });

  it('warns, in both languages, about an entry that matches no target', async () => {
    const args = ['dual.test', ...ipv6, '--resolve', 'dual.tset:443:127.0.0.1', '--resolve', 'www.dual.test:443:127.0.0.1'];
    const r = await runCli(['scan', ...args, ...lab.args([]), '--timeout', '2000', '--format', 'json'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: --resolve dual.tset:443:127.0.0.1 matches no target and is not used\n');
    expect(r.stderr).toContain('warning: --resolve www.dual.test:443:127.0.0.1 matches no target and is not used\n');
    const vi = await runCli(['scan', ...args, ...lab.args([]), '--timeout', '2000', '--format', 'json', '--lang', 'vi'], {
      timeoutMs: 60_000,
    });
    expect(vi.stderr).toContain('cảnh báo: --resolve dual.tset:443:127.0.0.1 không khớp với đối tượng quét nào nên không được dùng\n');
  });
});

describe('repeatable flags', () => {
  it('leave the target after their value alone: --ca-file, --policy, --dns-server, --port-map, --resolve', async () => {
    const ca = 'examples/agency/ca/example-root.pem';
    const [dnsFlag, dnsValue, ...rest] = lab.args([]);
    const r = await runCli(
      [
        'scan',
        '--ca-file',
        ca,
        '--policy',
        'vn-ct02-2022-ipv6',
        dnsFlag ?? '',
        dnsValue ?? '',
        'dual.test',
        '--resolve',
        'a.test:443:127.0.0.1',
        '--resolve',
        'b.test:443:127.0.0.1',
        'mxv4.test',
        ...rest,
        '--format',
        'json',
        '--quiet',
        '--timeout',
        '2000',
      ],
      { timeoutMs: 60_000 },
    );
    expect(r.stderr).not.toMatch(/no target given/);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r).targets.map((t) => t.key)).toEqual(['dns://dual.test', 'dns://mxv4.test']);
    const ev = await runCli(
      [
        'evidence',
        'verify',
        '--ca-file',
        ca,
        'examples/agency/evidence/cong-dvc/evidence.yaml',
        '--format',
        'json',
        '--fail-on',
        'none',
        '--quiet',
      ],
      { timeoutMs: 60_000 },
    );
    expect(ev.code, ev.stderr).toBe(0);
    expect(json(ev).targets.length).toBe(1);
  });

  it('every multiple flag of every command is non-greedy', () => {
    const greedy = Object.entries(COMMANDS).flatMap(([id, command]) =>
      Object.entries(command.flags ?? {}).flatMap(([name, flag]) => {
        const f = flag as { type: string; multiple?: boolean; multipleNonGreedy?: boolean };
        return f.type === 'option' && f.multiple && !f.multipleNonGreedy ? [`${id} --${name}`] : [];
      }),
    );
    expect(greedy).toEqual([]);
  });
});
