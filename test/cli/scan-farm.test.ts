// End to end through bin/run.js: every farm endpoint must report exactly the rule ids its defect
// calls for, in all three formats, and the good endpoints must pass everything.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log } from 'sarif';
import { startFarm, type Farm, type FarmEndpoint } from '../../src/lab/farm.js';
import { loadBuiltinPolicies, describeRules } from '../../src/policy/index.js';
import { KNOWN_CHECKS } from '../../src/engine/registry.js';
import type { Report } from '../../src/engine/types.js';
import { validateSarif } from '../helpers/sarif.js';
import { mapLimit, runCli, type CliResult } from '../helpers/cli.js';

let farm: Farm;
let env: Record<string, string>;
let severities: Map<string, string>;

beforeAll(async () => {
  farm = await startFarm();
  // The farm's public root plays a CA from the public store, exactly as NODE_EXTRA_CA_CERTS adds one.
  env = { NODE_EXTRA_CA_CERTS: farm.publicRootPemFile };
  severities = new Map(describeRules(await loadBuiltinPolicies({ knownChecks: KNOWN_CHECKS })).map((r) => [r.id, r.severity]));
});

afterAll(async () => {
  await farm?.close();
});

function scanArgs(e: FarmEndpoint, format: string): string[] {
  return [
    'scan',
    `https://${e.host}:${e.port}`,
    '--resolve',
    `${e.host}:${e.port}:${e.address}`,
    '--ca-file',
    farm.nationalRootPemFile,
    '--format',
    format,
    '--quiet',
    '--timeout',
    '3000',
  ];
}

const FORMATS = ['json', 'sarif', 'table'] as const;

function failedIds(format: (typeof FORMATS)[number], out: string): string[] {
  if (format === 'json') {
    const report = JSON.parse(out) as Report;
    return report.findings.filter((f) => f.outcome === 'fail').map((f) => f.ruleId);
  }
  if (format === 'sarif') {
    const log = JSON.parse(out) as Log;
    expect(validateSarif(log)).toEqual([]);
    return log.runs.flatMap((r) => (r.results ?? []).map((res) => res.ruleId ?? '?'));
  }
  return [...out.matchAll(/\b(TLS-[A-Z0-9-]+)\b/g)].map((m) => m[1] ?? '');
}

const sorted = (ids: string[]): string[] => [...new Set(ids)].sort();

describe('govscan scan against the TLS farm', () => {
  it('reports exactly the expected rule ids for every endpoint, in json, sarif and table', async () => {
    const endpoints = farm.endpoints.filter((e) => !e.scenario.hostile);
    expect(endpoints.length).toBeGreaterThanOrEqual(20);
    const jobs = endpoints.flatMap((e) => FORMATS.map((format) => ({ e, format })));
    const results = await mapLimit(jobs, 4, async ({ e, format }) => ({ e, format, r: await runCli(scanArgs(e, format), { env }) }));
    const problems: string[] = [];
    for (const { e, format, r } of results) {
      const expected = sorted(e.scenario.expectedRules);
      const got = r.code === 0 || r.code === 1 ? sorted(failedIds(format, r.stdout)) : [`exit ${String(r.code)}: ${r.stderr}`];
      if (JSON.stringify(got) !== JSON.stringify(expected)) problems.push(`${e.scenario.name} [${format}]: expected ${expected.join(',') || 'nothing'}, got ${got.join(',') || 'nothing'}`);
      const blocking = expected.some((id) => ['critical', 'high'].includes(severities.get(id) ?? ''));
      if (r.code !== (blocking ? 1 : 0)) problems.push(`${e.scenario.name} [${format}]: exit ${String(r.code)}, expected ${blocking ? 1 : 0}`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(problems).toEqual([]);
  });

  it('passes every rule on the good endpoints, with nothing left untested', async () => {
    const good = farm.endpoints.filter((e) => e.scenario.name.startsWith('good-'));
    expect(good.length).toBeGreaterThanOrEqual(2);
    for (const e of good) {
      const r = await runCli(scanArgs(e, 'json'), { env });
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as Report;
      expect(report.findings.length).toBe(severities.size);
      expect(report.findings.filter((f) => f.outcome !== 'pass').map((f) => `${f.ruleId}:${f.outcome}:${f.reason ?? ''}`)).toEqual([]);
    }
  });

  it('judges hostile servers as not tested within the timeout, without harming the other targets', async () => {
    const hostile = farm.endpoints.filter((e) => e.scenario.hostile);
    const good = farm.endpoints.find((e) => e.scenario.name === 'good-rsa');
    expect(hostile.map((e) => e.scenario.hostile).sort()).toEqual(['garbage', 'huge-chain', 'silent']);
    if (!good) throw new Error('no good-rsa endpoint');
    const all = [...hostile, good];
    const dir = await mkdtemp(join(tmpdir(), 'govscan-hostile-'));
    const out = join(dir, 'report.json');
    const args = ['scan', ...all.map((e) => `https://${e.host}:${e.port}`)];
    for (const e of all) args.push('--resolve', `${e.host}:${e.port}:${e.address}`);
    args.push('--format', 'json', '--output', out, '--quiet', '--timeout', '800', '--target-timeout', '3000');
    const r = await runCli(args, { env, timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(await readFile(out, 'utf8')) as Report;
    for (const e of hostile) {
      const key = `https://${e.host}:${e.port}`;
      const attempt = report.attempts.find((a) => a.target === key);
      expect(attempt?.status, e.scenario.name).toBe('error');
      expect(report.findings.filter((f) => f.target === key).every((f) => f.outcome === 'not-tested')).toBe(true);
    }
    const goodKey = `https://${good.host}:${good.port}`;
    expect(report.findings.filter((f) => f.target === goodKey).every((f) => f.outcome === 'pass')).toBe(true);
  });

  it('exits 3 and still writes the report when no target can be probed', async () => {
    const silent = farm.endpoints.find((e) => e.scenario.hostile === 'silent');
    if (!silent) throw new Error('no silent endpoint');
    const r: CliResult = await runCli([...scanArgs(silent, 'json'), '--timeout', '300', '--target-timeout', '1000'], { env });
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.attempts[0]).toMatchObject({ status: 'error', errorKind: 'timeout' });
    expect(r.stderr).toMatch(/the scan could not run/);
  });
});
