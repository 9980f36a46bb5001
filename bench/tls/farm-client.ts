// Starts bench/tls/farm-process.js as a child and writes the 10,000-target inventory both TLS
// benchmarks scan: shared by `npm run bench:tls` and `npm run bench:json`.

import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export interface FarmInfo {
  endpoints: { host: string; port: number }[];
  rootPem: string;
}

const here = fileURLToPath(new URL('.', import.meta.url));

/** Settings both TLS benchmarks share (environment overrides), so their runs are comparable. */
export const N = Number(process.env.BENCH_ENDPOINTS ?? 200);
export const BIG = Number(process.env.BENCH_BIG ?? 10_000);
export const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
// Every farm endpoint is 127.0.0.1, which the per-address limit would treat as one host: lift it so
// the farm behaves like 200 machines, as it does for nmap.
export const PER_HOST = CONCURRENCY * 4;
export const SCAN_FLAGS = [
  '--resolve',
  '*:*:127.0.0.1',
  '--quiet',
  '--fail-on',
  'none',
  '--concurrency',
  String(CONCURRENCY),
  '--per-host',
  String(PER_HOST),
];
export const BIN = fileURLToPath(new URL('../../../bin/run.js', import.meta.url));
export const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

export interface FarmProcess {
  info: FarmInfo;
  /** TCP connections the farm has accepted since it started (counted on the server side). */
  accepted(): Promise<number>;
  stop: () => void;
}

/** Starts the farm child; `mixed` rotates its endpoints through several cipher/version profiles. */
export async function startFarmProcess(n: number, opts: { mixed?: boolean } = {}): Promise<FarmProcess> {
  const child = spawn(process.execPath, [join(here, 'farm-process.js'), String(n), ...(opts.mixed ? ['mixed'] : [])], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const waiting: { resolve: (line: string) => void; reject: (err: Error) => void }[] = [];
  lines.on('line', (line) => waiting.shift()?.resolve(line));
  child.once('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`farm exited with ${code}`));
  });
  const nextLine = (): Promise<string> => new Promise<string>((resolve, reject) => waiting.push({ resolve, reject }));
  const info = JSON.parse(await nextLine()) as FarmInfo;
  return {
    info,
    accepted: async () => {
      const answer = nextLine();
      child.stdin.write('accepted\n');
      return (JSON.parse(await answer) as { accepted: number }).accepted;
    },
    stop: () => child.stdin.end(),
  };
}

/** An inventory of `count` distinct targets cycling over the farm's ports (one system, as an agency would list them). */
export async function writeBigInventory(file: string, farm: FarmInfo, count: number): Promise<void> {
  const lines = ['agency: Benchmark', 'systems:', '  - id: bench', '    endpoints:'];
  for (let i = 0; i < count; i++) {
    const e = farm.endpoints[i % farm.endpoints.length]!;
    lines.push(`      - https://t${i}.bench.farm.test:${e.port}`);
  }
  await writeFile(file, lines.join('\n') + '\n');
}
