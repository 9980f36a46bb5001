// The benchmark's domains: nine in ten dual-stack, one in ten IPv4-only, all sharing two name servers
// and one mail host, as many agency domains under one provider do.

import { sameSite, type Ipv6Scenario } from '../../src/lab/dns-lab.js';

function benchScenario(i: number): Ipv6Scenario {
  const domain = `d${i}.bench.test`;
  const v4only = i % 10 === 9;
  const v6 = v4only ? {} : { AAAA: ['::1'] };
  return {
    domain,
    description: v4only ? 'v4 only' : 'dual stack',
    zones: {
      [domain]: { A: ['127.0.0.1'], ...v6, NS: ['ns1.lab.test', 'ns2.lab.test'], MX: [{ preference: 10, exchange: 'mx.lab.test' }] },
      [`www.${domain}`]: { A: ['127.0.0.1'], ...v6 },
    },
    sites: { [domain]: sameSite(domain), [`www.${domain}`]: sameSite(`www.${domain}`) },
    expected: v4only ? ['IPV6-WEB-AAAA'] : [],
  };
}

export function benchScenarios(n: number): Ipv6Scenario[] {
  return Array.from({ length: n }, (_, i) => benchScenario(i));
}
