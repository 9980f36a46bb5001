// The IPv6 family's own `scan` flags and how their values become the network environment its probes
// read (ctx.network). The English texts are those of `govscan scan --help`, the Vietnamese those of
// `GOVSCAN_LANG=vi govscan scan --help`.

import { optionValue, type FamilyOption, type FamilyOptionValues } from '../../src/core/family.js';
import type { NetworkEnvironment } from '../../src/core/types.js';

const LAB: FamilyOption = {
  name: 'lab',
  kind: 'boolean',
  default: false,
  help: {
    en: 'Lab mode: loopback answers (127.0.0.1, ::1) count as routable, the host counts as IPv6-connected over ::1, and nothing outside loopback is contacted',
    vi: 'Chế độ thử nghiệm: địa chỉ loopback (127.0.0.1, ::1) được coi là định tuyến được, máy quét được coi là có kết nối IPv6 qua ::1, và không liên lạc với địa chỉ nào ngoài loopback',
  },
};
const PORT_MAP: FamilyOption = {
  name: 'port-map',
  kind: 'list',
  help: {
    en: 'Lab aid: [HOST:]PORT=LOCAL dials LOCAL wherever an IPv6 probe would dial PORT (80, 443, 25, 53) on HOST (or any host)',
    vi: 'Hỗ trợ thử nghiệm: [HOST:]PORT=LOCAL kết nối tới cổng LOCAL ở mọi chỗ phép thăm dò IPv6 lẽ ra kết nối tới cổng PORT (80, 443, 25, 53) trên HOST (hoặc trên mọi máy)',
  },
};
const CONNECTIVITY: FamilyOption = {
  name: 'ipv6-connectivity',
  kind: 'choice',
  choices: ['auto', 'yes', 'no'],
  default: 'auto',
  help: {
    en: 'Does the scanning host have IPv6? auto: a global IPv6 address on an interface (or --lab); without it IPv6 reachability is not tested',
    vi: 'Máy quét có IPv6 không? auto: có địa chỉ IPv6 toàn cầu trên một giao diện mạng (hoặc có --lab); nếu không có, khả năng truy cập qua IPv6 không được kiểm tra',
  },
};
const NMAP: FamilyOption = {
  name: 'nmap',
  kind: 'string',
  default: 'nmap',
  help: {
    en: 'nmap command or path, for the IPv4/IPv6 port-parity check',
    vi: 'Lệnh hoặc đường dẫn nmap, dùng cho phép kiểm tra các cổng mở như nhau trên IPv4 và IPv6',
  },
};

export const IPV6_OPTIONS: readonly FamilyOption[] = [LAB, PORT_MAP, CONNECTIVITY, NMAP];

/**
 * Where the scanner stands for the IPv6 probes, decided without sending traffic. Throws InputError on
 * a bad --port-map. The address helpers load here, not with the flags: `govscan --version` reads these.
 */
export async function networkEnvironment(values: FamilyOptionValues): Promise<NetworkEnvironment> {
  const { detectIpv6, parsePortMap } = await import('./network.js');
  const lab = optionValue(LAB, values) === true;
  const portMap = asList(optionValue(PORT_MAP, values)).map(parsePortMap);
  const mode = optionValue(CONNECTIVITY, values);
  const ipv6 =
    mode === 'yes'
      ? { available: true, reason: '--ipv6-connectivity yes' }
      : mode === 'no'
        ? { available: false, reason: '--ipv6-connectivity no: the scanning host is treated as having no IPv6' }
        : lab
          ? { available: true, reason: '--lab: IPv6 over loopback (::1)' }
          : detectIpv6();
  return { lab, ipv6, portMap, nmap: String(optionValue(NMAP, values)) };
}

function asList(value: string | boolean | readonly string[]): readonly string[] {
  return typeof value === 'string' ? [value] : typeof value === 'boolean' ? [] : value;
}
