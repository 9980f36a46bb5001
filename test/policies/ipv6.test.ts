// policies/vn-ct02-2022-ipv6.yaml on facts recorded from the IPv6 lab (one file per scenario in
// test/fixtures/facts/ipv6/): every rule passes on the dual-stack domain and fails on its scenario,
// with its message in English and Vietnamese; what the scanner could not try is not tested, with why.

import { beforeAll, describe, expect, it } from 'vitest';
import { describeRules, type LoadedPolicy } from '../../src/policy/index.js';
import { scoreIpv6 } from '../../src/report/ipv6-score.js';
import { reviewVietnamese } from '../helpers/vietnamese-review.js';
import { builtinPack, failedProbe, judge, outcomesOf, readRecorded, type Outcomes } from './recorded.js';

const NOW = new Date('2026-05-10T08:00:00Z');
const NO_MX = ['IPV6-MX-AAAA', 'IPV6-MX-NON-GLOBAL', 'IPV6-MX-REACH'];
const NO_V6_WEB = [...NO_MX, 'IPV6-PORT-PARITY', 'IPV6-WEB-REACH', 'IPV6-WEB-SAME-SITE'];

// Recorded scenario → outcomes other than pass (every rule not named passed).
const CASES: [string, Outcomes][] = [
  ['dual', {}],
  ['v4only', { fail: ['IPV6-WEB-AAAA'], 'not-applicable': NO_V6_WEB }],
  ['closed', { fail: ['IPV6-PORT-PARITY', 'IPV6-WEB-REACH'], 'not-applicable': [...NO_MX, 'IPV6-WEB-SAME-SITE'] }],
  ['mapped', { fail: ['IPV6-AAAA-NON-GLOBAL', 'IPV6-WEB-AAAA'], 'not-applicable': NO_V6_WEB }],
  ['ula', { fail: ['IPV6-AAAA-NON-GLOBAL', 'IPV6-WEB-AAAA'], 'not-applicable': NO_V6_WEB }],
  ['doc', { fail: ['IPV6-AAAA-NON-GLOBAL', 'IPV6-WEB-AAAA'], 'not-applicable': NO_V6_WEB }],
  ['onens', { fail: ['IPV6-NS-AAAA'], 'not-applicable': NO_MX }],
  ['nsdown', { fail: ['IPV6-NS-REACH'], 'not-applicable': NO_MX }],
  ['mxv4', { fail: ['IPV6-MX-AAAA'], 'not-applicable': ['IPV6-MX-REACH'] }],
  ['mxdown', { fail: ['IPV6-MX-REACH'] }],
  // A null MX says the domain takes no mail: nothing to reach.
  ['nullmx', { 'not-applicable': ['IPV6-MX-NON-GLOBAL', 'IPV6-MX-REACH'] }],
  ['diff', { fail: ['IPV6-WEB-SAME-SITE'], 'not-applicable': NO_MX }],
  ['waf', { fail: ['IPV6-WEB-SAME-SITE'], 'not-applicable': NO_MX }],
  // No HTTP answer over IPv4: nothing to compare the IPv6 site with.
  ['nohttp', { 'not-tested': ['IPV6-WEB-SAME-SITE'], 'not-applicable': NO_MX }],
  ['ngmail', { fail: ['IPV6-MX-AAAA', 'IPV6-MX-NON-GLOBAL', 'IPV6-NS-AAAA', 'IPV6-NS-NON-GLOBAL'], 'not-applicable': ['IPV6-MX-REACH'] }],
  ['parity', { fail: ['IPV6-PORT-PARITY'], 'not-applicable': NO_MX }],
  // The same dual-stack domain scanned with --ipv6-connectivity no: reachability is not tested, never failed.
  [
    'dual-scanner-without-ipv6',
    { 'not-tested': ['IPV6-MX-REACH', 'IPV6-NS-REACH', 'IPV6-PORT-PARITY', 'IPV6-WEB-REACH'], 'not-applicable': ['IPV6-WEB-SAME-SITE'] },
  ],
];

// The message of each rule on the first scenario above that fails it.
const MESSAGES: Record<string, { en: string; vi: string }> = {
  'IPV6-WEB-AAAA': {
    en: 'v4only.test and www.v4only.test: no AAAA record with a global IPv6 address; expected every web host of v4only.test to be published over IPv6.',
    vi: 'v4only.test và www.v4only.test: không có bản ghi AAAA với địa chỉ IPv6 toàn cầu; yêu cầu mọi máy chủ web của v4only.test được công bố qua IPv6.',
  },
  'IPV6-WEB-REACH': {
    en: 'closed.test not reachable over IPv6 like over IPv4: closed.test [::1] closed 80/443; expected TCP 80/443 open on every IPv6 address wherever IPv4 is open.',
    vi: 'closed.test không kết nối được qua IPv6 như qua IPv4: closed.test [::1] đóng cổng 80/443; yêu cầu cổng TCP 80/443 mở trên mọi địa chỉ IPv6 như trên IPv4.',
  },
  'IPV6-PORT-PARITY': {
    en: 'closed.test: ports open over IPv4 only: closed.test [127.0.0.1] 80/443; expected the same ports open over IPv6.',
    vi: 'closed.test: cổng chỉ mở qua IPv4: closed.test [127.0.0.1] 80/443; yêu cầu các cổng này cũng mở qua IPv6.',
  },
  'IPV6-AAAA-NON-GLOBAL': {
    en: 'mapped.test: non-global AAAA published: mapped.test ::ffff:127.0.0.1 (ipv4-mapped); expected only global unicast IPv6 addresses in public DNS.',
    vi: 'mapped.test: công bố bản ghi AAAA không toàn cầu: mapped.test ::ffff:127.0.0.1 (IPv4-mapped); yêu cầu DNS công khai chỉ chứa địa chỉ IPv6 unicast toàn cầu.',
  },
  'IPV6-NS-AAAA': {
    en: 'Zone onens.test: 1 name server(s) with a global IPv6 address (without: nsv4.lab.test); expected at least 2.',
    vi: 'Vùng onens.test: 1 máy chủ tên miền có địa chỉ IPv6 toàn cầu (không có: nsv4.lab.test); yêu cầu tối thiểu 2.',
  },
  'IPV6-NS-REACH': {
    en: 'No DNS answer over IPv6 from nsdown.lab.test [::1] (zone nsdown.test); expected every name server address to answer.',
    vi: 'Không có phản hồi DNS qua IPv6 từ nsdown.lab.test [::1] (vùng nsdown.test); yêu cầu mọi địa chỉ máy chủ tên miền đều trả lời.',
  },
  'IPV6-MX-AAAA': {
    en: 'MX host(s) of mxv4.test without a global IPv6 address: mx4.lab.test; expected every MX host to have an AAAA record.',
    vi: 'Máy chủ MX của mxv4.test không có địa chỉ IPv6 toàn cầu: mx4.lab.test; yêu cầu mọi máy chủ MX có bản ghi AAAA.',
  },
  'IPV6-MX-REACH': {
    en: 'mxdown.test: no SMTP greeting over IPv6 on port 25 from mxdown.lab.test [::1]; expected every MX address to accept mail over IPv6.',
    vi: 'mxdown.test: không nhận được lời chào SMTP qua IPv6 trên cổng 25 từ mxdown.lab.test [::1]; yêu cầu mọi địa chỉ MX nhận thư qua IPv6.',
  },
  'IPV6-WEB-SAME-SITE': {
    en: 'Not the same site over IPv6: diff.test:80 IPv4 200 / IPv6 200, similarity 0.034, diff.test:443 IPv4 200 / IPv6 200, similarity 0.034; expected the same status and at least 0.9 similarity.',
    vi: 'Trang web qua IPv6 không giống qua IPv4: diff.test:80 IPv4 200 / IPv6 200, độ tương đồng 0,034, diff.test:443 IPv4 200 / IPv6 200, độ tương đồng 0,034; yêu cầu cùng mã trạng thái và độ tương đồng tối thiểu 0,9.',
  },
  'IPV6-NS-NON-GLOBAL': {
    en: 'Zone ngmail.test: name server(s) with a non-global AAAA: nsmapped.lab.test ::ffff:127.0.0.1 (ipv4-mapped); expected only global unicast IPv6 addresses for name servers.',
    vi: 'Vùng ngmail.test: máy chủ tên miền có bản ghi AAAA không toàn cầu: nsmapped.lab.test ::ffff:127.0.0.1 (IPv4-mapped); yêu cầu máy chủ tên miền chỉ có địa chỉ IPv6 unicast toàn cầu.',
  },
  'IPV6-MX-NON-GLOBAL': {
    en: 'MX host(s) of ngmail.test with a non-global AAAA: mxula.lab.test fd00::25 (ula); expected only global unicast IPv6 addresses for mail servers.',
    vi: 'Máy chủ MX của ngmail.test có bản ghi AAAA không toàn cầu: mxula.lab.test fd00::25 (ULA); yêu cầu máy chủ thư chỉ có địa chỉ IPv6 unicast toàn cầu.',
  },
};

let pack: LoadedPolicy;
beforeAll(async () => {
  pack = await builtinPack('vn-ct02-2022-ipv6');
});

describe('vn-ct02-2022-ipv6 on recorded facts', () => {
  it.each(CASES)('%s', (name, expected) => {
    const findings = judge(pack, readRecorded('ipv6', name), NOW);
    expect(findings.map((f) => f.ruleId).sort()).toEqual(pack.rules.map((r) => r.id).sort());
    expect(outcomesOf(findings)).toEqual(expected);
  });

  it('passes and fails every rule somewhere, with its message in both languages', () => {
    const rules = pack.rules.map((r) => r.id).sort();
    expect(Object.keys(MESSAGES).sort()).toEqual(rules);
    const passed = new Set<string>();
    const messages = new Map<string, { en: string; vi: string }>();
    for (const [name] of CASES) {
      for (const f of judge(pack, readRecorded('ipv6', name), NOW)) {
        if (f.outcome === 'pass') passed.add(f.ruleId);
        if (f.outcome === 'fail' && !messages.has(f.ruleId)) messages.set(f.ruleId, f.message);
      }
    }
    expect([...passed].sort()).toEqual(rules);
    expect(Object.fromEntries([...messages].sort())).toEqual(Object.fromEntries(Object.entries(MESSAGES).sort()));
    for (const [id, m] of messages) expect(reviewVietnamese(m.vi, id)).toEqual([]);
  });

  it('says why reachability was not tested when the scanning host has no IPv6', () => {
    const ns = judge(pack, readRecorded('ipv6', 'dual-scanner-without-ipv6'), NOW).find((f) => f.ruleId === 'IPV6-NS-REACH');
    expect(ns?.reasonText).toEqual({
      en: 'the scanning host has no IPv6 connectivity (--ipv6-connectivity no: the scanning host is treated as having no IPv6): nothing was tried over IPv6',
      vi: 'máy quét không có kết nối IPv6 (--ipv6-connectivity no: coi như máy quét không có IPv6): chưa thử kết nối nào qua IPv6',
    });
    // The rules whose reason is built in their expression say it in Vietnamese words too.
    const findings = judge(pack, readRecorded('ipv6', 'dual-scanner-without-ipv6'), NOW);
    for (const id of ['IPV6-WEB-REACH', 'IPV6-PORT-PARITY', 'IPV6-MX-REACH', 'IPV6-NS-REACH']) {
      const f = findings.find((x) => x.ruleId === id);
      expect(f?.outcome, id).toBe('not-tested');
      expect(f?.reasonText?.vi, id).toContain('(--ipv6-connectivity no: coi như máy quét không có IPv6): chưa thử kết nối nào qua IPv6');
      expect(reviewVietnamese(f?.reasonText?.vi ?? '', id)).toEqual([]);
    }
  });

  it('a probe that could not run (nmap missing) leaves its rule not tested with the reason, the others judged', () => {
    const recorded = failedProbe(readRecorded('ipv6', 'parity'), 'ipv6.parity', 'tool-missing', 'nmap is not installed');
    const findings = judge(pack, recorded, NOW);
    expect(outcomesOf(findings)).toEqual({ 'not-tested': ['IPV6-PORT-PARITY'], 'not-applicable': NO_MX });
    expect(findings.find((f) => f.ruleId === 'IPV6-PORT-PARITY')?.reason).toContain('nmap is not installed');
  });

  it('scores come from the categories the rules declare: every rule has one', () => {
    expect(pack.rules.filter((r) => r.category === null).map((r) => r.id)).toEqual([]);
    expect(Object.fromEntries(pack.rules.map((r) => [r.id, r.category]))).toMatchObject({
      'IPV6-PORT-PARITY': 'web',
      'IPV6-NS-REACH': 'nameServers',
      'IPV6-MX-NON-GLOBAL': 'mail',
    });
  });

  it('a rule scores in the category its YAML names: one added to the pack is not left out', () => {
    const recorded = readRecorded('ipv6', 'dual');
    const findings = judge(pack, recorded, NOW);
    const rules = describeRules([pack]);
    const mail = (rs: typeof rules, fs: typeof findings) =>
      scoreIpv6({ targets: [recorded.target], findings: fs, rules: rs })[0]?.categories.find((c) => c.category === 'mail');
    expect(mail(rules, findings)).toEqual({ category: 'mail', score: 100, passed: 3, failed: 0, failedRules: [] });
    const added = { ...rules[0]!, id: 'IPV6-MX-DANE', category: 'mail' as const };
    const failed = { ...findings[0]!, ruleId: 'IPV6-MX-DANE', outcome: 'fail' as const };
    expect(mail([...rules, added], [...findings, failed])).toEqual({
      category: 'mail',
      score: 75,
      passed: 3,
      failed: 1,
      failedRules: ['IPV6-MX-DANE'],
    });
  });
});
