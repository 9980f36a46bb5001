// A batch leaves the spool only on a real acknowledgement: a 2xx whose JSON names that batch, as the
// govscan server answers. Against the real server (SQLite) behind a loopback "proxy" (a plain
// node:http server) that first answers what sits in front of servers in real life — a 200
// maintenance page, a 404 while /api/v1 is not routed yet, a 502, a JSON acknowledgement of another
// batch, an answer too slow for the deadline — and then routes to the server: the batch is kept,
// retried, and stored once. The server's own refusals (JSON, 409/422/403…) set the batch aside with
// a line saying why and what to do; a proxy's HTML 4xx does not. And the spool: what is not a regular
// file the agent may read is set aside (a symbolic link moved, never followed) while the rest is
// delivered.

import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultAgentConfig } from '../../agent/config.js';
import { enroll } from '../../agent/enroll.js';
import { memoryLog } from '../../agent/log.js';
import { Spool } from '../../agent/spool.js';
import { readToken, type AgentToken } from '../../agent/token.js';
import { drain, Uploader, type DrainOptions } from '../../agent/upload.js';
import type { Batch } from '../../src/contract/agent-api.js';
import { encodeAsciiJson } from '../../src/contract/wire.js';
import { enrollmentSecret, startServer, viewerToken, type ServerProcess } from '../helpers/server-process.js';
import { smallBatch, storedBatchIds } from './helpers.js';

const AGENCY = 'so-tttt-ack';
let root: string;
let server: ServerProcess;
let viewer: string;
let token: AgentToken;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'govscan-ack-'));
  const db = `sqlite:${join(root, 'server.db')}`;
  server = await startServer(db);
  viewer = await viewerToken(db);
  const config = { ...defaultAgentConfig({}), tokenFile: join(root, 'token.json') };
  await enroll({ server: server.url, secret: await enrollmentSecret(db, AGENCY), config, force: false, lang: 'en', hostname: 'ack-host' });
  token = await readToken(config.tokenFile);
});
afterAll(async () => {
  await server?.kill();
  await rm(root, { recursive: true, force: true });
});

// ── The proxy in front of the server ────────────────────────────────────────────────────────────

/** What the proxy does with request n (1-based): answer itself, or route to the govscan server. */
type Answer = (res: ServerResponse, body: string, req: IncomingMessage) => void;
type Behaviour = (n: number) => Answer | 'route';

let dir: string;
let proxy: Server | null = null;
const sockets = new Set<Socket>();
/** Batch ids of the bodies the proxy received, in order. */
let seen: string[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(root, 'spool-'));
  seen = [];
});
afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  if (proxy) await new Promise<void>((r) => proxy!.close(() => r()));
  proxy = null;
});

async function startProxy(behaviour: Behaviour): Promise<string> {
  proxy = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push((JSON.parse(body) as Batch).batchId);
      const what = behaviour(seen.length);
      (what === 'route' ? route : what)(res, body, req);
    });
  });
  proxy.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

const route: Answer = (res, body, req) =>
  void forward(req, body).then(({ status, type, text }) => {
    res.writeHead(status, { 'content-type': type });
    res.end(text);
  });

async function forward(req: IncomingMessage, body: string): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(`${server.url}${req.url ?? '/'}`, {
    method: req.method ?? 'POST',
    headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

const page =
  (status: number, html: string): Answer =>
  (res) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><body>${html}</body></html>`);
  };
const json =
  (status: number, value: unknown): Answer =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────────

const fast: DrainOptions = { maxAttempts: 5, backoffMs: 20, maxBackoffMs: 100 };

function ourBatch(): Batch {
  return smallBatch({ agentId: token.agentId, agency: token.agency });
}

async function spoolWith(n: number, log = memoryLog()) {
  const spool = await new Spool(dir, { maxBytes: 1 << 24, log }).open();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await spool.add(ourBatch())).batchId);
  return { spool, ids, log };
}

const stored = (): Promise<string[]> => storedBatchIds(server.url, viewer, AGENCY);

function uploader(url: string, timeoutMs = 5000): Uploader {
  return new Uploader({ server: url, token: token.token, timeoutMs });
}

// ── Answers that are no acknowledgement ─────────────────────────────────────────────────────────

describe('an answer that is not an acknowledgement of this batch keeps it in the spool', () => {
  const cases: { name: string; answer: Answer; reason: string }[] = [
    {
      name: 'a 200 maintenance page (HTML)',
      answer: page(200, '<h1>Hệ thống đang bảo trì</h1>'),
      reason:
        "HTTP 200 (text/html) without an acknowledgement naming this batch: not the govscan server's answer (a maintenance or sign-in page in front of it?)",
    },
    {
      name: 'a 404 from a proxy not routing /api/v1 yet',
      answer: page(404, '<h1>404 Not Found</h1><hr>nginx'),
      reason: 'HTTP 404 (text/html): no govscan API at this address (a proxy not routing /api/v1 yet?)',
    },
    { name: 'a 502 from the proxy', answer: page(502, '<h1>502 Bad Gateway</h1>'), reason: 'HTTP 502' },
    {
      name: 'a 200 JSON acknowledgement of another batch',
      answer: json(200, { batchId: '00000000-0000-4000-8000-000000000000', status: 'stored' }),
      reason: 'HTTP 200 acknowledging batch 00000000-0000-4000-8000-000000000000, not this one',
    },
    {
      name: 'a 201 JSON that names no batch',
      answer: json(201, { ok: true }),
      reason:
        "HTTP 201 (application/json) without an acknowledgement naming this batch: not the govscan server's answer (a maintenance or sign-in page in front of it?)",
    },
    {
      name: 'a 200 with no body and no content type',
      answer: (res) => res.writeHead(200).end(),
      reason:
        "HTTP 200 (no content type) without an acknowledgement naming this batch: not the govscan server's answer (a maintenance or sign-in page in front of it?)",
    },
    {
      name: "a firewall's HTML 403",
      answer: page(403, 'Request blocked'),
      reason: "HTTP 403 (text/html), not the govscan server's own refusal (which is JSON): a proxy or firewall in between?",
    },
  ];

  it.each(cases)('$name: retried with backoff, then stored once when the proxy routes', async ({ answer, reason }) => {
    const url = await startProxy((n) => (n <= 2 ? answer : 'route'));
    const { spool, ids, log } = await spoolWith(1);
    const up = uploader(url);
    const result = await drain(spool, up, log, fast);
    up.close();
    expect(result).toEqual({ stored: 1, duplicates: 0, rejected: 0, unreadable: 0, remaining: 0, stopped: null });
    expect(seen).toEqual([ids[0], ids[0], ids[0]]);
    expect(log.lines).toEqual([
      expect.stringMatching(
        new RegExp(`^govscan-agent: batch ${ids[0]}: attempt 1 of 5 failed \\(${escapeText(reason)}\\); retrying in 0\\.\\d s$`),
      ),
      expect.stringMatching(
        new RegExp(`^govscan-agent: batch ${ids[0]}: attempt 2 of 5 failed \\(${escapeText(reason)}\\); retrying in 0\\.\\d s$`),
      ),
      `govscan-agent: batch ${ids[0]} delivered`,
    ]);
    expect(await readdir(spool.rejectedDir)).toEqual([]);
    expect((await stored()).filter((id) => id === ids[0])).toHaveLength(1);
  });

  it('a maintenance page that stays: bounded attempts, every batch kept, the log says why', async () => {
    const url = await startProxy(() => page(200, 'Bảo trì'));
    const { spool, ids, log } = await spoolWith(2);
    const up = uploader(url);
    const result = await drain(spool, up, log, { ...fast, maxAttempts: 3 });
    up.close();
    // Three attempts on the oldest batch, then the drain stops: nothing is lost, nothing deleted.
    expect(seen).toEqual([ids[0], ids[0], ids[0]]);
    expect(result).toEqual({ stored: 0, duplicates: 0, rejected: 0, unreadable: 0, remaining: 2, stopped: 'unavailable' });
    expect((await spool.list()).map((e) => e.batchId)).toEqual(ids);
    expect(log.lines.at(-1)).toBe(
      "govscan-agent [warn]: server unavailable (HTTP 200 (text/html) without an acknowledgement naming this batch: not the govscan server's answer (a maintenance or sign-in page in front of it?)): 2 batch(es) stay in the spool",
    );
    expect(log.lines.join('\n')).not.toMatch(/delivered|already stored/);
    expect(await stored()).not.toContain(ids[0]);
  });

  it('an acknowledgement that arrives after the deadline: the batch stays, and the retry is acknowledged as already stored', async () => {
    // The first request reaches the server (it stores the batch); its answer is held past the agent's
    // deadline. The retry is routed once the server has answered the first.
    let first: Promise<unknown> = Promise.resolve();
    const url = await startProxy((n) =>
      n === 1
        ? (res, body, req) => {
            first = forward(req, body).then(({ status, text }) =>
              setTimeout(() => res.destroyed || json(status, JSON.parse(text))(res, body, req), 1500),
            );
          }
        : (res, body, req) => void first.then(() => route(res, body, req)),
    );
    const { spool, ids, log } = await spoolWith(1);
    const up = uploader(url, 300);
    const result = await drain(spool, up, log, fast);
    up.close();
    expect(result).toEqual({ stored: 0, duplicates: 1, rejected: 0, unreadable: 0, remaining: 0, stopped: null });
    expect(log.lines[0]).toMatch(new RegExp(`batch ${ids[0]}: attempt 1 of 5 failed \\(no answer within 300 ms\\)`));
    expect(log.lines.at(-1)).toBe(`govscan-agent: batch ${ids[0]} was already stored: removed from the spool`);
    expect((await stored()).filter((id) => id === ids[0])).toHaveLength(1);
  });

  it('says it in Vietnamese when asked', async () => {
    const url = await startProxy((n) => (n === 1 ? page(200, 'Bảo trì') : 'route'));
    const { spool, ids, log } = await spoolWith(1, memoryLog('vi'));
    const up = uploader(url);
    await drain(spool, up, log, fast);
    up.close();
    expect(log.lines[0]).toMatch(
      new RegExp(
        `^govscan-agent: lô ${ids[0]}: lần thử 1/5 thất bại \\(HTTP 200 \\(text/html\\) nhưng không có xác nhận nêu mã lô này: không phải câu trả lời của máy chủ govscan \\(trang bảo trì hoặc trang đăng nhập đứng trước máy chủ\\?\\)\\); thử lại sau 0\\.\\d giây$`,
      ),
    );
    expect(log.lines.at(-1)).toBe(`govscan-agent: đã gửi lô ${ids[0]}`);
  });
});

// ── The server's own refusals ───────────────────────────────────────────────────────────────────

describe("the server's own refusal sets the batch aside, says why and what to do, and the next one goes", () => {
  const cases: { status: number; body: { error: string; message: string }; line: (id: string, file: string, spool: string) => string }[] = [
    {
      status: 409,
      body: { error: 'conflict', message: 'This batch id belongs to another agent.' },
      line: (id, file) =>
        `govscan-agent [warn]: batch ${id} refused by the server (409 conflict): another agent has already sent a batch with this id (was this spool copied from another host?); moved to ${file}: it is not sent again; tell the SOC, and delete the file once they have looked into it`,
    },
    {
      status: 422,
      body: { error: 'bad-request', message: 'report.findings[0].outcome: must be one of pass, fail' },
      line: (id, file, spool) =>
        `govscan-agent [warn]: batch ${id} refused by the server (422 bad-request: report.findings[0].outcome: must be one of pass, fail): it is not sent again; moved to ${file}. If the agent's and the server's versions differ, bring them in line, then move the file back into ${spool} to send it again`,
    },
    {
      status: 403,
      body: { error: 'forbidden', message: 'This token does not allow this request.' },
      line: (id, file) =>
        `govscan-agent [warn]: batch ${id} refused by the server (403 forbidden): it names another agent or agency than this agent's token (enrolled again since it was written?); moved to ${file}: it cannot be sent with this token`,
    },
  ];

  it.each(cases)('$status $body.error', async ({ status, body, line }) => {
    const url = await startProxy((n) => (n === 1 ? json(status, body) : 'route'));
    const { spool, ids, log } = await spoolWith(2);
    const up = uploader(url);
    const result = await drain(spool, up, log, fast);
    up.close();
    // Not retried: one request for the refused batch, one for the next.
    expect(seen).toEqual(ids);
    expect(result).toEqual({ stored: 1, duplicates: 0, rejected: 1, unreadable: 0, remaining: 0, stopped: null });
    const aside = await readdir(spool.rejectedDir);
    expect(aside).toHaveLength(1);
    expect(aside[0]).toContain(ids[0]);
    expect(log.lines[0]).toBe(line(ids[0] ?? '', join(spool.rejectedDir, aside[0] ?? ''), spool.dir));
    expect(await stored()).toContain(ids[1]);
  });

  it('the real server refuses a batch of another agency (403), and the next batch is still delivered', async () => {
    const url = await startProxy(() => 'route');
    const log = memoryLog();
    const spool = await new Spool(dir, { maxBytes: 1 << 24, log }).open();
    const foreign = await spool.add(smallBatch({ agentId: token.agentId, agency: 'another-agency' }));
    const mine = await spool.add(ourBatch());
    const up = uploader(url);
    const result = await drain(spool, up, log, fast);
    up.close();
    expect(result).toMatchObject({ stored: 1, rejected: 1, remaining: 0 });
    expect(log.lines[0]).toContain(`batch ${foreign.batchId} refused by the server (403 forbidden)`);
    expect(await stored()).toContain(mine.batchId);
  });

  it('a refused batch that cannot be moved aside stays in the spool, says so, and the next batch still goes', async () => {
    const url = await startProxy((n) => (n === 1 ? json(409, { error: 'conflict', message: 'taken' }) : 'route'));
    const { spool, ids, log } = await spoolWith(2);
    const [first] = await spool.list();
    // rejected/ already holds a non-empty folder of that name (root cannot be denied a rename: this is the stand-in).
    await mkdir(join(spool.rejectedDir, first?.file.slice(dir.length + 1) ?? '', 'inside'), { recursive: true });
    const up = uploader(url);
    const result = await drain(spool, up, log, fast);
    up.close();
    expect(result).toEqual({ stored: 1, duplicates: 0, rejected: 1, unreadable: 0, remaining: 1, stopped: null });
    expect(log.lines[0]).toMatch(
      new RegExp(
        `^govscan-agent \\[warn\\]: batch ${ids[0]} refused by the server \\(409 conflict\\), and it could not be moved to ${escapeText(spool.rejectedDir)} \\(EISDIR\\): it stays in the spool and is offered again at the next delivery; let the agent's user write to ${escapeText(spool.rejectedDir)}$`,
      ),
    );
    expect((await spool.list()).map((e) => e.batchId)).toEqual([ids[0]]);
    expect(await stored()).toContain(ids[1]);
  });

  it('a message from the server cannot forge log lines or reach the terminal as escape sequences', async () => {
    const url = await startProxy(() =>
      json(400, { error: 'bad-request', message: 'bad\n\u001b]52;c;cm0gLXJmIH4=\u0007govscan-agent: batch x delivered' }),
    );
    const { spool, log } = await spoolWith(1);
    const up = uploader(url);
    await drain(spool, up, log, fast);
    up.close();
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toContain('(400 bad-request: bad\\x0a\\x1b]52;c;cm0gLXJmIH4=\\x07govscan-agent: batch x delivered)');
    expect(log.lines[0]).not.toMatch(/[\x00-\x1f]/);
  });
});

// ── What the spool holds ────────────────────────────────────────────────────────────────────────

describe('spool entries that are not batch files the agent may read', () => {
  it('a folder, a named pipe and symbolic links are set aside (links moved, never followed); every batch is delivered', async () => {
    // chmod 000 does not stop root, who runs this suite: an unreadable entry is simulated with what no
    // one can read as a batch (a folder, a FIFO). The real EACCES case (a root-owned batch read by the
    // agent's own user) runs in e2e.test.ts under another uid.
    const outside = await mkdtemp(join(root, 'outside-'));
    const secretBatch = ourBatch();
    const target = join(outside, 'elsewhere.json');
    await writeFile(target, encodeAsciiJson(secretBatch));
    const before = await stat(target);
    const name = (i: number) => `00000000000000${i}-0001-${randomUUID()}.batch.json`;
    // Named oldest, so each comes before the real batches.
    const strays = { folder: name(1), fifo: name(2), link: name(3), dangling: name(4) };
    await mkdir(join(dir, strays.folder));
    execFileSync('mkfifo', [join(dir, strays.fifo)]);
    await symlink(target, join(dir, strays.link));
    await symlink(join(outside, 'absent.json'), join(dir, strays.dangling));

    const url = await startProxy(() => 'route');
    const { spool, ids, log } = await spoolWith(2);
    const up = uploader(url);
    const result = await drain(spool, up, log, fast);
    up.close();

    expect(result).toEqual({ stored: 2, duplicates: 0, rejected: 0, unreadable: 4, remaining: 0, stopped: null });
    // Only the two real batches went out; the linked file's batch never left the host.
    expect(seen).toEqual(ids);
    expect(await stored()).not.toContain(secretBatch.batchId);
    // Set aside as they were: the links are links still, their target untouched.
    expect((await readdir(spool.rejectedDir)).sort()).toEqual(Object.values(strays).sort());
    expect((await lstat(join(spool.rejectedDir, strays.link))).isSymbolicLink()).toBe(true);
    expect((await lstat(join(spool.rejectedDir, strays.fifo))).isFIFO()).toBe(true);
    expect(await readFile(target)).toEqual(encodeAsciiJson(secretBatch));
    expect((await stat(target)).mtimeMs).toBe(before.mtimeMs);
    const line = (file: string, kind: string) =>
      `govscan-agent [warn]: spool entry ${join(dir, file)} is ${kind}, not a batch file the agent wrote: not followed, not read, not sent; moved to ${join(spool.rejectedDir, file)}, the other batches are still sent`;
    expect(log.lines).toEqual([
      line(strays.folder, 'a folder'),
      line(strays.fifo, 'a named pipe'),
      line(strays.link, 'a symbolic link'),
      line(strays.dangling, 'a symbolic link'),
      `govscan-agent: batch ${ids[0]} delivered`,
      `govscan-agent: batch ${ids[1]} delivered`,
    ]);
  });

  it('an entry that cannot be moved aside either is skipped with a line saying so, and the rest is delivered', async () => {
    const name = `000000000000001-0001-${randomUUID()}.batch.json`;
    await mkdir(join(dir, name));
    const url = await startProxy(() => 'route');
    const { spool, ids, log } = await spoolWith(1, memoryLog('vi'));
    // rejected/ already holds a non-empty folder of that name: the rename cannot replace it.
    await mkdir(join(spool.rejectedDir, name, 'inside'), { recursive: true });
    const up = uploader(url);
    const result = await drain(spool, up, log, fast);
    up.close();
    expect(result).toMatchObject({ stored: 1, unreadable: 1, remaining: 1, stopped: null });
    expect(log.lines[0]).toMatch(
      new RegExp(
        `^govscan-agent \\[warn\\]: mục ${escapeText(join(dir, name))} trong hàng đợi: một thư mục; cũng không chuyển được sang ${escapeText(spool.rejectedDir)} \\((ENOTEMPTY|EEXIST)\\): bỏ qua, các lô khác vẫn được gửi$`,
      ),
    );
    expect(log.lines[1]).toBe(`govscan-agent: đã gửi lô ${ids[0]}`);
  });
});

function escapeText(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
