// Small text helpers shared by the writers.

import { isIP } from 'node:net';
import type { Finding, Lang, Localized, Target } from '../engine/types.js';

export function pick(text: Localized | undefined, lang: Lang): string {
  if (!text) return '';
  return text[lang] || text.en || text.vi || '';
}

/** `host:port` as people write it: IPv6 literals bracketed so the port stays readable. */
export function hostPort(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/**
 * A finding's message on one line, naming the endpoint even when the policy's wording forgot to. A
 * message that names the host alone is left as is: host-level checks (DNS, IPv6) have no port to add.
 */
export function findingText(finding: Finding, target: Target | undefined, lang: Lang): string {
  const text = oneLine(pick(finding.message, lang)) || oneLine(pick(finding.title, lang)) || finding.ruleId;
  if (!target || (target.host && text.includes(target.host))) return text;
  return `${hostPort(target.host, target.port)}: ${text}`;
}

/** Terminal tables and SARIF one-liners must not be broken by a stray newline in a message. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** `VN-IPV6-WEB-AAAA` → `VnIpv6WebAaaa`: SARIF wants a readable identifier distinct from the opaque id. */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
    .join('');
}

export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
