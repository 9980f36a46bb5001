// Runs a command and measures it the same way for every tool: wall time, and peak resident memory
// read from /proc/<pid>/status (VmHWM) while it runs, so no external `time` binary is needed.

import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';

export interface Measured {
  tool: string;
  ok: boolean;
  code: number | null;
  wallMs: number;
  peakRssMb: number | null;
  stdout: string;
  stderr: string;
}

function peakRssKb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export function measure(
  tool: string,
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<Measured> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (d: Buffer) => (stdout.length < 4_000_000 ? (stdout += d.toString()) : undefined));
    child.stderr.on('data', (d: Buffer) => (stderr.length < 100_000 ? (stderr += d.toString()) : undefined));
    const poll = setInterval(() => {
      if (child.pid) peak = Math.max(peak, peakRssKb(child.pid) ?? 0);
    }, 25);
    const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    const finish = (code: number | null): void => {
      clearInterval(poll);
      clearTimeout(killer);
      resolve({
        tool,
        ok: code === 0 || code === 1,
        code,
        wallMs: performance.now() - started,
        peakRssMb: peak ? peak / 1024 : null,
        stdout,
        stderr,
      });
    };
    child.on('error', (err) => {
      stderr += String(err);
      finish(null);
    });
    child.on('close', finish);
  });
}

export function available(cmd: string): boolean {
  const paths = (process.env.PATH ?? '').split(':');
  return paths.some((p) => {
    try {
      accessSync(`${p}/${cmd}`, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
