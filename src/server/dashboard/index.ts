// The SOC dashboard: static files (plain ES modules, CSS, JSON catalogues, SVG) that talk to
// /api/v1 from the browser. Nothing is built: the build copies the folder next to the compiled module
// (scripts/copy-assets.mjs; tsc emits no HTML), so it is found relative to this file under vitest and
// when built or installed alike.
//
// Every file is read once when the server starts and served from memory by exact path: a request
// can only name a file that was in the folder, so `..` and symlink tricks have nothing to reach.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fileURLToPath } from 'node:url';
import { etagOf, matchesEtag } from '../http-cache.js';

export interface DashboardOptions {
  /** The folder holding index.html and assets/ (default: public/ beside this module). */
  root?: string;
}

interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The page loads only its own files and talks only to its own origin: no CDN, no web font, no inline
 * script, so a wall screen on an isolated SOC network renders the same as anywhere else, and an
 * injected string in agent data cannot run. Styles set from script through the CSSOM (bar widths)
 * are not inline styles in CSP's sense, so style-src stays 'self' too.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': DASHBOARD_CSP,
  'x-content-type-options': 'nosniff',
  // The viewer token lives in the page's fragment and sessionStorage; nothing should carry the page
  // address anywhere else.
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export function defaultDashboardRoot(): string {
  return fileURLToPath(new URL('./public/', import.meta.url));
}

/** index.html at `/`, everything under assets/ at `/assets/…`; other files and dotfiles are not served. */
function loadDashboardFiles(root: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const add = (urlPath: string, file: string): void => {
    const type = TYPES[extname(file).toLowerCase()];
    if (!type) return;
    const body = readFileSync(file);
    const etag = etagOf(body);
    files.set(urlPath, { body, type, etag });
  };
  const index = join(root, 'index.html');
  if (!existsSync(index)) throw new Error(`dashboard: ${index} is missing`);
  add('/', index);
  const assets = join(root, 'assets');
  for (const file of walk(assets)) add('/assets/' + relative(assets, file).split(sep).join('/'), file);
  return files;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile() || (entry.isSymbolicLink() && statSync(full).isFile())) out.push(full);
  }
  return out.sort();
}

export async function registerDashboard(app: FastifyInstance, opts: DashboardOptions = {}): Promise<void> {
  const files = loadDashboardFiles(opts.root ?? defaultDashboardRoot());

  const send = (file: StaticFile, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    reply.headers(SECURITY_HEADERS);
    // Assets keep their names across releases, so the browser must revalidate each time; the ETag
    // makes that a 304 with no body, which is all a wall screen's refresh costs (http-cache.ts
    // compresses the 200s).
    reply.header('cache-control', 'no-cache');
    reply.header('etag', file.etag);
    if (matchesEtag(request.headers['if-none-match'], file.etag)) return reply.code(304).send();
    return reply.type(file.type).send(file.body);
  };

  const notFound = (reply: FastifyReply): FastifyReply => {
    reply.headers(SECURITY_HEADERS);
    return reply.code(404).type('application/json; charset=utf-8').send({ error: 'not-found', message: 'No such dashboard file.' });
  };

  app.get('/', (request, reply) => {
    const index = files.get('/');
    return index ? send(index, request, reply) : notFound(reply);
  });
  app.get('/index.html', (_request, reply) => reply.redirect('/', 301));
  app.get('/assets/*', (request, reply) => {
    const rest = (request.params as { '*'?: string })['*'] ?? '';
    const file = files.get('/assets/' + rest);
    return file ? send(file, request, reply) : notFound(reply);
  });
}
