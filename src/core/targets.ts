// Turning what the user typed (`https://host:port/path`, `host:port`, a bare domain) into Targets.

import { isIP } from 'node:net';
import type { SourceLocation, SystemRef, Target } from './types.js';

/** Why an endpoint string is not a target we can scan; null when it is fine. */
export type TargetParse = { ok: true; target: Target } | { ok: false; error: string };

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*\.?$/i;

export function isValidHost(host: string): boolean {
  return isIP(host) !== 0 || HOSTNAME.test(host);
}

/** Bracket IPv6 literals the way URLs and `host:port` keys need. */
export function hostForUrl(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

export function parseTarget(text: string, extra: { system?: SystemRef; agency?: string; source?: SourceLocation } = {}): TargetParse {
  const raw = text.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return parseUrlTarget(raw, extra);
  if (!raw.includes(':') && raw.includes('.') && isIP(raw) === 0 && HOSTNAME.test(raw))
    return { ok: true, target: domainTarget(raw, extra) };
  return parseHostPort(raw, extra);
}

/**
 * A bare domain: judged by what DNS publishes for it (web, name servers, mail). Port 53 only keeps
 * `host:port` displays and synthetic SARIF paths meaningful; nothing dials it.
 */
export function domainTarget(name: string, extra: { system?: SystemRef; agency?: string; source?: SourceLocation } = {}): Target {
  const host = name.toLowerCase().replace(/\.$/, '');
  return { key: `dns://${host}`, kind: 'domain', scheme: 'dns', host, port: 53, path: '/', ...extra };
}

/** Ports a target may name: 0 is no port (the OS would pick any), and 65535 is the last there is. */
export function isPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

/** The port written in a URL's authority, read before URL parsing hides 0 as a port and rejects 65536 as a URL. */
const URL_PORT = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^:/?#]*):(\d+)(?:[/?#]|$)/i;

function parseUrlTarget(raw: string, extra: Partial<Target>): TargetParse {
  const written = URL_PORT.exec(raw)?.[1];
  if (written !== undefined && !isPort(Number(written))) return { ok: false, error: `"${raw}": port must be 1–65535` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: `"${raw}" is not a valid URL` };
  }
  const scheme = url.protocol.replace(/:$/, '').toLowerCase();
  const kind = URL_SCHEMES[scheme];
  if (!kind) {
    return { ok: false, error: `"${raw}": ${scheme}:// endpoints are not supported yet (use https://, smtp://, smtps:// or host:port)` };
  }
  if (url.username || url.password) return { ok: false, error: `"${raw}": credentials in the URL are not accepted` };
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (!isValidHost(host)) return { ok: false, error: `"${raw}": "${host}" is not a valid host name` };
  const port = url.port ? Number(url.port) : kind.defaultPort;
  if (kind.scheme !== 'https' && url.pathname && url.pathname !== '/')
    return { ok: false, error: `"${raw}": a ${scheme}:// endpoint has no path` };
  const target: Target = {
    key: `${kind.scheme}://${hostForUrl(host)}:${port}`,
    kind: kind.kind,
    scheme: kind.scheme,
    host,
    port,
    path: kind.scheme === 'https' ? `${url.pathname || '/'}${url.search}` : '/',
    ...extra,
  };
  return { ok: true, target };
}

/**
 * URL schemes an endpoint may be written with. smtp:// is mail with STARTTLS (RFC 3207; port 25, or
 * 587 for submission); smtps:// is mail over TLS from the first byte (RFC 8314; port 465), which the
 * TLS check probes like any tls:// endpoint.
 */
const URL_SCHEMES: Record<string, { scheme: Target['scheme']; kind: Target['kind']; defaultPort: number }> = {
  https: { scheme: 'https', kind: 'web', defaultPort: 443 },
  smtp: { scheme: 'smtp', kind: 'host', defaultPort: 25 },
  smtps: { scheme: 'tls', kind: 'host', defaultPort: 465 },
};

function parseHostPort(raw: string, extra: Partial<Target>): TargetParse {
  const m = /^\[([0-9a-f:.]+)\]:(\d+)$/i.exec(raw) ?? /^([^:\s/]+):(\d+)$/.exec(raw);
  if (!m) return { ok: false, error: `"${raw}" is neither an https:// URL, host:port nor a domain name` };
  const host = (m[1] ?? '').toLowerCase();
  const port = Number(m[2]);
  if (!isValidHost(host)) return { ok: false, error: `"${raw}": "${host}" is not a valid host name` };
  if (!isPort(port)) return { ok: false, error: `"${raw}": port must be 1–65535` };
  const target: Target = {
    key: `tls://${hostForUrl(host)}:${port}`,
    kind: 'host',
    scheme: 'tls',
    host,
    port,
    path: '/',
    ...extra,
  };
  return { ok: true, target };
}

/** Keep the first declaration of each target: a later duplicate adds nothing but noise. */
export function dedupeTargets(targets: Target[]): Target[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    if (seen.has(t.key)) return false;
    seen.add(t.key);
    return true;
  });
}
