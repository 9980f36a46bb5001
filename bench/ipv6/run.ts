// npm run bench:ipv6 — 1,000 domains served by the local DNS fixture, their web servers, name servers
// and mail servers on loopback; `govscan scan` runs as a child process so its wall time and peak RSS
// are its own, and the lab runs in a third process (lab-process.ts) so the scanner is measured against
// servers that do not share an event loop with anything. Prints domains per second (median of
// BENCH_REPEAT runs) and peak RSS. Target: at least 200 domains/s.
//
// Every domain resolves to 127.0.0.1 / ::1, so the per-host limit (keyed by address) is raised: on a
// real scan those domains would sit on a thousand different addresses. Port parity spawns nmap twice
// per host, which no scanner does at 200 domains/s; the main run measures the other checks (parity is
// not-tested there) and a second, smaller run measures parity with nmap on its own.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { available, measure, median, type Measured } from '../lib/measure.js';
import { benchScenarios } from './scenarios.js';

const DOMAINS = Number(process.env.BENCH_DOMAINS ?? 1000);
const PARITY_DOMAINS = Number(process.env.BENCH_PARITY_DOMAINS ?? 20);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 128);
const BIN = fileURLToPath(new URL('../../../bin/run.js', import.meta.url));
const LAB = fileURLToPath(new URL('./lab-process.js', import.meta.url));

async function startLab(n: number): Promise<{ args: string[]; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [LAB, String(n)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`IPv6 lab exited with ${String(code)}`)));
  });
  const { args } = JSON.parse(line) as { args: string[] };
  return {
    args,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

async function main(): Promise<void> {
  const domains = benchScenarios(DOMAINS).map((s) => s.domain);
  const lab = await startLab(DOMAINS);
  try {
    const base = [
      BIN,
      'scan',
      ...lab.args,
      '--policy',
      'vn-ct02-2022-ipv6',
      '--quiet',
      '--timeout',
      '5000',
      '--per-host',
      '256',
      '--fail-on',
      'none',
    ];
    const runs: Measured[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const run = await measure(
        'govscan',
        process.execPath,
        [...base, '--concurrency', String(CONCURRENCY), '--nmap', 'govscan-bench-no-nmap', ...domains],
        { timeoutMs: 600_000 },
      );
      if (!run.ok) throw new Error(`scan failed (exit ${String(run.code)}): ${run.stderr.slice(0, 2000)}`);
      runs.push(run);
    }
    const wall = median(runs.map((r) => r.wallMs));
    const rss = Math.max(...runs.map((r) => r.peakRssMb ?? 0));
    const summary = runs[runs.length - 1]?.stdout.trim().split('\n').pop() ?? '';
    const each = runs.map((r) => `${(DOMAINS / (r.wallMs / 1000)).toFixed(0)}`).join(', ');
    console.log(
      `ipv6 bench: ${DOMAINS} domains, median ${(wall / 1000).toFixed(2)} s → ${(DOMAINS / (wall / 1000)).toFixed(0)} domains/s ` +
        `(runs: ${each}), peak RSS ${rss ? rss.toFixed(0) : '?'} MB, concurrency ${CONCURRENCY} (target ≥ 200 domains/s)`,
    );
    console.log(`  ${summary}`);
    if (available('nmap') && PARITY_DOMAINS > 0) {
      const some = domains.slice(0, PARITY_DOMAINS);
      const parity = await measure('govscan', process.execPath, [...base, '--concurrency', '32', ...some], { timeoutMs: 600_000 });
      console.log(
        `  with nmap port parity: ${some.length} domains in ${(parity.wallMs / 1000).toFixed(2)} s → ${(some.length / (parity.wallMs / 1000)).toFixed(1)} domains/s, peak RSS ${parity.peakRssMb?.toFixed(0) ?? '?'} MB`,
      );
    }
  } finally {
    await lab.stop();
  }
}

await main();
