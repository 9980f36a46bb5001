// `govscan evidence verify FILE`: the same checks and packs `scan --inventory` runs for a system with
// `evidence:`, on one manifest on its own. Built as a PreparedScan so executeScan, waivers-free
// evaluation and every reporter are reused unchanged.

import { InputError } from '../core/errors.js';
import { prepareNetwork } from './dns-setup.js';
import { CHECKS, KNOWN_CHECKS } from './registry.js';
import { withRunParams, type PreparedScan } from './scan.js';
import { loadTrustStores } from '../pki/trust-anchors.js';
import type { Severity, Target } from '../core/types.js';
import { loadBuiltinPolicies, loadPolicySelection } from '../policy/index.js';
import { assignLegalBases, defaultRegimeForNewSystem, regimeRun } from '../policy/legal-basis.js';
import { LEGAL_BASIS_IDS, loadManifest, type LegalBasisId } from '../evidence/manifest.js';

const EVIDENCE_CHECK_IDS: ReadonlySet<string> = new Set(['seclevel.dossier', 'evidence.documents', 'fourlayer.evidence']);

export interface EvidenceVerifyRequest {
  file: string;
  legalBasis?: string;
  policies: string[];
  /** `[PACK:]NAME=VALUE` (--param). */
  params?: string[];
  caFiles: string[];
  caPins: string[];
  failOn: Severity | 'none';
  now?: Date;
}

export async function prepareEvidenceVerify(req: EvidenceVerifyRequest, deps: { timeoutMs: number }): Promise<PreparedScan> {
  const manifest = await loadManifest(req.file);
  const m = manifest.doc;
  const loaded = await loadPolicySelection(req.policies, { knownChecks: KNOWN_CHECKS });
  // A manifest has no TLS endpoints: only packs with evidence rules are listed in its report.
  const evidencePacks = loaded.filter((p) => p.rules.some((r) => EVIDENCE_CHECK_IDS.has(r.check)));
  if (!evidencePacks.length)
    throw InputError.unlocated(
      'no loaded policy has rules for evidence manifests (seclevel.dossier, evidence.documents, fourlayer.evidence)',
    );
  const { policies, applied } = withRunParams(evidencePacks, req.params ?? [], []);
  const level = m.level?.approved ?? m.level?.proposed;
  const target: Target = {
    key: `system://${m.system.id}`,
    kind: 'system',
    scheme: 'evidence',
    host: m.system.id,
    port: 0,
    path: req.file,
    system: {
      id: m.system.id,
      ...(m.system.name ? { name: m.system.name } : {}),
      ...(level !== undefined ? { level } : {}),
      evidence: req.file,
      evidenceResolved: true,
    },
    source: { file: req.file, line: 1, column: 1 },
  };
  const legalBases = assignLegalBases([target], regimeRun(policies, req), () => ({
    ...(m.legalBasis ? { manifest: { id: m.legalBasis, file: req.file } } : {}),
    ...(m.approval?.date ? { approved: m.approval.date } : {}),
  }));
  const trust = await loadTrustStores({ files: req.caFiles, pins: req.caPins });
  const net = await prepareNetwork({}, [], { timeoutMs: deps.timeoutMs });
  return {
    targets: [target],
    inventory: null,
    policies,
    checks: CHECKS.filter((c) => EVIDENCE_CHECK_IDS.has(c.id)),
    trust,
    resolver: net.resolver,
    network: net.network,
    failOn: req.failOn,
    waivers: null,
    baseline: null,
    legalBases,
    params: applied,
  };
}

/** The regime `evidence init` scaffolds for when none is named: the one a system approved today would take. */
export async function defaultLegalBasis(now: Date = new Date()): Promise<LegalBasisId> {
  const packs = await loadBuiltinPolicies({ knownChecks: KNOWN_CHECKS });
  const id = defaultRegimeForNewSystem(packs, now.toISOString().slice(0, 10));
  return LEGAL_BASIS_IDS.find((x) => x === id) ?? 'nd331-2026';
}
