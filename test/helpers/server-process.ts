// A real `govscan server` process for the agent and fault tests: started through bin/run.js, ready
// when it prints its listening line, killable (SIGKILL) and restartable on the same port and database.

import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, runCli } from './cli.js';

export interface ServerProcess {
  url: string;
  port: number;
  db: string;
  child: ChildProcess;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `extraArgs`: further `govscan server` flags (e.g. `--ingest-limit 0`). */
export async function startServer(db: string, port = 0, timeoutMs = 30_000, extraArgs: readonly string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, 'server', '--db', db, '--listen', `127.0.0.1:${port}`, ...extraArgs], {
    env: { ...process.env, NO_COLOR: '1', GOVSCAN_LANG: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`govscan server did not start in ${timeoutMs} ms:\n${err}`));
    }, timeoutMs);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /govscan server listening on (https?:\/\/127\.0\.0\.1:\d+) \(db (sqlite|postgres)\)/.exec(err);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`govscan server exited (${String(code)}) before listening:\n${err}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    db,
    child,
    stderr: () => err,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** `govscan server enrollment create`: the one-time secret. */
export async function enrollmentSecret(db: string, agency: string): Promise<string> {
  const r = await runCli(['server', 'enrollment', 'create', '--agency', agency, '--db', db]);
  if (r.code !== 0) throw new Error(`enrollment create failed (${String(r.code)}): ${r.stderr}`);
  return r.stdout.trim();
}

/** `govscan server token create --role viewer`: a token that reads the API. */
export async function viewerToken(db: string): Promise<string> {
  const r = await runCli(['server', 'token', 'create', '--role', 'viewer', '--db', db]);
  if (r.code !== 0) throw new Error(`token create failed (${String(r.code)}): ${r.stderr}`);
  return r.stdout.trim();
}

export async function getJson<T>(url: string, token: string): Promise<T> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
