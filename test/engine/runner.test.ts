import { describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { runTargets } from '../../src/engine/runner.js';
import { NetDialer } from '../../src/engine/dialer.js';
import { Semaphore } from '../../src/engine/limiter.js';
import { parseTarget } from '../../src/engine/targets.js';
import { NotApplicableError, ProbeError, type Attempt, type Check, type CheckContext, type Target } from '../../src/engine/types.js';

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
  return { id: 'test.check', family: 'test', title: { en: 't', vi: 't' }, description: { en: 'd', vi: 'd' }, appliesTo: () => true, run, factsSchema: {} };
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
    const third = dialer.connect({ address: '127.0.0.1', port, timeoutMs: 1000 }).then((s) => ((thirdConnected = true), s));
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
