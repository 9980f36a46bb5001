// One in-process IPv6 scan against the DNS lab, for tests that inject their own dialer and datagram
// sender: the lab's port map, its name server on ::1, the IPv6 pack, and no nmap (nmap would bypass
// any injected dialer, so it must not even be startable).

import type { Ipv6Lab } from '../../../src/lab/dns-lab.js';
import { prepareScan, type PreparedScan } from '../../../src/engine/scan.js';

export function prepareIpv6LabScan(
  lab: Ipv6Lab,
  domains: string[],
  opts: { lab: boolean; timeoutMs: number; ipv6Connectivity?: 'yes' | 'no' },
): Promise<PreparedScan> {
  const args = lab.args([]);
  const portMap = args.flatMap((a, i) => (args[i - 1] === '--port-map' ? [a] : []));
  return prepareScan(
    {
      targets: domains,
      policies: ['vn-ct02-2022-ipv6'],
      resolve: [],
      caFiles: [],
      caPins: [],
      failOn: 'none',
      dnsServers: [`[::1]:${lab.dns.port}`],
      options: {
        lab: opts.lab,
        'port-map': portMap,
        ...(opts.ipv6Connectivity ? { 'ipv6-connectivity': opts.ipv6Connectivity } : {}),
        nmap: 'govscan-test-no-nmap',
      },
    },
    { timeoutMs: opts.timeoutMs },
  );
}
