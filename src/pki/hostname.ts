// Does a certificate name a host? RFC 6125 §6 as browsers apply it: SAN dNSName with a wildcard only
// as the whole leftmost label, iPAddress SANs for IP literals, the subject CN only when the
// certificate has no DNS SANs at all.

import { isIP } from 'node:net';
import { domainToASCII, URL } from 'node:url';

/** The parts of a certificate that name it; CertificateFacts has this shape. */
export interface CertificateNames {
  sans: { dns: string[]; ip: string[] };
  subjectCN: string | null;
}

export interface HostnameMatch {
  matches: boolean;
  matchedBy: 'san' | 'cn' | null;
}

const NO_MATCH: HostnameMatch = { matches: false, matchedBy: null };

export function matchHostname(name: string, cert: CertificateNames): HostnameMatch {
  const bare = name.replace(/^\[|\]$/g, '');
  if (isIP(bare)) {
    const ip = canonicalIpText(bare);
    return cert.sans.ip.some((s) => canonicalIpText(s) === ip) ? { matches: true, matchedBy: 'san' } : NO_MATCH;
  }
  const host = referenceName(bare);
  if (!host) return NO_MATCH;
  if (cert.sans.dns.length) {
    return cert.sans.dns.some((p) => dnsPatternMatches(p, host)) ? { matches: true, matchedBy: 'san' } : NO_MATCH;
  }
  const cn = cert.subjectCN;
  // A CN holding an IP address never names a host (RFC 6125 §6.4.4 applies to DNS names only).
  if (cn && !isIP(cn) && dnsPatternMatches(cn, host)) return { matches: true, matchedBy: 'cn' };
  return NO_MATCH;
}

function canonicalIpText(ip: string): string {
  if (isIP(ip) === 4) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname;
  } catch {
    return ip.toLowerCase();
  }
}

/** Lower-case A-label form without a trailing dot; null for names that cannot be a host. */
function referenceName(name: string): string | null {
  const ascii = domainToASCII(name.replace(/\.$/, ''));
  return ascii ? ascii.toLowerCase() : null;
}

function dnsPatternMatches(pattern: string, host: string): boolean {
  const p = pattern.trim().replace(/\.$/, '').toLowerCase();
  if (!p) return false;
  if (!p.includes('*')) return p === host;
  const labels = p.split('.');
  // Only `*` as the whole leftmost label, and never directly under a TLD (`*.com`).
  if (labels[0] !== '*' || labels.length < 3 || labels.slice(1).some((l) => l.includes('*') || !l)) return false;
  const hostLabels = host.split('.');
  if (hostLabels.length !== labels.length || !hostLabels[0]) return false;
  return hostLabels.slice(1).join('.') === labels.slice(1).join('.');
}
