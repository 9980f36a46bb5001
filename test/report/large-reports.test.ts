// Reports with hundreds of thousands of entries are written and compared like small ones (issue 10
// item 16): no list of findings, rows or waivers is spread into a function call, where past ~120,000
// arguments V8 throws "Maximum call stack size exceeded" (exit 3). Generated reports, through the CLI.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { writeLargeReport } from './large-report.js';

let dir: string;
let big: string;
let changed: string;
let waived: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-large-'));
  big = join(dir, 'big.json');
  changed = join(dir, 'changed.json');
  waived = join(dir, 'waivers.json');
  // 130,000 failed findings on 1,000 targets; the second report moves half of them.
  await writeLargeReport(big, { targets: 1000, failedPerTarget: 130 });
  await writeLargeReport(changed, { targets: 1000, failedPerTarget: 130, variant: 2 });
  await writeLargeReport(waived, { targets: 1, failedPerTarget: 1, waivers: 150_000 });
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Each run reads, validates and renders a report of 130,000 findings: tens of seconds on a busy machine.
describe('large reports', { timeout: 240_000 }, () => {
  it('prints a table of 130,000 failed findings', async () => {
    const r = await runCli(['report', 'convert', big, '--to', 'table'], { timeoutMs: 230_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^1000 targets · 130000 failed /);
    expect(r.stdout.match(/GEN-RULE-129 /g)).toHaveLength(1000);
  });

  it('prints the waivers section of 150,000 waivers', async () => {
    const r = await runCli(['report', 'convert', waived, '--to', 'table'], { timeoutMs: 230_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('  waivers.yaml:899996  GEN-RULE-149999  nothing-149999.example.gov.vn');
  });

  it('diffs two such reports', async () => {
    const r = await runCli(['report', 'diff', big, changed], { timeoutMs: 230_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('65000 new · 65000 fixed · 65000 unchanged');
  });

  it('merges two such reports', async () => {
    const out = join(dir, 'merged.json');
    const r = await runCli(['report', 'merge', big, changed, '--output', out], { timeoutMs: 230_000 });
    expect(r.code, r.stderr).toBe(0);
    const merged = JSON.parse(await readFile(out, 'utf8')) as { findings: unknown[] };
    // Every target is in both: the later report (same finish time: the later argument) wins whole.
    expect(merged.findings).toHaveLength(130_000);
  });
});
