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

export async function startFarmProcess(n: number): Promise<{ info: FarmInfo; stop: () => void }> {
  const child = spawn(process.execPath, [join(here, 'farm-process.js'), String(n)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`farm exited with ${code}`)));
  });
  return { info: JSON.parse(line) as FarmInfo, stop: () => child.stdin.end() };
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
