// `govscan scan --format json` streams its report from a spill file (src/report/spill.ts) instead of
// holding every fact in memory. Through bin/run.js against the lab farm: the streamed document, to a
// file or to stdout, is the full report (every attempt's facts, every finding, passes included), valid
// against the published schema, in the layout toJson writes; Ctrl-C still writes one; the spill never
// outlives the run; and what reads reports (convert, merge, --baseline) takes it as before.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log } from 'sarif';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { startFarm, type Farm, type FarmEndpoint } from '../../src/lab/farm.js';
import { reportSchema, toJson } from '../../src/report/json.js';
import { summarize } from '../../src/report/summary.js';
import { summaryLine } from '../../src/report/table.js';
import type { Report } from '../../src/core/types.js';
import { validateSarif } from '../helpers/sarif.js';
import { BIN, runCli, type CliResult } from '../helpers/cli.js';

let farm: Farm;
let dir: string;
/** The children's TMPDIR: where a report to stdout spills. */
let childTmp: string;
let env: Record<string, string>;

function endpoint(name: string): FarmEndpoint {
  const e = farm.endpoints.find((x) => x.scenario.name === name);
  if (!e) throw new Error(`no ${name} endpoint`);
  return e;
}
const keyOf = (e: FarmEndpoint): string => `https://${e.host}:${e.port}`;

function scanArgs(endpoints: FarmEndpoint[], ...rest: string[]): string[] {
  const args = ['scan', ...endpoints.map(keyOf)];
  for (const e of endpoints) args.push('--resolve', `${e.host}:${e.port}:${e.address}`);
  return [...args, '--ca-file', farm.nationalRootPemFile, ...rest];
}

function schemaErrors(value: unknown): string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormatsModule.default(ajv);
  const validate = ajv.compile(reportSchema);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/** Everything the full report must hold, checked on its text as written. */
function expectFullReport(text: string, targets: FarmEndpoint[]): Report {
  const report = JSON.parse(text) as Report;
  expect(schemaErrors(report)).toEqual([]);
  // The layout toJson writes, byte for byte: key order, indentation, separators, final newline.
  expect(toJson(report)).toBe(text);
  expect(report.targets.map((t) => t.key)).toEqual(targets.map(keyOf));
  expect(new Set(report.attempts.map((a) => a.target))).toEqual(new Set(targets.map(keyOf)));
  for (const a of report.attempts) if (a.status === 'ok') expect(a.facts, `${a.check} on ${a.target}`).toBeTypeOf('object');
  // Every finding is listed, passes included: counting the list gives the summary.
  const { baselined: _b, ...counted } = summarize(report.targets, report.findings);
  const { baselined: _r, ...summary } = report.summary;
  expect(counted).toEqual(summary);
  expect(report.findings.length).toBeGreaterThan(0);
  return report;
}

/** What an output directory or TMPDIR holds once the scan is over: no spill, no temporary file. */
async function leftovers(path: string, expected: string[] = []): Promise<string[]> {
  return (await readdir(path)).filter((f) => !expected.includes(f));
}

const judged = (r: Report): string[] => r.findings.map((f) => `${f.target} ${f.ruleId} ${f.outcome}`).sort();

let plain: FarmEndpoint[];
let fileRun: CliResult;
let stdoutRun: CliResult;
let tableRun: CliResult;
let reportFile: string;

beforeAll(async () => {
  farm = await startFarm({ scenarios: ['good-rsa', 'good-ecdsa', 'good-ed25519', 'expired', 'legacy-protocols', 'silent'] });
  env = { NODE_EXTRA_CA_CERTS: farm.publicRootPemFile };
  dir = await mkdtemp(join(tmpdir(), 'govscan-json-stream-'));
  childTmp = await mkdtemp(join(tmpdir(), 'govscan-json-stream-tmp-'));
  env.TMPDIR = childTmp;
  plain = ['good-rsa', 'good-ecdsa', 'expired', 'legacy-protocols'].map(endpoint);
  reportFile = join(dir, 'report.json');
  [fileRun, stdoutRun, tableRun] = await Promise.all([
    runCli(scanArgs(plain, '--format', 'json', '--output', reportFile, '--quiet'), { env }),
    runCli(scanArgs(plain, '--format', 'json', '--quiet'), { env }),
    runCli(scanArgs(plain, '--format', 'table', '--quiet'), { env }),
  ]);
}, 120_000);

afterAll(async () => {
  await farm?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  if (childTmp) await rm(childTmp, { recursive: true, force: true });
});

describe('govscan scan --format json, streamed', () => {
  it('writes the full report to a file and to stdout: every fact, every finding, valid, as a lean table run counts it', async () => {
    // The expired certificate fails a high rule: every run exits 1, the table and both JSON runs alike.
    for (const r of [fileRun, stdoutRun, tableRun]) expect(r.code, r.stderr).toBe(1);
    const fromFile = expectFullReport(await readFile(reportFile, 'utf8'), plain);
    const fromStdout = expectFullReport(stdoutRun.stdout, plain);
    expect(judged(fromStdout)).toEqual(judged(fromFile));
    expect(fromFile.findings.filter((f) => f.outcome === 'fail').map((f) => f.ruleId)).toContain('TLS-CERT-EXPIRED');
    // The table keeps passes only as counts; its summary line gives the same counts as the full list.
    expect(tableRun.stdout).toContain(summaryLine(fromFile, 'en'));
    expect(await leftovers(dir, ['report.json'])).toEqual([]);
    expect(await leftovers(childTmp)).toEqual([]);
  });

  it('is read by report convert (SARIF, and JSON byte for byte), report merge and --baseline as before', async () => {
    const other = [endpoint('good-ed25519')];
    const second = join(dir, 'second.json');
    const r2 = await runCli(scanArgs(other, '--format', 'json', '--output', second, '--quiet'), { env });
    expect(r2.code, r2.stderr).toBe(0);

    const sarif = join(dir, 'convert.sarif');
    const copy = join(dir, 'convert.json');
    const c1 = await runCli(['report', 'convert', reportFile, '--to', 'sarif', '-o', sarif]);
    const c2 = await runCli(['report', 'convert', reportFile, '--to', 'json', '-o', copy]);
    expect([c1.code, c2.code], c1.stderr + c2.stderr).toEqual([0, 0]);
    const log = JSON.parse(await readFile(sarif, 'utf8')) as Log;
    expect(validateSarif(log)).toEqual([]);
    expect(log.runs.flatMap((run) => (run.results ?? []).map((res) => res.ruleId))).toContain('TLS-CERT-EXPIRED');
    expect(await readFile(copy, 'utf8')).toBe(await readFile(reportFile, 'utf8'));

    const merged = join(dir, 'merged.json');
    const m = await runCli(['report', 'merge', reportFile, second, '-o', merged]);
    expect(m.code, m.stderr).toBe(0);
    const report = expectFullReport(await readFile(merged, 'utf8'), [...plain, ...other]);
    const parts = [JSON.parse(await readFile(reportFile, 'utf8')) as Report, JSON.parse(await readFile(second, 'utf8')) as Report];
    expect(report.findings.length).toBe(parts[0]!.findings.length + parts[1]!.findings.length);

    // The streamed report as a baseline: the expired certificate is known, so it no longer blocks.
    const b = await runCli(scanArgs(plain, '--format', 'json', '--baseline', reportFile, '--quiet'), { env });
    expect(b.code, b.stderr).toBe(0);
    const baselined = expectFullReport(b.stdout, plain);
    const expired = keyOf(endpoint('expired'));
    expect(baselined.findings.find((f) => f.ruleId === 'TLS-CERT-EXPIRED' && f.target === expired)).toMatchObject({
      outcome: 'fail',
      baselined: true,
    });
  }, 60_000);

  it.each(['file', 'stdout'] as const)(
    'still writes a valid report to %s when Ctrl-C stops a scan held by a silent endpoint, and leaves no spill behind',
    async (to) => {
      const good = endpoint('good-rsa');
      const silent = endpoint('silent');
      const out = join(dir, `interrupted-${to}.json`);
      // Long deadlines: only the Ctrl-C can end the silent target's attempt.
      const args = scanArgs(
        [good, silent],
        '--format',
        'json',
        '--timeout',
        '60000',
        '--target-timeout',
        '120000',
        ...(to === 'file' ? ['--output', out] : []),
      );
      const child = spawn(process.execPath, [BIN, ...args], {
        env: { ...process.env, NO_COLOR: '1', GOVSCAN_LANG: '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let interrupted = false;
      // Decoded as a stream, so a character split across two reads stays whole.
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (d: string) => {
        stdout += d;
      });
      child.stderr.on('data', (d: string) => {
        stderr += d;
        // Progress prints `[n/total] KEY — counts` as each target completes: the good one is done.
        if (!interrupted && stderr.includes(`] ${keyOf(good)} — `)) {
          interrupted = true;
          child.kill('SIGINT');
        }
      });
      const code = await new Promise<number | null>((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`scan did not end after Ctrl-C\n${stderr}`));
        }, 45_000);
        child.on('close', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      expect(interrupted, stderr).toBe(true);
      // Interrupted: exit 130, with the report written (the good endpoint passed, the cut-short one is not tested).
      expect(code, stderr).toBe(130);
      const report = expectFullReport(to === 'file' ? await readFile(out, 'utf8') : stdout, [good, silent]);
      expect(report.attempts.find((a) => a.target === keyOf(silent))).toMatchObject({ status: 'error', reason: 'scan cancelled' });
      expect(report.findings.filter((f) => f.target === keyOf(silent)).every((f) => f.outcome === 'not-tested')).toBe(true);
      expect(
        report.findings
          .filter((f) => f.target === keyOf(good) && f.outcome !== 'pass' && f.outcome !== 'not-applicable')
          .map((f) => `${f.ruleId} ${f.outcome}: ${JSON.stringify(f.message)}`),
      ).toEqual([]);
      expect(
        await leftovers(dir, ['report.json', 'second.json', 'convert.sarif', 'convert.json', 'merged.json', 'interrupted-file.json']),
      ).toEqual([]);
      expect(await leftovers(childTmp)).toEqual([]);
    },
    60_000,
  );

  it('refuses an --output directory that does not exist, with one line and exit 2', async () => {
    const missing = join(dir, 'no-such-dir', 'report.json');
    const r = await runCli(scanArgs([endpoint('good-rsa')], '--format', 'json', '--output', missing, '--quiet'), { env });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`error: --output: cannot write in ${join(dir, 'no-such-dir')}: no such directory`);
  });
});
