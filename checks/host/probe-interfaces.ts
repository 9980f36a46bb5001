// The host's addresses from the interface list (os.networkInterfaces, injectable), classified with the
// same address classes the IPv6 checks use for DNS answers.

import type { NetworkInterfaceInfo } from 'node:os';
import { addressClass } from '../ipv6/network.js';
import type { InterfaceFacts } from './facts.js';

export type InterfaceList = NodeJS.Dict<NetworkInterfaceInfo[]>;

export function interfaceFacts(list: InterfaceList): InterfaceFacts[] {
  return Object.entries(list)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, infos = []]) => {
      const internal = infos.length > 0 && infos.every((i) => i.internal);
      const addresses = infos.map((i) => {
        // Link-local IPv6 may carry a zone (fe80::1%eth0) on some platforms.
        const address = i.address.replace(/%.*$/, '');
        const cls = addressClass(address);
        return { address, family: i.family === 'IPv6' ? (6 as const) : (4 as const), class: cls, global: cls === 'global' };
      });
      return { name, internal, addresses, globalIpv6: !internal && addresses.some((a) => a.family === 6 && a.global) };
    });
}

export function globalIpv6Addresses(interfaces: readonly InterfaceFacts[]): string[] {
  return [
    ...new Set(
      interfaces.filter((i) => !i.internal).flatMap((i) => i.addresses.filter((a) => a.family === 6 && a.global).map((a) => a.address)),
    ),
  ];
}
