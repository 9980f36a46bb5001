// What an operator gets wrong on an agency host, met by the built govscan-agent and a real `govscan
// server` on loopback: a token file left readable by others, a server URL in plain http:// to another
// machine (warned from the configuration alone: nothing is sent to it), and a batch left owned by
// root by `sudo govscan-agent run --once`, which the agent's own user cannot read (set aside with a
// line saying how to get it delivered; the other batches still go).

import { chmod, chown, mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLog } from '../../agent/log.js';
import { Spool } from '../../agent/spool.js';
import { readToken } from '../../agent/token.js';
import { runAgentCli } from '../helpers/cli.js';
import { enrollmentSecret, startServer, viewerToken, type ServerProcess } from '../helpers/server-process.js';
import { smallBatch, storedBatchIds } from './helpers.js';

const AGENCY = 'so-tttt-mistakes';
let dir: string;
let db: string;
let server: ServerProcess;
let viewer: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-agent-mistakes-'));
  // Other users (the agent's own, below) must reach their folders in here.
  await chmod(dir, 0o755);
  db = `sqlite:${join(dir, 'server.db')}`;
  server = await startServer(db);
  viewer = await viewerToken(db);
});
afterAll(async () => {
  await server?.kill();
  await rm(dir, { recursive: true, force: true });
});

/** An agent that checks only its own host (no inventory), delivering to `url`. */
async function agentHome(name: string, url: string): Promise<{ home: string; config: string; state: string }> {
  const home = join(dir, name);
  await mkdir(home, { recursive: true, mode: 0o755 });
  const config = join(home, 'agent.yaml');
  await writeFile(
    config,
    [
      'stateDirectory: state',
      `server: { url: "${url}", timeout: 10s }`,
      'schedule: { interval: 1h, jitter: 0 }',
      'upload: { maxAttempts: 2, backoff: 1s, maxBackoff: 2s }',
      'host:',
      `  name: ${name}.agency.example`,
    ].join('\n') + '\n',
  );
  return { home, config, state: join(home, 'state') };
}

const storedIds = (): Promise<string[]> => storedBatchIds(server.url, viewer, AGENCY);

const delivered = (stderr: string): string[] => [...stderr.matchAll(/batch ([0-9a-f-]{36}) delivered/g)].map((m) => m[1] ?? '');

describe('the token file', () => {
  it('open to other users (0644): the run warns, says how to fix it, and still delivers; at 0600 it says nothing', {
    timeout: 60_000,
  }, async () => {
    const { config, state } = await agentHome('token-mode', server.url);
    expect((await runAgentCli(['enroll', '--config', config, '--secret', await enrollmentSecret(db, AGENCY)])).code).toBe(0);
    const tokenFile = join(state, 'token.json');
    await chmod(tokenFile, 0o644);
    const open = await runAgentCli(['run', '--once', '--config', config]);
    expect(open.code, open.stderr).toBe(0);
    expect(open.stderr).toContain(
      `govscan-agent [warn]: ${tokenFile} is open to other users on this host (mode 0644): whoever reads it can send batches as this agent; run \`chmod 600 ${tokenFile}\`\n`,
    );
    expect(delivered(open.stderr)).toHaveLength(1);

    await chmod(tokenFile, 0o640);
    const vi = await runAgentCli(['run', '--once', '--config', config, '--lang', 'vi']);
    expect(vi.stderr).toContain(
      `govscan-agent [warn]: ${tokenFile} để ngỏ cho người dùng khác trên máy này (quyền 0640): ai đọc được tệp này có thể gửi lô dưới danh nghĩa tác tử này; hãy chạy \`chmod 600 ${tokenFile}\`\n`,
    );

    await chmod(tokenFile, 0o600);
    const closed = await runAgentCli(['run', '--once', '--config', config]);
    expect(closed.code, closed.stderr).toBe(0);
    // Nothing to warn about: a plain http:// server on 127.0.0.1 is a lab, and the token is the agent's alone.
    expect(closed.stderr).not.toContain('[warn]');
    expect(delivered(closed.stderr)).toHaveLength(1);
  });
});

describe('a server URL in plain http://', () => {
  // The agent sends everything through HTTP(S)_PROXY: here a loopback listener that only counts. Had the
  // agent tried to reach one of the non-loopback servers below, the attempt would land here (never on
  // the network) and the count would show it.
  let trap: Server;
  let attempts = 0;
  let viaTrap: Record<string, string>;
  beforeAll(async () => {
    trap = createServer((s) => {
      attempts++;
      s.destroy();
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    const proxy = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
    viaTrap = { HTTPS_PROXY: proxy, HTTP_PROXY: proxy, https_proxy: proxy, http_proxy: proxy, NO_PROXY: '', no_proxy: '' };
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => trap.close(() => resolve()));
    expect(attempts, 'connections attempted to a non-loopback server').toBe(0);
  });

  const warning = (origin: string) =>
    `govscan-agent [warn]: server ${origin} is reached over plain http://: the enrolment secret, the agent's token and the agency's findings cross the network unencrypted; use https:// (plain http is fine only to this machine itself, 127.0.0.1 or ::1, e.g. in a lab)\n`;

  // Not enrolled, so `run` stops before any run or delivery: the warning comes from the configuration
  // alone and no connection is attempted to these (non-loopback) addresses.
  it.each([
    ['http://soc.example.gov.vn:8080', 'http://soc.example.gov.vn:8080'],
    ['http://10.20.30.40:8080/', 'http://10.20.30.40:8080'],
    ['http://[fd00::5]:8080', 'http://[fd00::5]:8080'],
  ])('%s to another machine: warned, from the configuration, before anything is sent', async (url, origin) => {
    const { config, state } = await agentHome(`plain-${origin.replace(/\W+/g, '-')}`, url);
    for (const args of [['run', '--once'], ['run']]) {
      const r = await runAgentCli([...args, '--config', config], { env: viaTrap });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toBe(
        `govscan-agent [warn]: ${join(state, 'token.json')}: no agent token: run \`govscan-agent enroll --server URL --secret SECRET\` first\n${warning(origin)}`,
      );
    }
  });

  it.each(['http://127.8.9.10:9', 'http://localhost:9', 'http://[::1]:9', 'https://soc.example.gov.vn:8443'])(
    '%s: no warning (loopback http is a lab; https is what to use)',
    async (url) => {
      const { config } = await agentHome(`quiet-${url.replace(/\W+/g, '-')}`, url);
      const r = await runAgentCli(['run', '--once', '--config', config]);
      expect(r.code).toBe(3);
      expect(r.stderr).not.toContain('plain http');
    },
  );

  it('`enroll --server http://…` to another machine warns before the secret would be sent (here refused first: already enrolled)', async () => {
    const { config, state } = await agentHome('plain-enroll', 'https://soc.example.gov.vn:8443');
    await mkdir(state, { recursive: true });
    await writeFile(join(state, 'token.json'), '{}\n', { mode: 0o600 });
    const r = await runAgentCli(
      ['enroll', '--config', config, '--server', 'http://10.20.30.40:8080', '--secret', 'gse_x', '--lang', 'vi'],
      { env: viaTrap },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'govscan-agent [warn]: máy chủ http://10.20.30.40:8080 được kết nối qua http:// không mã hóa: mã đăng ký, token của tác tử và kết quả của cơ quan đi qua mạng ở dạng rõ; hãy dùng https:// (http:// chỉ chấp nhận được khi kết nối tới chính máy này, 127.0.0.1 hoặc ::1, ví dụ trong môi trường thử nghiệm)\n' +
        `lỗi: ${join(state, 'token.json')}: đã có token: tác tử này đã được đăng ký (dùng --force để đăng ký lại)\n`,
    );
  });
});

describe('a batch the agent may not read', () => {
  it('left root-owned by `sudo govscan-agent run --once`: set aside with how to fix it, the other batches delivered; once fixed, it goes too', {
    timeout: 90_000,
  }, async () => {
    // As root (this suite's user) the agent runs as `nobody`, and the batch written by root is really
    // unreadable to it (EACCES), as on a host where `sudo` left it. Run by another user, the suite makes
    // its own batch unreadable to itself (chmod 000), which stops anyone but root.
    const asRoot = process.getuid?.() === 0;
    const user = asRoot ? { uid: 65534, gid: 65534 } : {};
    const { home, config, state } = await agentHome('sudo-left', server.url);
    // The spool as the agent's own earlier runs left it (its folders are the agent user's).
    const spoolDir = join(state, 'spool');
    await mkdir(join(spoolDir, 'rejected'), { recursive: true, mode: 0o700 });
    if (asRoot) for (const d of [home, state, spoolDir, join(spoolDir, 'rejected')]) await chown(d, 65534, 65534);
    const enrolled = await runAgentCli(['enroll', '--config', config, '--secret', await enrollmentSecret(db, AGENCY)], user);
    expect(enrolled.code, enrolled.stderr).toBe(0);
    const token = await readToken(join(state, 'token.json'));

    // What `sudo govscan-agent run --once` leaves (with the server down): a batch owned by root, mode 0600.
    const left = await (await new Spool(spoolDir, { maxBytes: 1 << 24, log: memoryLog() }).open()).add(
      smallBatch({ agentId: token.agentId, agency: token.agency }),
    );
    if (!asRoot) await chmod(left.file, 0o000);

    const r = await runAgentCli(['run', '--once', '--config', config], user);
    expect(r.code, r.stderr).toBe(0);
    const aside = join(spoolDir, 'rejected', left.file.slice(spoolDir.length + 1));
    expect(r.stderr).toContain(
      asRoot
        ? `govscan-agent [warn]: spool entry ${left.file} cannot be read (EACCES): it belongs to uid 0 and the agent runs as nobody (left by \`sudo govscan-agent run --once\`?); moved to ${aside}, the other batches are still sent; give it to the agent's user (\`chown nobody ${aside}\`), then move it back into ${spoolDir} to send it\n`
        : `govscan-agent [warn]: spool entry ${left.file} cannot be read (EACCES); moved to ${aside}`,
    );
    // This run's own batch went through regardless.
    const [own] = delivered(r.stderr);
    expect(own).toBeDefined();
    expect(await storedIds()).toContain(own);
    expect(await storedIds()).not.toContain(left.batchId);
    expect(await readdir(join(spoolDir, 'rejected'))).toEqual([left.file.slice(spoolDir.length + 1)]);

    // Doing what the line says gets it delivered.
    if (asRoot) await chown(aside, 65534, 65534);
    else await chmod(aside, 0o600);
    await rename(aside, left.file);
    const again = await runAgentCli(['run', '--once', '--config', config], user);
    expect(again.code, again.stderr).toBe(0);
    expect(delivered(again.stderr)).toContain(left.batchId);
    expect(await storedIds()).toContain(left.batchId);
  });
});
