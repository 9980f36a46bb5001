// Small text helpers shared by the writers.

import { isIP } from 'node:net';
import type { Finding, Lang, Localized, Target } from '../core/types.js';
import { technicalReason } from '../core/i18n/technical.js';
import { display } from '../policy/template.js';

export function pick(text: Localized | undefined, lang: Lang): string {
  if (!text) return '';
  return text[lang] || text.en || text.vi || '';
}

/** `host:port` as people write it: IPv6 literals bracketed so the port stays readable. */
export function hostPort(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/**
 * How a target is named in reports: `host:port` for endpoints; systems and the local host have no
 * port (it is 0), so `ke-toan`, never `ke-toan:0`.
 */
export function targetLabel(target: Target): string {
  return target.port === 0 ? target.host : hostPort(target.host, target.port);
}

/** Why a rule was not judged, in the reader's language; reports written before reasons were localised carry English only. */
export function reasonText(finding: Finding, lang: Lang): string {
  const reason = finding.reasonText ?? (finding.reason ? technicalReason(finding.reason) : undefined);
  return oneLine(pick(reason, lang));
}

/** A fact shown as evidence: exact JSON in English (what a pack author tests), words in Vietnamese. */
export function evidenceValue(value: unknown, lang: Lang): string {
  return lang === 'vi' ? display(value, 'vi') : (JSON.stringify(value) ?? 'undefined');
}

/**
 * A finding's message on one line, naming the endpoint even when the policy's wording forgot to. A
 * message that names the host alone is left as is: host-level checks (DNS, IPv6) have no port to add.
 */
export function findingText(finding: Finding, target: Target | undefined, lang: Lang): string {
  const text = oneLine(pick(finding.message, lang)) || oneLine(pick(finding.title, lang)) || finding.ruleId;
  if (!target || (target.host && text.includes(target.host))) return text;
  return `${targetLabel(target)}: ${text}`;
}

/** Columns a string takes in a terminal: combining marks (Vietnamese diacritics written decomposed) take none. */
export function displayWidth(text: string): number {
  let n = 0;
  for (const ch of text) if (!/\p{M}/u.test(ch)) n += 1;
  return n;
}

/**
 * The largest `measure` of `items`, 0 for none. Never `Math.max(...values)`: a report holds
 * 100,000s of rows, and spreading that many arguments into a call overflows the stack.
 */
export function largest<T>(items: Iterable<T>, measure: (item: T) => number): number {
  let max = 0;
  for (const item of items) max = Math.max(max, measure(item));
  return max;
}

/** `target.push(...items)` without spreading: any number of items. */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
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
