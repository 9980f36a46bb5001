// The IPv6 readiness family (Directive 02/CT-TTg §1.n, 38/QĐ-BTTTT "IPv6 For Gov"): its checks, its
// flags (--lab, --port-map, --ipv6-connectivity, --nmap) and the pack that judges it.

import type { CheckFamily } from '../../src/core/family.js';
import type { Check } from '../../src/core/types.js';
import { ipv6MxCheck, ipv6NsCheck, ipv6ParityCheck, ipv6WebCheck } from './checks.js';
import { IPV6_OPTIONS, networkEnvironment } from './options.js';

export const ipv6Family: CheckFamily = {
  id: 'ipv6',
  idPrefixes: ['ipv6'],
  title: {
    en: 'IPv6 readiness: web, name servers, mail, port parity',
    vi: 'Mức sẵn sàng IPv6: web, máy chủ tên miền, thư điện tử, tương đồng cổng mở',
  },
  checks: [ipv6WebCheck as Check, ipv6NsCheck as Check, ipv6MxCheck as Check, ipv6ParityCheck as Check],
  options: IPV6_OPTIONS,
  prepare: async (values) => ({ network: await networkEnvironment(values) }),
  packs: ['vn-ct02-2022-ipv6'],
};
