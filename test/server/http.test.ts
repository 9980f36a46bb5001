// `govscan server` as a user runs it: the built CLI on a free loopback port (plain HTTP on SQLite and
// on PostgreSQL, and HTTPS with a certificate from a private CA), admin commands against its
// database while it runs, agents enrolling and uploading over real HTTP, and `govscan fleet
// status|findings|export` reading it back as tables and JSON.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Batch, EnrollResponse } from '../../src/contract/agent-api.js';
import type { FindingRow, FleetOverview, Page } from '../../src/contract/read-api.js';
import { issueCertificate } from '../../src/lab/pki.js';
import reportSchema from '../../src/report/report.schema.json' with { type: 'json' };
import { BIN, mapLimit, runCli, type CliResult } from '../helpers/cli.js';
import { seedFleet, type Fleet } from '../../src/lab/fleet-seed.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { validateSarif } from '../helpers/sarif.js';

const LINE = /^govscan server listening on (https?:\/\/127\.0\.0\.1:\d+) \(db (sqlite|postgres)\)$/m;

interface RunningServer {
  url: string;
  dialect: string;
  child: ChildProcess;
  stderr: () => string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `govscan server` and waits for its one "listening" line. */
function startServer(args: string[]): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'server', ...args], {
      env: { ...process.env, NO_COLOR: '1', GOVSCAN_LANG: '', GOVSCAN_DB: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in 30 s:\n${stderr}`));
    }, 30_000);
    // Decoded as a stream, so a character split across two reads stays whole.
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => {
      stdout += d;
    });
    child.stderr?.on('data', (d: string) => {
      stderr += d;
      const m = LINE.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1] as string,
          dialect: m[2] as string,
          child,
          stderr: () => stderr,
          stop: async () => {
            child.kill('SIGTERM');
            const code = await exited;
            expect(stdout).toBe('');
            return code;
          },
        });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${stderr}`));
    });
  });
}

async function postJson<T>(url: string, body: unknown, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function validateReport(value: unknown): string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormatsModule.default(ajv);
  const validate = ajv.compile(reportSchema);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

const oneLine = (r: CliResult): string => r.stderr.trim();

describe('govscan server over HTTP on SQLite, with the admin and fleet commands', () => {
  let tmp: string;
  let db: string;
  let server: RunningServer;
  let fleet: Fleet;
  let viewer: string;
  const agentTokens: string[] = [];
  const fleetCli = (args: string[], env: Record<string, string> = {}): Promise<CliResult> =>
    runCli(['fleet', ...args], { env: { GOVSCAN_SERVER: server.url, GOVSCAN_TOKEN: viewer, ...env } });

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'govscan-http-'));
    db = `sqlite:${join(tmp, 'govscan.db')}`;
    server = await startServer(['--listen', '127.0.0.1:0', '--db', db]);
    fleet = seedFleet({ now: new Date() });
  });

  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await rm(tmp, { recursive: true, force: true });
  });

  it('prints one line saying where it listens and answers /healthz and the dashboard', async () => {
    expect(server.dialect).toBe('sqlite');
    expect(server.stderr().trim().split('\n')).toHaveLength(1);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', db: 'sqlite' });
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const api = await fetch(`${server.url}/api/v1/overview`);
    expect(api.status).toBe(401);
  });

  it('creates tokens and enrolment secrets on the database while the server runs, printing only them', async () => {
    const token = await runCli(['server', 'token', 'create', '--role', 'viewer', '--db', db]);
    expect(token.code, token.stderr).toBe(0);
    expect(token.stdout).toMatch(/^gsv_[A-Za-z0-9-]+\.[A-Za-z0-9_-]+\n$/);
    viewer = token.stdout.trim();
    const adminJson = await runCli(['server', 'token', 'create', '--role', 'admin', '--name', 'soc lead', '--json', '--db', db]);
    expect(adminJson.code).toBe(0);
    const admin = JSON.parse(adminJson.stdout) as { id: string; role: string; token: string };
    expect(admin.role).toBe('admin');
    expect(admin.token).toMatch(new RegExp(`^gsm_${admin.id}\\.`));

    // One secret per agent of the fleet; the first few through the CLI, plain and --json.
    const agents = fleet.agencies.flatMap((a) => a.agents.map((g) => ({ agency: a, agent: g })));
    const secrets = await mapLimit(agents, 2, async ({ agency }) => {
      const r = await runCli(['server', 'enrollment', 'create', '--agency', agency.id, '--name', agency.name, '--ttl', '1', '--db', db]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^gse_[A-Za-z0-9_-]+\n$/);
      return r.stdout.trim();
    });
    const json = await runCli(['server', 'enrollment', 'create', '--agency', 'so-moi', '--json', '--db', db]);
    const created = JSON.parse(json.stdout) as { agency: string; secret: string; expiresAt: string };
    expect(created.agency).toBe('so-moi');
    expect(Date.parse(created.expiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);

    // Agents enrol over HTTP and upload their week of batches.
    const idOf = new Map<string, string>();
    for (const [i, { agent }] of agents.entries()) {
      const res = await postJson<EnrollResponse>(`${server.url}/api/v1/enroll`, {
        secret: secrets[i],
        hostname: agent.hostname,
        agentVersion: agent.version,
      });
      expect(res.status).toBe(201);
      idOf.set(agent.id, res.body.agentId);
      agentTokens.push(res.body.token);
    }
    const tokenOf = new Map(agents.map(({ agent }, i) => [idOf.get(agent.id), agentTokens[i]]));
    for (const b of fleet.batches) {
      const batch: Batch = { ...b, agentId: idOf.get(b.agentId) as string };
      const res = await postJson<{ status: string }>(`${server.url}/api/v1/batches`, batch, tokenOf.get(batch.agentId));
      expect(res.status).toBe(201);
    }
  });

  it('fleet status: a table of agencies with pass rates and a summary line, or JSON', async () => {
    const table = await fleetCli(['status']);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^AGENCY\s+NAME\s+PASS RATE\s+CRIT\s+HIGH\s+MED\s+LOW\s+AGENTS\s+STALE\s+LAST SEEN$/);
    // Agencies named at enrolment show their name beside the id.
    const o0 = JSON.parse((await fleetCli(['status', '--json'])).stdout) as FleetOverview;
    for (const a of o0.agencies.filter((x) => fleet.agencies.some((f) => f.id === x.id))) {
      const name = a.name === a.id ? '' : `${a.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+`;
      expect(table.stdout).toMatch(new RegExp(`^${a.id}\\s+${name}\\d+\\.\\d%`, 'm'));
    }
    const json = await fleetCli(['status', '--json']);
    expect(json.code).toBe(0);
    const o = JSON.parse(json.stdout) as FleetOverview;
    expect(o.totals).toMatchObject({ agencies: 4, agents: 6, batches: fleet.batches.length });
    expect(lines.at(-1)).toBe(
      `agencies: 4 · agents: 6 (${o.totals.staleAgents} stale) · batches: ${fleet.batches.length} · failed findings: ${o.totals.failed}`,
    );
    const vi = await fleetCli(['status', '--lang', 'vi']);
    expect(vi.stdout).toMatch(/^CƠ QUAN\s+TÊN\s+TỶ LỆ ĐẠT/);
    expect(vi.stdout).toContain('cơ quan: 4 · tác tử: 6');
  });

  it('fleet findings: filters like the API, as a table or JSON', async () => {
    const table = await fleetCli(['findings', '--agency', 'so-tttt-da-nang', '--rule', 'TLS-CERT-EXPIRED']);
    expect(table.code, table.stderr).toBe(0);
    const rows = table.stdout.split('\n').filter((l) => l.includes('TLS-CERT-EXPIRED'));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/^critical\s+FAIL\s+TLS-CERT-EXPIRED\s+so-tttt-da-nang\s/);
    expect(table.stdout.trimEnd().split('\n').at(-1)).toBe('2 of 2 findings shown');

    const json = await fleetCli(['findings', '--severity', 'high', '--outcome', 'all', '--limit', '3', '--json']);
    expect(json.code).toBe(0);
    const page = JSON.parse(json.stdout) as Page<FindingRow>;
    expect(page.items).toHaveLength(3);
    expect(page.total).toBeGreaterThan(3);
    expect(page.items.every((f) => f.severity === 'high')).toBe(true);
  });

  it('fleet export: SARIF to a file and JSON to stdout, both valid', async () => {
    const file = join(tmp, 'tay-ninh.sarif');
    const sarif = await fleetCli(['export', '--agency', 'so-tttt-tay-ninh', '--format', 'sarif', '--output', file]);
    expect(sarif.code, sarif.stderr).toBe(0);
    expect(sarif.stderr.trim()).toBe(`SARIF export of so-tttt-tay-ninh written to ${file}`);
    const log = JSON.parse(await readFile(file, 'utf8')) as { runs: { results: unknown[] }[] };
    expect(validateSarif(log)).toEqual([]);
    expect(log.runs.flatMap((r) => r.results).length).toBeGreaterThan(0);

    const json = await fleetCli(['export', '--agency', 'so-tttt-tay-ninh', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(validateReport(JSON.parse(json.stdout))).toEqual([]);
  });

  it('fleet commands fail with one line: exit 2 for bad flags, exit 3 when the server is unreachable or refuses', async () => {
    const noServer = await runCli(['fleet', 'status'], { env: { GOVSCAN_SERVER: '', GOVSCAN_TOKEN: viewer } });
    expect(noServer.code).toBe(2);
    expect(oneLine(noServer)).toMatch(/^error: --server: the govscan server URL is required/);
    const badUrl = await fleetCli(['status', '--server', 'ftp://127.0.0.1']);
    expect(badUrl.code).toBe(2);
    const noToken = await fleetCli(['findings'], { GOVSCAN_TOKEN: '' });
    expect(noToken.code).toBe(2);
    expect(oneLine(noToken)).toMatch(/^error: --token:/);
    const badFlag = await fleetCli(['findings', '--severity', 'urgent']);
    expect(badFlag.code).toBe(2);

    const port = await closedPort();
    const refused = await fleetCli(['status', '--server', `http://127.0.0.1:${port}`]);
    expect(refused.code).toBe(3);
    expect(oneLine(refused)).toBe(`error: cannot reach the govscan server at http://127.0.0.1:${port}: connection refused`);

    const wrong = await fleetCli(['status', '--token', `${viewer.slice(0, -2)}xx`]);
    expect(wrong.code).toBe(3);
    expect(oneLine(wrong)).toBe(`error: the server at ${server.url} refused the token (401 unauthorized): check --token or GOVSCAN_TOKEN`);
    const agent = await fleetCli(['findings', '--token', agentTokens[0] as string]);
    expect(agent.code).toBe(3);
    expect(oneLine(agent)).toMatch(/\(403 forbidden\)/);
    const unknown = await fleetCli(['export', '--agency', 'so-khong-co']);
    expect(unknown.code).toBe(3);
    expect(oneLine(unknown)).toBe('error: --agency so-khong-co: not found on the server (404)');
    for (const r of [noServer, refused, wrong, agent, unknown]) {
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('refuses bad server flags with one line and exit 2, including an address already in use', async () => {
    const port = new URL(server.url).port;
    const cases: [string[], RegExp][] = [
      [['--listen', 'nonsense'], /^error: --listen: "nonsense" is not HOST:PORT/],
      [
        ['--listen', `127.0.0.1:${port}`, '--db', `sqlite:${join(tmp, 'other.db')}`],
        /^error: --listen: cannot listen on 127\.0\.0\.1:\d+: the address is in use$/,
      ],
      [['--db', 'mysql://127.0.0.1/x'], /^error: --db: /],
      [['--db', `sqlite:${join(tmp, 'no', 'such', 'dir', 'x.db')}`], /^error: --db: /],
      [
        ['--tls-cert', join(tmp, 'missing.pem'), '--tls-key', join(tmp, 'missing.key')],
        /^error: --tls-cert: cannot read .*: no such file$/,
      ],
      [['--tls-cert', join(tmp, 'missing.pem')], /^error: --tls-key: --tls-cert and --tls-key go together/],
      [['--body-limit', '12'], /^error: .*body-limit/],
    ];
    await mapLimit(cases, 2, async ([args, expected]) => {
      const r = await runCli(['server', ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim()).toMatch(expected);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
    const badAgency = await runCli(['server', 'enrollment', 'create', '--agency', '../x', '--db', db]);
    expect(badAgency.code).toBe(2);
    expect(badAgency.stdout).toBe('');
  });

  it('lists tokens with their names and never a secret, and revokes one by id: a running server that knew it refuses it', async () => {
    const made = await runCli(['server', 'token', 'create', '--role', 'viewer', '--name', 'SOC Đà Nẵng — màn hình', '--json', '--db', db]);
    expect(made.code, made.stderr).toBe(0);
    const token = JSON.parse(made.stdout) as { id: string; token: string };
    const listed = await runCli(['server', 'token', 'list', '--json', '--db', db]);
    expect(listed.code, listed.stderr).toBe(0);
    const tokens = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(tokens.find((t) => t.id === token.id)).toMatchObject({ role: 'viewer', name: 'SOC Đà Nẵng — màn hình', agency: null });
    // Agents enrolled earlier are listed under their agency; no hash or secret appears anywhere.
    expect(tokens.some((t) => t.role === 'agent' && typeof t.agency === 'string')).toBe(true);
    expect(listed.stdout).not.toMatch(/secret|hash/i);
    expect(listed.stdout).not.toContain(token.token.split('.')[1]);
    const table = await runCli(['server', 'token', 'list', '--db', db]);
    expect(table.stdout).toMatch(new RegExp(`^${token.id}\\s+viewer\\s+SOC Đà Nẵng — màn hình`, 'm'));

    // The running server has verified (and remembers) the token before it is revoked.
    expect((await fleetCli(['status'], { GOVSCAN_TOKEN: token.token })).code).toBe(0);
    const revoked = await runCli(['server', 'token', 'revoke', token.id, '--db', db]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout.trim()).toBe(`revoked token ${token.id}`);
    // Refused once the remembered verification lapses (2 s); the loop is bounded in tries and time.
    let refused = await fleetCli(['status'], { GOVSCAN_TOKEN: token.token });
    for (let i = 0; i < 40 && refused.code === 0; i++) {
      await new Promise((r) => setTimeout(r, 250));
      refused = await fleetCli(['status'], { GOVSCAN_TOKEN: token.token });
    }
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/401|token/i);
    expect((await runCli(['server', 'token', 'list', '--json', '--db', db])).stdout).not.toContain(token.id);
    const again = await runCli(['server', 'token', 'revoke', token.id, '--db', db, '--lang', 'vi']);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(`lỗi: không có token mã "${token.id}" (xem \`govscan server token list\`)`);
  });

  it('stops on SIGTERM with exit 0', async () => {
    expect(await server.stop()).toBe(0);
  });
});

describe('govscan server on PostgreSQL', () => {
  let pg: TestDatabase;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    pg = await createTestDatabase('govscan_http');
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await pg?.drop();
  });

  it('migrates a fresh database, takes a batch and serves it to fleet status', async () => {
    server = await startServer(['--listen', '127.0.0.1:0', '--db', pg.url]);
    expect(server.dialect).toBe('postgres');
    // The password never reaches the terminal.
    expect(server.stderr()).not.toMatch(/:[^@/\s]+@127/);
    const secret = (await runCli(['server', 'enrollment', 'create', '--agency', 'so-tttt-hue', '--db', pg.url])).stdout.trim();
    const enrolled = await postJson<EnrollResponse>(`${server.url}/api/v1/enroll`, {
      secret,
      hostname: 'agent1.hue.gov.vn',
      agentVersion: '0.1.0',
    });
    expect(enrolled.status).toBe(201);
    const fleet = seedFleet({ agencies: 1, agentsPerAgency: 1, days: 2, now: new Date() });
    for (const b of fleet.batches) {
      const res = await postJson(
        `${server.url}/api/v1/batches`,
        { ...b, agency: 'so-tttt-hue', agentId: enrolled.body.agentId },
        enrolled.body.token,
      );
      expect(res.status).toBe(201);
    }
    const viewer = (await runCli(['server', 'token', 'create', '--role', 'viewer', '--db', pg.url])).stdout.trim();
    const status = await runCli(['fleet', 'status', '--json'], { env: { GOVSCAN_SERVER: server.url, GOVSCAN_TOKEN: viewer } });
    expect(status.code, status.stderr).toBe(0);
    const o = JSON.parse(status.stdout) as FleetOverview;
    expect(o.totals).toMatchObject({ agencies: 1, agents: 1, batches: 2 });
    expect(await server.stop()).toBe(0);
  });
});

describe('govscan server over HTTPS', () => {
  let tmp: string;
  let server: RunningServer | undefined;
  let caFile: string;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'govscan-https-'));
    const ca = await issueCertificate({ subject: 'C=VN, O=govscan test SOC, CN=SOC Test Root', isCA: true, key: { type: 'ec' } });
    const leaf = await issueCertificate({
      subjectCN: 'soc.test',
      sans: { dns: ['localhost'], ip: ['127.0.0.1'] },
      issuer: ca,
      key: { type: 'ec' },
    });
    caFile = join(tmp, 'ca.pem');
    await writeFile(caFile, ca.certPem);
    await writeFile(join(tmp, 'server.pem'), leaf.certPem);
    await writeFile(join(tmp, 'server.key'), leaf.keyPem, { mode: 0o600 });
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await rm(tmp, { recursive: true, force: true });
  });

  it('serves HTTPS with the given certificate; fleet trusts it only with --ca-file', async () => {
    const db = `sqlite:${join(tmp, 'govscan.db')}`;
    server = await startServer([
      '--listen',
      '127.0.0.1:0',
      '--db',
      db,
      '--tls-cert',
      join(tmp, 'server.pem'),
      '--tls-key',
      join(tmp, 'server.key'),
    ]);
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const viewer = (await runCli(['server', 'token', 'create', '--role', 'viewer', '--db', db])).stdout.trim();
    const env = { GOVSCAN_SERVER: server.url, GOVSCAN_TOKEN: viewer };
    const trusted = await runCli(['fleet', 'status', '--ca-file', caFile], { env });
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(trusted.stdout).toContain('agencies: 0 · agents: 0 (0 stale) · batches: 0 · failed findings: 0');
    const untrusted = await runCli(['fleet', 'status'], { env });
    expect(untrusted.code).toBe(3);
    expect(untrusted.stderr.trim()).toMatch(
      /^error: the server certificate at https:\/\/127\.0\.0\.1:\d+ is not trusted \(\w+\); pass the server CA with --ca-file$/,
    );
    const missingCa = await runCli(['fleet', 'status', '--ca-file', join(tmp, 'nope.pem')], { env });
    expect(missingCa.code).toBe(2);
    expect(await server.stop()).toBe(0);
  });
});
