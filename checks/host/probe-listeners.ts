// Listening TCP sockets from /proc/net/tcp and /proc/net/tcp6 (Linux), grouped by port, so a policy
// can tell a service reachable over IPv4 but not over IPv6. The files are read, never a socket opened.

import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { Address6 } from 'ip-address';
import { addressClass } from '../ipv6/network.js';
import type { ListenerFacts, ListenScope, ServiceFacts, SourceStatus } from './facts.js';

export interface Listener {
  family: 4 | 6;
  address: string;
  port: number;
}

/** TCP state 0A is LISTEN (include/net/tcp_states.h). */
const LISTEN = '0A';
/** A host with more listening ports than this is described by the first ones (lowest ports). */
export const MAX_SERVICES = 512;

/**
 * Listening sockets of one /proc/net/tcp{,6} text. Addresses are printed as 32-bit words in the
 * kernel's byte order, so on little-endian machines each word's bytes are reversed; ports are
 * big-endian hex.
 */
export function parseProcNetTcp(text: string, family: 4 | 6, littleEndian = endianness() === 'LE'): Listener[] {
  const out: Listener[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    // sl local_address rem_address st …; the header line's "st" is not a hex state.
    const [, local, , state] = fields;
    if (!local || state !== LISTEN) continue;
    const m = /^([0-9A-Fa-f]+):([0-9A-Fa-f]{4})$/.exec(local);
    if (!m?.[1] || !m[2]) continue;
    const hex = m[1];
    const port = parseInt(m[2], 16);
    if (family === 4 && hex.length === 8) out.push({ family: 4, address: ipv4(hex, littleEndian), port });
    else if (family === 6 && hex.length === 32) {
      const bytes = ipv6Bytes(hex, littleEndian);
      // A v6 socket bound to a v4-mapped address (::ffff:a.b.c.d) serves IPv4 only.
      const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
      out.push(mapped ? { family: 4, address: bytes.slice(12).join('.'), port } : { family: 6, address: ipv6(bytes), port });
    }
  }
  return out;
}

function wordBytes(hex: string, littleEndian: boolean): number[] {
  const bytes = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return littleEndian ? bytes.reverse() : bytes;
}

function ipv4(hex: string, littleEndian: boolean): string {
  return wordBytes(hex, littleEndian).join('.');
}

function ipv6Bytes(hex: string, littleEndian: boolean): number[] {
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) bytes.push(...wordBytes(hex.slice(w * 8, w * 8 + 8), littleEndian));
  return bytes;
}

function ipv6(bytes: readonly number[]): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return new Address6(groups.join(':')).correctForm();
}

function isLoopback(l: Listener): boolean {
  return addressClass(l.address) === 'loopback';
}

function scopeOf(addresses: readonly Listener[]): ListenScope {
  if (!addresses.length) return 'none';
  return addresses.every(isLoopback) ? 'loopback' : 'network';
}

/**
 * One entry per listening port. A `::` socket also accepts IPv4 unless net.ipv6.bindv6only is set
 * (a per-socket IPV6_V6ONLY is not visible in /proc: such a socket is counted as dual-stack).
 */
export function servicesOf(listeners: readonly Listener[], bindv6only: boolean | null): ServiceFacts[] {
  const byPort = new Map<number, Listener[]>();
  for (const l of listeners) byPort.set(l.port, [...(byPort.get(l.port) ?? []), l]);
  return [...byPort.entries()]
    .sort(([a], [b]) => a - b)
    .map(([port, list]) => {
      const v6 = list.filter((l) => l.family === 6);
      const dualStack = bindv6only !== true && v6.some((l) => l.address === '::');
      const v4 = [...list.filter((l) => l.family === 4), ...(dualStack ? [{ family: 4 as const, address: '0.0.0.0', port }] : [])];
      const v4Scope = scopeOf(v4);
      const v6Scope = scopeOf(v6);
      return {
        port,
        v4: uniqueSorted(v4.map((l) => l.address)),
        v6: uniqueSorted(v6.map((l) => l.address)),
        dualStack,
        v4Scope,
        v6Scope,
        ipv4Only: v4Scope !== 'none' && (v6Scope === 'none' || (v4Scope === 'network' && v6Scope === 'loopback')),
        loopbackOnly: list.every(isLoopback),
      };
    });
}

function uniqueSorted(values: string[]): string[] {
  return [...new Set(values)].sort();
}

async function readSource(file: string): Promise<{ status: SourceStatus; text: string }> {
  try {
    return { status: 'ok', text: await readFile(file, 'utf8') };
  } catch (err) {
    return { status: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable', text: '' };
  }
}

/** Listener facts from `<procRoot>/net/tcp`, `…/tcp6` and `…/sys/net/ipv6/bindv6only`. */
export async function probeListeners(procRoot: string): Promise<ListenerFacts> {
  const [tcp, tcp6, v6only] = await Promise.all([
    readSource(join(procRoot, 'net', 'tcp')),
    readSource(join(procRoot, 'net', 'tcp6')),
    readSource(join(procRoot, 'sys', 'net', 'ipv6', 'bindv6only')),
  ]);
  const bindv6only = v6only.status === 'ok' ? v6only.text.trim() === '1' : null;
  const listeners = [...parseProcNetTcp(tcp.text, 4), ...parseProcNetTcp(tcp6.text, 6)];
  const all = servicesOf(listeners, bindv6only);
  return {
    // Without tcp6 (IPv6 disabled in the kernel) every v4 service is v4-only, and that is a fact worth judging.
    available: tcp.status === 'ok' && tcp6.status !== 'unreadable',
    tcp: tcp.status,
    tcp6: tcp6.status,
    bindv6only,
    services: all.slice(0, MAX_SERVICES),
    omitted: Math.max(0, all.length - MAX_SERVICES),
  };
}
