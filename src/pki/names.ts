// The syntax of the names a certificate carries (RFC 5280 §4.2.1.6, RFC 1034/1123 preferred name
// syntax) and how one name relates to another: a dNSName pattern to a host, a name to a name
// constraint (RFC 5280 §4.2.1.10). Shared by hostname matching and path validation.

import type { Name } from './fields.js';

const LABEL = '(?!-)[A-Za-z0-9-]{1,63}(?<!-)';
const DNS_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);

/** A dNSName in preferred name syntax: LDH labels of 1–63 octets, no edge hyphen, at most 253 octets. */
export function isDnsName(name: string): boolean {
  return DNS_NAME.test(name);
}

/** A dNSName SAN: a DNS name, or `*.` and a DNS name (the wildcard standing for one whole label). */
export function isDnsPattern(pattern: string): boolean {
  return isDnsName(pattern.startsWith('*.') ? pattern.slice(2) : pattern);
}

/** Case-insensitive label-wise suffix test: `name` is `base` or ends with `.base`. */
function withinDomain(name: string, base: string): boolean {
  const n = name.toLowerCase();
  const b = base.toLowerCase();
  return n === b || (n.length > b.length && n.endsWith(b) && n[n.length - b.length - 1] === '.');
}

// ── DNS name constraints ─────────────────────────────────────────────────────────────────────────

/**
 * Whether every name a dNSName SAN can stand for lies in the permitted subtree `constraint`. A
 * wildcard stands for a set of names, so `*.example.com` is inside `example.com` but not inside
 * `a.example.com`. Null when the constraint itself is not a DNS name (it then matches nothing).
 */
export function dnsConstraintPermits(constraint: string, san: string): boolean | null {
  if (!isDnsName(constraint)) return null;
  // Every `x.base` is inside the subtree exactly when `base` is.
  return withinDomain(san.startsWith('*.') ? san.slice(2) : san, constraint);
}

/**
 * Whether any name a dNSName SAN can stand for lies in the excluded subtree `constraint`: a
 * wildcard `*.example.com` overlaps `a.example.com` (the wildcard can be `a`) and `example.com`'s
 * whole subtree.
 */
export function dnsConstraintExcludes(constraint: string, san: string): boolean | null {
  if (!isDnsName(constraint)) return null;
  if (!san.startsWith('*.')) return withinDomain(san, constraint);
  const base = san.slice(2);
  if (withinDomain(base, constraint)) return true;
  // The constraint is exactly one label below the wildcard's base: the wildcard can expand to it.
  const c = constraint.toLowerCase();
  const dot = c.indexOf('.');
  return dot > 0 && c.slice(dot + 1) === base.toLowerCase();
}

// ── IP addresses and IP constraints ──────────────────────────────────────────────────────────────

/** An iPAddress constraint: address and mask of equal length (8 or 32 octets), mask a contiguous prefix. */
export function ipConstraintValid(constraint: Buffer): boolean {
  if (constraint.length !== 8 && constraint.length !== 32) return false;
  const mask = constraint.subarray(constraint.length / 2);
  let ended = false;
  for (const byte of mask) {
    for (let bit = 7; bit >= 0; bit--) {
      const set = ((byte >> bit) & 1) === 1;
      if (set && ended) return false;
      if (!set) ended = true;
    }
  }
  return true;
}

/** Whether an iPAddress SAN (4 or 16 octets) lies in the subnet `constraint`; a family mismatch never does. */
export function ipConstraintMatches(constraint: Buffer, ip: Buffer): boolean {
  const n = constraint.length / 2;
  if (ip.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const mask = constraint[n + i] as number;
    if (((ip[i] as number) & mask) !== ((constraint[i] as number) & mask)) return false;
  }
  return true;
}

// ── Email (rfc822Name) ───────────────────────────────────────────────────────────────────────────

// RFC 2822 §3.2.4 atext, dot-atom local parts only (the quoted form is not accepted).
const ATOM = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+$/;

export interface Mailbox {
  local: string;
  domain: string;
}

export function parseMailbox(value: string): Mailbox | null {
  const at = value.lastIndexOf('@');
  if (at <= 0) return null;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (!local.split('.').every((atom) => ATOM.test(atom)) || !isDnsName(domain)) return null;
  return { local, domain };
}

/**
 * An rfc822Name constraint (RFC 5280 §4.2.1.10): a whole mailbox, every mailbox at one host
 * (`example.com`), or every mailbox in a domain's subdomains (`.example.com`). Null when malformed.
 */
export function emailConstraintMatches(constraint: string, mailbox: Mailbox): boolean | null {
  if (constraint.startsWith('.')) {
    const base = constraint.slice(1);
    if (!isDnsName(base)) return null;
    return mailbox.domain.length > base.length && withinDomain(mailbox.domain, base);
  }
  if (constraint.includes('@')) {
    const exact = parseMailbox(constraint);
    if (!exact) return null;
    return exact.local === mailbox.local && exact.domain.toLowerCase() === mailbox.domain.toLowerCase();
  }
  if (!isDnsName(constraint)) return null;
  return constraint.toLowerCase() === mailbox.domain.toLowerCase();
}

// ── Distinguished names ──────────────────────────────────────────────────────────────────────────

/** One RDN as a comparison key (RFC 5280 §7.1: case-folded, whitespace collapsed, order-insensitive). */
function rdnKey(rdn: Name[number]): string {
  return rdn
    .map(
      (a) =>
        `${a.type}=${JSON.stringify(a.value === null ? `#${a.der.toString('hex')}` : a.value.trim().replace(/\s+/g, ' ').toLowerCase())}`,
    )
    .sort()
    .join('+');
}

/** Comparison key of a whole name, RDN by RDN in encoded order. */
export function nameKey(name: Name): string {
  return name.map(rdnKey).join('/');
}

/** A directoryName constraint covers every name that begins with its RDNs. */
export function dirNameWithin(name: Name, constraint: Name): boolean {
  if (constraint.length > name.length) return false;
  return constraint.every((rdn, i) => rdnKey(rdn) === rdnKey(name[i] as Name[number]));
}

// ── IP literals ──────────────────────────────────────────────────────────────────────────────────

/** The octets of an IPv4 or IPv6 literal (brackets allowed), or null when `text` is not one. */
export function ipLiteralBytes(text: string): Buffer | null {
  const bare = text.replace(/^\[(.*)\]$/, '$1');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bare)) {
    const parts = bare.split('.').map(Number);
    // Leading zeros are refused: 010.0.0.1 means octal to some resolvers and decimal to others.
    if (parts.some((p) => p > 255) || bare.split('.').some((p) => p.length > 1 && p.startsWith('0'))) return null;
    return Buffer.from(parts);
  }
  if (!bare.includes(':')) return null;
  return ipv6Bytes(bare);
}

function ipv6Bytes(text: string): Buffer | null {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (!part) return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i] as string;
      if (i === pieces.length - 1 && p.includes('.')) {
        const v4 = ipLiteralBytes(p);
        if (v4?.length !== 4) return null;
        out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
        continue;
      }
      if (!/^[0-9A-Fa-f]{1,4}$/.test(p)) return null;
      out.push(parseInt(p, 16));
    }
    return out;
  };
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = Buffer.alloc(16);
  for (const [i, g] of all.entries()) out.writeUInt16BE(g, i * 2);
  return out;
}
