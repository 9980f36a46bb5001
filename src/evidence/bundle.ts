// One system's evidence as the checks see it: the manifest (loaded once per run) and the facts of
// every document it names (inspected once per run, though three checks read them).

import { dirname, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import type { CheckContext, Target, TrustStores } from '../core/types.js';
import { NotApplicableError, ProbeError } from '../core/types.js';
import { inspectDocument, type DocumentFacts } from './documents.js';
import { loadManifest, type EvidenceManifest } from './manifest.js';

export interface ManifestFacts {
  found: boolean;
  /** As the inventory (or the command line) names it. */
  file: string;
  reason: string;
}

export interface EvidenceBundle {
  manifestFacts: ManifestFacts;
  manifest: EvidenceManifest | null;
  documents(): Promise<DocumentFacts[]>;
}

const cache = new WeakMap<TrustStores, Map<string, Promise<EvidenceBundle>>>();

/**
 * Where a system target's manifest is: relative paths are relative to the inventory that names it;
 * null when the inventory names none for the system.
 */
function manifestPathOf(target: Target): string | null {
  if (target.kind !== 'system') throw new NotApplicableError('not an information system');
  const written = target.system?.evidence;
  if (!written) return null;
  return target.source && !target.system?.evidenceResolved ? resolve(dirname(target.source.file), written) : written;
}

const NOT_NAMED: EvidenceBundle = {
  manifestFacts: { found: false, file: '', reason: 'the inventory names no evidence manifest for this system' },
  manifest: null,
  documents: () => Promise.resolve([]),
};

export function evidenceBundle(target: Target, ctx: CheckContext): Promise<EvidenceBundle> {
  const file = manifestPathOf(target);
  if (file === null) return Promise.resolve(NOT_NAMED);
  let perRun = cache.get(ctx.trust);
  if (!perRun) {
    perRun = new Map();
    cache.set(ctx.trust, perRun);
  }
  let pending = perRun.get(file);
  if (!pending) {
    pending = load(file, target.system?.evidence ?? file, ctx);
    perRun.set(file, pending);
  }
  return pending;
}

async function load(file: string, written: string, ctx: CheckContext): Promise<EvidenceBundle> {
  let manifest: EvidenceManifest;
  try {
    manifest = await loadManifest(file);
  } catch (err) {
    if (err instanceof InputError && /ENOENT/.test(err.detail)) {
      return {
        manifestFacts: { found: false, file: written, reason: 'no such file' },
        manifest: null,
        documents: () => Promise.resolve([]),
      };
    }
    // Inventories validate their manifests before any probe runs; this is a manifest changed since.
    throw new ProbeError('internal', err instanceof Error ? err.message : String(err));
  }
  const now = ctx.now();
  let docs: Promise<DocumentFacts[]> | undefined;
  return {
    manifestFacts: { found: true, file: written, reason: '' },
    manifest,
    // inspectDocument never rejects: one document's failure stays in its own facts (issue 10).
    documents: () => (docs ??= Promise.all(manifest.documents.map((ref) => inspectDocument(ref, manifest.dir, ctx.trust, now)))),
  };
}

const DAY_MS = 86_400_000;

/** Whole days from `date` (YYYY-MM-DD, UTC midnight) to now; 0 for an absent date. */
export function ageDays(date: string | undefined, now: Date): number {
  if (!date) return 0;
  return Math.trunc((now.getTime() - Date.parse(`${date}T00:00:00Z`)) / DAY_MS);
}
