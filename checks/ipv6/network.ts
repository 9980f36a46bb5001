// Address classes, the scanner's own IPv6 connectivity and the lab aids (--lab, --port-map). Every
// connection of the IPv6 family passes assertDialable first: a non-global address in public DNS is a
// finding to report, never a destination — on a host inside fd00::/8 a ULA answer is a real machine.

import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { isIP } from 'node:net';
import { Address4, Address6 } from 'ip-address';
import { InputError } from '../../src/core/errors.js';
import { isPort } from '../../src/core/targets.js';
import { ProbeError, type CheckContext, type NetworkEnvironment } from '../../src/core/types.js';
import type { AddressClass, AddressFacts, ScannerFacts } from './facts.js';

const V6_RANGES: [string, AddressClass][] = [
  ['::1/128', 'loopback'],
  ['::ffff:0:0/96', 'ipv4-mapped'],
  ['fc00::/7', 'ula'],
  ['fe80::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
  ['2001:db8::/32', 'documentation'],
  ['3fff::/20', 'documentation'],
  ['2001::/32', 'teredo'],
  ['2002::/16', '6to4'],
];
const V4_RANGES: [string, AddressClass][] = [
  ['127.0.0.0/8', 'loopback'],
  ['10.0.0.0/8', 'private'],
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['100.64.0.0/10', 'shared'],
  ['169.254.0.0/16', 'link-local'],
  ['192.0.2.0/24', 'documentation'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['0.0.0.0/8', 'other'],
  ['198.18.0.0/15', 'other'],
  ['240.0.0.0/4', 'other'],
];
const v6Subnets = V6_RANGES.map(([cidr, cls]) => [new Address6(cidr), cls] as const);
const v4Subnets = V4_RANGES.map(([cidr, cls]) => [new Address4(cidr), cls] as const);
const GLOBAL_UNICAST = new Address6('2000::/3');

export function addressClass(address: string): AddressClass {
  const family = isIP(address);
  if (family === 4) {
    const a = new Address4(address);
    return v4Subnets.find(([net]) => a.isInSubnet(net))?.[1] ?? 'global';
  }
  if (family === 6) {
    const a = new Address6(address);
    const hit = v6Subnets.find(([net]) => a.isInSubnet(net))?.[1];
    if (hit) return hit;
    // Outside 2000::/3 (unspecified, NAT64, discard-only, reserved) nothing is plain global unicast.
    return a.isInSubnet(GLOBAL_UNICAST) ? 'global' : 'other';
  }
  return 'other';
}

export function classify(address: string, lab: boolean): AddressFacts {
  const cls = addressClass(address);
  return {
    address,
    family: isIP(address) === 6 ? 6 : 4,
    class: cls,
    global: cls === 'global',
    usable: cls === 'global' || (lab && cls === 'loopback'),
  };
}

/**
 * IPv6 connectivity decided from local interfaces only (no packet leaves the host): a global unicast
 * address on a non-internal interface. ULA and link-local addresses do not reach the IPv6 internet.
 */
export function detectIpv6(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): { available: boolean; reason: string } {
  for (const [name, list] of Object.entries(interfaces)) {
    for (const info of list ?? []) {
      if (info.family === 'IPv6' && !info.internal && addressClass(info.address) === 'global') {
        return { available: true, reason: `global IPv6 address ${info.address} on ${name}` };
      }
    }
  }
  return { available: false, reason: 'the scanning host has no global IPv6 address on any interface' };
}

export function defaultEnvironment(): NetworkEnvironment {
  return { lab: false, ipv6: detectIpv6(), portMap: [], nmap: 'nmap' };
}

export function environmentOf(ctx: CheckContext): NetworkEnvironment {
  return ctx.network ?? defaultEnvironment();
}

export function scannerFacts(env: NetworkEnvironment): ScannerFacts {
  return { ipv6: env.ipv6.available, reason: env.ipv6.reason, lab: env.lab };
}

/** Parse `--port-map [HOST:]PORT=LOCAL`. */
export function parsePortMap(text: string): { host: string | null; port: number; local: number } {
  const m = /^(?:([a-z0-9_.-]+):)?(\d+)=(\d+)$/i.exec(text.trim());
  const port = Number(m?.[2]);
  const local = Number(m?.[3]);
  if (!m || !isPort(port) || !isPort(local)) {
    throw InputError.unlocated(`--port-map "${text}": expected [HOST:]PORT=LOCALPORT, e.g. 443=8443 or ns2.example.test:53=5354`);
  }
  return { host: m[1] ? m[1].toLowerCase().replace(/\.$/, '') : null, port, local };
}

/** The port to dial for `host:port`: a host-specific mapping wins over a general one. */
export function dialPort(env: NetworkEnvironment, host: string, port: number): number {
  const name = host.toLowerCase().replace(/\.$/, '');
  const own = env.portMap.find((m) => m.host === name && m.port === port);
  return (own ?? env.portMap.find((m) => m.host === null && m.port === port))?.local ?? port;
}

/** The last gate before any packet: refuse what the family must never contact. */
export function assertDialable(env: NetworkEnvironment, address: AddressFacts): void {
  if (!address.usable) throw new ProbeError('internal', `refusing to contact ${address.class} address ${address.address}`);
  // Under --lab nothing may leave loopback, whatever DNS says.
  if (env.lab && address.class !== 'loopback') throw new ProbeError('internal', `--lab: refusing non-loopback address ${address.address}`);
}
