import { describe, expect, it } from 'vitest';
import { dedupeTargets, parseTarget } from '../../src/core/targets.js';
import { parseResolveOverride, CachingResolver } from '../../src/core/net/resolver.js';
import { pinTargets } from '../../src/engine/dns-setup.js';

function ok(text: string) {
  const r = parseTarget(text);
  if (!r.ok) throw new Error(r.error);
  return r.target;
}

describe('target arguments', () => {
  it('parses https URLs with default and explicit ports and paths', () => {
    expect(ok('https://Portal.Gov.VN')).toMatchObject({
      key: 'https://portal.gov.vn:443',
      kind: 'web',
      host: 'portal.gov.vn',
      port: 443,
      path: '/',
    });
    expect(ok('https://portal.gov.vn:8443/dvc?x=1')).toMatchObject({ key: 'https://portal.gov.vn:8443', port: 8443, path: '/dvc?x=1' });
    expect(ok('https://[::1]:9443/')).toMatchObject({ key: 'https://[::1]:9443', host: '::1' });
  });

  it('parses host:port, including bracketed IPv6', () => {
    expect(ok('mail.gov.vn:465')).toMatchObject({ key: 'tls://mail.gov.vn:465', kind: 'host', scheme: 'tls', port: 465 });
    expect(ok('[::1]:8443')).toMatchObject({ key: 'tls://[::1]:8443', host: '::1', port: 8443 });
    expect(ok('127.0.0.1:443')).toMatchObject({ host: '127.0.0.1', port: 443 });
  });

  it('parses mail endpoints: smtp:// starts TLS with STARTTLS, smtps:// is TLS from the first byte', () => {
    expect(ok('smtp://Mail.Gov.VN')).toMatchObject({
      key: 'smtp://mail.gov.vn:25',
      kind: 'host',
      scheme: 'smtp',
      host: 'mail.gov.vn',
      port: 25,
      path: '/',
    });
    expect(ok('smtp://mail.gov.vn:587')).toMatchObject({ key: 'smtp://mail.gov.vn:587', scheme: 'smtp', port: 587 });
    expect(ok('smtp://[::1]:2525')).toMatchObject({ key: 'smtp://[::1]:2525', host: '::1', port: 2525 });
    expect(ok('smtps://mail.gov.vn')).toMatchObject({ key: 'tls://mail.gov.vn:465', kind: 'host', scheme: 'tls', port: 465 });
    expect(parseTarget('smtp://mail.gov.vn/inbox')).toEqual({
      ok: false,
      error: '"smtp://mail.gov.vn/inbox": a smtp:// endpoint has no path',
    });
  });

  it('explains what is wrong with bad targets', () => {
    expect(parseTarget('http://portal.gov.vn')).toEqual({
      ok: false,
      error: '"http://portal.gov.vn": http:// endpoints are not supported yet (use https://, smtp://, smtps:// or host:port)',
    });
    expect(parseTarget('portal.gov.vn')).toMatchObject({
      ok: true,
      target: { key: 'dns://portal.gov.vn', kind: 'domain', host: 'portal.gov.vn' },
    });
    expect(parseTarget('portal_gov!vn')).toEqual({
      ok: false,
      error: '"portal_gov!vn" is neither an https:// URL, host:port nor a domain name',
    });
    expect(parseTarget('portal.gov.vn:70000')).toEqual({ ok: false, error: '"portal.gov.vn:70000": port must be 1–65535' });
    expect(parseTarget('bad_host!:443').ok).toBe(false);
    expect(parseTarget('https://user:pw@portal.gov.vn').ok).toBe(false);
  });

  it('refuses port 0 and ports past 65535 in every form, with the same words', () => {
    for (const text of [
      'https://portal.gov.vn:0',
      'https://portal.gov.vn:0/x',
      'https://portal.gov.vn:65536',
      'smtp://mail.gov.vn:0',
      'smtps://[::1]:99999',
      'portal.gov.vn:0',
    ]) {
      expect(parseTarget(text)).toEqual({ ok: false, error: `"${text}": port must be 1–65535` });
    }
    expect(ok('https://portal.gov.vn:65535')).toMatchObject({ port: 65535 });
    expect(ok('https://portal.gov.vn:00443')).toMatchObject({ port: 443 });
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

  it('refuses a pattern in the host part: only a bare * matches every name', () => {
    expect(() => parseResolveOverride('*.example.gov.vn:443:127.0.0.1')).toThrow(
      '--resolve "*.example.gov.vn:443:127.0.0.1": "*.example.gov.vn" is a pattern: only a bare * stands for every name (list each name with its own --resolve)',
    );
    expect(() => parseResolveOverride('portal*:443:127.0.0.1')).toThrow(/"portal\*" is a pattern/);
    expect(() => parseResolveOverride('bad_host!:443:127.0.0.1')).toThrow(/"bad_host!" is not a valid host name/);
    expect(() => parseResolveOverride('portal.gov.vn:0:127.0.0.1')).toThrow(/port must be 1–65535/);
    expect(parseResolveOverride('*:443:127.0.0.1')).toEqual({ host: '*', port: 443, address: '127.0.0.1' });
  });

  it('pins the targets whose connections it decides, and names the entries that pin none', () => {
    const web = ok('https://portal.gov.vn');
    const other = ok('https://other.gov.vn:8443');
    const domain = ok('tayninh.gov.vn');
    const entries = [
      'portal.gov.vn:443:127.0.0.1',
      'other.gov.vn:443:127.0.0.1',
      'tayninh.gov.vn:443:127.0.0.1',
      'typo.gov.vn:443:127.0.0.1',
    ].map(parseResolveOverride);
    const unused = pinTargets([web, other, domain], entries);
    expect([web.addressPinned, other.addressPinned, domain.addressPinned]).toEqual([true, undefined, true]);
    // other.gov.vn:443 does not pin other.gov.vn:8443 (that one goes to DNS), and typo.gov.vn pins nothing.
    expect(unused.map((o) => o.host)).toEqual(['other.gov.vn', 'typo.gov.vn']);
    const star = ok('bare.gov.vn');
    expect(pinTargets([star], [parseResolveOverride('*:443:127.0.0.1')])).toEqual([]);
    expect(star.addressPinned).toBe(true);
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
    // A name with entries for other ports only still falls back to the `*` entry, never to DNS.
    expect(await resolver.resolve('own.test', 8443)).toEqual([{ address: '127.0.0.2', family: 4 }]);
  });
});
