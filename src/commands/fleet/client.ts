// The HTTP side of `govscan fleet …`: GET requests to a govscan server with a bearer token, over
// HTTP or HTTPS with an optional private CA. Every way a request can fail becomes one line: flags the
// user got wrong are input errors (exit 2), a server that cannot be reached or refuses is exit 3.

import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { InputError, ScanError } from '../../core/errors.js';
import { readCaFile } from '../../cli/credential-files.js';
import type { Lang } from '../../core/types.js';
import { localize } from '../../core/i18n/index.js';
import { F } from './messages.js';

const TIMEOUT_MS = 30_000;
/** Exports of a large agency can be big, but not unbounded. */
const MAX_RESPONSE = 512 * 1024 * 1024;

export interface FleetConnection {
  server?: string | undefined;
  token?: string | undefined;
  'ca-file'?: string | undefined;
}

export interface TextResponse {
  status: number;
  contentType: string;
  body: string;
}

export class FleetClient {
  private constructor(
    private readonly base: URL,
    private readonly token: string,
    private readonly ca: string | undefined,
    private readonly lang: Lang,
  ) {}

  static async connect(flags: FleetConnection, lang: Lang): Promise<FleetClient> {
    if (!flags.server) throw InputError.unlocated(localize(F.serverRequired, lang));
    // URL.canParse, not URL.parse: the latter needs Node 22.
    const base = URL.canParse(flags.server) ? new URL(flags.server) : null;
    if (!base || (base.protocol !== 'http:' && base.protocol !== 'https:')) {
      throw InputError.unlocated(localize(F.serverBad, lang, { value: JSON.stringify(flags.server) }));
    }
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    if (!flags.token) throw InputError.unlocated(localize(F.tokenRequired, lang));
    const ca = flags['ca-file'] ? await readCaFile(flags['ca-file'], '--ca-file') : undefined;
    return new FleetClient(base, flags.token, ca, lang);
  }

  /** GET a JSON resource under /api/v1; `what` names it in a 404 message. */
  async getJson<T>(path: string, query: Record<string, string | number | undefined>, what: string): Promise<T> {
    const res = await this.get(path, query, what);
    if (!res.contentType.includes('json')) throw new ScanError(localize(F.notJson, this.lang, { url: this.origin() }));
    try {
      return JSON.parse(res.body) as T;
    } catch {
      throw new ScanError(localize(F.notJson, this.lang, { url: this.origin() }));
    }
  }

  async get(path: string, query: Record<string, string | number | undefined>, what: string): Promise<TextResponse> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const res = await this.send(url);
    if (res.status >= 200 && res.status < 300) return res;
    if (res.status === 401) throw new ScanError(localize(F.unauthorized, this.lang, { url: this.origin() }));
    if (res.status === 403) throw new ScanError(localize(F.forbidden, this.lang));
    if (res.status === 404) throw new ScanError(localize(F.notFound, this.lang, { what }));
    let message = res.body.slice(0, 200);
    try {
      const parsed = JSON.parse(res.body) as { message?: unknown };
      if (typeof parsed.message === 'string') message = parsed.message;
    } catch {
      // not JSON: the raw start of the body says more than nothing
    }
    throw new ScanError(localize(F.serverError, this.lang, { status: res.status, message: message.replace(/\s+/g, ' ').trim() }));
  }

  private origin(): string {
    return this.base.origin;
  }

  private send(url: URL): Promise<TextResponse> {
    const lang = this.lang;
    const origin = this.origin();
    return new Promise((resolve, reject) => {
      const options = {
        method: 'GET',
        headers: { authorization: `Bearer ${this.token}`, accept: 'application/json, application/sarif+json' },
        timeout: TIMEOUT_MS,
        ...(this.ca ? { ca: this.ca } : {}),
      };
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE) {
            req.destroy(new Error('response too large'));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', (err) => reject(connectionError(err, origin, lang)));
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (err) => reject(connectionError(err, origin, lang)));
      req.end();
    });
  }
}

const TLS_TRUST_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function connectionError(err: Error, url: string, lang: Lang): ScanError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (TLS_TRUST_CODES.has(code)) return new ScanError(localize(F.untrusted, lang, { url, reason: code }));
  const reason =
    code === 'ECONNREFUSED'
      ? localize(F.connectionRefused, lang)
      : code === 'ETIMEDOUT'
        ? localize(F.timedOut, lang, { seconds: TIMEOUT_MS / 1000 })
        : code || err.message;
  return new ScanError(localize(F.unreachable, lang, { url, reason }));
}
