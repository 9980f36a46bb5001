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
import type { Report } from '../../src/core/types.js';
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

/** Exactly the form the issue names: `govscan scan https://HOST:PORT --resolve HOST:PORT:ADDRESS`. */
function scanArgs(endpoints: FarmEndpoint[], format: string, timeoutMs = 3000): string[] {
  const args = ['scan', ...endpoints.map((e) => `https://${e.host}:${e.port}`)];
  for (const e of endpoints) args.push('--resolve', `${e.host}:${e.port}:${e.address}`);
  return [...args, '--ca-file', farm.nationalRootPemFile, '--format', format, '--quiet', '--timeout', String(timeoutMs)];
}

const FORMATS = ['json', 'sarif', 'table'] as const;

/** Failed rule ids per target key, read back from each format the way its consumer would. */
function failedByTarget(format: (typeof FORMATS)[number], out: string): Map<string, string[]> {
  const by = new Map<string, string[]>();
  const add = (key: string, id: string): void => void by.set(key, [...(by.get(key) ?? []), id]);
  if (format === 'json') {
    const report = JSON.parse(out) as Report;
    for (const f of report.findings) if (f.outcome === 'fail') add(f.target, f.ruleId);
  } else if (format === 'sarif') {
    const log = JSON.parse(out) as Log;
    expect(validateSarif(log)).toEqual([]);
    for (const run of log.runs)
      for (const res of run.results ?? []) add(res.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName ?? '?', res.ruleId ?? '?');
  } else {
    // The table prints a block per target: its key on a line of its own, then its findings.
    let current = '';
    for (const line of out.split('\n')) {
      if (/^https:\/\//.test(line)) current = line.trim().split(/\s/)[0] ?? '';
      for (const m of line.matchAll(/\b(TLS-[A-Z0-9-]+)\b/g)) add(current, m[1] ?? '');
    }
  }
  return by;
}

const sorted = (ids: string[]): string[] => [...new Set(ids)].sort();

describe('govscan scan against the TLS farm', () => {
  it('reports exactly the expected rule ids for every endpoint scanned on its own (json), with the right exit code', {
    timeout: 240_000,
  }, async () => {
    const endpoints = farm.endpoints.filter((e) => !e.scenario.hostile);
    expect(endpoints.length).toBeGreaterThanOrEqual(20);
    const results = await mapLimit(endpoints, 3, async (e) => ({ e, r: await runCli(scanArgs([e], 'json'), { env }) }));
    const problems: string[] = [];
    for (const { e, r } of results) {
      const expected = sorted(e.scenario.expectedRules);
      const got =
        r.code === 0 || r.code === 1
          ? sorted([...failedByTarget('json', r.stdout).values()].flat())
          : [`exit ${String(r.code)}: ${r.stderr}`];
      if (JSON.stringify(got) !== JSON.stringify(expected))
        problems.push(`${e.scenario.name}: expected ${expected.join(',') || 'nothing'}, got ${got.join(',') || 'nothing'}`);
      const blocking = expected.some((id) => ['critical', 'high'].includes(severities.get(id) ?? ''));
      if (r.code !== (blocking ? 1 : 0)) problems.push(`${e.scenario.name}: exit ${String(r.code)}, expected ${blocking ? 1 : 0}`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(problems).toEqual([]);
  });

  it.each(FORMATS)(
    'reports exactly the expected rule ids per endpoint in one %s report of the whole farm',
    { timeout: 120_000 },
    async (format) => {
      const endpoints = farm.endpoints.filter((e) => !e.scenario.hostile);
      const r = await runCli(scanArgs(endpoints, format), { env });
      expect(r.code, r.stderr).toBe(1);
      const by = failedByTarget(format, r.stdout);
      const got = Object.fromEntries(endpoints.map((e) => [e.scenario.name, sorted(by.get(`https://${e.host}:${e.port}`) ?? [])]));
      const expected = Object.fromEntries(endpoints.map((e) => [e.scenario.name, sorted(e.scenario.expectedRules)]));
      expect(got).toEqual(expected);
    },
  );

  it('passes every rule on the good endpoints, with nothing left untested', async () => {
    // A staple from a delegated responder is as good as the issuer's own: believed, not just unjudged.
    const good = farm.endpoints.filter((e) => e.scenario.name.startsWith('good-') || e.scenario.name === 'ocsp-delegated');
    expect(good.length).toBeGreaterThanOrEqual(3);
    for (const e of good) {
      const r = await runCli(scanArgs([e], 'json'), { env });
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as Report;
      // --resolve pins the host, so the DNS-judging IPv6 rules do not apply to it; evidence rules judge systems, not
      // endpoints; host rules (vn-agent-host) judge an agent's own machine and are not loaded by a plain scan.
      expect(report.findings.length).toBe(
        [...severities.keys()].filter((id) => !/^(IPV6|SECLEVEL|EVIDENCE|FOURLAYER|HOST)-/.test(id)).length,
      );
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
    const report = JSON.parse(await readFile(out, 'utf8')) as Report;
    // The only finding that may fail: a judged 100-certificate chain is too deep for any client.
    const failing = report.findings.filter((f) => f.outcome === 'fail');
    const huge = hostile.find((e) => e.scenario.hostile === 'huge-chain');
    expect(failing.map((f) => `${f.ruleId} ${f.target}`)).toEqual(
      failing.length ? [`TLS-CERT-UNTRUSTED https://${huge?.host}:${huge?.port}`] : [],
    );
    expect(r.code, r.stderr).toBe(failing.length ? 1 : 0);
    for (const e of hostile) {
      const key = `https://${e.host}:${e.port}`;
      const attempt = report.attempts.find((a) => a.target === key);
      if (e.scenario.hostile === 'huge-chain') {
        // A 100-certificate chain is legal TLS: it may be judged, as long as it costs no more than the deadline.
        expect(attempt?.status === 'ok' ? (attempt.facts as { chain: { count: number } }).chain.count : 100).toBe(100);
        if (attempt?.status === 'ok')
          expect((attempt.facts as { trust: { public: { problems: string[] } } }).trust.public.problems).toEqual(['chain-too-long']);
        continue;
      }
      expect(attempt?.status, e.scenario.name).toBe('error');
      expect(report.findings.filter((f) => f.target === key).every((f) => f.outcome === 'not-tested')).toBe(true);
    }
    const goodKey = `https://${good.host}:${good.port}`;
    expect(report.findings.filter((f) => f.target === goodKey).every((f) => f.outcome === 'pass')).toBe(true);
  });

  it('exits 3 and still writes the report when no target can be probed', async () => {
    const silent = farm.endpoints.find((e) => e.scenario.hostile === 'silent');
    if (!silent) throw new Error('no silent endpoint');
    const r: CliResult = await runCli([...scanArgs([silent], 'json', 300), '--target-timeout', '1000'], { env });
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.attempts[0]).toMatchObject({ status: 'error', errorKind: 'timeout' });
    expect(r.stderr).toMatch(/the scan could not run/);
  });
});
