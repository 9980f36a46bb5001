// Conditional requests and compression for every answer the server gives (read API and dashboard
// files alike): a GET answered 200 gets a strong ETag from its body, a repeat with a matching
// If-None-Match gets a bodiless 304, and a body worth compressing goes out brotli- or gzip-encoded
// when the client accepts it. A wall screen refreshing every minute then costs a few hundred bytes
// when nothing changed, and a fraction of the JSON when something did.

import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Smaller bodies are sent as they are: the encoding would cost more than it saves. */
const MIN_COMPRESS_BYTES = 1024;
/** Compressed bodies kept by ETag (dashboard files and unchanged API answers are asked for again and again). */
const CACHE_ENTRIES = 256;
const CACHE_MAX_BODY = 512 * 1024;

type Encoding = 'br' | 'gzip';

export function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** If-None-Match lists (weak or strong, or `*`) compared the way RFC 9110 says GET compares them: weakly. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === bare;
  });
}

/** The client's preferred encoding we can produce: br, then gzip; none for `identity` or q=0. */
function pickEncoding(header: string | string[] | undefined): Encoding | null {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const accepted = new Map<string, number>();
  for (const part of text.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (name: string): boolean => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return null;
}

const COMPRESSIBLE = /^(text\/|application\/(json|sarif\+json|javascript|xml)|image\/svg\+xml)/;

export function registerHttpCache(app: FastifyInstance): void {
  const compressed = new Map<string, Buffer>();

  const encode = async (body: Buffer, encoding: Encoding, etag: string | null): Promise<Buffer> => {
    const key = etag ? `${encoding}:${etag}` : null;
    const hit = key ? compressed.get(key) : undefined;
    if (hit) return hit;
    const out =
      encoding === 'br'
        ? await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
        : await gz(body, { level: 6 });
    if (key && body.length <= CACHE_MAX_BODY) {
      compressed.set(key, out);
      while (compressed.size > CACHE_ENTRIES) compressed.delete(compressed.keys().next().value as string);
    }
    return out;
  };

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (request.method !== 'GET' || reply.statusCode !== 200) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload; // streams pass through
    const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
    // An ETag for every answer, API included: API answers are `no-store` (response-headers.ts: fleet
    // data depends on the token and stays in no cache), and the dashboard keeps its own copy in memory
    // and revalidates it with If-None-Match itself. Its files the browser keeps and revalidates.
    const etag = (reply.getHeader('etag') as string | undefined) ?? etagOf(body);
    reply.header('etag', etag);
    if (!reply.getHeader('cache-control')) reply.header('cache-control', 'private, no-cache');
    if (matchesEtag(request.headers['if-none-match'], etag)) {
      reply.code(304);
      reply.removeHeader('content-type');
      reply.removeHeader('content-length');
      return '';
    }
    const type = String(reply.getHeader('content-type') ?? '');
    reply.header('vary', 'accept-encoding');
    const encoding = pickEncoding(request.headers['accept-encoding']);
    if (!encoding || body.length < MIN_COMPRESS_BYTES || !COMPRESSIBLE.test(type) || reply.getHeader('content-encoding')) return payload;
    const out = await encode(body, encoding, etag);
    reply.header('content-encoding', encoding);
    reply.removeHeader('content-length');
    return out;
  });
}
