// Fuzzing the ingest endpoint of a real `govscan server` process (issue 10, tests): 10,000+ random
// and mutated batch bodies from a fixed seed, sent in parallel over keep-alive connections with a
// valid agent token, with a viewer reading the findings page meanwhile (the read path is where the
// parsed reports are cached). Every answer must be the server's own JSON refusal (400/403/413) or an
// acknowledgement (201/200, 409 for an id another agent holds); never a 5xx or a dropped connection.
// The server must stay alive and its resident memory, sampled from /proc, within a generous bound.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'node:http';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnrollResponse } from '../../src/contract/agent-api.js';
import { batchOfFindings, stableUuid } from '../../src/lab/fleet-seed.js';
import { enrollmentSecret, startServer, viewerToken, type ServerProcess } from '../helpers/server-process.js';
import { mulberry32 } from '../helpers/prng.js';

const SEED = 0x6f5ca11;
const BODIES = Number(process.env.FUZZ_N ?? 10_400);
const PARALLEL = 12;
/** Resident memory the server may reach while fuzzed (it idles near 100 MB; 8 MB bodies are not sent). */
const RSS_BOUND = 700 * 1024 * 1024;
const AGENCY = 'so-fuzz';
const ALLOWED = new Set([200, 201, 400, 403, 409, 413]);

class Fuzzer {
  private readonly rnd: () => number;
  constructor(
    seed: number,
    private readonly base: string,
  ) {
    this.rnd = mulberry32(seed);
  }

  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** A random JSON value; `budget` bounds its size, `depth` its nesting. */
  value(depth: number, budget: number): unknown {
    const kind = depth <= 0 || budget <= 1 ? this.int(5) : this.int(8);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return this.rnd() < 0.5;
      case 2:
        return this.pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1, this.int(1e6)]);
      case 3:
        return this.text();
      case 4:
        return this.pick([
          '',
          'pass',
          'fail',
          'high',
          '2026-01-01T00:00:00Z',
          '../../etc/passwd',
          '<script>alert(1)</script>',
          '\u0000\u001b[2J',
          '__proto__',
        ]);
      case 5:
      case 6: {
        const n = this.int(Math.min(budget, 12));
        return Array.from({ length: n }, () => this.value(depth - 1, Math.floor(budget / (n + 1))));
      }
      default: {
        const n = this.int(Math.min(budget, 12));
        const o: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) o[this.text(12)] = this.value(depth - 1, Math.floor(budget / (n + 1)));
        return o;
      }
    }
  }

  text(max = 40): string {
    const alphabet = 'abcXYZ019 -_.:/"\\\u00e9\u1ec7\u{1f512}\n\t{}[],';
    const chars = [...alphabet];
    return Array.from({ length: this.int(max) }, () => this.pick(chars)).join('');
  }

  /** One body: mostly small mutations of a valid batch, some random JSON, a few built to be large in shape. */
  body(i: number): string {
    const r = this.rnd();
    if (r < 0.25) return this.mutateBytes();
    if (r < 0.35) return this.base.slice(0, this.int(this.base.length));
    if (r < 0.7) return this.mutateStructure();
    if (r < 0.85) return JSON.stringify(this.value(6, 400)) ?? 'null';
    if (r < 0.9) return this.envelope(i);
    if (r < 0.99) return Buffer.from(Array.from({ length: 1 + this.int(200) }, () => this.int(256))).toString('latin1');
    return this.hostileShape();
  }

  private mutateBytes(): string {
    const chars = [...this.base];
    const edits = 1 + this.int(8);
    for (let e = 0; e < edits; e++) {
      const at = this.int(chars.length);
      const op = this.int(3);
      if (op === 0) chars[at] = this.pick([...'{}[]":,\\0a-e ']);
      else if (op === 1) chars.splice(at, 1);
      else chars.splice(at, 0, this.pick([...'{}[]":,\\0a-e ']));
    }
    return chars.join('');
  }

  /** The valid batch with one field somewhere replaced by a random value. */
  private mutateStructure(): string {
    const doc = JSON.parse(this.base) as Record<string, unknown>;
    let node: unknown = doc;
    let parent: Record<string, unknown> | unknown[] = doc;
    let key: string | number = 'report';
    for (let step = 0; step < 1 + this.int(7); step++) {
      if (node === null || typeof node !== 'object') break;
      const keys = Array.isArray(node) ? node.map((_, k) => k) : Object.keys(node);
      if (keys.length === 0) break;
      parent = node as Record<string, unknown>;
      key = this.pick(keys as (string | number)[]);
      node = (node as Record<string | number, unknown>)[key];
    }
    if (this.rnd() < 0.15 && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key];
    else (parent as Record<string | number, unknown>)[key] = this.value(5, 300);
    return JSON.stringify(doc);
  }

  /** Envelope fields a careless or hostile agent gets wrong (ids, dates, agency). */
  private envelope(i: number): string {
    const doc = JSON.parse(this.base) as Record<string, unknown>;
    switch (this.int(5)) {
      case 0:
        doc.batchId = stableUuid('fuzz', SEED, i);
        break;
      case 1:
        doc.createdAt = this.pick(['2099-01-01T00:00:00Z', '1970-01-01T00:00:00Z', 'not a date', '2026-13-45T99:99:99Z']);
        doc.batchId = stableUuid('fuzz-date', SEED, i);
        break;
      case 2:
        doc.agency = this.pick(['so-other', '', 'a/b', AGENCY.toUpperCase()]);
        break;
      case 3:
        doc.agentId = this.pick(['someone-else', '', '../x']);
        break;
      default:
        doc.schemaVersion = this.pick([2, '1', null, 0]);
    }
    return JSON.stringify(doc);
  }

  /** Bodies of a few MB at most whose shape, not size, is the problem. */
  private hostileShape(): string {
    const inEvidence = (json: string): string => this.base.replace('"evidence":{', `"evidence":{"x":${json},`);
    switch (this.int(5)) {
      case 0:
        return inEvidence(`[${new Array(200_000 + this.int(400_000)).fill('{}').join(',')}]`);
      case 1: {
        const d = 33 + this.int(60_000);
        return inEvidence('['.repeat(d) + ']'.repeat(d));
      }
      case 2:
        return inEvidence(`{${Array.from({ length: 1_001 + this.int(5_000) }, (_, k) => `"k${k}":{}`).join(',')}}`);
      case 3:
        return inEvidence(JSON.stringify('s'.repeat(256 * 1024 + 1 + this.int(1_000_000))));
      default:
        return inEvidence(`[${new Array(3_000).fill(`[${new Array(200).fill('[]').join(',')}]`).join(',')}]`);
    }
  }
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

describe('ingest fuzzing against a live server', () => {
  let tmp: string;
  let server: ServerProcess;
  let agent: EnrollResponse;
  let viewer: string;
  const http = new Agent({ keepAlive: true, maxSockets: PARALLEL + 2 });

  const send = (method: string, path: string, token: string, body?: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const url = new URL(path, server.url);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method,
          agent: http,
          headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'govscan-fuzz-'));
    const db = `sqlite:${join(tmp, 'govscan.db')}`;
    server = await startServer(db, 0, 30_000, ['--ingest-limit', '0', '--auth-failure-limit', '0', '--enroll-limit', '0']);
    const secret = await enrollmentSecret(db, AGENCY);
    const enrolled = await fetch(`${server.url}/api/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret, hostname: 'fuzz-agent', agentVersion: '0.1.0' }),
    });
    expect(enrolled.status).toBe(201);
    agent = (await enrolled.json()) as EnrollResponse;
    viewer = await viewerToken(db);
  });

  afterAll(async () => {
    http.destroy();
    await server?.kill();
    await rm(tmp, { recursive: true, force: true });
  });

  // Generous for a loaded CI machine: about 20 s on a calm one.
  it(`answers ${BODIES} random and mutated batch bodies with the server's own refusals or acknowledgements, and stays alive within bounded memory`, {
    timeout: 180_000,
  }, async () => {
    const base = JSON.stringify(
      batchOfFindings(2, {
        agency: AGENCY,
        agentId: agent.agentId,
        createdAt: new Date('2026-11-20T08:00:00Z'),
        batchId: stableUuid('fuzz-base', SEED),
      }),
    );
    expect((await send('POST', '/api/v1/batches', agent.token, base)).status).toBe(201);
    const fuzzer = new Fuzzer(SEED, base);
    const pid = server.child.pid as number;
    const baseline = await rssOf(pid);
    let peak = baseline;
    const sampler = setInterval(() => {
      rssOf(pid).then(
        (rss) => (peak = Math.max(peak, rss)),
        () => undefined,
      );
    }, 100);

    const counts = new Map<number, number>();
    const unexpected: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < BODIES) {
        const i = next++;
        const body = fuzzer.body(i);
        const res = await send('POST', '/api/v1/batches', agent.token, body);
        counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
        let shaped = false;
        try {
          const parsed = JSON.parse(res.text) as Record<string, unknown>;
          shaped =
            res.status < 300 ? typeof parsed.batchId === 'string' : typeof parsed.error === 'string' && typeof parsed.message === 'string';
        } catch {
          shaped = false;
        }
        if (!ALLOWED.has(res.status) || !shaped)
          unexpected.push(`#${i}: ${res.status} ${res.text.slice(0, 120)} for ${body.slice(0, 120)}`);
        // A viewer refreshing the dashboard meanwhile.
        if (i % 250 === 0) {
          const read = await send('GET', `/api/v1/findings?agency=${AGENCY}&outcome=all&limit=1000`, viewer);
          if (read.status !== 200) unexpected.push(`findings read after #${i}: ${read.status} ${read.text.slice(0, 120)}`);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: PARALLEL }, worker));
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, await rssOf(pid));

    expect(unexpected.slice(0, 10)).toEqual([]);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(BODIES);
    // The mix exercised both sides: refusals of each kind and stored batches.
    for (const status of [201, 400, 413]) expect(counts.get(status) ?? 0, `answers ${status}`).toBeGreaterThan(0);
    // Alive and still serving: health, a fresh valid batch, and the findings page.
    expect((await send('GET', '/healthz', '')).status).toBe(200);
    const fresh = JSON.stringify(
      batchOfFindings(5, { agency: AGENCY, agentId: agent.agentId, createdAt: new Date(), batchId: stableUuid('fuzz-after', SEED) }),
    );
    expect((await send('POST', '/api/v1/batches', agent.token, fresh)).status).toBe(201);
    expect((await send('GET', `/api/v1/findings?agency=${AGENCY}`, viewer)).status).toBe(200);
    expect(server.child.exitCode).toBeNull();
    // eslint-disable-next-line no-console -- the figures go to the test log for the report
    console.log(
      `fuzz: ${JSON.stringify(Object.fromEntries([...counts].sort(([a], [b]) => a - b)))}; server RSS ${Math.round(baseline / 2 ** 20)} MB before, ${Math.round(peak / 2 ** 20)} MB peak`,
    );
    expect(peak).toBeLessThan(RSS_BOUND);
  });
});
