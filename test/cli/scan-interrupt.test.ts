// Ctrl-C: the scan stops probing, writes the report of what it gathered and exits 130, whatever the
// progress display — the live list on a terminal (a real pseudo-terminal here: listr2's own SIGINT
// handler used to exit 127 with no report), plain lines, or none. And on that live list a target
// nothing could be judged on shows listr2's yellow ↓ with the reason, never a green ✔.

import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIpv6Lab, type Ipv6Lab } from '../../src/lab/dns-lab.js';
import type { Report } from '../../src/core/types.js';
import { BIN } from '../helpers/cli.js';

/**
 * Runs a command on a pseudo-terminal 200 columns wide; bytes written to this script's stdin are typed
 * on the terminal (0x03 is Ctrl-C), the terminal's output is copied to stdout, and the last line says
 * `EXIT=<code>` (negative: killed by that signal).
 */
const PTY = `
import os, pty, sys, select, fcntl, termios, struct
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 50, 200, 0, 0))
    os.execvp(sys.argv[1], sys.argv[1:])
inputs = [fd, 0]
while True:
    ready, _, _ = select.select(inputs, [], [])
    if 0 in ready:
        data = os.read(0, 1024)
        if data:
            os.write(fd, data)
        else:
            inputs.remove(0)
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
_, status = os.waitpid(pid, 0)
sys.stdout.write('\\nEXIT=%d\\n' % os.waitstatus_to_exitcode(status))
`;

interface Run {
  code: number | null;
  output: string;
}

/** A TLS port that accepts and never says a word: a probe of it waits until the deadline or Ctrl-C. */
let silent: net.Server;
const held = new Set<net.Socket>();
let connected: () => void = () => undefined;
let lab: Ipv6Lab;

beforeAll(async () => {
  silent = net.createServer((s) => {
    held.add(s);
    s.on('error', () => undefined).on('close', () => held.delete(s));
    connected();
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  lab = await startIpv6Lab();
});

afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
  await lab?.close();
});

function slowScanArgs(output: string): string[] {
  const port = (silent.address() as net.AddressInfo).port;
  return [
    'scan',
    `https://slow.test:${port}`,
    '--resolve',
    `slow.test:${port}:127.0.0.1`,
    '--policy',
    'vn-ct02-2022-tls',
    '--timeout',
    '120000',
    '--format',
    'json',
    '--output',
    output,
  ];
}

/**
 * A colour terminal as a user's: node's styleText (which listr2 colours with) turns colour off when
 * CI is set — as it is where this suite runs in CI — or when NO_COLOR or FORCE_COLOR say so.
 */
function terminalEnv(): NodeJS.ProcessEnv {
  const { CI: _ci, NO_COLOR: _no, FORCE_COLOR: _force, ...env } = process.env;
  return { ...env, GOVSCAN_LANG: '', TERM: 'xterm-256color' };
}

/**
 * Run govscan with `args`: on a pseudo-terminal (`pty`; `shell` wraps it as `sh -c SHELL govscan args…`),
 * or with pipes (`signal`). `onStart` gets a function that presses Ctrl-C (or sends SIGINT) once.
 */
function govscan(
  args: string[],
  how: 'pty' | 'signal',
  opts: { shell?: string; onStart?: (interrupt: () => void) => void } = {},
): Promise<Run> {
  const command = opts.shell ? ['sh', '-c', opts.shell, process.execPath, BIN, ...args] : [process.execPath, BIN, ...args];
  const child =
    how === 'pty'
      ? spawn('python3', ['-c', PTY, ...command], {
          env: terminalEnv(),
          stdio: ['pipe', 'pipe', 'pipe'],
        })
      : spawn(command[0] ?? '', command.slice(1), {
          env: { ...process.env, GOVSCAN_LANG: '', NO_COLOR: '1' },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  opts.onStart?.(() => (how === 'pty' ? child.stdin.write('\x03') : child.kill('SIGINT')));
  const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(guard);
      const exit = /\nEXIT=(-?\d+)\n$/.exec(output);
      resolve({ code: how === 'pty' ? (exit ? Number(exit[1]) : null) : code, output });
    }),
  );
}

/** Start the scan and press Ctrl-C once the silent server holds its connection: the scan is under way. */
function interrupt(args: string[], how: 'pty' | 'signal'): Promise<Run> {
  return govscan(args, how, {
    onStart: (press) => {
      connected = () => {
        connected = () => undefined;
        press();
      };
    },
  });
}

async function cancelledReport(file: string): Promise<Report> {
  const report = JSON.parse(await readFile(file, 'utf8')) as Report;
  expect(report.findings.length).toBeGreaterThan(0);
  expect(report.findings.every((f) => f.outcome === 'not-tested' && f.reason === 'scan cancelled')).toBe(true);
  return report;
}

describe('Ctrl-C during a scan', () => {
  it('with the live list on a terminal: the report is written and the exit code is 130', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'govscan-int-')), 'report.json');
    const r = await interrupt(slowScanArgs(out), 'pty');
    expect(r.code, r.output).toBe(130);
    expect(r.output).toMatch(/interrupted: the report holds what was gathered before Ctrl-C/);
    await cancelledReport(out);
  });

  it('with plain progress lines or --quiet: the same', async () => {
    for (const extra of [[], ['--quiet']]) {
      const out = join(await mkdtemp(join(tmpdir(), 'govscan-int-')), 'report.json');
      const r = await interrupt([...slowScanArgs(out), ...extra], 'signal');
      expect(r.code, `${extra.join(' ')}: ${r.output}`).toBe(130);
      await cancelledReport(out);
    }
  });
});

describe('the live list', () => {
  it('is not drawn into a report sent to stdout: with stdout redirected, progress is plain lines on the terminal', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'govscan-int-')), 'stdout.json');
    // The shell only redirects stdout (exec: govscan itself gets the terminal's Ctrl-C and size).
    const r = await govscan(
      ['scan', 'dual.test', 'nosuch.test', ...lab.args([]), '--policy', 'vn-ct02-2022-ipv6', '--timeout', '2000', '--format', 'json'],
      'pty',
      {
        shell: `exec "$0" "$@" > '${out}'`,
      },
    );
    const terminal = r.output;
    expect(terminal).toMatch(/\nEXIT=0\n$/);
    expect(terminal).toMatch(/\[\d\/2\] dns:\/\/nosuch\.test — not tested: nosuch\.test does not exist in DNS \(NXDOMAIN\)/);
    const report = JSON.parse(await readFile(out, 'utf8')) as Report;
    expect(report.targets.map((t) => t.key)).toEqual(['dns://dual.test', 'dns://nosuch.test']);
  });

  it('marks a target that could not be tested with a yellow ↓ and the reason, a judged one with ✔', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'govscan-int-')), 'report.txt');
    const { output } = await govscan(
      ['scan', 'dual.test', 'nosuch.test', ...lab.args([]), '--policy', 'vn-ct02-2022-ipv6', '--timeout', '2000', '--output', out],
      'pty',
    );
    expect(output).toMatch(/\nEXIT=0\n$/);
    // The final frame: the last line drawn for each target.
    const last = (key: string): string =>
      output
        .split(/\r?\n/)
        .filter((l) => l.includes(key))
        .at(-1) ?? '';
    expect(last('dns://dual.test')).toMatch(/\u001b\[32m✔\u001b\[39m dns:\/\/dual\.test — 0 failed, 11 passed/);
    expect(last('dns://nosuch.test')).toMatch(
      /\u001b\[33m↓\u001b\[39m dns:\/\/nosuch\.test — not tested: nosuch\.test does not exist in DNS \(NXDOMAIN\)/,
    );
    expect(last('dns://nosuch.test')).not.toContain('✔');
  });
});
