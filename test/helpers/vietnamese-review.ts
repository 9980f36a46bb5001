// Reads Vietnamese output as a reviewer would and lists what does not belong in it: raw booleans and
// empty quotes, CEL (`facts.`), ISO timestamps, JavaScript leftovers (undefined, NaN, [object Object]),
// and English words outside the terms that stay English (protocols, standards, identifiers).

/** Terms that stay as they are in Vietnamese text: protocol, standard and product names. */
const STAYS_ENGLISH = new Set(
  [
    // protocols, formats, standards
    'TLS', 'SSL', 'IPv6', 'IPv4', 'SARIF', 'HSTS', 'OCSP', 'DNS', 'HTTP', 'HTTPS', 'SMTP', 'STARTTLS', 'TCP', 'UDP', 'IP',
    'JSON', 'HTML', 'JUnit', 'YAML', 'PDF', 'CMS', 'PEM', 'DER', 'UTC', 'URL', 'ID', 'CEL', 'CSV', 'SHA', 'RSA', 'EC', 'DSA',
    'ECDSA', 'ECDHE', 'AES', 'GCM', 'ChaCha20', 'Poly1305', 'MD5', 'SHA-1', 'SHA-256', 'ACME', 'RFC', 'NIST', 'CA', 'SOC',
    'NCSC', 'TCVN', 'BR', 'Forum', 'ClientHello', 'AAAA', 'NS', 'MX', 'NXDOMAIN', 'ULA', 'WAF', 'SNI', 'SAN', 'CN', 'API',
    'GitHub', 'GitLab', 'CI', 'Prometheus', 'PostgreSQL', 'SQLite', 'Chromium', 'nmap', 'rsyslog', 'journald', 'logrotate',
    'syslog', 'systemd', 'Ed25519', 'X25519', 'P-256', 'P-384', 'baseline', 'token', 'Root', 'National', 'Vietnam',
    // X.509 and HTTP field names a certificate or header shows as they are
    'notAfter', 'notBefore', 'keyUsage', 'extKeyUsage', 'basicConstraints', 'subjectAltName', 'nameConstraints',
    'pathLenConstraint', 'OCSPSigning', 'thisUpdate', 'nextUpdate', 'max-age', 'includeSubDomains', 'preload',
    'Strict-Transport-Security', 'good', 'revoked', 'unknown', 'critical', 'legalBasis',
    // the product and its commands
    'govscan', 'govscan-agent', 'scan', 'policy', 'report', 'evidence', 'server', 'init', 'verify', 'list', 'show',
    'convert', 'merge', 'diff', 'validate', 'fleet', 'status', 'findings', 'export', 'demo', 'checks', 'worker', 'token',
    'create', 'revoke', 'enrollment',
  ],
);

/** English words that also spell common Vietnamese syllables without marks are not English evidence. */
const COMMON_ENGLISH = new Set(
  [
    'the', 'of', 'and', 'is', 'are', 'was', 'were', 'not', 'for', 'with', 'from', 'this', 'that', 'which', 'has', 'have',
    'does', 'did', 'will', 'be', 'been', 'it', 'its', 'or', 'if', 'but', 'by', 'at', 'as', 'into', 'than', 'then', 'there',
    'true', 'false', 'null', 'undefined', 'yes', 'no', 'none', 'failed', 'failure', 'passed', 'error', 'expected', 'found',
    'missing', 'declared', 'rules', 'rule', 'high', 'medium', 'low', 'info', 'target', 'targets', 'system', 'systems',
    'level', 'days', 'day', 'ago', 'before', 'after', 'since', 'until', 'valid', 'invalid', 'certificate', 'issuer',
    'signature', 'connect', 'connection', 'refused', 'timed', 'out', 'reachable', 'unreachable', 'present', 'partial',
    'full', 'custom', 'public', 'store', 'anchors', 'incomplete', 'chain', 'name', 'names', 'endpoint', 'collector',
    'server', 'client', 'response', 'stapled', 'checked', 'passed', 'tested', 'applicable', 'waived', 'waiver', 'example',
    'added', 'payment', 'gateway', 'transition', 'regime', 'effective', 'ended', 'days', 'report', 'reports', 'yearly',
    'monthly', 'weekly', 'daily', 'passes', 'fails', 'total', 'summary', 'generated', 'scanner', 'version', 'policies',
    'art', 'arts', 'form', 'force', 'in', 'on', 'to', 'state', 'reason', 'open', 'closed', 'address', 'document', 'date',
    'stale', 'former', 'documentation', 'mapped', 'stapling', 'scan', 'scanned', 'agent', 'agents',
  ],
);

/** Everything that is an identifier, not a word: URLs, paths, hosts, flags, rule ids, code spans, numbers. */
const NOT_WORDS = [
  /\{[A-Za-z_][\w.]*\}/g, // placeholders of a message catalogue
  /\b(?:Windows Server|IPv6 For Gov|Null MX|OCSP stapling)\b/g, // product, programme and RFC names
  /`[^`\n]*`/g, // code spans: field names, commands
  /\b(?:C|O|OU|CN|L|ST|DC)=[^;()\n]*/g, // distinguished names of certificates (data, not words)
  /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, // URLs and target keys
  /(?:^|\s)--?[a-z][\w-]*/gi, // flags
  /\S*[/\\]\S*/g, // paths, and anything with a slash (legal references such as 02/CT-TTg)
  /\S+\.\S+/g, // host names, file names, dotted paths
  /\S*[_@:=#]\S*/g, // identifiers with code punctuation
  /\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b/g, // rule ids
  /\b[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+\b/g, // kebab-case ids and compound terms (IPv4-mapped, link-local)
  /\b[a-z]+(?:[A-Z][a-z0-9]*)+\b/g, // camelCase identifiers
  /\b[A-Z]{2,}[a-z]\w*\b/g, // configuration directives (SSLUseStapling)
  /\b\w*\d\w*\b/g, // anything with a digit
];

/** Reported as raw values already. */
const RAW = new Set(['true', 'false', 'undefined', 'NaN']);

/** What is wrong with one piece of Vietnamese text; `where` names it in the problems. */
export function reviewVietnamese(text: string, where: string, extraAllowed: ReadonlySet<string> = new Set()): string[] {
  const problems: string[] = [];
  const say = (what: string, sample: string): void => void problems.push(`${where}: ${what}: …${sample.replace(/\s+/g, ' ').slice(0, 160)}…`);
  const around = (i: number): string => text.slice(Math.max(0, i - 60), i + 80);
  // Code spans are what a user types (`true`, `facts.x`), not what the program says.
  const prose = text.replace(/`[^`\n]*`/g, ' ');
  for (const m of prose.matchAll(/\b(true|false|undefined|NaN)\b|\[object Object\]|''|facts\.[a-z]|\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/g)) {
    say(`raw ${JSON.stringify(m[0])}`, prose.slice(Math.max(0, (m.index ?? 0) - 60), (m.index ?? 0) + 80));
  }
  let words = text;
  for (const re of NOT_WORDS) words = words.replace(re, ' ');
  // Whole words, Vietnamese letters included: "toàn" is not the English "to".
  for (const m of words.normalize('NFC').matchAll(/[\p{L}\p{M}']+/gu)) {
    const w = m[0];
    if (!/^[A-Za-z][A-Za-z']*$/.test(w)) continue;
    if (STAYS_ENGLISH.has(w) || extraAllowed.has(w) || RAW.has(w)) continue;
    if (/^[A-Z]{2,}$/.test(w)) continue; // acronyms (CAO, ATTT, UBND…)
    if (COMMON_ENGLISH.has(w.toLowerCase()) || /^[a-z]*(?:ing|tion|ed|ly)$/i.test(w) && w.length > 4) {
      const at = new RegExp(`\\b${w}\\b`).exec(text)?.index ?? 0;
      say(`English word ${JSON.stringify(w)}`, around(at));
    }
  }
  return problems;
}
