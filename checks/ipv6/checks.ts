// The IPv6 readiness checks (Directive 02/CT-TTg §1.n, 38/QĐ-BTTTT "IPv6 For Gov").
// They judge what DNS publishes, so they apply to bare domains and to web targets whose addresses
// come from DNS — not to an IP literal, nor to a web target pinned with --resolve (its TLS is what is
// tested there). A bare domain is nothing but its DNS: pinned, it is not tested, with the reason.

import { isIP } from 'node:net';
import { ProbeError, type Check, type CheckContext, type Target } from '../../src/core/types.js';
import { fillBoth } from '../../src/core/messages.js';
import { lazyProbe } from '../../src/core/family.js';
import { IPV6_MESSAGES } from './messages.js';
import type { MxFacts, NsFacts, ParityFacts, WebFacts } from './facts.js';
import { mxFactsSchema, nsFactsSchema, parityFactsSchema, webFactsSchema } from './facts.schema.js';

const isName = (t: Target): boolean => isIP(t.host) === 0;
const domain = (t: Target): boolean => t.kind === 'domain' && isName(t);
const webOrDomain = (t: Target): boolean => domain(t) || (t.kind === 'web' && !t.addressPinned && isName(t));

/** A probe of what DNS publishes, refused for a name whose addresses --resolve pins. */
function fromDns<F>(probe: (target: Target, ctx: CheckContext) => Promise<F>): (target: Target, ctx: CheckContext) => Promise<F> {
  return async (target, ctx) => {
    if (target.addressPinned) throw new ProbeError('dns', fillBoth(IPV6_MESSAGES.pinned, { host: target.host }));
    return probe(target, ctx);
  };
}

export const ipv6WebCheck: Check<WebFacts> = {
  id: 'ipv6.web',
  family: 'ipv6',
  title: {
    en: 'IPv6 for the web: AAAA, reachability on 80/443, same site as over IPv4',
    vi: 'IPv6 cho web: bản ghi AAAA, kết nối cổng 80/443, cùng nội dung như qua IPv4',
  },
  description: {
    en:
      'Looks up A and AAAA of the web host (for a bare domain: the apex and www.), classifies every address ' +
      '(global, IPv4-mapped, ULA, link-local, documentation, 6to4, Teredo, loopback, multicast), connects to ' +
      'TCP 80 and 443 on every global IPv6 address and compares with the ports open over IPv4, and fetches the ' +
      'page once per family per port to compare status and content. Non-global addresses are never contacted.',
    vi:
      'Tra cứu bản ghi A và AAAA của máy chủ web (với tên miền: tên miền gốc và www.), phân loại từng địa chỉ ' +
      '(toàn cầu, IPv4-mapped, ULA, link-local, địa chỉ tài liệu, 6to4, Teredo, loopback, multicast), kết nối TCP ' +
      'cổng 80 và 443 tới mọi địa chỉ IPv6 toàn cầu và so với các cổng mở qua IPv4, và tải trang một lần cho mỗi ' +
      'họ địa chỉ trên mỗi cổng để so sánh mã trạng thái và nội dung. Không bao giờ kết nối tới địa chỉ không toàn cầu.',
  },
  appliesTo: webOrDomain,
  run: fromDns(lazyProbe(async () => (await import('./probe-web.js')).probeWeb)),
  factsSchema: webFactsSchema,
};

export const ipv6NsCheck: Check<NsFacts> = {
  id: 'ipv6.ns',
  family: 'ipv6',
  title: {
    en: 'IPv6 for name servers: AAAA and DNS answers over IPv6',
    vi: 'IPv6 cho máy chủ tên miền: bản ghi AAAA và trả lời truy vấn DNS qua IPv6',
  },
  description: {
    en: 'Finds the zone of the name (walking up its labels), looks up the AAAA of every name server, and sends each global IPv6 address a DNS query (UDP, then TCP); any reply counts as reachable.',
    vi: 'Xác định vùng (zone) của tên miền bằng cách đi ngược các nhãn, tra cứu AAAA của từng máy chủ tên miền và gửi truy vấn DNS tới từng địa chỉ IPv6 toàn cầu (UDP, sau đó TCP); mọi phản hồi đều được tính là kết nối được.',
  },
  appliesTo: webOrDomain,
  run: fromDns(lazyProbe(async () => (await import('./probe-ns.js')).probeNs)),
  factsSchema: nsFactsSchema,
};

export const ipv6MxCheck: Check<MxFacts> = {
  id: 'ipv6.mx',
  family: 'ipv6',
  title: {
    en: 'IPv6 for mail: AAAA of every MX host and SMTP over IPv6',
    vi: 'IPv6 cho thư điện tử: AAAA của mọi máy chủ MX và SMTP qua IPv6',
  },
  description: {
    en: 'Looks up the MX set of the domain (a null MX means no mail), the AAAA of every MX host, and reads the SMTP greeting on TCP 25 of each global IPv6 address.',
    vi: 'Tra cứu các bản ghi MX của tên miền (null MX nghĩa là không nhận thư), AAAA của từng máy chủ MX, và đọc lời chào SMTP trên cổng TCP 25 của từng địa chỉ IPv6 toàn cầu.',
  },
  appliesTo: domain,
  run: fromDns(lazyProbe(async () => (await import('./probe-mx.js')).probeMx)),
  factsSchema: mxFactsSchema,
};

export const ipv6ParityCheck: Check<ParityFacts> = {
  id: 'ipv6.parity',
  family: 'ipv6',
  title: { en: 'IPv4/IPv6 port parity (nmap)', vi: 'Tương đồng cổng mở giữa IPv4 và IPv6 (nmap)' },
  description: {
    en: "Scans the same TCP ports on the host's IPv4 and IPv6 addresses with nmap and lists the ports open over IPv4 only. Needs nmap; without it the check is not tested.",
    vi: 'Dùng nmap quét cùng các cổng TCP trên địa chỉ IPv4 và IPv6 của máy chủ và liệt kê các cổng chỉ mở qua IPv4. Cần cài nmap; nếu thiếu, phép kiểm tra được ghi nhận là chưa kiểm tra.',
  },
  appliesTo: webOrDomain,
  run: fromDns(lazyProbe(async () => (await import('./probe-parity.js')).probeParity)),
  factsSchema: parityFactsSchema,
};
