// "Same site over IPv4 and IPv6": page bodies compared after removing what legitimately differs
// between two fetches (CSP nonces, CSRF tokens, session ids, timestamps). Dice coefficient over the
// multiset of tokens: linear time, so a 500 kB page costs milliseconds, and order-insensitive enough
// that a rotated banner does not read as a different site.

const NONCE_ATTRS =
  /\b(nonce|csrf[\w-]*|xsrf[\w-]*|[\w-]*token|authenticity_token|__requestverificationtoken|__viewstate\w*|__eventvalidation|sessionid|jsessionid|phpsessid|sid)(["']?\s*[:=]\s*["']?)[^"'&\s<>;,]+/gi;
const HIDDEN_VALUE = /(<input[^>]*type=["']?hidden["']?[^>]*value=["'])[^"']*/gi;
const TIMESTAMP = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?\b/g;
// Long runs mixing letters and digits: hashes, random ids, base64 blobs.
const RANDOMISH = /\b(?=[A-Za-z0-9+/_-]*\d)(?=[A-Za-z0-9+/_-]*[A-Za-z])[A-Za-z0-9+/_-]{16,}={0,2}/g;

function normalizeBody(body: string): string {
  return body.replace(NONCE_ATTRS, '$1$2#').replace(HIDDEN_VALUE, '$1#').replace(TIMESTAMP, '#').replace(RANDOMISH, '#');
}

function tokens(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of text.split(/\s+|(?=<)|(?<=>)/)) {
    if (!t) continue;
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return counts;
}

/** 1 for identical (after normalisation), 0 for nothing in common; two empty bodies are identical. */
export function similarity(a: string, b: string): number {
  const left = normalizeBody(a);
  const right = normalizeBody(b);
  // Equal text has equal token multisets: the common case needs no tokenising at all.
  if (left === right) return 1;
  const ta = tokens(left);
  const tb = tokens(right);
  let na = 0;
  let nb = 0;
  let common = 0;
  for (const n of ta.values()) na += n;
  for (const [t, n] of tb) {
    nb += n;
    common += Math.min(n, ta.get(t) ?? 0);
  }
  if (na + nb === 0) return 1;
  return Math.round(((2 * common) / (na + nb)) * 1000) / 1000;
}
