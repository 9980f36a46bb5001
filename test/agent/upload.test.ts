// Delivery against real loopback HTTP(S) servers: retries with exponential backoff and jitter until
// the server takes the batch, bounded attempts, Retry-After, deadlines, cancel, refusals set aside in
// spool/rejected/, a refused token keeps every batch, and extra CA anchors for the server.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLog } from '../../agent/log.js';
import { Spool } from '../../agent/spool.js';
import { backoffDelay, drain, Uploader, type DrainOptions } from '../../agent/upload.js';
import { issueCertificate } from '../../src/lab/pki.js';
import { smallBatch } from './helpers.js';

interface Seen {
  auth: string | undefined;
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string, n: number) => void;

let dir: string;
let server: Server | null = null;
const sockets = new Set<Socket>();
let seen: Seen[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-upload-'));
  seen = [];
});
afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  if (server) await new Promise<void>((r) => server!.close(() => r()));
  server = null;
  await rm(dir, { recursive: true, force: true });
});

async function serve(
  handler: Handler,
  make: (h: (req: IncomingMessage, res: ServerResponse) => void) => Server = (h) => createServer(h),
): Promise<string> {
  server = make((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ auth: req.headers.authorization, body });
      handler(req, res, body, seen.length);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const scheme = 'cert' in server ? 'https' : 'http';
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const ack = (body: string, status: 'stored' | 'duplicate' = 'stored') => ({
  batchId: (JSON.parse(body) as { batchId: string }).batchId,
  status,
});

async function spoolWith(n: number, log = memoryLog()) {
  const spool = await new Spool(dir, { maxBytes: 1 << 24, log }).open();
  const batches = [];
  for (let i = 0; i < n; i++) batches.push((await spool.add(smallBatch())).batchId);
  return { spool, batches, log };
}

const fast: DrainOptions = { maxAttempts: 5, backoffMs: 20, maxBackoffMs: 200 };

describe('drain', () => {
  it('retries a failing server with growing, jittered pauses until it takes the batch, then empties the spool', async () => {
    const url = await serve((_req, res, body, n) =>
      n <= 3 ? json(res, 503, { error: 'internal', message: 'starting' }) : json(res, 201, ack(body)),
    );
    const { spool, batches, log } = await spoolWith(1);
    const uploader = new Uploader({ server: url, token: 'gsa_1.secret', timeoutMs: 2000 });
    const pauses: number[] = [];
    const result = await drain(spool, uploader, log, { ...fast, sleep: async (ms) => void pauses.push(ms) });
    uploader.close();
    expect(result).toEqual({ stored: 1, duplicates: 0, rejected: 0, unreadable: 0, remaining: 0, stopped: null });
    expect(seen).toHaveLength(4);
    // The same bytes every time, with the agent's token.
    expect(new Set(seen.map((s) => s.body)).size).toBe(1);
    expect(JSON.parse(seen[0]?.body ?? '')).toMatchObject({ batchId: batches[0] });
    expect(seen.every((s) => s.auth === 'Bearer gsa_1.secret')).toBe(true);
    // Exponential: each pause within [step/2, step] of 20, 40, 80 ms.
    expect(pauses).toHaveLength(3);
    pauses.forEach((p, i) => {
      const step = 20 * 2 ** i;
      expect(p).toBeGreaterThanOrEqual(step / 2);
      expect(p).toBeLessThanOrEqual(step);
    });
    expect(log.lines.filter((l) => l.includes('attempt'))).toHaveLength(3);
    expect(log.lines[0]).toMatch(new RegExp(`batch ${batches[0]}: attempt 1 of 5 failed \\(HTTP 503\\); retrying in 0\\.\\d s`));
    expect(log.lines.at(-1)).toBe(`govscan-agent: batch ${batches[0]} delivered`);
  });

  it('gives up after the bounded attempts, keeps every batch, and says why', async () => {
    const url = await serve((_req, res) => json(res, 500, { error: 'internal', message: 'down' }));
    const { spool, log } = await spoolWith(3);
    const uploader = new Uploader({ server: url, token: 't', timeoutMs: 2000 });
    const result = await drain(spool, uploader, log, { ...fast, maxAttempts: 3 });
    uploader.close();
    // Three attempts on the oldest batch, then the drain stops rather than hammering the rest.
    expect(seen).toHaveLength(3);
    expect(result).toEqual({ stored: 0, duplicates: 0, rejected: 0, unreadable: 0, remaining: 3, stopped: 'unavailable' });
    expect(log.lines.at(-1)).toBe('govscan-agent [warn]: server unavailable (HTTP 500): 3 batch(es) stay in the spool');
  });

  it('reports a refused connection, and a server that never answers, as worth another try', async () => {
    const { spool, log } = await spoolWith(1);
    const closed = new Uploader({ server: 'http://127.0.0.1:1', token: 't', timeoutMs: 2000 });
    expect(await drain(spool, closed, log, { ...fast, maxAttempts: 1 })).toMatchObject({ stopped: 'unavailable', remaining: 1 });
    expect(log.lines.at(-1)).toMatch(/server unavailable \(.*ECONNREFUSED.*\): 1 batch\(es\) stay in the spool/);
    closed.close();

    const url = await serve(() => undefined);
    const silent = new Uploader({ server: url, token: 't', timeoutMs: 150 });
    expect(await drain(spool, silent, log, { ...fast, maxAttempts: 2 })).toMatchObject({ stopped: 'unavailable', remaining: 1 });
    silent.close();
    expect(seen).toHaveLength(2);
    expect(log.lines.at(-1)).toBe('govscan-agent [warn]: server unavailable (no answer within 150 ms): 1 batch(es) stay in the spool');
  });

  it('waits as long as Retry-After asks (up to the longest backoff)', async () => {
    const url = await serve((_req, res, body, n) =>
      n === 1 ? json(res, 429, { error: 'conflict', message: 'slow down' }, { 'retry-after': '1' }) : json(res, 201, ack(body)),
    );
    const { spool, log } = await spoolWith(1);
    const uploader = new Uploader({ server: url, token: 't', timeoutMs: 2000 });
    const pauses: number[] = [];
    const result = await drain(spool, uploader, log, { ...fast, maxBackoffMs: 5000, sleep: async (ms) => void pauses.push(ms) });
    uploader.close();
    expect(result.stored).toBe(1);
    expect(pauses).toEqual([1000]);
  });

  it('removes a batch the server already has (200 duplicate), e.g. when the first answer was lost', async () => {
    // The first request is read whole (the server stored it) and the connection is cut before any answer.
    const url = await serve((req, res, body, n) => (n === 1 ? req.socket.destroy() : json(res, 200, ack(body, 'duplicate'))));
    const { spool, batches, log } = await spoolWith(1);
    const uploader = new Uploader({ server: url, token: 't', timeoutMs: 2000 });
    const result = await drain(spool, uploader, log, fast);
    uploader.close();
    expect(result).toEqual({ stored: 0, duplicates: 1, rejected: 0, unreadable: 0, remaining: 0, stopped: null });
    expect(seen.map((s) => (JSON.parse(s.body) as { batchId: string }).batchId)).toEqual([batches[0], batches[0]]);
    expect(log.lines.at(-1)).toBe(`govscan-agent: batch ${batches[0]} was already stored: removed from the spool`);
  });

  it('moves a batch the server will never accept to spool/rejected/ and goes on with the next', async () => {
    const url = await serve((_req, res, body, n) =>
      n === 1 ? json(res, 400, { error: 'bad-request', message: 'report.findings[0]: bad' }) : json(res, 201, ack(body)),
    );
    const { spool, batches, log } = await spoolWith(2);
    const uploader = new Uploader({ server: url, token: 't', timeoutMs: 2000 });
    const result = await drain(spool, uploader, log, fast);
    uploader.close();
    expect(result).toEqual({ stored: 1, duplicates: 0, rejected: 1, unreadable: 0, remaining: 0, stopped: null });
    // Not retried: one request per batch.
    expect(seen).toHaveLength(2);
    const rejected = await readdir(spool.rejectedDir);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toContain(batches[0]);
    expect(log.lines[0]).toBe(
      `govscan-agent [warn]: batch ${batches[0]} refused by the server (400 bad-request: report.findings[0]: bad): it is not sent again; moved to ${join(spool.rejectedDir, rejected[0] ?? '')}. ` +
        `If the agent's and the server's versions differ, bring them in line, then move the file back into ${spool.dir} to send it again`,
    );
    expect(await spool.list()).toEqual([]);
  });

  it('on 413 sets the batch aside saying how to send it after all; on 401 stops and keeps every batch (the token is wrong, not the batch)', async () => {
    let status = 413;
    const url = await serve((_req, res, body) =>
      status === 201
        ? json(res, 201, ack(body))
        : json(res, status, { error: status === 413 ? 'payload-too-large' : 'unauthorized', message: 'no' }),
    );
    const { spool, log, batches } = await spoolWith(3);
    const uploader = new Uploader({ server: url, token: 't', timeoutMs: 2000 });
    status = 413;
    await drain(spool, uploader, log, { ...fast, maxAttempts: 1 });
    const rejected = (await readdir(spool.rejectedDir)).sort();
    expect(rejected).toHaveLength(3);
    const first = rejected.find((f) => f.includes(batches[0] ?? '-')) ?? '';
    const bytes = (await stat(join(spool.rejectedDir, first))).size;
    expect(log.lines[0]).toBe(
      `govscan-agent [warn]: batch ${batches[0]} (${bytes} bytes) is larger than the server accepts (413): moved to ${join(spool.rejectedDir, first)}; ` +
        `raise the server's --body-limit (and the body limit of any proxy in front of it), then move the file back into ${spool.dir} to send it again`,
    );
    // Doing what the message says works: once the server takes it, the batch moved back is delivered.
    await rename(join(spool.rejectedDir, first), join(spool.dir, first));
    status = 201;
    expect(await drain(spool, uploader, log, fast)).toEqual({
      stored: 1,
      duplicates: 0,
      rejected: 0,
      unreadable: 0,
      remaining: 0,
      stopped: null,
    });

    const again = await spoolWith(2, log);
    status = 401;
    seen = [];
    const result = await drain(again.spool, uploader, log, fast);
    uploader.close();
    expect(result).toEqual({ stored: 0, duplicates: 0, rejected: 0, unreadable: 0, remaining: 2, stopped: 'unauthorized' });
    expect(seen).toHaveLength(1);
    expect(log.lines.at(-1)).toBe(
      "govscan-agent [warn]: the server refused this agent's token (401): enrol again; 2 batch(es) stay in the spool",
    );
  });

  it('stops at once when cancelled (SIGTERM), leaving the batch in the spool', async () => {
    const url = await serve(() => undefined);
    const { spool, log } = await spoolWith(1);
    const uploader = new Uploader({ server: url, token: 't', timeoutMs: 30_000 });
    const stop = new AbortController();
    const pending = drain(spool, uploader, log, { ...fast, signal: stop.signal });
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 5));
    stop.abort();
    expect(await pending).toEqual({ stored: 0, duplicates: 0, rejected: 0, unreadable: 0, remaining: 1, stopped: 'cancelled' });
    uploader.close();
  });

  it('trusts a server certificate from an extra CA anchor, and only with it', async () => {
    const ca = await issueCertificate({ subjectCN: 'SOC Test CA', isCA: true, key: { type: 'ec' } });
    const leaf = await issueCertificate({ subjectCN: '127.0.0.1', sans: { ip: ['127.0.0.1'] }, issuer: ca, key: { type: 'ec' } });
    const url = await serve(
      (_req, res, body) => json(res, 201, ack(body)),
      (h) => createHttpsServer({ cert: leaf.certPem, key: leaf.keyPem }, h),
    );
    const { spool, log } = await spoolWith(1);
    const without = new Uploader({ server: url, token: 't', timeoutMs: 2000 });
    expect(await drain(spool, without, log, { ...fast, maxAttempts: 1 })).toMatchObject({ stopped: 'unavailable', remaining: 1 });
    expect(log.lines.at(-1)).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify/i);
    without.close();
    const withCa = new Uploader({ server: url, token: 't', ca: [ca.certPem], timeoutMs: 2000 });
    expect(await drain(spool, withCa, log, fast)).toMatchObject({ stored: 1, remaining: 0, stopped: null });
    withCa.close();
  });
});

describe('backoffDelay', () => {
  it('doubles up to the cap, with half of each step random', () => {
    const at = (attempt: number, r: number) => backoffDelay(attempt, { backoffMs: 1000, maxBackoffMs: 10_000, random: () => r });
    expect([1, 2, 3, 4, 5, 6].map((a) => at(a, 0))).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    expect([1, 2, 3, 4, 5, 6].map((a) => at(a, 0.999999))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});
