// Build-time cache of the built-in packs (`npm run build` writes dist/policies.cache.json through
// scripts/policy-cache.mjs): each pack's parsed document and rule-id positions, keyed by a hash of its
// YAML. A run then skips YAML parsing (~70 ms) and compiles CEL per rule on first use (~80 ms for
// every rule up front). The cache is never the source of truth: a pack whose text no longer matches
// its hash, or that is missing from the cache (a pack added since the build), or a cache that is
// absent or unreadable, is loaded from its YAML as before.

import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { packageRoot } from '../core/package-root.js';
import type { LoadedPolicy, PolicyDocument } from './types.js';

/**
 * Bumped whenever the entry format or the meaning of "cached" changes.
 * @public scripts/policy-cache.mjs writes the cache at build time from dist/, with cacheFile and cacheEntry.
 */
export const CACHE_FORMAT = 1;

export interface CachedPack {
  /** SHA-256 (hex) of the YAML text the entry was made from. */
  sha256: string;
  doc: PolicyDocument;
  /** Line and column of each rule's id, in rule order. */
  ruleIds: { line: number; col: number }[];
}

interface PolicyCache {
  format: number;
  /** By file name under policies/. */
  packs: Record<string, CachedPack>;
}

/** @public see CACHE_FORMAT. */
export function cacheFile(): string {
  return join(packageRoot(), 'dist', 'policies.cache.json');
}

function textHash(text: string): string {
  return hash('sha256', text, 'hex');
}

let loaded: PolicyCache | null | undefined;

/** The cache as written by the build, or null when there is none fit to use. Read once per process. */
function readPolicyCache(): PolicyCache | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  try {
    const parsed: unknown = JSON.parse(readFileSync(cacheFile(), 'utf8'));
    if (isCache(parsed)) loaded = parsed;
  } catch {
    // No build cache (running from a source checkout before `npm run build`): parse the YAML.
  }
  return loaded;
}

function isCache(v: unknown): v is PolicyCache {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as { format?: unknown; packs?: unknown };
  return c.format === CACHE_FORMAT && typeof c.packs === 'object' && c.packs !== null;
}

/** The cached entry for `name` if it was made from exactly `text`. */
export function cachedPack(name: string, text: string): CachedPack | null {
  const entry = readPolicyCache()?.packs[name];
  if (!entry || typeof entry.sha256 !== 'string' || !Array.isArray(entry.ruleIds)) return null;
  return entry.sha256 === textHash(text) ? entry : null;
}

/**
 * The cache entry of a pack that loaded with every check (schema, CEL, placeholders): `policy` is
 * the result of loading `doc` from `text`. Only JSON-exact documents are cached, so the run sees the
 * very value the build checked.
 * @public see CACHE_FORMAT.
 */
export function cacheEntry(text: string, doc: unknown, policy: LoadedPolicy): CachedPack | null {
  const json = JSON.stringify(doc);
  if (json === undefined) return null;
  const copy: unknown = JSON.parse(json);
  if (!isDeepStrictEqual(copy, doc)) return null;
  return {
    sha256: textHash(text),
    doc: copy as PolicyDocument,
    ruleIds: policy.rules.map((r) => ({ line: r.location.line, col: r.location.column })),
  };
}
