// govscan-agent behind an agency's HTTP proxy: a real CONNECT proxy on loopback (written here with
// node:http and node:net), a real `govscan server` over TLS on loopback and the built agent.
// HTTPS_PROXY carries enrolment and uploads through the proxy (which sees the CONNECT to the
// server's host:port), NO_PROXY bypasses it, and a proxy that refuses leaves the batch in the spool
// for the next delivery.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import { get as httpsGet } from 'node:https';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate } from '../../src/lab/pki.js';
import { bypassed, proxyFor } from '../../agent/proxy.js';
import { runAgent, storedBatchIds } from './helpers.js';
import { enrollmentSecret, startServer, viewerToken, type ServerProcess } from '../helpers/server-process.js';

const AGENCY = 'so-tttt-proxy';

interface Proxy {
  url: string;
  /** The authority of every CONNECT it received, and the Proxy-Authorization it came with. */
  connects: { authority: string; auth: string | undefined }[];
  close(): Promise<void>;
}

/** A CONNECT proxy; `refuse`: answers every CONNECT with 403, as a proxy whose policy forbids the server. */
async function startProxy(refuse = false): Promise<Proxy> {
  const connects: Proxy['connects'] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    connects.push({ authority: req.url ?? '', auth: req.headers['proxy-authorization'] });
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (refuse) {
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(req.url ?? '');
    // Loopback only: this proxy never opens a connection anywhere else.
    const host = m?.[1] ?? m?.[2] ?? '';
    if (!m || !(host === '127.0.0.1' || host === '::1')) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(Number(m[3]), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

let dir: string;
let db: string;
let server: ServerProcess;
let serverAuthority: string;
let caFile: string;
let viewer: string;
let proxy: Proxy;
let refusing: Proxy;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-agent-proxy-'));
  db = `sqlite:${join(dir, 'server.db')}`;
  const ca = await issueCertificate({
    subjectCN: 'Proxy test CA',
    isCA: true,
    key: { type: 'ec' },
    keyUsage: ['keyCertSign', 'cRLSign'],
    extKeyUsage: [],
  });
  const leaf = await issueCertificate({
    subjectCN: '127.0.0.1',
    sans: { ip: ['127.0.0.1'] },
    key: { type: 'ec' },
    issuer: ca,
    extKeyUsage: ['serverAuth'],
  });
  caFile = join(dir, 'ca.pem');
  await Promise.all([
    writeFile(caFile, ca.certPem),
    writeFile(join(dir, 'server.pem'), leaf.certPem),
    writeFile(join(dir, 'server.key'), leaf.keyPem),
  ]);
  [server, proxy, refusing] = await Promise.all([
    startServer(db, 0, 30_000, ['--tls-cert', join(dir, 'server.pem'), '--tls-key', join(dir, 'server.key')]),
    startProxy(),
    startProxy(true),
  ]);
  serverAuthority = `127.0.0.1:${server.port}`;
  viewer = await viewerToken(db);
});
afterAll(async () => {
  await server?.kill();
  await Promise.all([proxy?.close(), refusing?.close()]);
  await rm(dir, { recursive: true, force: true });
});

/** The agent's environment: only the proxy settings given (the machine's own are cleared, both cases). */
function proxyEnv(set: { https?: string; no?: string }): Record<string, string> {
  return { https_proxy: '', HTTPS_PROXY: set.https ?? '', http_proxy: '', HTTP_PROXY: '', no_proxy: '', NO_PROXY: set.no ?? '' };
}

/** An agent with no inventory (the host check alone) that trusts the test CA for the server. */
async function agentSetup(name: string): Promise<{ config: string; spool: string }> {
  const home = join(dir, name);
  await mkdir(home, { recursive: true });
  const config = join(home, 'agent.yaml');
  await writeFile(
    config,
    [
      'stateDirectory: state',
      `server: { url: "${server.url}", caFiles: ["${caFile}"], timeout: 10s }`,
      'schedule: { interval: 1h, jitter: 0 }',
      'upload: { maxAttempts: 1, backoff: 1s, maxBackoff: 1s }',
      'host:',
      `  name: ${name}.agency.example`,
    ].join('\n') + '\n',
  );
  return { config, spool: join(home, 'state', 'spool') };
}

/** What the server stored for the agency, asked over TLS with the test CA as the only anchor. */
function storedIds(): Promise<string[]> {
  const ca = readFileSync(caFile, 'utf8');
  const get = <T>(url: string, token: string): Promise<T> =>
    new Promise((resolve, reject) => {
      httpsGet(url, { ca, headers: { authorization: `Bearer ${token}` } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(JSON.parse(text) as T) : reject(new Error(`GET ${url}: ${res.statusCode} ${text}`)),
        );
      }).on('error', reject);
    });
  return storedBatchIds(server.url, viewer, AGENCY, get);
}

async function spooled(spool: string): Promise<string[]> {
  return (await readdir(spool).catch(() => [] as string[])).filter((n) => n.endsWith('.batch.json'));
}

function runIds(stderr: string): string[] {
  return [...stderr.matchAll(/run ([0-9a-f-]{36}): scanning/g)].map((m) => m[1]!);
}

describe('govscan-agent behind an HTTP proxy', () => {
  it('enrols and uploads through HTTPS_PROXY (CONNECT to the server), names the proxy once without its password', {
    timeout: 60_000,
  }, async () => {
    const { config, spool } = await agentSetup('via-proxy');
    const before = proxy.connects.length;
    const env = proxyEnv({ https: `http://agent:s3cret-pw@${new URL(proxy.url).host}` });
    const enrolled = await runAgent(['enroll', '--config', config, '--secret', await enrollmentSecret(db, AGENCY)], env);
    expect(enrolled.code, enrolled.stderr).toBe(0);
    expect(enrolled.stderr).toContain(`connecting to ${server.url} through the proxy ${proxy.url} (HTTPS_PROXY`);
    expect(proxy.connects.slice(before)).toEqual([
      { authority: serverAuthority, auth: `Basic ${Buffer.from('agent:s3cret-pw').toString('base64')}` },
    ]);

    const r = await runAgent(['run', '--once', '--config', config], env);
    expect(r.code, r.stderr).toBe(0);
    const [batchId] = runIds(r.stderr);
    expect(r.stderr).toContain(`batch ${batchId} delivered`);
    // Named once for the run, and never with the credentials.
    expect(r.stderr.split(`through the proxy ${proxy.url} `).length - 1).toBe(1);
    expect(enrolled.stderr + r.stderr).not.toContain('s3cret');
    expect(proxy.connects.slice(before).map((c) => c.authority)).toEqual([serverAuthority, serverAuthority]);
    expect(await spooled(spool)).toEqual([]);
    expect(await storedIds()).toContain(batchId);
  });

  it('NO_PROXY naming the server bypasses the proxy', { timeout: 60_000 }, async () => {
    const { config, spool } = await agentSetup('no-proxy');
    const before = proxy.connects.length;
    const env = proxyEnv({ https: proxy.url, no: 'intranet.example, 127.0.0.1' });
    expect((await runAgent(['enroll', '--config', config, '--secret', await enrollmentSecret(db, AGENCY)], env)).code).toBe(0);
    const r = await runAgent(['run', '--once', '--config', config], env);
    expect(r.code, r.stderr).toBe(0);
    const [batchId] = runIds(r.stderr);
    expect(r.stderr).toContain(`batch ${batchId} delivered`);
    expect(r.stderr).not.toContain('through the proxy');
    expect(proxy.connects.length).toBe(before);
    expect(await spooled(spool)).toEqual([]);
    expect(await storedIds()).toContain(batchId);
  });

  it('a proxy that refuses the CONNECT leaves the batch in the spool; it is delivered once the proxy lets it through', {
    timeout: 90_000,
  }, async () => {
    const { config, spool } = await agentSetup('refused');
    expect((await runAgent(['enroll', '--config', config, '--secret', await enrollmentSecret(db, AGENCY)], proxyEnv({}))).code).toBe(0);
    const refusedBefore = refusing.connects.length;
    const blocked = await runAgent(['run', '--once', '--config', config], proxyEnv({ https: refusing.url }));
    // The run itself succeeded: the batch waits in the spool (exit 0, as the usage says).
    expect(blocked.code, blocked.stderr).toBe(0);
    const [kept] = runIds(blocked.stderr);
    expect(blocked.stderr).toContain(`proxy ${refusing.url} answered CONNECT ${serverAuthority} with HTTP 403`);
    expect(refusing.connects.length).toBeGreaterThan(refusedBefore);
    expect(await spooled(spool)).toHaveLength(1);
    expect(await storedIds()).not.toContain(kept);

    // In Vietnamese too, the refusal is reported and the batch kept.
    const blockedVi = await runAgent(['run', '--once', '--config', config, '--lang', 'vi'], proxyEnv({ https: refusing.url }));
    expect(blockedVi.code, blockedVi.stderr).toBe(0);
    expect(blockedVi.stderr).toContain('qua máy chủ ủy quyền');
    expect(await spooled(spool)).toHaveLength(2);

    const through = await runAgent(['run', '--once', '--config', config], proxyEnv({ https: proxy.url }));
    expect(through.code, through.stderr).toBe(0);
    const [latest] = runIds(through.stderr);
    expect(await spooled(spool)).toEqual([]);
    const delivered = await storedIds();
    expect(delivered).toEqual(expect.arrayContaining([kept, ...runIds(blockedVi.stderr), latest]));
  });

  it('an HTTPS_PROXY that is no URL is a usage error (exit 2) that shows no password', { timeout: 30_000 }, async () => {
    const { config } = await agentSetup('bad-proxy');
    const r = await runAgent(['enroll', '--config', config, '--secret', 'x'], proxyEnv({ https: 'ftp://user:pw@proxy.example:21' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: the proxy setting …@proxy.example:21 (HTTPS_PROXY, HTTP_PROXY) is not an http:// or https:// URL\n');
  });
});

describe('NO_PROXY matching', () => {
  const url = (u: string): URL => new URL(u);
  it.each([
    ['https://soc.agency.gov.vn:8443', 'agency.gov.vn', true],
    ['https://soc.agency.gov.vn:8443', '.agency.gov.vn', true],
    ['https://soc.agency.gov.vn:8443', '*.agency.gov.vn', true],
    ['https://agency.gov.vn', 'agency.gov.vn', true],
    ['https://notagency.gov.vn', 'agency.gov.vn', false],
    ['https://soc.agency.gov.vn:8443', 'soc.agency.gov.vn:443', false],
    ['https://soc.agency.gov.vn:8443', 'soc.agency.gov.vn:8443', true],
    ['https://soc.agency.gov.vn', 'soc.agency.gov.vn:443', true],
    ['https://[2001:db8::5]:8443', '2001:db8::5', true],
    ['https://[2001:db8::5]:8443', '[2001:db8::5]:8443', true],
    ['https://127.0.0.5', '0.0.5', false],
    ['https://anything.example', 'a.example  *', true],
    ['https://anything.example', '', false],
  ])('%s with NO_PROXY=%j → direct: %s', (target, noProxy, direct) => {
    expect(bypassed(url(target), noProxy)).toBe(direct);
  });

  it('the lower-case setting wins, an https URL falls back to HTTP_PROXY, a bare host:port means http://', () => {
    expect(proxyFor(url('https://soc.example'), { https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2' })?.href).toBe('http://a:1/');
    expect(proxyFor(url('https://soc.example'), { HTTP_PROXY: 'proxy.example:3128' })?.href).toBe('http://proxy.example:3128/');
    expect(proxyFor(url('http://soc.example'), { HTTPS_PROXY: 'http://b:2' })).toBeNull();
    expect(proxyFor(url('https://soc.example'), { HTTPS_PROXY: 'http://b:2', no_proxy: 'soc.example' })).toBeNull();
  });
});
