// govscan-agent end to end against a real `govscan server` (SQLite) and the TLS farm on loopback:
// enrolment writes a 0600 token and spends the secret once; `run --once` scans the inventory and the
// host, stores the batch and leaves the spool empty; the loop stays small while idle and stops
// cleanly on SIGTERM; and `govscan scan` is untouched by the agent's host pack.

import { spawn } from 'node:child_process';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFarm, type Farm, type FarmEndpoint } from '../../src/lab/farm.js';
import { issueCertificate } from '../../src/lab/pki.js';
import type { CertificateRow, FindingRow, Page } from '../../src/contract/read-api.js';
import type { Report } from '../../src/core/types.js';
import { runCli } from '../helpers/cli.js';
import { AGENT_BIN, runAgent } from './helpers.js';
import { enrollmentSecret, getJson, startServer, viewerToken, type ServerProcess } from '../helpers/server-process.js';

const AGENCY = 'so-tttt-e2e';
let dir: string;
let db: string;
let server: ServerProcess;
let farm: Farm;
let good: FarmEndpoint;
let expiring: FarmEndpoint;
let viewer: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-agent-e2e-'));
  db = `sqlite:${join(dir, 'server.db')}`;
  [server, farm] = await Promise.all([startServer(db), startFarm({ scenarios: ['good-ecdsa', 'expiring-soon'], address: '127.0.0.1' })]);
  good = farm.endpoints.find((e) => e.scenario.name === 'good-ecdsa')!;
  expiring = farm.endpoints.find((e) => e.scenario.name === 'expiring-soon')!;
  env = { NODE_EXTRA_CA_CERTS: farm.publicRootPemFile };
  viewer = await viewerToken(db);
});
afterAll(async () => {
  await server?.kill();
  await farm?.close();
  await rm(dir, { recursive: true, force: true });
});

/** An agent's own folder: configuration, inventory of the two farm endpoints, a certificate file. */
async function agentSetup(name: string, extra = ''): Promise<{ config: string; state: string }> {
  const home = join(dir, name);
  await mkdir(home, { recursive: true });
  await writeFile(
    join(home, 'inventory.yaml'),
    `agency: So TT&TT (e2e)\nsystems:\n  - id: cong-dvc\n    name: Cổng dịch vụ công\n    level: 3\n    endpoints:\n      - https://${good.host}:${good.port}\n      - https://${expiring.host}:${expiring.port}\n`,
  );
  const cert = await issueCertificate({
    subjectCN: `mail.${name}.example`,
    key: { type: 'ec' },
    notAfter: new Date(Date.now() + 10 * 86_400_000 + 3_600_000),
  });
  await writeFile(join(home, 'mail.pem'), cert.certPem);
  const config = join(home, 'agent.yaml');
  await writeFile(
    config,
    [
      'stateDirectory: state',
      `server: { url: "${server.url}", timeout: 10s }`,
      'schedule: { interval: 1h, jitter: 0 }',
      'upload: { maxAttempts: 2, backoff: 1s, maxBackoff: 2s }',
      'scan:',
      '  inventory: inventory.yaml',
      `  resolve: ["${good.host}:${good.port}:127.0.0.1", "${expiring.host}:${expiring.port}:127.0.0.1"]`,
      `  caFiles: ["${farm.nationalRootPemFile}"]`,
      '  timeoutMs: 3000',
      'host:',
      `  name: ${name}.agency.example`,
      '  system: { id: cong-dvc, level: 3 }',
      '  certificateFiles: [mail.pem]',
      extra,
    ].join('\n') + '\n',
  );
  return { config, state: join(home, 'state') };
}

async function spooled(state: string): Promise<string[]> {
  return (await readdir(join(state, 'spool')).catch(() => [] as string[])).filter((n) => n.endsWith('.batch.json'));
}

describe('govscan-agent with a govscan server', () => {
  it('enrols with a one-time secret into a 0600 token file; the secret works once', { timeout: 60_000 }, async () => {
    const { config, state } = await agentSetup('enrol');
    const secret = await enrollmentSecret(db, AGENCY);
    const first = await runAgent(['enroll', '--config', config, '--secret', secret]);
    expect(first.code, first.stderr).toBe(0);
    const token = JSON.parse(await readFile(join(state, 'token.json'), 'utf8')) as Record<string, string>;
    expect(first.stdout).toBe(`enrolled as agent ${token.agentId} of agency ${AGENCY}; token saved to ${join(state, 'token.json')}\n`);
    expect(token).toMatchObject({ agency: AGENCY, server: server.url, hostname: 'enrol.agency.example' });
    expect(token.token).toMatch(/^gsa_/);
    expect((await stat(join(state, 'token.json'))).mode & 0o777).toBe(0o600);
    // Nothing but the token file: no temporary file left next to it.
    expect(await readdir(state)).toEqual(['token.json']);

    // Already enrolled: refused before the request, so a new secret is not spent.
    const fresh = await enrollmentSecret(db, AGENCY);
    const again = await runAgent(['enroll', '--config', config, '--secret', fresh]);
    expect(again).toMatchObject({ code: 2, stdout: '' });
    expect(again.stderr).toBe(
      `error: ${join(state, 'token.json')}: a token is already there: this agent is enrolled (pass --force to enrol again)\n`,
    );

    // The spent secret is refused; the unspent one still works (--force replaces the token).
    const reused = await runAgent(['enroll', '--config', config, '--secret', secret, '--force']);
    expect(reused.code).toBe(2);
    expect(reused.stderr).toBe(
      'error: the server refused the enrolment (401 unauthorized): the secret is unknown, already used or expired\n',
    );
    const replaced = await runAgent(['enroll', '--config', config, '--secret', fresh, '--force', '--lang', 'vi']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toMatch(/^đã đăng ký: tác tử .+ thuộc cơ quan so-tttt-e2e/);
    const second = JSON.parse(await readFile(join(state, 'token.json'), 'utf8')) as Record<string, string>;
    expect(second.agentId).not.toBe(token.agentId);
    expect((await stat(join(state, 'token.json'))).mode & 0o777).toBe(0o600);
  });

  it('`run --once` scans the inventory and the host, and the server stores the batch; the spool ends empty', {
    timeout: 60_000,
  }, async () => {
    const { config, state } = await agentSetup('once');
    expect((await runAgent(['enroll', '--config', config, '--secret', await enrollmentSecret(db, AGENCY)])).code).toBe(0);
    const r = await runAgent(['run', '--once', '--config', config], env);
    expect(r.code, r.stderr).toBe(0);
    // Two endpoints, the inventory's one system (security-level checks) and the host itself.
    const batchId = /run ([0-9a-f-]{36}): scanning 4 target\(s\)/.exec(r.stderr)?.[1];
    expect(batchId, r.stderr).toBeDefined();
    expect(r.stderr).toContain(`batch ${batchId} delivered`);
    expect(await spooled(state)).toEqual([]);

    const all = await getJson<Page<FindingRow>>(`${server.url}/api/v1/findings?agency=${AGENCY}&outcome=all&limit=1000`, viewer);
    const mine = all.items.filter((f) => f.batchId === batchId);
    // The engine's TLS rules on both endpoints, every finding kept (passes included), with evidence.
    const goodKey = `https://${good.host}:${good.port}`;
    const expiringKey = `https://${expiring.host}:${expiring.port}`;
    expect(mine.find((f) => f.target === goodKey && f.ruleId === 'TLS-CERT-EXPIRED')).toMatchObject({
      outcome: 'pass',
      system: 'cong-dvc',
    });
    expect(mine.find((f) => f.target === expiringKey && f.ruleId === 'TLS-CERT-EXPIRING')).toMatchObject({ outcome: 'fail' });
    // And the host check on local://<hostname>, judged by vn-agent-host.
    const host = mine.filter((f) => f.target === 'local://once.agency.example');
    expect(host.map((f) => f.ruleId).sort()).toEqual([
      'HOST-CERT-FILE-EXPIRED',
      'HOST-CERT-FILE-EXPIRING',
      'HOST-CERT-FILE-UNREADABLE',
      'HOST-FORWARDER-CONFIG-MISSING',
      'HOST-IPV6-NO-GLOBAL-ADDRESS',
      'HOST-SERVICE-IPV4-ONLY',
    ]);
    expect(host.find((f) => f.ruleId === 'HOST-CERT-FILE-EXPIRING')).toMatchObject({ outcome: 'fail', system: 'cong-dvc' });

    // The certificate view reads the host's certificate files from the host check's facts.
    const certs = await getJson<Page<CertificateRow> | CertificateRow[]>(
      `${server.url}/api/v1/certificates?days=30&agency=${AGENCY}`,
      viewer,
    );
    const rows = Array.isArray(certs) ? certs : certs.items;
    expect(rows.find((c) => c.source === 'file' && c.where.includes('mail.pem'))).toMatchObject({
      subject: 'CN=mail.once.example',
      daysLeft: 10,
    });
    expect(rows.find((c) => c.source === 'endpoint' && c.where.includes(String(expiring.port)))).toBeDefined();
  });

  it('`run` loops: first run delivered, the loop stays up between runs, SIGTERM stops it cleanly', { timeout: 60_000 }, async () => {
    const { config, state } = await agentSetup('loop');
    expect((await runAgent(['enroll', '--config', config, '--secret', await enrollmentSecret(db, AGENCY)])).code).toBe(0);
    const child = spawn(process.execPath, [AGENT_BIN, 'run', '--config', config], {
      env: { ...process.env, ...env, GOVSCAN_LANG: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no first run:\n${err}\nserver:\n${server.stderr()}`)), 45_000);
        child.stderr.on('data', (d: Buffer) => {
          err += d.toString();
          if (err.includes('next run in')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      expect(err).toMatch(/batch [0-9a-f-]{36} delivered/);
      expect(await spooled(state)).toEqual([]);
      // Still running after its first run (idle RSS is measured by bench:server, not asserted here).
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await closed).toBe(0);
    expect(err).toContain('stopping (SIGTERM): spooled batches stay for the next start');
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('SIGTERM during a run: the loop stops, the cut-short run writes no batch, spooled batches stay', { timeout: 60_000 }, async () => {
    // The server is "down" (nothing listens on its port), so the first run's batch stays in the spool.
    const { config, state } = await agentSetup('sigterm');
    expect((await runAgent(['enroll', '--config', config, '--secret', await enrollmentSecret(db, AGENCY)])).code).toBe(0);
    const down = join(dir, 'sigterm', 'down.yaml');
    const text = await readFile(config, 'utf8');
    await writeFile(down, text.replace(server.url, 'http://127.0.0.1:1'));
    const first = await runAgent(['run', '--once', '--config', down], env);
    expect(first.code, first.stderr).toBe(0);
    const before = await spooled(state);
    expect(before).toHaveLength(1);

    // Then a loop whose run hangs on an endpoint that accepts connections and never answers.
    const sockets = new Set<Socket>();
    const silent: TcpServer = createTcpServer((s) => void sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    const hanging = join(dir, 'sigterm', 'hanging.yaml');
    await writeFile(
      join(dir, 'sigterm', 'hanging-inventory.yaml'),
      `systems:\n  - id: slow\n    endpoints: ["https://127.0.0.1:${port}"]\n`,
    );
    await writeFile(
      hanging,
      text
        .replace(server.url, 'http://127.0.0.1:1')
        .replace('inventory: inventory.yaml', 'inventory: hanging-inventory.yaml')
        .replace('timeoutMs: 3000', 'timeoutMs: 50000'),
    );
    const child = spawn(process.execPath, [AGENT_BIN, 'run', '--config', hanging], {
      env: { ...process.env, ...env, GOVSCAN_LANG: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the run did not start:\n${err}`)), 30_000);
        const poll = setInterval(() => {
          // Scanning, and the probe is connected to the silent endpoint.
          if (err.includes('scanning') && sockets.size > 0) {
            clearInterval(poll);
            clearTimeout(timer);
            resolve();
          }
        }, 20);
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      });
      child.kill('SIGTERM');
      expect(await closed).toBe(0);
    } finally {
      child.kill('SIGKILL');
      for (const s of sockets) s.destroy();
      silent.close();
    }
    expect(err).toContain('stopping (SIGTERM): spooled batches stay for the next start');
    expect(err).toContain('run interrupted (SIGTERM): no batch written');
    expect(err).not.toMatch(/batch spooled|\n\s+at /);
    expect(await spooled(state)).toEqual(before);
  });

  it("`govscan scan` gets nothing from the agent's host pack", { timeout: 60_000 }, async () => {
    const r = await runCli(
      [
        'scan',
        `https://${good.host}:${good.port}`,
        '--resolve',
        `${good.host}:${good.port}:127.0.0.1`,
        '--ca-file',
        farm.nationalRootPemFile,
        '--format',
        'json',
        '--quiet',
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.filter((f) => f.policyId === 'vn-agent-host' || f.check === 'host.local')).toEqual([]);
    expect(report.attempts.filter((a) => a.check === 'host.local')).toEqual([]);
    expect(report.summary.findings['not-tested']).toBe(0);
  });
});
