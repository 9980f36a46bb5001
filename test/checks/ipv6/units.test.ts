// Pure pieces of the IPv6 family: address classes, connectivity from interfaces, the port map, nmap
// XML, the content comparison, and the per-domain score on recorded findings.

import { describe, expect, it } from 'vitest';
import { addressClass, classify, detectIpv6, dialPort, parsePortMap } from '../../../checks/ipv6/network.js';
import { parseNmapXml } from '../../../checks/ipv6/probe-parity.js';
import { similarity } from '../../../checks/ipv6/similarity.js';
import { parseDnsServer } from '../../../src/core/net/resolver.js';
import { scoreIpv6 } from '../../../src/report/ipv6-score.js';
import type { Finding, Target } from '../../../src/core/types.js';
import { domainTarget } from '../../../src/core/targets.js';

describe('address classes', () => {
  it.each([
    ['2a00:1450:4001::1', 'global'],
    ['::1', 'loopback'],
    ['::ffff:203.0.113.5', 'ipv4-mapped'],
    ['fd00::1234', 'ula'],
    ['fe80::1', 'link-local'],
    ['2001:db8::80', 'documentation'],
    ['2002:c000:201::1', '6to4'],
    ['2001:0:4136:e378::1', 'teredo'],
    ['ff02::1', 'multicast'],
    ['::', 'other'],
    ['64:ff9b::1.2.3.4', 'other'],
    ['203.0.113.7', 'documentation'],
    ['192.0.2.2', 'documentation'],
    ['10.1.2.3', 'private'],
    ['127.0.0.1', 'loopback'],
    ['8.8.8.8', 'global'],
  ])('%s is %s', (address, cls) => {
    expect(addressClass(address)).toBe(cls);
  });

  it('only global addresses, and loopback under --lab, are usable', () => {
    expect(classify('::1', false).usable).toBe(false);
    expect(classify('::1', true).usable).toBe(true);
    expect(classify('fd00::1', true).usable).toBe(false);
    expect(classify('2a00:1450::1', false)).toMatchObject({ global: true, usable: true, family: 6 });
  });

  it('decides IPv6 connectivity from interfaces: ULA and link-local do not count', () => {
    const ula = { eth0: [{ address: 'fd00::2', family: 'IPv6' as const, internal: false, netmask: '', mac: '', cidr: null, scopeid: 0 }] };
    expect(detectIpv6(ula).available).toBe(false);
    const global = {
      eth0: [{ address: '2a01:db9::2', family: 'IPv6' as const, internal: false, netmask: '', mac: '', cidr: null, scopeid: 0 }],
    };
    expect(detectIpv6(global)).toMatchObject({ available: true });
  });
});

describe('lab aids and resolver flags', () => {
  it('maps ports, host-specific first', () => {
    const env = {
      lab: true,
      ipv6: { available: true, reason: '' },
      nmap: 'nmap',
      portMap: [parsePortMap('443=8443'), parsePortMap('ns2.example.test:53=5354')],
    };
    expect(dialPort(env, 'a.test', 443)).toBe(8443);
    expect(dialPort(env, 'ns2.example.test', 53)).toBe(5354);
    expect(dialPort(env, 'ns1.example.test', 53)).toBe(53);
    expect(() => parsePortMap('443:8443')).toThrow(/expected \[HOST:\]PORT=LOCALPORT/);
  });

  it('parses --dns-server with bracketed IPv6 literals', () => {
    expect(parseDnsServer('[::1]:5353')).toBe('[::1]:5353');
    expect(parseDnsServer('127.0.0.1:53')).toBe('127.0.0.1:53');
    expect(parseDnsServer('::1')).toBe('[::1]:53');
    expect(() => parseDnsServer('dns.example:53')).toThrow(/expected an IP address/);
  });

  it('treats a bare domain as a domain target', () => {
    expect(domainTarget('Portal.Gov.VN.')).toMatchObject({ key: 'dns://portal.gov.vn', kind: 'domain', scheme: 'dns' });
  });
});

describe('nmap XML', () => {
  it('reads open TCP ports of the scanned host, IPv6 included', () => {
    const xml = `<?xml version="1.0"?><nmaprun scanner="nmap" version="7.93"><host><status state="up"/><address addr="::1" addrtype="ipv6"/>
      <ports><port protocol="tcp" portid="25"><state state="closed"/></port><port protocol="tcp" portid="443"><state state="open"/></port></ports></host></nmaprun>`;
    expect(parseNmapXml(xml, '::1')).toEqual({ open: new Set([443]), version: '7.93' });
  });
});

describe('same-site comparison', () => {
  it('ignores nonces, tokens and timestamps', () => {
    const a =
      '<html><meta name="csrf-token" content="a81f9c0d2e7b4411aa"><p>Hello</p><script nonce="Zx81kq2">x</script> 2024-05-01T10:00:00Z</html>';
    const b =
      '<html><meta name="csrf-token" content="ffe01b9a77c3d2e1b0"><p>Hello</p><script nonce="Qa19dd0">x</script> 2024-05-01T10:00:07Z</html>';
    expect(similarity(a, b)).toBe(1);
    expect(similarity(a, '<html><body>It works!</body></html>')).toBeLessThan(0.5);
    expect(similarity('', '')).toBe(1);
  });
});

describe('IPv6 score on recorded findings', () => {
  const target = (host: string): Target => domainTarget(host);
  const finding = (t: Target, ruleId: string, outcome: Finding['outcome']): Finding => ({
    ruleId,
    policyId: 'vn-ct02-2022-ipv6',
    policyVersion: '1.0.0',
    check: 'ipv6.web',
    target: t.key,
    outcome,
    severity: 'medium',
    title: { en: '', vi: '' },
    message: { en: '', vi: '' },
    references: [],
    evidence: {},
    fingerprint: '',
  });

  it('scores each category as passed ÷ judged and the domain as the mean of scored categories', () => {
    const a = target('a.test');
    const www = { ...target('www.a.test') };
    const findings = [
      finding(a, 'IPV6-WEB-AAAA', 'pass'),
      finding(a, 'IPV6-WEB-REACH', 'fail'),
      finding(a, 'IPV6-WEB-SAME-SITE', 'not-tested'),
      finding(www, 'IPV6-AAAA-NON-GLOBAL', 'pass'),
      finding(a, 'IPV6-NS-AAAA', 'pass'),
      finding(a, 'IPV6-NS-REACH', 'pass'),
      finding(a, 'IPV6-MX-AAAA', 'not-applicable'),
      finding(a, 'TLS-CERT-EXPIRED', 'fail'),
    ];
    const rules = [
      ...['IPV6-WEB-AAAA', 'IPV6-WEB-REACH', 'IPV6-WEB-SAME-SITE', 'IPV6-AAAA-NON-GLOBAL'].map((id) => ({ id, category: 'web' as const })),
      ...['IPV6-NS-AAAA', 'IPV6-NS-REACH'].map((id) => ({ id, category: 'nameServers' as const })),
      { id: 'IPV6-MX-AAAA', category: 'mail' as const },
      { id: 'TLS-CERT-EXPIRED' },
    ];
    const [score] = scoreIpv6({ targets: [a, www], findings, rules });
    expect(score?.domain).toBe('a.test');
    expect(score?.categories).toEqual([
      { category: 'web', score: 67, passed: 2, failed: 1, failedRules: ['IPV6-WEB-REACH'] },
      { category: 'nameServers', score: 100, passed: 2, failed: 0, failedRules: [] },
      { category: 'mail', score: null, passed: 0, failed: 0, failedRules: [] },
    ]);
    expect(score?.score).toBe(84);
  });

  it('gives no score when no IPv6 rule was judged', () => {
    const t = target('b.test');
    expect(
      scoreIpv6({
        targets: [t],
        findings: [finding(t, 'IPV6-WEB-REACH', 'not-tested')],
        rules: [{ id: 'IPV6-WEB-REACH', category: 'web' }],
      }),
    ).toEqual([]);
  });
});
