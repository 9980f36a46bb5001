// ipv6.parity: which ports are open on a host's IPv4 address but closed on its IPv6 address, found
// with nmap (`nmap -oX -`, parsed with fast-xml-parser; node-nmap drops IPv6 host addresses). nmap runs
// with -n (no reverse DNS: no query leaves for the system resolver) and -Pn (no ping sweep), as a
// connect scan (-sT) so it needs no privileges, against addresses that passed assertDialable only.

import { setMaxListeners } from 'node:events';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { XMLParser } from 'fast-xml-parser';
import { ProbeError, type CheckContext, type NetworkEnvironment, type Target } from '../../src/core/types.js';
import type { AddressFacts, ParityFacts, ParityHostFacts } from './facts.js';
import { assertDialable, dialPort, environmentOf, scannerFacts } from './network.js';
import { Semaphore } from '../../src/core/net/limiter.js';
import { lookUpWebHosts } from './probe-web.js';

/** Services an agency host commonly exposes; compared over both families. */
export const PARITY_PORTS = [21, 22, 25, 53, 80, 110, 143, 443, 465, 587, 993, 995, 3389, 8080, 8443] as const;

// nmap is CPU-heavy to start: many at once on a small machine starve the other probes' timers.
const nmapSlots = new Semaphore(2);

export const NMAP_INSTALL_HINT =
  'nmap is not installed: install it (Debian/Ubuntu: apt-get install nmap) to compare ports over IPv4 and IPv6 / ' +
  'chưa cài nmap: cài đặt (Debian/Ubuntu: apt-get install nmap) để so sánh cổng mở qua IPv4 và IPv6';

export async function probeParity(target: Target, ctx: CheckContext): Promise<ParityFacts> {
  const env = environmentOf(ctx);
  // Every connection of this probe listens on the target's signal while it is open.
  setMaxListeners(256, ctx.signal);
  const observedAt = ctx.now().toISOString();
  const ports = portsToScan(env);
  const hosts: ParityHostFacts[] = [];
  const unscanned: ParityFacts['unscanned'] = [];
  let version: string | null = null;
  let args: string[] = [];
  // www. and the apex usually share addresses: scan each pair once.
  const done = new Map<string, [ScanResult, ScanResult]>();
  for (const { addrs } of await lookUpWebHosts(ctx, env, target)) {
    const name = addrs.name;
    const a4 = addrs.a.find((a) => a.usable);
    const a6 = addrs.aaaa.find((a) => a.usable);
    // A host with a gap is listed with why, so the rule can tell "nothing to compare" from "not known".
    const dnsGap = addrs.lookup.a === 'error' || addrs.lookup.aaaa === 'error';
    if (dnsGap || !a4 || !a6 || !env.ipv6.available) {
      unscanned.push({ name, why: dnsGap ? 'dns' : !a4 ? 'no-ipv4' : !a6 ? 'no-ipv6' : 'scanner' });
      continue;
    }
    const dialed = ports.map((p) => dialPort(env, name, p));
    const key = `${a4.address} ${a6.address} ${dialed.join(',')}`;
    const [r4, r6] = done.get(key) ?? (await Promise.all([scan(ctx, env, a4, dialed), scan(ctx, env, a6, dialed)]));
    done.set(key, [r4, r6]);
    version = r4.version ?? r6.version;
    args = r4.args;
    const logical = (open: Set<number>): number[] => ports.filter((_, i) => open.has(dialed[i] ?? -1));
    const v4Open = logical(r4.open);
    const v6Open = logical(r6.open);
    hosts.push({
      name,
      v4Address: a4.address,
      v6Address: a6.address,
      ports,
      v4Open,
      v6Open,
      onlyV4: v4Open.filter((p) => !v6Open.includes(p)),
    });
  }
  return { observedAt, scanner: scannerFacts(env), nmap: { command: env.nmap, version, args }, hosts, unscanned };
}

/** Under --lab only mapped ports are scanned: loopback's other ports belong to whatever else runs there. */
function portsToScan(env: NetworkEnvironment): number[] {
  if (!env.lab) return [...PARITY_PORTS];
  return [...new Set(env.portMap.map((m) => m.port))].sort((a, b) => a - b);
}

interface ScanResult {
  open: Set<number>;
  version: string | null;
  args: string[];
}

async function scan(ctx: CheckContext, env: NetworkEnvironment, address: AddressFacts, ports: number[]): Promise<ScanResult> {
  assertDialable(env, address);
  const seconds = Math.max(1, Math.ceil((ctx.timeoutMs * 3) / 1000));
  const args = ['-oX', '-', '-n', '-Pn', '-sT', '--max-retries', '1', '--host-timeout', `${seconds}s`, '-p', [...new Set(ports)].join(',')];
  if (address.family === 6) args.push('-6');
  args.push(address.address);
  const release = await nmapSlots.acquire(ctx.signal);
  let xml: string;
  try {
    xml = await runNmap(env.nmap, args, ctx.signal, seconds * 1000 + 5000);
  } finally {
    release();
  }
  return { ...parseNmapXml(xml, address.address), args: args.slice(0, -1) };
}

/** Commands found missing in this process: a thousand targets should not fork a thousand failures. */
const missing = new Set<string>();

function runNmap(command: string, args: string[], signal: AbortSignal, timeoutMs: number): Promise<string> {
  if (missing.has(command)) return Promise.reject(new ProbeError('tool-missing', `${NMAP_INSTALL_HINT} (looked for "${command}")`));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    // Our own timer: spawn's `timeout` outlives a child that never started (ENOENT) and holds the process.
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    // nmap prints warnings on stderr while succeeding; only the exit status says it failed.
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === 'ENOENT') missing.add(command);
      if (e.code === 'ENOENT') reject(new ProbeError('tool-missing', `${NMAP_INSTALL_HINT} (looked for "${command}")`));
      else reject(new ProbeError('internal', `cannot run ${command}: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new ProbeError('internal', `${command} exited with ${String(code)}: ${err.trim().split('\n')[0] ?? ''}`));
    });
  });
}

let parser: XMLParser | undefined;
/** Loaded on first use: most scans never run nmap, and the parser costs start-up time. */
function xmlParser(): XMLParser {
  if (!parser) {
    const { XMLParser: Parser } = createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser');
    parser = new Parser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      isArray: (name) => ['host', 'port', 'address'].includes(name),
    });
  }
  return parser;
}

interface NmapPort {
  '@_portid'?: string;
  '@_protocol'?: string;
  state?: { '@_state'?: string };
}
interface NmapHost {
  address?: { '@_addr'?: string }[];
  ports?: { port?: NmapPort[] };
}
interface NmapDoc {
  nmaprun?: { '@_version'?: string; host?: NmapHost[] };
}

/** Open TCP ports of `address` in nmap's XML output. */
export function parseNmapXml(xml: string, address: string): { open: Set<number>; version: string | null } {
  const doc = xmlParser().parse(xml) as NmapDoc;
  const run = doc.nmaprun;
  if (!run) throw new ProbeError('protocol', 'nmap produced no XML report');
  const open = new Set<number>();
  const hosts = run.host ?? [];
  for (const host of hosts) {
    // nmap may spell an IPv6 address differently; with one host scanned, it is that host.
    if (hosts.length > 1 && !(host.address ?? []).some((a) => a['@_addr'] === address)) continue;
    for (const p of host.ports?.port ?? []) {
      if (p['@_protocol'] === 'tcp' && p.state?.['@_state'] === 'open') open.add(Number(p['@_portid']));
    }
  }
  return { open, version: run['@_version'] ?? null };
}
