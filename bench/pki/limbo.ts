// The x509-limbo conformance cases (test/fixtures/x509-limbo) run through verifyCertificate, shared by
// the conformance test and `npm run bench:pki`: one reader of the suite's format, one verdict rule.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { verifyCertificateSync, type VerifyResult } from '../../src/pki/verify.js';

/** One test case, as x509-limbo's schema has it (only the fields a server verifier reads). */
export interface LimboCase {
  id: string;
  description: string;
  features: string[];
  validation_kind: 'SERVER' | 'CLIENT';
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time: string | null;
  extended_key_usage: string[];
  expected_result: 'SUCCESS' | 'FAILURE';
  expected_peer_name: { kind: 'DNS' | 'IP' | 'RFC822'; value: string } | null;
  max_chain_depth: number | null;
  crls: string[];
}

export interface LimboOutcome {
  id: string;
  family: string;
  expected: boolean;
  actual: boolean;
  result: VerifyResult;
  /** Wall time verifyCertificate took on this case, in milliseconds. */
  ms: number;
  /** CPU time (user + system) of the process meanwhile, in milliseconds: steadier on a busy machine. */
  cpuMs: number;
}

export interface AllowlistEntry {
  id: string;
  reason: string;
  /** A case of the suite with the same chain and the opposite expected result, which govscan follows. */
  contradicts?: string;
}

function repoRoot(): string {
  // Runs from the TypeScript source (vitest) and from dist/bench/pki (the benchmark).
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('project root not found');
    dir = up;
  }
  return dir;
}

const LIMBO_DIR = join(repoRoot(), 'test', 'fixtures', 'x509-limbo');

export function loadLimbo(): LimboCase[] {
  const doc = JSON.parse(gunzipSync(readFileSync(join(LIMBO_DIR, 'limbo-server.json.gz'))).toString('utf8')) as { testcases: LimboCase[] };
  return doc.testcases;
}

export function loadAllowlist(): AllowlistEntry[] {
  return JSON.parse(readFileSync(join(LIMBO_DIR, 'allowlist.json'), 'utf8')) as AllowlistEntry[];
}

/** `rfc5280::nc::permitted-dns-match` → `rfc5280::nc`; `rfc5280::ca-empty-subject` → `rfc5280`. */
function familyOf(id: string): string {
  const parts = id.split('::');
  return parts.length > 1 ? parts.slice(0, -1).join('::') : id;
}

const EKU_NAMES: Record<string, 'serverAuth' | 'clientAuth'> = { serverAuth: 'serverAuth', clientAuth: 'clientAuth' };

/** Runs one case; the verdict is the suite's: SUCCESS means a valid chain for the expected name. */
export function runLimboCase(tc: LimboCase): LimboOutcome {
  const usage =
    tc.extended_key_usage.map((e) => EKU_NAMES[e]).find((e) => e !== undefined) ??
    (tc.validation_kind === 'CLIENT' ? 'clientAuth' : 'serverAuth');
  const input = {
    chain: [tc.peer_certificate, ...tc.untrusted_intermediates],
    anchors: tc.trusted_certs,
    name: tc.expected_peer_name?.value ?? null,
    at: tc.validation_time ? new Date(tc.validation_time) : new Date(),
    ...(tc.max_chain_depth !== null ? { maxDepth: tc.max_chain_depth } : {}),
    usage,
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = verifyCertificateSync(input);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    id: tc.id,
    family: familyOf(tc.id),
    expected: tc.expected_result === 'SUCCESS',
    actual: result.valid,
    result,
    ms,
    cpuMs: (used.user + used.system) / 1000,
  };
}
