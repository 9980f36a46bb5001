// The dashboard's static-file plugin: right content types, a strict CSP on every answer, ETags that
// turn a wall screen's refresh into a 304, a JSON 404 for anything not shipped, and no way out of the
// folder (checked with fastify inject and with raw HTTP bytes on loopback, which no client normalises).
// Also: the shipped files need nothing from the internet, carry no inline script, and every UI string
// exists in English and Vietnamese.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, relative } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { DASHBOARD_CSP, defaultDashboardRoot, registerDashboard } from '../../src/server/dashboard/index.js';

let app: FastifyInstance;
let port: number;
const root = defaultDashboardRoot();

beforeAll(async () => {
  app = Fastify();
  await registerDashboard(app, {});
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  port = address.port;
});

afterAll(async () => {
  await app?.close();
});

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

/** One raw HTTP/1.1 request: the path goes on the wire exactly as written. */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let data = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error('timeout')));
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      resolve({ status, body: data.slice(data.indexOf('\r\n\r\n') + 4) });
    });
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
}

describe('dashboard plugin', () => {
  it.each([
    ['/', 'text/html; charset=utf-8', '<main id="main"'],
    ['/assets/app.js', 'text/javascript; charset=utf-8', 'import'],
    ['/assets/views/overview.js', 'text/javascript; charset=utf-8', 'export'],
    ['/assets/style.css', 'text/css; charset=utf-8', ':root'],
    ['/assets/i18n.json', 'application/json; charset=utf-8', '"vi"'],
    ['/assets/favicon.svg', 'image/svg+xml', '<svg'],
  ])('serves %s as %s with the security headers', async (url, type, snippet) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.body).toContain(snippet);
    expect(res.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
  });

  it('has a CSP that allows only its own origin and no inline script or style', () => {
    const directives = Object.fromEntries(
      DASHBOARD_CSP.split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v.join(' ')]),
    );
    expect(directives['default-src']).toBe("'self'");
    expect(directives['script-src']).toBe("'self'");
    expect(directives['style-src']).toBe("'self'");
    expect(directives['connect-src']).toBe("'self'");
    expect(directives['object-src']).toBe("'none'");
    expect(directives['frame-ancestors']).toBe("'none'");
    expect(DASHBOARD_CSP).not.toMatch(/unsafe|\*|https?:|data:/);
  });

  it('answers a repeat request with 304 when the ETag matches, and 200 when the file changed', async () => {
    const first = await app.inject({ method: 'GET', url: '/assets/app.js' });
    const etag = String(first.headers.etag);
    const again = await app.inject({ method: 'GET', url: '/assets/app.js', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    const weak = await app.inject({ method: 'GET', url: '/assets/app.js', headers: { 'if-none-match': `"other", W/${etag}` } });
    expect(weak.statusCode).toBe(304);
    const stale = await app.inject({ method: 'GET', url: '/assets/app.js', headers: { 'if-none-match': '"not-the-current-one"' } });
    expect(stale.statusCode).toBe(200);
    expect(stale.body).toBe(first.body);
    const head = await app.inject({ method: 'HEAD', url: '/' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-security-policy']).toBe(DASHBOARD_CSP);
  });

  it('answers unknown assets with a JSON 404', async () => {
    for (const url of ['/assets/nope.js', '/assets/', '/assets/views', '/assets/app.js/x', '/assets/APP.JS']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toEqual({ error: 'not-found', message: 'No such dashboard file.' });
      expect(res.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    }
  });

  it('cannot be walked out of its folder', async () => {
    const pkg = readFileSync(join(root, '..', '..', '..', '..', 'package.json'), 'utf8');
    const attempts = [
      '/assets/../../package.json',
      '/assets/../../../../package.json',
      '/assets/..%2f..%2f..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/assets/..\\..\\..\\..\\package.json',
      '/assets//etc/passwd',
      '/assets/%2fetc%2fpasswd',
      '/assets/../index.ts',
      '/assets/..%2findex.ts',
    ];
    for (const url of attempts) {
      const injected = await app.inject({ method: 'GET', url });
      expect(injected.body, url).not.toContain('"name": "govscan"');
      expect(injected.body, url).not.toContain('registerDashboard');
      expect(injected.body, url).not.toContain('root:');
      const raw = await rawGet(url);
      expect(raw.body, url).not.toContain('"name": "govscan"');
      expect(raw.body, url).not.toContain('registerDashboard');
      expect(raw.body, url).not.toContain('root:');
      expect([400, 404], url).toContain(raw.status);
    }
    expect(pkg).toContain('"name": "govscan"');
  });

  it('ships files that need no network, run no inline script and set no inline style', () => {
    const all = files(root);
    expect(all.map((f) => relative(root, f)).sort()).toContain('index.html');
    for (const file of all) {
      const text = readFileSync(file, 'utf8');
      const urls = (text.match(/\b(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'`)]*/gi) ?? []).filter(
        (u) => !u.startsWith('http://www.w3.org/2000/svg'),
      );
      expect(urls, relative(root, file)).toEqual([]);
      expect(text, relative(root, file)).not.toMatch(
        /@import|@font-face|\.innerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/,
      );
    }
    const html = readFileSync(join(root, 'index.html'), 'utf8');
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\ssrc="/);
    expect(html).not.toMatch(/<script\b[^>]*>[^<\s]/);
    expect(html).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
    // Scripts never set a style attribute (CSP would block it); styles go through the CSSOM.
    for (const file of all.filter((f) => f.endsWith('.js'))) {
      expect(readFileSync(file, 'utf8'), relative(root, file)).not.toMatch(/setAttribute\(\s*['"]style['"]|\.style\.cssText/);
    }
  });

  it('has every UI string in English and Vietnamese', () => {
    const catalogue = JSON.parse(readFileSync(join(root, 'assets', 'i18n.json'), 'utf8')) as {
      en: Record<string, string>;
      vi: Record<string, string>;
    };
    expect(Object.keys(catalogue.vi).sort()).toEqual(Object.keys(catalogue.en).sort());
    for (const [key, en] of Object.entries(catalogue.en)) {
      const vi = catalogue.vi[key]!;
      expect(en.trim(), key).not.toBe('');
      expect(vi.trim(), key).not.toBe('');
      // The same placeholders on both sides, so no number silently disappears in one language.
      expect((vi.match(/\{\w+\}/g) ?? []).sort(), key).toEqual((en.match(/\{\w+\}/g) ?? []).sort());
    }
    // Every key the code asks for exists (literal keys, the prefixed families, and the static page).
    const used = new Set<string>();
    for (const file of files(root)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-z0-9]+\.[A-Za-z0-9.-]+)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/data-i18n(?:-label)?="([^"]+)"/g)) used.add(m[1]!);
      for (const m of text.matchAll(/'(signin\.(?:rejected|forbidden))'/g)) used.add(m[1]!);
    }
    for (const sev of ['critical', 'high', 'medium', 'low', 'info']) used.add(`severity.${sev}`);
    for (const o of ['pass', 'fail', 'not-applicable', 'not-tested', 'waived']) used.add(`outcome.${o}`);
    for (const l of ['good', 'warn', 'bad', 'none']) used.add(`level.${l}`);
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((k) => !(k in catalogue.en));
    expect(missing).toEqual([]);
    // And nothing in the catalogue is dead weight.
    const unused = Object.keys(catalogue.en).filter((k) => !used.has(k));
    expect(unused).toEqual([]);
  });

  it('refuses to start without an index.html', async () => {
    const bare = Fastify();
    await expect(registerDashboard(bare, { root: join(root, 'assets') })).rejects.toThrow(/index\.html/);
    await bare.close();
  });
});
