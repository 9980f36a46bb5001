// Simulated agents for the server benchmark: each enrols over the API with its own one-time secret,
// then uploads batches of N findings back to back over one keep-alive connection, for a fixed time.
// Bodies are serialised once per agent and only the batch id and date are spliced in per upload, so
// the load generator spends little of the CPU it shares with the server.

import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { batchOfFindings } from '../../src/lab/fleet-seed.js';
import { encodeAsciiJson } from '../../src/contract/wire.js';

export interface LoadOptions {
  baseUrl: string;
  adminToken: string;
  agents: number;
  findings: number;
  seconds: number;
  agency: string;
}

export interface LoadResult {
  stored: number;
  duplicates: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  latenciesMs: number[];
  bodyBytes: number;
}

interface HttpAnswer {
  status: number;
  body: string;
}

function send(agent: Agent, url: URL, method: string, body: string | Buffer | null, token: string | null): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        headers: {
          ...(body !== null ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    if (body !== null) req.write(body);
    req.end();
  });
}

async function postJson<T>(agent: Agent, base: string, path: string, body: unknown, token: string | null): Promise<T> {
  const res = await send(agent, new URL(path, base), 'POST', JSON.stringify(body), token);
  if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${res.body}`);
  return JSON.parse(res.body) as T;
}

export async function getJson<T>(base: string, path: string, token: string): Promise<T> {
  const agent = new Agent({ keepAlive: false });
  try {
    const res = await send(agent, new URL(path, base), 'GET', null, token);
    if (res.status >= 300) throw new Error(`GET ${path}: ${res.status} ${res.body}`);
    return JSON.parse(res.body) as T;
  } finally {
    agent.destroy();
  }
}

const ID_MARK = '00000000-0000-4000-8000-00000000b0d1';
const DATE_MARK = '2000-01-01T00:00:00.000Z';

/** A body maker: the batch serialised and encoded once, with the id and date left as holes. */
function template(agency: string, agentId: string, hostname: string, findings: number): (id: string, at: string) => Buffer {
  const batch = batchOfFindings(findings, { agency, agentId, hostname, batchId: ID_MARK, createdAt: new Date(DATE_MARK) });
  // Serialised as agents send it (src/contract/wire.ts: ASCII, non-ASCII escaped).
  const text = encodeAsciiJson(batch).toString('latin1');
  const [head, rest] = text.split(ID_MARK) as [string, string];
  if (rest === undefined || text.split(ID_MARK).length !== 2) throw new Error('batch template: the id must appear once');
  const parts = rest.split(`"createdAt":"${DATE_MARK}"`);
  if (parts.length !== 2) throw new Error('batch template: createdAt must appear once');
  const [mid, tail] = parts as [string, string];
  const h = Buffer.from(head, 'latin1');
  const m = Buffer.from(`${mid}"createdAt":"`, 'latin1');
  const t = Buffer.from(`"${tail}`, 'latin1');
  // ASCII holes: the rest stays encoded, so each upload costs a copy, not a UTF-8 encoding of 75 KB.
  return (id, at) => Buffer.concat([h, Buffer.from(id, 'latin1'), m, Buffer.from(at, 'latin1'), t]);
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const http = new Agent({ keepAlive: true, maxSockets: opts.agents + 4 });
  try {
    // Enrol every agent the way a real one does: an admin mints a secret, the agent spends it.
    const agents = await Promise.all(
      Array.from({ length: opts.agents }, async (_, i) => {
        const { secret } = await postJson<{ secret: string }>(
          http,
          opts.baseUrl,
          '/api/v1/enrollments',
          { agency: opts.agency },
          opts.adminToken,
        );
        const hostname = `bench-agent-${i + 1}.example`;
        const enrolled = await postJson<{ agentId: string; agency: string; token: string }>(
          http,
          opts.baseUrl,
          '/api/v1/enroll',
          { secret, hostname, agentVersion: '0.1.0' },
          null,
        );
        return { ...enrolled, body: template(enrolled.agency, enrolled.agentId, hostname, opts.findings) };
      }),
    );
    const result: LoadResult = {
      stored: 0,
      duplicates: 0,
      errors: 0,
      firstError: null,
      seconds: 0,
      latenciesMs: [],
      bodyBytes: agents[0]?.body(randomUUID(), new Date().toISOString()).length ?? 0,
    };
    const batchesUrl = new URL('/api/v1/batches', opts.baseUrl);
    const started = performance.now();
    const deadline = started + opts.seconds * 1000;
    await Promise.all(
      agents.map(async (a) => {
        while (performance.now() < deadline) {
          const body = a.body(randomUUID(), new Date().toISOString());
          const t = performance.now();
          try {
            const res = await send(http, batchesUrl, 'POST', body, a.token);
            const ms = performance.now() - t;
            if (res.status === 201) {
              result.stored++;
              result.latenciesMs.push(ms);
            } else if (res.status === 200) result.duplicates++;
            else {
              result.errors++;
              result.firstError ??= `${res.status} ${res.body.slice(0, 200)}`;
            }
          } catch (err) {
            result.errors++;
            result.firstError ??= (err as Error).message;
          }
        }
      }),
    );
    result.seconds = (performance.now() - started) / 1000;
    return result;
  } finally {
    http.destroy();
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}
