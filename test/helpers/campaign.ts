// Campaign tests' lab: one TLS endpoint addressed through many names (a wildcard certificate, names
// pinned to loopback by the worker's --resolve), a port that accepts and never answers (a target that
// always times out), `govscan worker` processes, and polling a campaign through the API until a
// condition holds (bounded: the test fails with the last state rather than hanging).

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import type { CampaignDetail } from '../../src/contract/campaign-api.js';
import { startPlainFarm, type PlainFarm } from '../../src/lab/bench-farm.js';
import { BIN, runCli } from './cli.js';

export interface CampaignLab {
  farm: PlainFarm;
  /** Port of the one TLS endpoint every campaign target reaches. */
  port: number;
  /** Port that accepts connections and never says a word. */
  silentPort: number;
  /** `https://<prefix>-<n>.bench.farm.test:<port>`: n distinct targets of the one endpoint. */
  targets(prefix: string, n: number): string[];
  /** A target whose every connection times out. */
  silentTarget: string;
  /** The worker's pins: every name of those targets to loopback. */
  resolve: string[];
  close(): Promise<void>;
}

export async function startCampaignLab(): Promise<CampaignLab> {
  const farm = await startPlainFarm(1, { address: '127.0.0.1' });
  const endpoint = farm.endpoints[0];
  if (!endpoint) throw new Error('the farm started no endpoint');
  const sockets = new Set<Socket>();
  const silent: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const silentPort = (silent.address() as { port: number }).port;
  const port = endpoint.port;
  return {
    farm,
    port,
    silentPort,
    targets: (prefix, n) =>
      Array.from({ length: n }, (_, i) => `https://${prefix}-${String(i + 1).padStart(3, '0')}.bench.farm.test:${port}`),
    silentTarget: `https://silent.bench.farm.test:${silentPort}`,
    resolve: [`*:${port}:127.0.0.1`, `*:${silentPort}:127.0.0.1`],
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
      await farm.close();
    },
  };
}

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  stderr(): string;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/**
 * `govscan worker` against `server`, polling fast and pinning the lab's names. --tls-quick keeps each
 * scan to the TLS version probes: these tests are about the queue (the suite enumeration, ~4 times the
 * CPU per target, is tested in test/checks/tls).
 */
export function startWorker(
  server: string,
  tokenFile: string,
  name: string,
  lab: CampaignLab,
  extra: readonly string[] = [],
): WorkerProcess {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'worker',
      '--server',
      server,
      '--token-file',
      tokenFile,
      '--name',
      name,
      '--concurrency',
      '4',
      '--poll-interval',
      '100',
      '--retry-for',
      '60',
      '--tls-quick',
      ...lab.resolve.flatMap((r) => ['--resolve', r]),
      ...extra,
    ],
    { env: { ...process.env, NO_COLOR: '1', GOVSCAN_LANG: '' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { name, child, stderr: () => err, exited };
}

/** SIGTERM, then the exit code; SIGKILL after `ms` so a stuck worker fails the test instead of hanging it. */
export async function stopWorker(w: WorkerProcess, ms = 30_000): Promise<number | null> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  const timer = setTimeout(() => w.child.kill('SIGKILL'), ms);
  try {
    return await w.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** `govscan server token create --role ROLE`, written to a token file as an operator would. */
export async function tokenFile(db: string, role: string, file: string, extra: readonly string[] = []): Promise<string> {
  const r = await runCli(['server', 'token', 'create', '--role', role, '--db', db, ...extra]);
  if (r.code !== 0) throw new Error(`token create --role ${role} failed (${String(r.code)}): ${r.stderr}`);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(file, r.stdout, { mode: 0o600 });
  return file;
}

/** GET the campaign until `done(detail)` holds; throws with the last state after `ms`. */
export async function waitForCampaign(
  server: () => string,
  token: string,
  id: string,
  done: (d: CampaignDetail) => boolean,
  ms = 480_000,
): Promise<CampaignDetail> {
  const until = Date.now() + ms;
  let last: CampaignDetail | string = 'no answer yet';
  for (;;) {
    try {
      const res = await fetch(`${server()}/api/v1/campaigns/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${token}` } });
      if (res.ok) {
        const detail = (await res.json()) as CampaignDetail;
        if (done(detail)) return detail;
        last = detail;
      } else last = `${res.status} ${await res.text()}`;
    } catch (err) {
      // The server is restarting: keep asking.
      last = String(err);
    }
    if (Date.now() > until) throw new Error(`campaign ${id} did not reach the expected state in ${ms} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
