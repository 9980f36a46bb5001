// The packs shipped in the package's policies/ folder, and how a command-line policy argument (a
// built-in id or a file) becomes loaded packs.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../engine/errors.js';
import { cachedPack } from './builtin-cache.js';
import { assertNoCrossPackDuplicates, checkPolicyFile, checkPolicyText, policyFromCache } from './load.js';
import { policiesDir } from './schema.js';
import type { LoadOptions, LoadedPolicy } from './types.js';
import { chooseLegalBasis, isRegimePack, legalBasisOfPack, withLegalBasis, type LegalBasisRequest } from '../evidence/legal-basis.js';

/** Built-in packs for one legal-basis regime (the security-level packs share rule ids, so one is loaded). */
export type BuiltinOptions = LoadOptions & LegalBasisRequest;

/** Every built-in pack, in file-name order. A broken built-in pack is a packaging bug, so it throws. */
export async function loadBuiltinPolicies(opts: BuiltinOptions): Promise<LoadedPolicy[]> {
  const dir = policiesDir();
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  const policies: LoadedPolicy[] = [];
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8');
    // Shown relative to the package so reports do not leak the install path.
    const file = `policies/${name}`;
    const cached = cachedPack(name, text);
    const fast = cached ? policyFromCache(cached.doc, cached.ruleIds, file, opts) : null;
    if (fast) {
      policies.push(fast);
      continue;
    }
    const result = checkPolicyText(text, file, opts, true);
    const [first] = result.errors;
    if (first) throw first;
    if (result.policy) policies.push(result.policy);
  }
  const chosen = withLegalBasis(policies, chooseLegalBasis(policies, opts));
  assertNoCrossPackDuplicates(chosen);
  return chosen;
}

/** A built-in pack id, else a policy file path. */
export async function resolvePolicyArg(idOrFile: string, opts: BuiltinOptions): Promise<LoadedPolicy> {
  return resolveAgainst(idOrFile, await loadBuiltinPolicies(withNamedRegime([idOrFile], opts)), opts);
}

async function resolveAgainst(idOrFile: string, builtins: readonly LoadedPolicy[], opts: LoadOptions): Promise<LoadedPolicy> {
  const hit = builtins.find((p) => p.id === idOrFile);
  if (hit) return hit;
  if (!(await isFile(idOrFile))) {
    const ids = builtins.map((p) => p.id).join(', ') || 'none';
    throw new InputError(null, null, null, `unknown policy "${idOrFile}": not a built-in policy (${ids}) and no such file`);
  }
  const result = await checkPolicyFile(idOrFile, opts);
  const [first] = result.errors;
  if (first) throw first;
  if (!result.policy) throw new InputError(idOrFile, null, null, 'policy pack did not load');
  return result.policy;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The packs named on the command line, checked together for duplicate ids. */
export async function loadPolicies(idsOrFiles: readonly string[], opts: BuiltinOptions): Promise<LoadedPolicy[]> {
  const builtins = idsOrFiles.length ? await loadBuiltinPolicies(withNamedRegime(idsOrFiles, opts)) : [];
  const policies: LoadedPolicy[] = [];
  for (const arg of idsOrFiles) policies.push(await resolveAgainst(arg, builtins, opts));
  assertNoCrossPackDuplicates(policies);
  return policies;
}

/**
 * What a scan judges against: the named packs, or when none is named every built-in pack of its scope
 * (agent-scoped packs only for agent runs).
 */
export async function loadPolicySelection(idsOrFiles: readonly string[], opts: BuiltinOptions & { agentRun?: boolean }): Promise<LoadedPolicy[]> {
  if (idsOrFiles.length) return loadPolicies(idsOrFiles, opts);
  return (await loadBuiltinPolicies(opts)).filter((p) => p.scope === 'scan' || opts.agentRun === true);
}

/** `--policy vn-nd85-2016` picks that regime, unless a legal basis is already named. */
function withNamedRegime(idsOrFiles: readonly string[], opts: BuiltinOptions): BuiltinOptions {
  if (opts.legalBasis !== undefined) return opts;
  const named = idsOrFiles.find(isRegimePack);
  const basis = named ? legalBasisOfPack(named) : undefined;
  return basis ? { ...opts, legalBasis: basis, chosenBy: 'policy' } : opts;
}
