// The report spill and the streamed JSON writer on real files: whatever order targets complete in,
// the streamed document is byte for byte what toJson writes for the whole report; the spill file never
// stays behind; and the streaming atomic writer leaves the old file untouched until the last piece.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeChunksAtomic } from '../../src/core/atomic-file.js';
import type { Attempt, Finding, Report, Target } from '../../src/core/types.js';
import { jsonChunks, parseJsonReport, toJson } from '../../src/report/json.js';
import { ReportSpill } from '../../src/report/spill.js';
import { summarize } from '../../src/report/summary.js';
import { clone, makeReport } from './fixture.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-spill-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * A report of `count` targets, each with the fixture's attempts and findings under its own key;
 * `bare(i)` targets have none at all (no check applied), `padding` makes evidence large.
 */
function bigReport(count: number, opts: { bare?: (i: number) => boolean; padding?: number } = {}): Report {
  const base = makeReport();
  const [a, b] = base.targets as [Target, Target];
  const targets: Target[] = [];
  const attempts: Attempt[] = [];
  const findings: Finding[] = [];
  for (let i = 0; i < count; i++) {
    const from = i % 2 ? b : a;
    const key = `https://t${i}.example.gov.vn:443`;
    targets.push({ ...clone(from), key, host: `t${i}.example.gov.vn` });
    if (opts.bare?.(i)) continue;
    for (const at of base.attempts.filter((x) => x.target === from.key)) attempts.push({ ...clone(at), target: key });
    for (const f of base.findings.filter((x) => x.target === from.key)) {
      findings.push({
        ...clone(f),
        target: key,
        evidence: { ...f.evidence, ...(opts.padding ? { note: `é"\n\\`.repeat(opts.padding) } : {}) },
      });
    }
  }
  return { ...base, targets, attempts, findings, summary: summarize(targets, findings) };
}

/** Spill each target's attempts and findings in the given completion order, as the scan does. */
function spillOf(report: Report, completion: number[]): ReportSpill {
  const spill = ReportSpill.open(dir, 'report.json');
  for (const i of completion) {
    const key = report.targets[i]!.key;
    spill.add(
      i,
      report.attempts.filter((a) => a.target === key),
      report.findings.filter((f) => f.target === key),
    );
  }
  return spill;
}

async function streamed(report: Report, spill: ReportSpill): Promise<string> {
  // What the scan keeps in memory alongside a spill is lean: the writer must not read it.
  const lean: Report = { ...report, attempts: [], findings: report.findings.filter((f) => f.outcome === 'fail') };
  const parts: Buffer[] = [];
  for await (const chunk of jsonChunks(lean, spill)) parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
}

describe('ReportSpill + jsonChunks', () => {
  it('writes what toJson writes for the whole report, whatever order targets completed in', async () => {
    const report = bigReport(7, { bare: (i) => i === 3 });
    report.ipv6Scores = [{ domain: 'example.gov.vn', targets: [report.targets[0]!.key], score: 50, categories: [] }];
    const spill = spillOf(report, [4, 0, 6, 2, 3, 1, 5]);
    try {
      const text = await streamed(report, spill);
      expect(text).toBe(toJson(report));
      expect(parseJsonReport(text, 'streamed.json')).toEqual(report);
    } finally {
      spill.close();
    }
  });

  it('writes empty sections as [] and an unfinished scan (targets never spilled) as what it holds', async () => {
    const report = bigReport(3, { bare: () => true });
    const empty = spillOf(report, [0, 1, 2]);
    expect(await streamed(report, empty)).toBe(toJson(report));
    empty.close();
    const partial = bigReport(4);
    const spill = spillOf(partial, [2, 0]);
    const done = new Set([partial.targets[0]!.key, partial.targets[2]!.key]);
    const expected = {
      ...partial,
      attempts: partial.attempts.filter((a) => done.has(a.target)),
      findings: partial.findings.filter((f) => done.has(f.target)),
    };
    expect(await streamed(partial, spill)).toBe(toJson(expected));
    spill.close();
  });

  it('streams sections larger than one read piece, in several pieces', async () => {
    const report = bigReport(60, { padding: 400 });
    const spill = spillOf(report, [...report.targets.keys()].reverse());
    try {
      let pieces = 0;
      for await (const _ of spill.section('findings')) pieces++;
      expect(pieces).toBeGreaterThan(1);
      expect(await streamed(report, spill)).toBe(toJson(report));
    } finally {
      spill.close();
    }
  });

  it('leaves no file behind once closed, refuses a target twice and any use after close', async () => {
    const report = bigReport(2);
    const spill = spillOf(report, [0]);
    if (process.platform !== 'win32') expect(await readdir(dir)).toEqual([]); // unlinked while open: gone even after a SIGKILL
    expect(() => spill.add(0, [], [])).toThrow(/spilled twice/);
    spill.close();
    spill.close();
    expect(await readdir(dir)).toEqual([]);
    expect(() => spill.add(1, [], [])).toThrow(/closed/);
  });
});

describe('writeChunksAtomic', () => {
  const file = (): string => join(dir, 'report.json');

  it('replaces the file only once the last piece is on disk', async () => {
    await writeFile(file(), 'old\n');
    const seen: string[] = [];
    async function* pieces(): AsyncGenerator<string | Uint8Array> {
      yield '{"a":';
      seen.push(await readFile(file(), 'utf8'));
      yield Buffer.from('1}\n');
    }
    await writeChunksAtomic(file(), pieces(), { mode: 0o644 });
    expect(seen).toEqual(['old\n']);
    expect(await readFile(file(), 'utf8')).toBe('{"a":1}\n');
    expect(await readdir(dir)).toEqual(['report.json']);
  });

  it('abandoned (Ctrl-C) or failed half way: the old file stays and no temporary file is left', async () => {
    await writeFile(file(), 'old\n');
    const abort = new AbortController();
    async function* interrupted(): AsyncGenerator<string> {
      yield 'half';
      abort.abort(new Error('interrupted'));
      yield ' of it';
    }
    await expect(writeChunksAtomic(file(), interrupted(), { signal: abort.signal })).rejects.toThrow(/interrupted/);
    async function* failing(): AsyncGenerator<string> {
      yield 'half';
      throw new Error('spill file ended early');
    }
    await expect(writeChunksAtomic(file(), failing())).rejects.toThrow(/ended early/);
    expect(await readFile(file(), 'utf8')).toBe('old\n');
    expect(await readdir(dir)).toEqual(['report.json']);
  });
});
