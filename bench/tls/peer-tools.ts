// What the peer tools find on a TLS endpoint, read from their XML: `sslscan --xml=-` and
// `nmap --script ssl-enum-ciphers -oX -`. Both are reduced to one shape (accepted suites per version as
// IANA code points) so tests and benchmarks compare them with govscan's enumeration facts.
// sslscan names suites by code point; nmap by IANA name, which is mapped to a code point through the
// machine's `openssl ciphers -stdname` table (nmap calls the TLS 1.3 suites TLS_AKE_WITH_…).

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { measure, type Measured } from '../lib/measure.js';

export type PeerVersion = 'SSLv2' | 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
export const PEER_VERSIONS: readonly PeerVersion[] = ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export interface PeerEnumeration {
  tool: 'sslscan' | 'nmap';
  /** Accepted suites per accepted version, as IANA code points, in the order the tool lists them. */
  suites: Partial<Record<PeerVersion, number[]>>;
  /** Versions the tool found enabled (a version can be enabled while the tool lists no suite for it). */
  versions: PeerVersion[];
  /** Suite names the tool printed that no code point is known for (never silently dropped). */
  unknown: string[];
  /** nmap: "cipher preference" per version; sslscan does not report it. */
  serverPreference: Partial<Record<PeerVersion, boolean>>;
  /**
   * Key-exchange groups, IANA-style names ('x25519', 'secp256r1', 'ffdhe2048'): sslscan's group list
   * (any version); nmap's kex_info of the ECDHE suites it saw (only the group the server chose).
   */
  groups: string[];
  /** Finite-field DH sizes seen in DHE suites (sslscan dhebits; nmap "dh N"). */
  dhBits: number[];
  /** nmap: the server chose DEFLATE in some version; sslscan: its compression test. */
  compression?: boolean;
  /** sslscan's renegotiation test (client-initiated renegotiation in the best version it speaks). */
  renegotiation?: { supported: boolean; secure: boolean };
  /** Seconds of wall time the tool took for this endpoint (nmap: its whole run divided by ports). */
  seconds: number;
}

// Every element is a list, so one table and many read alike; attributes stay plain strings.
const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

// OpenSSL 3.0 dropped these from its table; the lab's scripted legacy server still answers with them.
const LEGACY_SUITES: [string, number][] = [
  ['TLS_RSA_EXPORT_WITH_RC4_40_MD5', 0x0003],
  ['TLS_RSA_WITH_RC4_128_MD5', 0x0004],
  ['TLS_RSA_WITH_RC4_128_SHA', 0x0005],
  ['TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5', 0x0006],
  ['TLS_RSA_WITH_IDEA_CBC_SHA', 0x0007],
  ['TLS_RSA_EXPORT_WITH_DES40_CBC_SHA', 0x0008],
  ['TLS_RSA_WITH_DES_CBC_SHA', 0x0009],
  ['TLS_RSA_WITH_3DES_EDE_CBC_SHA', 0x000a],
];
const TLS13_SUITES: [string, number][] = [
  ['TLS_AES_128_GCM_SHA256', 0x1301],
  ['TLS_AES_256_GCM_SHA384', 0x1302],
  ['TLS_CHACHA20_POLY1305_SHA256', 0x1303],
  ['TLS_AES_128_CCM_SHA256', 0x1304],
  ['TLS_AES_128_CCM_8_SHA256', 0x1305],
];

/** IANA names to code points, from OpenSSL's own table (the same library both peers link here). */
let ianaTable: Promise<Map<string, number>> | undefined;
function ianaCodes(): Promise<Map<string, number>> {
  ianaTable ??= promisify(execFile)('openssl', ['ciphers', '-V', '-stdname', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'], {
    maxBuffer: 1_000_000,
  }).then(({ stdout }) => {
    // OpenSSL's table lists only the TLS 1.3 suites it enables by default; RFC 8446 has five.
    const map = new Map<string, number>([...LEGACY_SUITES, ...TLS13_SUITES]);
    for (const m of stdout.matchAll(/0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)/g)) map.set(m[3]!, Number.parseInt(m[1]! + m[2]!, 16));
    return map;
  });
  return ianaTable;
}

function versionOf(label: string): PeerVersion | null {
  const v = label.replace(/^TLSv1\.0$/, 'TLSv1');
  return (PEER_VERSIONS as readonly string[]).includes(v) ? (v as PeerVersion) : null;
}

type Node = Record<string, unknown>;
const list = (x: unknown): Node[] => (Array.isArray(x) ? (x as Node[]) : []);
const text = (x: unknown): string => String((x as Node | undefined)?.['#text'] ?? x ?? '');

function empty(tool: PeerEnumeration['tool'], seconds: number): PeerEnumeration {
  return { tool, suites: {}, versions: [], unknown: [], serverPreference: {}, groups: [], dhBits: [], seconds };
}

function pushUnique<T>(to: T[], value: T): void {
  if (!to.includes(value)) to.push(value);
}

/** Parses `sslscan --xml=-` output for one endpoint. */
export function parseSslscanXml(out: string, seconds = 0): PeerEnumeration {
  const result = empty('sslscan', seconds);
  const test = list(list(xml.parse(out).document)[0]?.ssltest)[0];
  if (!test) throw new Error(`sslscan printed no <ssltest>: ${out.slice(0, 300)}`);
  for (const p of list(test.protocol)) {
    const v = versionOf(`${p.type === 'ssl' ? 'SSLv' : 'TLSv'}${String(p.version)}`);
    if (v && p.enabled === '1') result.versions.push(v);
  }
  for (const c of list(test.cipher)) {
    const v = versionOf(String(c.sslversion));
    const code = /^0x[0-9A-Fa-f]{1,4}$/.test(String(c.id)) ? Number.parseInt(String(c.id), 16) : null;
    if (!v) continue;
    if (code === null) result.unknown.push(String(c.cipher));
    else (result.suites[v] ??= []).push(code);
    if (c.dhebits) pushUnique(result.dhBits, Number(c.dhebits));
  }
  // sslscan adds the curve's NIST name in brackets: "secp256r1 (NIST P-256)".
  for (const g of list(test.group)) pushUnique(result.groups, String(g.name).replace(/ \(.*\)$/, ''));
  const reneg = list(test.renegotiation)[0];
  if (reneg) result.renegotiation = { supported: reneg.supported === '1', secure: reneg.secure === '1' };
  const compression = list(test.compression)[0];
  if (compression) result.compression = compression.supported === '1';
  return result;
}

/** Parses `nmap --script ssl-enum-ciphers -oX -` output: one enumeration per open port. */
function parseNmapXml(out: string, codes: Map<string, number>, seconds = 0): Map<number, PeerEnumeration> {
  const byPort = new Map<number, PeerEnumeration>();
  const hosts = list(list(xml.parse(out).nmaprun)[0]?.host);
  const ports = hosts.flatMap((h) => list(list(h.ports)[0]?.port));
  for (const port of ports) {
    const script = list(port.script).find((s) => s.id === 'ssl-enum-ciphers');
    const result = empty('nmap', seconds);
    byPort.set(Number(port.portid), result);
    if (!script) continue;
    for (const table of list(script.table)) {
      const v = versionOf(String(table.key));
      if (!v) continue;
      result.versions.push(v);
      const suites: number[] = (result.suites[v] = []);
      const ciphers = list(table.table).find((t) => t.key === 'ciphers');
      for (const cipher of list(ciphers?.table)) {
        const elems = list(cipher.elem);
        const name = text(elems.find((e) => e.key === 'name'));
        const kex = text(elems.find((e) => e.key === 'kex_info'));
        const code = codes.get(name.replace(/^TLS_AKE_WITH_/, 'TLS_'));
        if (code === undefined) result.unknown.push(name);
        else suites.push(code);
        const dh = /^dh (\d+)$/.exec(kex);
        if (dh) pushUnique(result.dhBits, Number(dh[1]));
        // "ecdh_x25519" for the CFRG curves, "secp256r1" for the NIST ones, "rsa 2048" for static RSA.
        else if (kex && !/^rsa /.test(kex)) pushUnique(result.groups, kex.replace(/^ecdh_/, ''));
      }
      const compressors = list(table.table).find((t) => t.key === 'compressors');
      if (list(compressors?.elem).some((e) => text(e) === 'DEFLATE')) result.compression = true;
      else result.compression ??= false;
      const pref = text(list(table.elem).find((e) => e.key === 'cipher preference'));
      if (pref === 'server' || pref === 'client') result.serverPreference[v] = pref === 'server';
    }
  }
  return byPort;
}

function ensureRan(tool: string, m: Measured): void {
  if (m.code !== 0) throw new Error(`${tool} exited ${m.code}: ${m.stderr.slice(0, 500)}`);
}

/** sslscan on one endpoint (full default scan: versions, suites, groups, renegotiation). */
export async function sslscanEndpoint(address: string, port: number, sni?: string): Promise<PeerEnumeration> {
  const target = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
  const m = await measure('sslscan', 'sslscan', ['--no-colour', '--xml=-', ...(sni ? [`--sni-name=${sni}`] : []), target], {
    timeoutMs: 120_000,
  });
  ensureRan('sslscan', m);
  return parseSslscanXml(m.stdout, m.wallMs / 1000);
}

/** nmap ssl-enum-ciphers over several ports of one loopback address, in one run. */
export async function nmapEndpoints(address: string, ports: number[]): Promise<Map<number, PeerEnumeration>> {
  const m = await measure(
    'nmap',
    'nmap',
    ['-Pn', '-n', ...(address.includes(':') ? ['-6'] : []), '-p', ports.join(','), '--script', 'ssl-enum-ciphers', '-oX', '-', address],
    { timeoutMs: 600_000 },
  );
  ensureRan('nmap', m);
  return parseNmapXml(m.stdout, await ianaCodes(), m.wallMs / 1000 / ports.length);
}
