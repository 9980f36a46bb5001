// Every probe is contained: whatever a check throws (from appliesTo, from run before its promise
// exists, a non-Error, facts the evaluator cannot take) ends as an error attempt of that check on that
// target, judged "not tested" with a reason; the scan finishes and every other result stands.

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTargets } from '../../src/engine/runner.js';
import { executeScan, type PreparedScan } from '../../src/engine/scan.js';
import { parseTarget } from '../../src/engine/targets.js';
import { KNOWN_CHECKS } from '../../src/engine/registry.js';
import { loadPolicySelection } from '../../src/policy/index.js';
import { ProbeError, type Attempt, type Check, type CheckContext, type Target } from '../../src/engine/types.js';

function target(text: string): Target {
  const r = parseTarget(text);
  if (!r.ok) throw new Error(r.error);
  return r.target;
}

const context: Omit<CheckContext, 'signal'> = {
  resolver: { resolve: async () => [{ address: '127.0.0.1', family: 4 }] },
  dialer: { connect: async () => Promise.reject(new ProbeError('connectivity', 'refused by test dialer')) },
  now: () => new Date(),
  timeoutMs: 200,
  trust: { public: { name: 'public', certificates: [] }, custom: null },
  userAgent: 'test',
};

function check(id: string, parts: Partial<Pick<Check, 'appliesTo' | 'run'>>): Check {
  return { id, family: 'test', title: { en: id, vi: id }, description: { en: id, vi: id }, appliesTo: () => true, run: async () => ({ ok: true }), factsSchema: {}, ...parts };
}

async function attemptsOf(checks: Check[], t: Target): Promise<Attempt[]> {
  let got: Attempt[] = [];
  await runTargets([t], checks, { concurrency: 1, targetTimeoutMs: 1000, context, onTargetDone: (_t, a) => (got = a) });
  return got;
}

describe('a check that throws', () => {
  it('from appliesTo: an error attempt of its own, the other checks still run', async () => {
    const t = target('a.test:443');
    const got = await attemptsOf([check('bad.applies', { appliesTo: () => { throw new TypeError('appliesTo bug'); } }), check('good', {})], t);
    expect(got.map((a) => [a.check, a.status, a.errorKind, a.reason])).toEqual([
      ['bad.applies', 'error', 'internal', 'appliesTo bug'],
      ['good', 'ok', undefined, undefined],
    ]);
  });

  it('synchronously from run, or with something that is not an Error: an error attempt with a reason', async () => {
    const t = target('b.test:443');
    const sync = check('sync.throw', { run: (() => { throw new RangeError('thrown before any promise'); }) as Check['run'] });
    const plain = check('plain.throw', { run: () => Promise.reject({ code: 42 }) });
    const nothing = check('undefined.throw', { run: () => Promise.reject(undefined) });
    const got = await attemptsOf([sync, plain, nothing, check('good', {})], t);
    expect(got.map((a) => [a.check, a.status, a.reason])).toEqual([
      ['sync.throw', 'error', 'thrown before any promise'],
      ['plain.throw', 'error', 'the probe threw {"code":42}'],
      ['undefined.throw', 'error', 'the probe threw undefined'],
      ['good', 'ok', undefined],
    ]);
  });

  it('keeps the reason in both languages when the probe gave it so', async () => {
    const t = target('c.test:443');
    const got = await attemptsOf([check('both', { run: () => Promise.reject(new ProbeError('dns', { en: 'no such name', vi: 'không có tên này' })) })], t);
    expect(got[0]).toMatchObject({ status: 'error', errorKind: 'dns', reason: 'no such name', reasonText: { en: 'no such name', vi: 'không có tên này' } });
  });
});

describe('facts the evaluator cannot take', () => {
  it('make that one attempt not tested with the reason; the other check of the target is judged as usual', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'govscan-contain-'));
    const file = join(dir, 'pack.yaml');
    // Rules that read no fact: whatever the facts hold, only taking them in can fail.
    const rule = (id: string, c: string): string =>
      `    - id: ${id}\n      check: ${c}\n      severity: high\n      title: { en: ${id}, vi: ${id} }\n      description: { en: ${id}., vi: ${id}. }\n` +
      `      assert: "false"\n      message: { en: Failed., vi: Không đạt. }\n      remediation: { en: Fix it., vi: Khắc phục. }\n`;
    await writeFile(file, `apiVersion: govscan/v1\nkind: Policy\nmetadata:\n  id: test-contain\n  version: "0.1.0"\n  title: { en: Contain, vi: Cô lập }\n  legalBasis: ["test"]\nspec:\n  rules:\n${rule('TEST-TLS', 'tls.endpoint')}${rule('TEST-WEB', 'ipv6.web')}`);
    const policies = await loadPolicySelection([file], { knownChecks: KNOWN_CHECKS });
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const t = target('https://d.test');
    const prepared: PreparedScan = {
      targets: [t],
      inventory: null,
      policies,
      checks: [check('tls.endpoint', { run: async () => cyclic }), check('ipv6.web', { run: async () => ({ fine: true }) })],
      trust: context.trust,
      resolver: context.resolver,
      failOn: 'high',
      waivers: null,
      baseline: null,
    };
    const report = await executeScan(prepared, { concurrency: 1, perHostLimit: 1, timeoutMs: 200, targetTimeoutMs: 1000, keepFacts: true, dialer: context.dialer });
    const outcome = Object.fromEntries(report.findings.map((f) => [f.ruleId, [f.outcome, f.reason]]));
    expect(outcome['TEST-WEB']).toEqual(['fail', undefined]);
    expect(outcome['TEST-TLS']?.[0]).toBe('not-tested');
    expect(outcome['TEST-TLS']?.[1]).toMatch(/^the facts of tls\.endpoint could not be judged: Maximum call stack size exceeded/);
    expect(report.attempts.find((a) => a.check === 'tls.endpoint')).toMatchObject({ status: 'error', errorKind: 'internal' });
    expect(report.attempts.find((a) => a.check === 'tls.endpoint')?.facts).toBeUndefined();
  });
});
