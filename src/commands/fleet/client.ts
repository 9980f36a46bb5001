// The HTTP side of `govscan fleet …`: GET requests to a govscan server with a bearer token, over
// HTTP or HTTPS with an optional private CA. Every way a request can fail becomes one line: flags the
// user got wrong are input errors (exit 2), a server that cannot be reached or refuses is exit 3.

import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { InputError, ScanError } from '../../core/errors.js';
import { readCaFile } from '../../cli/credential-files.js';
import type { Lang, Localized } from '../../core/types.js';
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

/** What the client says of a missing or refused token. */
export interface ClientTexts {
  tokenRequired: Localized;
  forbidden: Localized;
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
    private readonly texts: ClientTexts,
  ) {}

  /** `texts`: what to say of a missing or forbidden token, for commands that need another role than fleet's viewer. */
  static async connect(flags: FleetConnection, lang: Lang, texts: Partial<ClientTexts> = {}): Promise<FleetClient> {
    if (!flags.server) throw InputError.unlocated(localize(F.serverRequired, lang));
    // URL.canParse, not URL.parse: the latter needs Node 22.
    const base = URL.canParse(flags.server) ? new URL(flags.server) : null;
    if (!base || (base.protocol !== 'http:' && base.protocol !== 'https:')) {
      throw InputError.unlocated(localize(F.serverBad, lang, { value: JSON.stringify(flags.server) }));
    }
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    const said: ClientTexts = { tokenRequired: F.tokenRequired, forbidden: F.forbidden, ...texts };
    if (!flags.token) throw InputError.unlocated(localize(said.tokenRequired, lang));
    const ca = flags['ca-file'] ? await readCaFile(flags['ca-file'], '--ca-file') : undefined;
    return new FleetClient(base, flags.token, ca, lang, said);
  }

  /** GET a JSON resource under /api/v1; `what` names it in a 404 message. */
  async getJson<T>(path: string, query: Record<string, string | number | undefined>, what: string): Promise<T> {
    return this.json<T>(await this.get(path, query, what));
  }

  /** POST a JSON body to a resource under /api/v1 and read its JSON answer; `what` names it in a 404 message. */
  async postJson<T>(path: string, body: unknown, what: string): Promise<T> {
    const res = await this.send('POST', new URL(path.replace(/^\//, ''), this.base), JSON.stringify(body));
    return this.json<T>(this.checked(res, what));
  }

  async get(path: string, query: Record<string, string | number | undefined>, what: string): Promise<TextResponse> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    return this.checked(await this.send('GET', url), what);
  }

  private json<T>(res: TextResponse): T {
    if (!res.contentType.includes('json')) throw new ScanError(localize(F.notJson, this.lang, { url: this.origin() }));
    try {
      return JSON.parse(res.body) as T;
    } catch {
      throw new ScanError(localize(F.notJson, this.lang, { url: this.origin() }));
    }
  }

  /** The answer when it is a success; otherwise its failure as one line (the server's own words in the user's language when it gave both). */
  private checked(res: TextResponse, what: string): TextResponse {
    if (res.status >= 200 && res.status < 300) return res;
    if (res.status === 401) throw new ScanError(localize(F.unauthorized, this.lang, { url: this.origin() }));
    if (res.status === 403) throw new ScanError(localize(this.texts.forbidden, this.lang));
    if (res.status === 404) throw new ScanError(localize(F.notFound, this.lang, { what }));
    // 400: the server judged what the user asked (a bad cron expression, an unknown agency): bad input, exit 2.
    const failure = res.status === 400 ? (text: string) => InputError.unlocated(text) : (text: string) => new ScanError(text);
    let message = res.body.slice(0, 200);
    try {
      const parsed = JSON.parse(res.body) as { message?: unknown; localized?: Partial<Record<Lang, unknown>> };
      const own = parsed.localized?.[this.lang];
      if (typeof own === 'string') message = own;
      else if (typeof parsed.message === 'string') message = parsed.message;
    } catch {
      // not JSON: the raw start of the body says more than nothing
    }
    throw failure(localize(F.serverError, this.lang, { status: res.status, message: message.replace(/\s+/g, ' ').trim() }));
  }

  private origin(): string {
    return this.base.origin;
  }

  private send(method: 'GET' | 'POST', url: URL, body?: string): Promise<TextResponse> {
    const lang = this.lang;
    const origin = this.origin();
    return new Promise((resolve, reject) => {
      const options = {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/json, application/sarif+json',
          ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }),
        },
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
      req.end(body);
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
