// `govscan server` configured from the environment, as a systemd EnvironmentFile or a container does
// it: every flag has its GOVSCAN_<FLAG> variable (shown in --help), the command line wins over the
// variable, and the variable over the default. Through the built CLI.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Server from '../../src/commands/server/serve.js';
import { envName } from '../../src/cli/env-flags.js';
import { BIN, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'govscan-server-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `govscan server ARGS` with `env`; resolves with the listening line, or the exit and stderr. */
function serve(
  args: string[],
  env: Record<string, string>,
): Promise<{ line?: string; code?: number | null; stderr: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [BIN, 'server', ...args], {
    env: { ...process.env, NO_COLOR: '1', GOVSCAN_LANG: '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  let stderr = '';
  return new Promise((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const line = /govscan server listening on \S+ \(db \w+\)/.exec(stderr)?.[0];
      if (line) resolve({ line, stderr, stop });
    });
    void exited.then((code) => resolve({ code, stderr, stop }));
  });
}

describe('govscan server: settings from GOVSCAN_<FLAG>', () => {
  it('--help names the variable of every flag', async () => {
    const r = await runCli(['server', '--help']);
    expect(r.code).toBe(0);
    const names = Object.keys(Server.flags).filter((f) => f !== 'lang');
    expect(names).toContain('listen');
    for (const flag of names) expect(r.stdout, flag).toContain(`env: ${envName(flag)}`);
  });

  it('takes the database and address from the environment, a flag over its variable, and a variable over the default', async () => {
    const db = join(dir, 'from-env.db');
    // Only variables: the address and database they name are used (the default would be 127.0.0.1:8080 and ./govscan.db).
    const fromEnv = await serve([], { GOVSCAN_LISTEN: '127.0.0.1:0', GOVSCAN_DB: `sqlite:${db}`, GOVSCAN_METRICS_PUBLIC: 'true' });
    try {
      expect(fromEnv.line, fromEnv.stderr).toMatch(/listening on http:\/\/127\.0\.0\.1:(?!8080\b)\d+ \(db sqlite\)/);
      const url = /on (\S+) /.exec(fromEnv.line ?? '')?.[1];
      // GOVSCAN_METRICS_PUBLIC=true: /metrics answers without a token.
      expect((await fetch(`${url}/metrics`)).status).toBe(200);
    } finally {
      await fromEnv.stop();
    }

    // The flag wins: a variable that would fail is not even read.
    const flagWins = await serve(['--listen', '127.0.0.1:0', '--db', `sqlite:${db}`], {
      GOVSCAN_LISTEN: 'not-an-address',
      GOVSCAN_DB: 'mysql://x',
    });
    try {
      expect(flagWins.line, flagWins.stderr).toMatch(/\(db sqlite\)/);
      const url = /on (\S+) /.exec(flagWins.line ?? '')?.[1];
      // Without the variable, /metrics needs a token again (the default).
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
    } finally {
      await flagWins.stop();
    }
  });

  it('a bad value in a variable is a usage error naming its flag (exit 2)', async () => {
    const r = await runCli(['server', '--db', `sqlite:${join(dir, 'bad.db')}`], {
      env: { GOVSCAN_LISTEN: '127.0.0.1:0', GOVSCAN_BODY_LIMIT: '12' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--body-limit: .*1024/);
    const listen = await runCli(['server', '--db', `sqlite:${join(dir, 'bad.db')}`], { env: { GOVSCAN_LISTEN: 'nowhere' } });
    expect(listen.code).toBe(2);
    expect(listen.stderr).toContain('--listen: "nowhere" is not HOST:PORT');
  });
});
