import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { runTargets } from '../../src/engine/runner.js';
import { executeScan, type PreparedScan } from '../../src/engine/scan.js';
import { KNOWN_CHECKS } from '../../src/engine/registry.js';
import { loadPolicySelection } from '../../src/policy/index.js';
import { NetDialer } from '../../src/core/net/dialer.js';
import { Semaphore } from '../../src/core/net/limiter.js';
import { parseTarget } from '../../src/core/targets.js';
import { NotApplicableError, ProbeError, type Attempt, type Check, type CheckContext, type Target } from '../../src/core/types.js';

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

function check(run: (t: Target, ctx: CheckContext) => Promise<unknown>): Check {
  return {
    id: 'test.check',
    family: 'test',
    title: { en: 't', vi: 't' },
    description: { en: 'd', vi: 'd' },
    appliesTo: () => true,
    run,
    factsSchema: {},
  };
}

async function collect(targets: Target[], c: Check, extra: { concurrency?: number; targetTimeoutMs?: number } = {}) {
  const done: Array<[string, Attempt[]]> = [];
  await runTargets(targets, [c], {
    concurrency: extra.concurrency ?? 4,
    targetTimeoutMs: extra.targetTimeoutMs ?? 300,
    context,
    onTargetDone: (t, a) => done.push([t.key, a]),
  });
  return new Map(done);
}

describe('runner', () => {
  it('turns a hung probe into a timeout attempt without holding up the others', async () => {
    const slow = target('slow.test:443');
    const fast = target('fast.test:443');
    const c = check(async (t) => (t === slow ? new Promise(() => undefined) : { ok: true }));
    const results = await collect([slow, fast], c, { targetTimeoutMs: 200 });
    expect(results.get(fast.key)?.[0]).toMatchObject({ status: 'ok', facts: { ok: true } });
    expect(results.get(slow.key)?.[0]).toMatchObject({ status: 'error', errorKind: 'timeout', reason: 'target deadline of 200 ms passed' });
  });

  it('records thrown errors and not-applicable as attempts', async () => {
    const a = target('a.test:443');
    const b = target('b.test:443');
    const c2 = target('c.test:443');
    const c = check(async (t) => {
      if (t === a) throw new ProbeError('protocol', 'server sent garbage');
      if (t === b) throw new NotApplicableError('not TLS');
      throw new TypeError('bug in probe');
    });
    const results = await collect([a, b, c2], c);
    expect(results.get(a.key)?.[0]).toMatchObject({ status: 'error', errorKind: 'protocol', reason: 'server sent garbage' });
    expect(results.get(b.key)?.[0]).toMatchObject({ status: 'not-applicable', reason: 'not TLS' });
    expect(results.get(c2.key)?.[0]).toMatchObject({ status: 'error', errorKind: 'internal', reason: 'bug in probe' });
  });

  it('never runs more targets at once than the concurrency limit', async () => {
    let active = 0;
    let peak = 0;
    const c = check(async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 10));
      active--;
      return {};
    });
    const targets = Array.from({ length: 20 }, (_, i) => target(`t${i}.test:443`));
    const results = await collect(targets, c, { concurrency: 3 });
    expect(results.size).toBe(20);
    expect(peak).toBe(3);
  });

  it('gives every probe the per-target abort signal', async () => {
    let sawAbort = false;
    const c = check(
      (_t, ctx) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(ctx.signal.reason as Error);
          });
        }),
    );
    const results = await collect([target('x.test:443')], c, { targetTimeoutMs: 100 });
    expect(sawAbort).toBe(true);
    expect([...results.values()][0]?.[0]?.status).toBe('error');
  });
});

describe('semaphore', () => {
  it('queues beyond its limit and lets an aborted waiter go', async () => {
    const sem = new Semaphore(1);
    const release = await sem.acquire();
    const controller = new AbortController();
    const waiting = sem.acquire(controller.signal);
    expect(sem.pending).toBe(1);
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    expect(sem.pending).toBe(0);
    release();
    const again = await sem.acquire();
    again();
  });
});

describe('NetDialer', () => {
  let server: Server;
  const sockets = new Set<Socket>();

  async function listen(): Promise<number> {
    server = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return (server.address() as { port: number }).port;
  }

  it('holds at most the per-host limit of open connections to one address', async () => {
    const port = await listen();
    const dialer = new NetDialer(2);
    const first = await dialer.connect({ address: '127.0.0.1', port, timeoutMs: 1000 });
    const second = await dialer.connect({ address: '127.0.0.1', port, timeoutMs: 1000 });
    let thirdConnected = false;
    const third = dialer.connect({ address: '127.0.0.1', port, timeoutMs: 1000 }).then((s) => {
      thirdConnected = true;
      return s;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(thirdConnected).toBe(false);
    first.destroy();
    const s3 = await third;
    expect(thirdConnected).toBe(true);
    second.destroy();
    s3.destroy();
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  it('reports a refused connection as a connectivity error', async () => {
    const port = await listen();
    await new Promise((r) => server.close(r));
    const dialer = new NetDialer(2);
    await expect(dialer.connect({ address: '127.0.0.1', port, timeoutMs: 1000 })).rejects.toMatchObject({ kind: 'connectivity' });
  });
});

// Every probe is contained: whatever a check throws (from appliesTo, from run before its promise
// exists, a non-Error, facts the evaluator cannot take) ends as an error attempt of that check on that
// target, judged "not tested" with a reason; the scan finishes and every other result stands.

function checkWith(id: string, parts: Partial<Pick<Check, 'appliesTo' | 'run'>>): Check {
  return {
    id,
    family: 'test',
    title: { en: id, vi: id },
    description: { en: id, vi: id },
    appliesTo: () => true,
    run: async () => ({ ok: true }),
    factsSchema: {},
    ...parts,
  };
}

async function attemptsOf(checks: Check[], t: Target): Promise<Attempt[]> {
  let got: Attempt[] = [];
  await runTargets([t], checks, { concurrency: 1, targetTimeoutMs: 1000, context, onTargetDone: (_t, a) => (got = a) });
  return got;
}

describe('a check that throws', () => {
  it('from appliesTo: an error attempt of its own, the other checks still run', async () => {
    const t = target('a.test:443');
    const got = await attemptsOf(
      [
        checkWith('bad.applies', {
          appliesTo: () => {
            throw new TypeError('appliesTo bug');
          },
        }),
        checkWith('good', {}),
      ],
      t,
    );
    expect(got.map((a) => [a.check, a.status, a.errorKind, a.reason])).toEqual([
      ['bad.applies', 'error', 'internal', 'appliesTo bug'],
      ['good', 'ok', undefined, undefined],
    ]);
  });

  it('synchronously from run, or with something that is not an Error: an error attempt with a reason', async () => {
    const t = target('b.test:443');
    const sync = checkWith('sync.throw', {
      run: (() => {
        throw new RangeError('thrown before any promise');
      }) as Check['run'],
    });
    const plain = checkWith('plain.throw', { run: () => Promise.reject({ code: 42 }) });
    const nothing = checkWith('undefined.throw', { run: () => Promise.reject(undefined) });
    const got = await attemptsOf([sync, plain, nothing, checkWith('good', {})], t);
    expect(got.map((a) => [a.check, a.status, a.reason])).toEqual([
      ['sync.throw', 'error', 'thrown before any promise'],
      ['plain.throw', 'error', 'the probe threw {"code":42}'],
      ['undefined.throw', 'error', 'the probe threw undefined'],
      ['good', 'ok', undefined],
    ]);
  });

  it('keeps the reason in both languages when the probe gave it so', async () => {
    const t = target('c.test:443');
    const got = await attemptsOf(
      [checkWith('both', { run: () => Promise.reject(new ProbeError('dns', { en: 'no such name', vi: 'không có tên này' })) })],
      t,
    );
    expect(got[0]).toMatchObject({
      status: 'error',
      errorKind: 'dns',
      reason: 'no such name',
      reasonText: { en: 'no such name', vi: 'không có tên này' },
    });
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
    await writeFile(
      file,
      `apiVersion: govscan/v1\nkind: Policy\nmetadata:\n  id: test-contain\n  version: "0.1.0"\n  title: { en: Contain, vi: Cô lập }\n  legalBasis: ["test"]\nspec:\n  rules:\n${rule('TEST-TLS', 'tls.endpoint')}${rule('TEST-WEB', 'ipv6.web')}`,
    );
    const policies = await loadPolicySelection([file], { knownChecks: KNOWN_CHECKS });
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const t = target('https://d.test');
    const prepared: PreparedScan = {
      targets: [t],
      inventory: null,
      policies,
      checks: [checkWith('tls.endpoint', { run: async () => cyclic }), checkWith('ipv6.web', { run: async () => ({ fine: true }) })],
      trust: context.trust,
      resolver: context.resolver,
      failOn: 'high',
      waivers: null,
      baseline: null,
      legalBases: [],
      params: [],
    };
    const report = await executeScan(prepared, {
      concurrency: 1,
      perHostLimit: 1,
      timeoutMs: 200,
      targetTimeoutMs: 1000,
      keepFacts: true,
      dialer: context.dialer,
    });
    const outcome = Object.fromEntries(report.findings.map((f) => [f.ruleId, [f.outcome, f.reason]]));
    expect(outcome['TEST-WEB']).toEqual(['fail', undefined]);
    expect(outcome['TEST-TLS']?.[0]).toBe('not-tested');
    expect(outcome['TEST-TLS']?.[1]).toMatch(/^the facts of tls\.endpoint could not be judged: Converting circular structure/);
    expect(report.attempts.find((a) => a.check === 'tls.endpoint')).toMatchObject({ status: 'error', errorKind: 'internal' });
    expect(report.attempts.find((a) => a.check === 'tls.endpoint')?.facts).toBeUndefined();
  });
});
