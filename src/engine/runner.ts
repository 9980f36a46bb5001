// Runs every applicable check on every target with bounded concurrency and deadlines. A probe that
// hangs, throws or crashes becomes an error attempt; it never stalls or kills the other targets.

import { setMaxListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { NotApplicableError, ProbeError, type Attempt, type Check, type CheckContext, type Target } from '../core/types.js';

export interface RunOptions {
  /** Targets probed at once across the whole scan. */
  concurrency: number;
  /** Deadline for all checks of one target together. */
  targetTimeoutMs: number;
  /** Context shared by every check; the runner adds the per-target signal. */
  context: Omit<CheckContext, 'signal'>;
  /** Cancels the whole run (Ctrl-C): pending targets are skipped, running ones end as errors. */
  signal?: AbortSignal;
  onTargetStart?: (target: Target) => void;
  /** Called as each target completes, in completion order; consumers may evaluate and drop facts here. */
  onTargetDone?: (target: Target, attempts: Attempt[]) => void;
}

/** Probe targets through a fixed pool of workers; returns nothing so callers decide what to keep. */
export async function runTargets(targets: readonly Target[], checks: readonly Check[], opts: RunOptions): Promise<void> {
  // Every running target listens on the run's signal; that is expected, not a leak.
  if (opts.signal) setMaxListeners(opts.concurrency + 16, opts.signal);
  let next = 0;
  let done = 0;
  const collect = targets.length >= LONG_SCAN ? fullCollector() : null;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const target = targets[next++];
      if (!target) break;
      opts.onTargetStart?.(target);
      const attempts = await probeTarget(target, checks, opts);
      opts.onTargetDone?.(target, attempts);
      if (collect && ++done % COLLECT_EVERY === 0) collect();
    }
  };
  const pool = Math.max(1, Math.min(opts.concurrency, targets.length));
  await Promise.all(Array.from({ length: pool }, worker));
}

/**
 * Targets between full garbage collections in a long scan. A target's connections, certificates and
 * facts are garbage once it is judged, but they live long enough (a few round trips, with 32 targets
 * in flight) to be promoted to V8's old space, and much of their weight is OpenSSL memory V8 does not
 * count (peer X509 objects, SSL state). V8 therefore kept growing the old space rather than
 * collecting it: a 10,000-target scan held ~26 MB live but peaked near 300 MB RSS. A full collection
 * every 256 targets (~20–60 ms each, a few per cent of the CPU time) keeps the peak under 200 MB.
 * Short scans end before the garbage matters, so they are left to V8.
 */
const COLLECT_EVERY = 256;
const LONG_SCAN = 1000;

let collector: (() => void) | null | undefined;

/** V8's full collection, or null where it cannot be had (the flag is refused by a future V8). */
function fullCollector(): (() => void) | null {
  if (collector !== undefined) return collector;
  collector = null;
  try {
    const exposed: unknown = (globalThis as { gc?: unknown }).gc;
    if (typeof exposed === 'function') return (collector = exposed as () => void);
    // The flag only takes effect for contexts created after it is set, hence the fresh context.
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    if (typeof gc === 'function') collector = gc as () => void;
  } catch {
    collector = null;
  }
  return collector;
}

async function probeTarget(target: Target, checks: readonly Check[], opts: RunOptions): Promise<Attempt[]> {
  // A check that cannot even say whether it applies is a broken probe for this target: it ends as an
  // error attempt of its own (not tested), never as a crash of the scan or a silently skipped check.
  const broken = new Map<Check, unknown>();
  const applicable = checks.filter((c) => {
    try {
      return c.appliesTo(target);
    } catch (err) {
      broken.set(c, err);
      return true;
    }
  });
  if (!applicable.length) return [];
  const controller = new AbortController();
  const deadline = setTimeout(
    () => controller.abort(new ProbeError('timeout', `target deadline of ${opts.targetTimeoutMs} ms passed`)),
    opts.targetTimeoutMs,
  );
  const onRunAbort = (): void => controller.abort(new ProbeError('internal', 'scan cancelled'));
  if (opts.signal?.aborted) onRunAbort();
  opts.signal?.addEventListener('abort', onRunAbort, { once: true });
  const ctx: CheckContext = { ...opts.context, signal: controller.signal, deadlineAt: Date.now() + opts.targetTimeoutMs };
  try {
    return await Promise.all(
      applicable.map((check) =>
        broken.has(check) ? Promise.resolve(failedAttempt(check, target, ctx.now(), broken.get(check))) : runCheck(check, target, ctx),
      ),
    );
  } finally {
    clearTimeout(deadline);
    opts.signal?.removeEventListener('abort', onRunAbort);
    // Probes still holding sockets see the abort and close them.
    controller.abort(new ProbeError('internal', 'target finished'));
  }
}

async function runCheck(check: Check, target: Target, ctx: CheckContext): Promise<Attempt> {
  const started = ctx.now();
  try {
    // Called inside the try: a run() that throws before returning its promise is caught like one that rejects.
    const facts = await untilAborted(
      Promise.resolve().then(() => check.run(target, ctx)),
      ctx.signal,
    );
    return { ...attemptBase(check, target, started), status: 'ok', facts };
  } catch (err) {
    return failedAttempt(check, target, started, err);
  }
}

function attemptBase(check: Check, target: Target, started: Date): Pick<Attempt, 'check' | 'target' | 'startedAt' | 'durationMs'> {
  return { check: check.id, target: target.key, startedAt: started.toISOString(), durationMs: Math.max(0, Date.now() - started.getTime()) };
}

/** Whatever a probe threw, as an attempt of that check on that target only. */
function failedAttempt(check: Check, target: Target, started: Date, err: unknown): Attempt {
  const base = attemptBase(check, target, started);
  if (err instanceof NotApplicableError) return { ...base, status: 'not-applicable', reason: err.message };
  const kind = err instanceof ProbeError ? err.kind : 'internal';
  const text = err instanceof ProbeError ? err.text : undefined;
  return { ...base, status: 'error', errorKind: kind, reason: errorReason(err), ...(text ? { reasonText: text } : {}) };
}

/** A reason a reader can use whatever was thrown: an Error's message, a string, else its JSON or type. */
function errorReason(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'string') return err || 'the probe failed without a reason';
  try {
    return `the probe threw ${JSON.stringify(err) ?? typeof err}`;
  } catch {
    return `the probe threw a ${typeof err}`;
  }
}

/** A probe that ignores its signal still cannot outlive the deadline. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(toError(signal.reason));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(toError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new ProbeError('timeout', String(reason ?? 'aborted'));
}
