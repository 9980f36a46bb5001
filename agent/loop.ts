// `govscan-agent run`: the resident loop. It stays small (idle RSS is the figure that matters on an
// agency host): it never loads the engine, YAML or ajv. Each run is a child process of the same
// bin (`__run`), the configuration is parsed by another (`__config`), and this process only waits,
// delivers the spool between runs and stops cleanly on SIGTERM (a batch in the spool stays there).

import { spawn, type ChildProcess } from 'node:child_process';
import type { Lang } from '../src/core/types.js';
import type { AgentConfig } from './config.js';
import type { AgentLog } from './log.js';
import { AGENT_MESSAGES as M } from './messages.js';
import { Spool } from './spool.js';
import { warnAboutExposure } from './exposure.js';
import { readTokenOrWarn } from './token.js';
import { abortableSleep, drain, readCaFiles, Uploader, type DrainResult } from './upload.js';

export interface LoopOptions {
  /** This agent's entry script (bin/agent.js): children are forks of it. */
  bin: string;
  configFile: string;
  lang: Lang;
  log: AgentLog;
  random?: () => number;
}

/** Runs until SIGTERM or SIGINT; returns the exit code. */
export async function runLoop(opts: LoopOptions): Promise<number> {
  const random = opts.random ?? Math.random;
  const got = await childConfig(opts);
  if (typeof got === 'number') return got;
  const config = got;
  const token = await readTokenOrWarn(config.tokenFile, opts.log);
  await warnAboutExposure(config.server.url ?? token?.server, token ? config.tokenFile : null, opts.log);
  if (!token) return 3;
  const spool = await new Spool(config.spool.directory, { maxBytes: config.spool.maxBytes, log: opts.log }).open();

  const stop = new AbortController();
  let child: ChildProcess | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stop.signal.aborted) return;
    opts.log.info(M.stopping, { signal });
    stop.abort();
    child?.kill('SIGTERM');
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  opts.log.info(M.loopStarted, {
    interval: config.schedule.intervalSeconds,
    jitter: config.schedule.jitterSeconds,
    dir: config.spool.directory,
  });
  try {
    while (!stop.signal.aborted) {
      const run = spawn(process.execPath, [opts.bin, '__run', '--config', opts.configFile, '--lang', opts.lang], {
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child = run;
      const code = await exited(run);
      child = null;
      if (stop.signal.aborted) break;
      if (code !== 0) opts.log.warn(M.runFailed, { code: code ?? 'signal' });
      const waitS = config.schedule.intervalSeconds + Math.round(random() * config.schedule.jitterSeconds);
      const nextAt = Date.now() + waitS * 1000;
      await deliverUntil(config, spool, opts.log, nextAt, stop.signal, random);
      if (stop.signal.aborted) break;
      opts.log.info(M.nextRun, { seconds: Math.max(0, Math.round((nextAt - Date.now()) / 1000)) });
      await abortableSleep(nextAt - Date.now(), stop.signal);
    }
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
  return 0;
}

/**
 * Drain now; while batches remain (server down), try again with a growing pause, but never past the
 * next run, which drains again after it has spooled its own batch.
 */
async function deliverUntil(
  config: AgentConfig,
  spool: Spool,
  log: AgentLog,
  nextAt: number,
  signal: AbortSignal,
  random: () => number,
): Promise<void> {
  let pause = Math.max(config.upload.backoffMs, 1000);
  for (;;) {
    const result = await deliverOnce(config, spool, log, signal, random);
    if (!result || result.remaining === 0 || result.stopped === 'cancelled' || result.stopped === 'unauthorized' || signal.aborted) return;
    const left = nextAt - Date.now();
    if (left <= 0) return;
    await abortableSleep(Math.min(pause, left), signal);
    if (signal.aborted) return;
    pause = Math.min(pause * 2, config.upload.maxBackoffMs);
  }
}

/** One drain with the token as it is on disk now (an operator may have enrolled again meanwhile). */
export async function deliverOnce(
  config: AgentConfig,
  spool: Spool,
  log: AgentLog,
  signal: AbortSignal | undefined,
  random?: () => number,
): Promise<DrainResult | null> {
  if (!(await spool.list()).length) return { stored: 0, duplicates: 0, rejected: 0, unreadable: 0, remaining: 0, stopped: null };
  const token = await readTokenOrWarn(config.tokenFile, log);
  if (!token) return null;
  const uploader = new Uploader({
    server: config.server.url ?? token.server,
    token: token.token,
    ca: await readCaFiles(config.server.caFiles),
    timeoutMs: config.server.timeoutMs,
    log,
  });
  try {
    return await drain(spool, uploader, log, {
      maxAttempts: config.upload.maxAttempts,
      backoffMs: config.upload.backoffMs,
      maxBackoffMs: config.upload.maxBackoffMs,
      ...(signal ? { signal } : {}),
      ...(random ? { random } : {}),
    });
  } finally {
    uploader.close();
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('error', () => resolve(null));
    child.once('close', (code) => resolve(code));
  });
}

/** The configuration as parsed and validated by a child (`__config`), which prints it as JSON. */
async function childConfig(opts: LoopOptions): Promise<AgentConfig | number> {
  const child = spawn(process.execPath, [opts.bin, '__config', '--config', opts.configFile, '--lang', opts.lang], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  const code = await exited(child);
  if (code !== 0) return code ?? 3;
  return JSON.parse(out) as AgentConfig;
}
