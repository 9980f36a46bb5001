// govscan and govscan-agent on a Node.js older than "engines": one line saying what to install, exit 3,
// before any dependency loads (on Node 20 the SQLite binding would crash the process instead).

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a bin script as if this Node.js reported `version` (process.versions.node is configurable). */
function runAs(version: string, bin: string, args: string[], env: Record<string, string> = {}) {
  const script = `Object.defineProperty(process.versions, 'node', { value: ${JSON.stringify(version)} });
process.argv = [process.argv[0], ${JSON.stringify(bin)}, ...${JSON.stringify(args)}];
await import(${JSON.stringify(new URL(bin, `file://${ROOT}`).href)});`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, GOVSCAN_LANG: '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('the Node.js version the programs need', () => {
  it('is the one package.json promises', () => {
    const engines = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).engines.node as string;
    expect(engines).toBe('>=22.13.0');
    expect(readFileSync(`${ROOT}bin/node-version.js`, 'utf8')).toContain('const NEEDED = [22, 13];');
  });

  for (const bin of ['bin/run.js', 'bin/agent.js']) {
    const program = bin === 'bin/run.js' ? 'govscan' : 'govscan-agent';
    it(`${program} on Node 20 says what to install, in English and Vietnamese, and exits 3`, () => {
      const en = runAs('20.19.0', bin, ['--version']);
      expect(en.status).toBe(3);
      expect(en.stdout).toBe('');
      expect(en.stderr).toBe(
        `${program}: needs Node.js 22.13 or later, this is 20.19.0; install a newer Node.js and run it again (see README).\n`,
      );
      const vi = runAs('22.12.0', bin, ['--version'], { GOVSCAN_LANG: 'vi' });
      expect(vi.status).toBe(3);
      expect(vi.stderr).toMatch(new RegExp(`^${program}: cần Node\\.js 22\\.13 trở lên, máy này đang chạy 22\\.12\\.0;`));
    });
  }

  it('lets a Node.js that is new enough through', () => {
    const ok = runAs('22.13.0', 'bin/run.js', ['--version']);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^govscan\/\d+\.\d+\.\d+ /);
  });
});
