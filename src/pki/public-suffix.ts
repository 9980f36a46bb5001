// A compact public-suffix rule set for refusing wildcard certificates over a registry: a wildcard
// `*.X` matches nothing when X is a public suffix (RFC 9525 §6.3, BR §3.2.2.6). The full Public
// Suffix List has ~10,000 rules and changes weekly; this keeps what a wildcard is realistically
// issued under:
//   - every single-label name (a TLD: `*.com`, `*.vn`);
//   - the second-level registries of Viet Nam (VNNIC) and of the ccTLDs that register under
//     second-level names (`*.gov.vn`, `*.co.uk`, `*.com.au`…);
//   - the shared-hosting suffixes of the PSL's private section that public CAs see most, where one
//     wildcard would cover every customer (`*.github.io`, `*.s3.amazonaws.com`…).
// A suffix missing here makes a wildcard over it match as an ordinary one; the CA/B Forum forbids
// issuing such certificates, so the gap only matters for a misissued one.

const SECOND_LEVEL: Readonly<Record<string, readonly string[]>> = {
  vn: ['com', 'net', 'org', 'edu', 'gov', 'int', 'ac', 'biz', 'info', 'name', 'pro', 'health', 'mil', 'io', 'id'],
  uk: ['ac', 'co', 'gov', 'ltd', 'me', 'net', 'nhs', 'org', 'plc', 'police', 'sch'],
  au: ['asn', 'com', 'edu', 'gov', 'id', 'net', 'org'],
  jp: ['ac', 'ad', 'co', 'ed', 'go', 'gr', 'lg', 'ne', 'or'],
  kr: ['ac', 'co', 'go', 'ne', 'or', 're'],
  cn: ['ac', 'com', 'edu', 'gov', 'net', 'org'],
  tw: ['com', 'edu', 'gov', 'net', 'org'],
  hk: ['com', 'edu', 'gov', 'net', 'org'],
  sg: ['com', 'edu', 'gov', 'net', 'org'],
  my: ['com', 'edu', 'gov', 'net', 'org'],
  th: ['ac', 'co', 'go', 'in', 'net', 'or'],
  id: ['ac', 'co', 'go', 'net', 'or', 'web'],
  ph: ['com', 'edu', 'gov', 'net', 'org'],
  in: ['ac', 'co', 'edu', 'gov', 'net', 'org'],
  nz: ['ac', 'co', 'govt', 'net', 'org'],
  za: ['ac', 'co', 'gov', 'org'],
  br: ['com', 'gov', 'net', 'org'],
  ar: ['com', 'gob', 'net', 'org'],
  mx: ['com', 'gob', 'net', 'org'],
  tr: ['com', 'edu', 'gov', 'net', 'org'],
  il: ['ac', 'co', 'gov', 'org'],
};

const PRIVATE = new Set([
  'github.io',
  'gitlab.io',
  'herokuapp.com',
  'appspot.com',
  'blogspot.com',
  'cloudfront.net',
  'azurewebsites.net',
  'cloudapp.net',
  'firebaseapp.com',
  'web.app',
  'netlify.app',
  'vercel.app',
  'pages.dev',
  'workers.dev',
  's3.amazonaws.com',
  'elasticbeanstalk.com',
]);

/** Whether `domain` (lower-case A-labels, no trailing dot) is a public suffix under this rule set. */
export function isPublicSuffix(domain: string): boolean {
  const labels = domain.split('.');
  if (labels.length === 1) return true;
  if (PRIVATE.has(domain)) return true;
  if (labels.length === 2) return SECOND_LEVEL[labels[1] as string]?.includes(labels[0] as string) ?? false;
  return false;
}
