import { describe, expect, it } from 'vitest';
import { parseHsts, parseHttpHead } from '../../../checks/tls/hsts.js';
import { hostHeader } from '../../../checks/tls/probe-http.js';

describe('parseHsts', () => {
  it('reads every directive, case-insensitively', () => {
    expect(parseHsts('max-age=31536000; includeSubDomains; preload')).toEqual({ maxAge: 31536000, includeSubDomains: true, preload: true });
    expect(parseHsts('Max-Age="600";INCLUDESUBDOMAINS')).toEqual({ maxAge: 600, includeSubDomains: true, preload: false });
    expect(parseHsts(' max-age = 0 ')).toEqual({ maxAge: 0, includeSubDomains: false, preload: false });
  });

  it('leaves maxAge null when it is missing or not delta-seconds', () => {
    expect(parseHsts('includeSubDomains').maxAge).toBeNull();
    expect(parseHsts('max-age=-1').maxAge).toBeNull();
    expect(parseHsts('max-age=1y').maxAge).toBeNull();
    expect(parseHsts('').maxAge).toBeNull();
  });

  it('keeps the first of a repeated directive and ignores unknown ones', () => {
    expect(parseHsts('max-age=10; max-age=20; foo=bar').maxAge).toBe(10);
  });
});

describe('parseHttpHead', () => {
  it('reads status and headers', () => {
    const head = parseHttpHead('HTTP/1.1 301 Moved\r\nStrict-Transport-Security: max-age=1\r\nX-A: 1\r\nx-a: 2');
    expect(head?.status).toBe(301);
    expect(head?.headers.get('strict-transport-security')).toEqual(['max-age=1']);
    expect(head?.headers.get('x-a')).toEqual(['1', '2']);
  });

  it('rejects what is not HTTP', () => {
    expect(parseHttpHead('220 smtp ready')).toBeNull();
  });
});

describe('hostHeader', () => {
  it('brackets IPv6 and keeps non-default ports', () => {
    expect(hostHeader('portal.gov.vn', 443)).toBe('portal.gov.vn');
    expect(hostHeader('portal.gov.vn', 8443)).toBe('portal.gov.vn:8443');
    expect(hostHeader('::1', 8443)).toBe('[::1]:8443');
  });
});
