// deploy/govscan-server.service: as hardened as the agent's unit (every key of the agent's hardening
// block, same value), its database in the state directory, its settings from an EnvironmentFile whose
// example names only real flags; and `systemd-analyze verify` accepts it where systemd is installed.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import Server from '../../src/commands/server/serve.js';
import { envName } from '../../src/cli/env-flags.js';
import { BIN } from '../helpers/cli.js';

const deploy = (name: string): string => fileURLToPath(new URL(`../../deploy/${name}`, import.meta.url));
const SERVER_UNIT = readFileSync(deploy('govscan-server.service'), 'utf8');
const AGENT_UNIT = readFileSync(deploy('govscan-agent.service'), 'utf8');

/** [Service] as key → values (a key may repeat), and the keys that follow the `# Hardening` comment. */
function service(unit: string): { values: Map<string, string[]>; hardening: string[] } {
  const values = new Map<string, string[]>();
  const hardening: string[] = [];
  let section = '';
  let hardened = false;
  for (const raw of unit.split('\n')) {
    const line = raw.trim();
    if (/^\[.+\]$/.test(line)) section = line;
    if (section !== '[Service]') continue;
    if (/^#\s*Hardening/.test(line)) hardened = true;
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    values.set(key, [...(values.get(key) ?? []), value]);
    if (hardened) hardening.push(key);
  }
  return { values, hardening };
}

describe('deploy/govscan-server.service', () => {
  const server = service(SERVER_UNIT);
  const agent = service(AGENT_UNIT);

  it('carries every hardening setting of the agent unit, with the same value', () => {
    expect(agent.hardening).toEqual(
      expect.arrayContaining(['NoNewPrivileges', 'ProtectSystem', 'SystemCallFilter', 'CapabilityBoundingSet']),
    );
    for (const key of [...agent.hardening, 'UMask', 'StateDirectoryMode']) {
      expect(server.values.get(key), key).toEqual(agent.values.get(key));
    }
  });

  it('runs `govscan server` on a database in its state directory, with settings from /etc/govscan/server.env', () => {
    expect(server.values.get('ExecStart')).toEqual(['/usr/local/bin/govscan server']);
    expect(server.values.get('StateDirectory')).toEqual(['govscan']);
    expect(server.values.get('Environment')).toEqual(['GOVSCAN_DB=sqlite:/var/lib/govscan/govscan.db']);
    expect(server.values.get('EnvironmentFile')).toEqual(['-/etc/govscan/server.env']);
    // Bad settings exit 2: restarting would only loop.
    expect(server.values.get('RestartPreventExitStatus')).toEqual(['2']);
  });

  it('its example settings file sets only variables `govscan server` reads', () => {
    const known = new Set(Object.keys(Server.flags).map(envName));
    const set = [...readFileSync(deploy('server.example.env'), 'utf8').matchAll(/^#?(GOVSCAN_[A-Z_]+)=/gm)].map((m) => m[1] as string);
    expect(set).toContain('GOVSCAN_RETAIN_DAYS');
    for (const name of set) expect(known, name).toContain(name);
  });

  const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  it.runIf(analyze.status === 0)('passes systemd-analyze verify (no unknown keys, no bad values)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'govscan-unit-'));
    try {
      // verify insists that ExecStart's program exists: point it at the built CLI.
      const unit = join(dir, 'govscan-server.service');
      writeFileSync(unit, SERVER_UNIT.replace('/usr/local/bin/govscan server', `${BIN} server`));
      const r = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8', cwd: dir });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
