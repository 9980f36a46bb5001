// Strict-Transport-Security (RFC 6797 §6.1), parsed but not judged.

export interface ParsedHsts {
  maxAge: number | null;
  includeSubDomains: boolean;
  preload: boolean;
}

/**
 * Directives of one STS header value. `maxAge` is null when max-age is missing or not
 * delta-seconds; a repeated directive keeps its first value (the RFC makes such a header invalid,
 * which is for policy to weigh, from the raw header).
 */
export function parseHsts(value: string): ParsedHsts {
  const out: ParsedHsts = { maxAge: null, includeSubDomains: false, preload: false };
  const seen = new Set<string>();
  for (const part of value.split(';')) {
    const m = /^\s*([^=\s]+)\s*(?:=\s*(.*?))?\s*$/.exec(part);
    if (!m) continue;
    const name = (m[1] ?? '').toLowerCase();
    if (seen.has(name)) continue;
    seen.add(name);
    if (name === 'max-age') {
      const raw = (m[2] ?? '').replace(/^"(.*)"$/, '$1');
      out.maxAge = /^\d+$/.test(raw) ? Number(raw) : null;
    } else if (name === 'includesubdomains') {
      out.includeSubDomains = true;
    } else if (name === 'preload') {
      out.preload = true;
    }
  }
  return out;
}

export interface HttpHead {
  status: number;
  /** Header names lower-cased, values in arrival order. */
  headers: Map<string, string[]>;
}

/** Status line and headers of an HTTP/1.x response head (without the final blank line). */
export function parseHttpHead(head: string): HttpHead | null {
  const lines = head.split(/\r?\n/);
  const m = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\b/.exec(lines[0] ?? '');
  if (!m) return null;
  const headers = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    const list = headers.get(name) ?? [];
    list.push(line.slice(i + 1).trim());
    headers.set(name, list);
  }
  return { status: Number(m[1]), headers };
}
