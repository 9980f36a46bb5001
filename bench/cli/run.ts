// npm run bench:cli — cold start of the installed CLI: `govscan --version` and `govscan --help`, each a
// fresh node process, against bare `node -e ''` on the same machine (what no CLI can beat). The
// manifest (oclif.manifest.json, written by the build) is what keeps --version from importing the
// command table; this measures with it as shipped, and — when BENCH_NO_MANIFEST=1 — with it hidden
// in a copy of the package, to show what it saves. Prints; asserts nothing unless BENCH_BUDGET_MS is
// set, then exits 1 when the --version median is above it.

import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median } from '../lib/measure.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

interface Row {
  label: string;
  medianMs: number;
  minMs: number;
  p90Ms: number;
  peakRssMb: number | null;
}

/**
 * The commands take turns, round after round, so load from anything else on the machine falls on all
 * of them alike instead of on whichever series happened to run at that moment.
 */
async function interleaved(cases: Array<{ label: string; args: string[] }>): Promise<Row[]> {
  const times = cases.map(() => [] as number[]);
  const rss = cases.map(() => 0);
  // One untimed round warms the OS file cache: "cold" here means a new process, not a cold disk.
  for (const c of cases) await measure(c.label, process.execPath, c.args, { timeoutMs: 30_000 });
  for (let i = 0; i < RUNS; i++) {
    for (const [k, c] of cases.entries()) {
      const m = await measure(c.label, process.execPath, c.args, { timeoutMs: 30_000 });
      if (m.code !== 0) throw new Error(`${c.label}: exit ${String(m.code)}\n${m.stderr}`);
      times[k]!.push(m.wallMs);
      rss[k] = Math.max(rss[k] ?? 0, m.peakRssMb ?? 0);
    }
  }
  return cases.map((c, k) => {
    const t = times[k] ?? [];
    const sorted = [...t].sort((a, b) => a - b);
    return {
      label: c.label,
      medianMs: median(t),
      minMs: sorted[0] ?? 0,
      p90Ms: sorted[Math.floor(sorted.length * 0.9)] ?? 0,
      peakRssMb: rss[k] || null,
    };
  });
}

/** A copy of the package without oclif.manifest.json (node_modules linked), to measure what the manifest saves. */
async function withoutManifest(): Promise<{ bin: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'govscan-nomanifest-'));
  for (const entry of ['bin', 'dist', 'policies', 'package.json']) await cp(join(ROOT, entry), join(dir, entry), { recursive: true });
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return { bin: join(dir, 'bin/run.js'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

const bin = join(ROOT, 'bin/run.js');
if (!existsSync(join(ROOT, 'oclif.manifest.json'))) console.warn('oclif.manifest.json is missing: run `npm run build` first');

const cases = [
  { label: "node -e ''", args: ['-e', ''] },
  { label: 'govscan --version', args: [bin, '--version'] },
  { label: 'govscan --help', args: [bin, '--help'] },
];
const copy = process.env.BENCH_NO_MANIFEST === '1' ? await withoutManifest() : null;
if (copy) cases.push({ label: 'govscan --version (no manifest)', args: [copy.bin, '--version'] });
let rows: Row[];
try {
  rows = await interleaved(cases);
} finally {
  await copy?.cleanup();
}

console.log(`node ${process.version}, ${RUNS} runs each (wall time of a new process)`);
for (const r of rows) {
  console.log(
    `${r.label.padEnd(34)} median ${r.medianMs.toFixed(0).padStart(5)} ms  min ${r.minMs.toFixed(0).padStart(5)} ms  p90 ${r.p90Ms.toFixed(0).padStart(5)} ms  peak RSS ${r.peakRssMb?.toFixed(0) ?? '?'} MB`,
  );
}
const version = rows.find((r) => r.label === 'govscan --version');
const budget = Number(process.env.BENCH_BUDGET_MS ?? 0);
if (budget > 0 && version && version.medianMs > budget) {
  console.error(`govscan --version median ${version.medianMs.toFixed(0)} ms is above the ${budget} ms budget`);
  process.exit(1);
}
