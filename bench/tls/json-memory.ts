// npm run bench:json — peak RSS and wall time of the CLI scanning 10,000 targets (cycling over a
// local farm) with --format table (lean report) and --format json (every fact and finding, streamed
// through a spill file), to a file and to stdout; plus a small scan's JSON run, so the streaming path
// is seen not to slow the usual case. Prints numbers; asserts nothing.

import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, median, type Measured } from '../lib/measure.js';
import { BIG, BIN, CONCURRENCY, fmt, N, SCAN_FLAGS, startFarmProcess, writeBigInventory } from './farm-client.js';
import type { Report } from '../../src/core/types.js';

const SMALL = Number(process.env.BENCH_SMALL ?? 50);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const mb = (m: Measured): number => m.peakRssMb ?? Number.NaN;

async function main(): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'govscan-bench-json-'));
  const farm = await startFarmProcess(N);
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: farm.info.rootPem };
  console.log(
    `govscan JSON report benchmark — ${BIG} targets over ${N} endpoints on 127.0.0.1, concurrency ${CONCURRENCY}, node ${process.version}`,
  );
  const rows: string[] = [];
  try {
    const inventory = join(tmp, 'big.yaml');
    await writeBigInventory(inventory, farm.info, BIG);
    const scan = (format: string, out?: string): Promise<Measured> =>
      measure(
        'govscan',
        process.execPath,
        [BIN, 'scan', '--inventory', inventory, ...SCAN_FLAGS, '--format', format, ...(out ? ['--output', out] : [])],
        { env, timeoutMs: 1_800_000 },
      );

    const table = await scan('table', join(tmp, 'big.txt'));
    rows.push(`--format table --output FILE: ${fmt(table.wallMs)}, peak RSS ${mb(table).toFixed(0)} MB, exit ${table.code}`);
    const jsonOut = join(tmp, 'big.json');
    const json = await scan('json', jsonOut);
    const size = (await stat(jsonOut).catch(() => ({ size: 0 }))).size;
    rows.push(
      `--format json  --output FILE: ${fmt(json.wallMs)}, peak RSS ${mb(json).toFixed(0)} MB = ${(mb(json) / mb(table)).toFixed(2)}× table (target ≤ 2×), ${(size / 1e6).toFixed(0)} MB written, exit ${json.code}`,
    );
    if (size > 0) {
      // Read back here (not in the scan's process): the document must hold every attempt and finding.
      const report = JSON.parse(await readFile(jsonOut, 'utf8')) as Report;
      const counted = Object.values(report.summary.findings).reduce((a, b) => a + b, 0);
      rows.push(
        `  read back: ${report.targets.length} targets, ${report.attempts.length} attempts (${report.attempts.filter((a) => a.facts !== undefined).length} with facts), ${report.findings.length} findings (summary counts ${counted})`,
      );
    }
    const stdout = await scan('json');
    rows.push(
      `--format json  to stdout:      ${fmt(stdout.wallMs)}, peak RSS ${mb(stdout).toFixed(0)} MB = ${(mb(stdout) / mb(table)).toFixed(2)}× table, exit ${stdout.code}`,
    );

    // The usual case: a few dozen targets to a file, median of REPEAT runs.
    const urls = farm.info.endpoints.slice(0, SMALL).map((e) => `https://${e.host}:${e.port}`);
    const walls: number[] = [];
    let peak = 0;
    for (let i = 0; i < REPEAT; i++) {
      const m = await measure(
        'govscan',
        process.execPath,
        [BIN, 'scan', ...urls, ...SCAN_FLAGS, '--format', 'json', '--output', join(tmp, 'small.json')],
        { env, timeoutMs: 300_000 },
      );
      walls.push(m.wallMs);
      peak = Math.max(peak, mb(m));
    }
    rows.push(
      `small: --format json, ${SMALL} targets: ${fmt(median(walls))} median of ${REPEAT} [${walls.map(fmt).join(', ')}], peak RSS ${peak.toFixed(0)} MB`,
    );
  } finally {
    farm.stop();
    await rm(tmp, { recursive: true, force: true });
  }
  for (const r of rows) console.log('  ' + r);
}

await main();
