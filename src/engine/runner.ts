// Runs every applicable check on every target with bounded concurrency and deadlines. A probe that
// hangs, throws or crashes becomes an error attempt; it never stalls or kills the other targets.

import { setMaxListeners } from 'node:events';
import { NotApplicableError, ProbeError, type Attempt, type Check, type CheckContext, type Target } from './types.js';

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
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const target = targets[next++];
      if (!target) break;
      opts.onTargetStart?.(target);
      const attempts = await probeTarget(target, checks, opts);
      opts.onTargetDone?.(target, attempts);
    }
  };
  const pool = Math.max(1, Math.min(opts.concurrency, targets.length));
  await Promise.all(Array.from({ length: pool }, worker));
}

export async function probeTarget(target: Target, checks: readonly Check[], opts: RunOptions): Promise<Attempt[]> {
  const applicable = checks.filter((c) => c.appliesTo(target));
  if (!applicable.length) return [];
  const controller = new AbortController();
  const deadline = setTimeout(
    () => controller.abort(new ProbeError('timeout', `target deadline of ${opts.targetTimeoutMs} ms passed`)),
    opts.targetTimeoutMs,
  );
  const onRunAbort = (): void => controller.abort(new ProbeError('internal', 'scan cancelled'));
  if (opts.signal?.aborted) onRunAbort();
  opts.signal?.addEventListener('abort', onRunAbort, { once: true });
  const ctx: CheckContext = { ...opts.context, signal: controller.signal };
  try {
    return await Promise.all(applicable.map((check) => runCheck(check, target, ctx)));
  } finally {
    clearTimeout(deadline);
    opts.signal?.removeEventListener('abort', onRunAbort);
    // Probes still holding sockets see the abort and close them.
    controller.abort(new ProbeError('internal', 'target finished'));
  }
}

async function runCheck(check: Check, target: Target, ctx: CheckContext): Promise<Attempt> {
  const started = ctx.now();
  const base = { check: check.id, target: target.key, startedAt: started.toISOString() };
  const elapsed = (): number => Math.max(0, Date.now() - started.getTime());
  try {
    const facts = await untilAborted(check.run(target, ctx), ctx.signal);
    return { ...base, status: 'ok', facts, durationMs: elapsed() };
  } catch (err) {
    if (err instanceof NotApplicableError) {
      return { ...base, status: 'not-applicable', reason: err.message, durationMs: elapsed() };
    }
    const kind = err instanceof ProbeError ? err.kind : 'internal';
    const reason = err instanceof Error ? err.message : String(err);
    return { ...base, status: 'error', errorKind: kind, reason, durationMs: elapsed() };
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
