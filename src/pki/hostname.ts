// Does a certificate name a host? RFC 9525 §6 and the Baseline Requirements, as browsers apply them:
//   - only subjectAltName entries count: the subject CN is never used, so a certificate that names
//     its host only in the CN does not match (browsers reject it; the pack's TLS-CERT-NO-SAN says why);
//   - an IP literal matches only an iPAddress SAN with the same octets (never a dNSName, never the CN);
//   - a DNS name is compared in lower-case A-label form (IDNA), so `cổng.gov.vn` matches
//     `xn--cng-qmz.gov.vn`;
//   - a wildcard is only the whole left-most label (`*.example.gov.vn`), stands for exactly one
//     non-empty label, and matches nothing when what it covers is a public suffix (public-suffix.ts);
//   - a dNSName that is not a valid name or pattern matches nothing (path validation reports the
//     certificate as malformed-san).

import { domainToASCII } from 'node:url';
import { ipLiteralBytes, isDnsName, isDnsPattern } from './names.js';
import { isPublicSuffix } from './public-suffix.js';

/** The parts of a certificate that name it; CertificateFacts has this shape. */
export interface CertificateNames {
  sans: { dns: string[]; ip: string[] };
  subjectCN: string | null;
}

export interface HostnameMatch {
  matches: boolean;
  /** 'cn' appears only in facts recorded by earlier versions, which fell back to the subject CN. */
  matchedBy: 'san' | 'cn' | null;
}

const NO_MATCH: HostnameMatch = { matches: false, matchedBy: null };
const BY_SAN: HostnameMatch = { matches: true, matchedBy: 'san' };

export function matchHostname(name: string, cert: CertificateNames): HostnameMatch {
  const ip = ipLiteralBytes(name);
  if (ip) return cert.sans.ip.some((s) => ipLiteralBytes(s)?.equals(ip)) ? BY_SAN : NO_MATCH;
  const host = referenceName(name);
  if (!host) return NO_MATCH;
  return cert.sans.dns.some((p) => dnsPatternMatches(p, host)) ? BY_SAN : NO_MATCH;
}

/**
 * Lower-case A-label form without a trailing dot; null for names that cannot be a host. A name whose
 * last label is numeric is refused: URL parsers read `0x7f.1` or `127.1` as IPv4 addresses.
 */
function referenceName(name: string): string | null {
  const bare = name.replace(/\.$/, '');
  if (/(^|\.)(0x[0-9a-f]*|[0-9]+)$/i.test(bare)) return null;
  const ascii = domainToASCII(bare).toLowerCase();
  return ascii && isDnsName(ascii) ? ascii : null;
}

function dnsPatternMatches(pattern: string, host: string): boolean {
  if (!isDnsPattern(pattern)) return false;
  const p = pattern.toLowerCase();
  if (!p.startsWith('*.')) return p === host;
  const base = p.slice(2);
  if (isPublicSuffix(base)) return false;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === base;
}
