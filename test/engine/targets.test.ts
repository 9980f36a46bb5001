import { describe, expect, it } from 'vitest';
import { dedupeTargets, parseTarget } from '../../src/engine/targets.js';
import { parseResolveOverride, CachingResolver } from '../../src/engine/resolver.js';

function ok(text: string) {
  const r = parseTarget(text);
  if (!r.ok) throw new Error(r.error);
  return r.target;
}

describe('target arguments', () => {
  it('parses https URLs with default and explicit ports and paths', () => {
    expect(ok('https://Portal.Gov.VN')).toMatchObject({ key: 'https://portal.gov.vn:443', kind: 'web', host: 'portal.gov.vn', port: 443, path: '/' });
    expect(ok('https://portal.gov.vn:8443/dvc?x=1')).toMatchObject({ key: 'https://portal.gov.vn:8443', port: 8443, path: '/dvc?x=1' });
    expect(ok('https://[::1]:9443/')).toMatchObject({ key: 'https://[::1]:9443', host: '::1' });
  });

  it('parses host:port, including bracketed IPv6', () => {
    expect(ok('mail.gov.vn:465')).toMatchObject({ key: 'tls://mail.gov.vn:465', kind: 'host', scheme: 'tls', port: 465 });
    expect(ok('[::1]:8443')).toMatchObject({ key: 'tls://[::1]:8443', host: '::1', port: 8443 });
    expect(ok('127.0.0.1:443')).toMatchObject({ host: '127.0.0.1', port: 443 });
  });

  it('parses mail endpoints: smtp:// starts TLS with STARTTLS, smtps:// is TLS from the first byte', () => {
    expect(ok('smtp://Mail.Gov.VN')).toMatchObject({ key: 'smtp://mail.gov.vn:25', kind: 'host', scheme: 'smtp', host: 'mail.gov.vn', port: 25, path: '/' });
    expect(ok('smtp://mail.gov.vn:587')).toMatchObject({ key: 'smtp://mail.gov.vn:587', scheme: 'smtp', port: 587 });
    expect(ok('smtp://[::1]:2525')).toMatchObject({ key: 'smtp://[::1]:2525', host: '::1', port: 2525 });
    expect(ok('smtps://mail.gov.vn')).toMatchObject({ key: 'tls://mail.gov.vn:465', kind: 'host', scheme: 'tls', port: 465 });
    expect(parseTarget('smtp://mail.gov.vn/inbox')).toEqual({ ok: false, error: '"smtp://mail.gov.vn/inbox": a smtp:// endpoint has no path' });
  });

  it('explains what is wrong with bad targets', () => {
    expect(parseTarget('http://portal.gov.vn')).toEqual({ ok: false, error: '"http://portal.gov.vn": http:// endpoints are not supported yet (use https://, smtp://, smtps:// or host:port)' });
    expect(parseTarget('portal.gov.vn')).toMatchObject({ ok: true, target: { key: 'dns://portal.gov.vn', kind: 'domain', host: 'portal.gov.vn' } });
    expect(parseTarget('portal_gov!vn')).toEqual({ ok: false, error: '"portal_gov!vn" is neither an https:// URL, host:port nor a domain name' });
    expect(parseTarget('portal.gov.vn:70000')).toEqual({ ok: false, error: '"portal.gov.vn:70000": port must be 1–65535' });
    expect(parseTarget('bad_host!:443').ok).toBe(false);
    expect(parseTarget('https://user:pw@portal.gov.vn').ok).toBe(false);
  });

  it('keeps the first declaration of a duplicate', () => {
    const a = ok('https://a.gov.vn');
    const b = { ...ok('https://a.gov.vn:443/other'), path: '/other' };
    expect(dedupeTargets([a, b])).toEqual([a]);
  });
});

describe('--resolve', () => {
  it('parses curl-style overrides with IPv4, IPv6 and wildcard ports', () => {
    expect(parseResolveOverride('portal.gov.vn:443:127.0.0.1')).toEqual({ host: 'portal.gov.vn', port: 443, address: '127.0.0.1' });
    expect(parseResolveOverride('portal.gov.vn:8443:[::1]')).toEqual({ host: 'portal.gov.vn', port: 8443, address: '::1' });
    expect(parseResolveOverride('Portal.gov.vn:*:::1')).toEqual({ host: 'portal.gov.vn', port: '*', address: '::1' });
  });

  it('rejects overrides that do not name an IP address', () => {
    expect(() => parseResolveOverride('portal.gov.vn:443:example.org')).toThrow(/expected HOST:PORT:ADDRESS/);
    expect(() => parseResolveOverride('portal.gov.vn:127.0.0.1')).toThrow(/expected HOST:PORT:ADDRESS/);
  });

  it('answers from overrides and literals without asking DNS', async () => {
    const resolver = new CachingResolver({
      timeoutMs: 100,
      // No server reachable on this port: any DNS query would fail the test instead of leaving loopback.
      servers: ['127.0.0.1:9'],
      overrides: [parseResolveOverride('portal.gov.vn:443:127.0.0.1'), parseResolveOverride('portal.gov.vn:*:::1')],
    });
    expect(await resolver.resolve('portal.gov.vn', 443)).toEqual([{ address: '127.0.0.1', family: 4 }]);
    expect(await resolver.resolve('PORTAL.gov.vn', 8443)).toEqual([{ address: '::1', family: 6 }]);
    expect(await resolver.resolve('::1', 443)).toEqual([{ address: '::1', family: 6 }]);
  });
});

describe('--resolve wildcard host', () => {
  it('applies to names without an entry of their own', async () => {
    const resolver = new CachingResolver({
      timeoutMs: 100,
      servers: ['127.0.0.1:9'],
      overrides: [parseResolveOverride('*:*:127.0.0.2'), parseResolveOverride('own.test:443:127.0.0.3')],
    });
    expect(await resolver.resolve('any.bench.test', 1234)).toEqual([{ address: '127.0.0.2', family: 4 }]);
    expect(await resolver.resolve('own.test', 443)).toEqual([{ address: '127.0.0.3', family: 4 }]);
  });
});
