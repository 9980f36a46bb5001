// The packs shipped in the package's policies/ folder, and how a command-line policy argument (a
// built-in id or a file) becomes loaded packs.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { cachedPack } from './builtin-cache.js';
import { assertNoCrossPackDuplicates, checkPolicyFile, checkPolicyText, policyFromCache } from './load.js';
import { policiesDir } from './schema.js';
import type { LoadOptions, LoadedPolicy } from './types.js';
import { defineMessages, format } from '../core/i18n/index.js';

export type BuiltinOptions = LoadOptions;

const BUILTIN_MESSAGES = defineMessages({
  unknown: {
    en: 'unknown policy "{arg}": not a built-in policy pack ({ids}) and no such file',
    vi: 'không có bộ quy tắc "{arg}": đây không phải bộ quy tắc có sẵn ({ids}) và cũng không có tệp nào như vậy',
  },
});

/**
 * Every built-in pack, in file-name order — both security-level regimes included: which of them
 * judges a system is decided per system (policy/legal-basis.ts). A broken built-in pack is a
 * packaging bug, so it throws.
 */
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
  assertNoCrossPackDuplicates(policies);
  return policies;
}

/** A built-in pack id, else a policy file path. */
export async function resolvePolicyArg(idOrFile: string, opts: BuiltinOptions): Promise<LoadedPolicy> {
  return resolveAgainst(idOrFile, await loadBuiltinPolicies(opts), opts);
}

async function resolveAgainst(idOrFile: string, builtins: readonly LoadedPolicy[], opts: LoadOptions): Promise<LoadedPolicy> {
  const hit = builtins.find((p) => p.id === idOrFile);
  if (hit) return hit;
  if (!(await isFile(idOrFile))) {
    const ids = builtins.map((p) => p.id).join(', ');
    const text = BUILTIN_MESSAGES.unknown;
    throw InputError.unlocated({ en: format(text.en, { arg: idOrFile, ids }), vi: format(text.vi, { arg: idOrFile, ids }) });
  }
  const result = await checkPolicyFile(idOrFile, opts);
  const [first] = result.errors;
  if (first) throw first;
  if (!result.policy) throw InputError.inFile(idOrFile, 'policy pack did not load');
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
  const builtins = idsOrFiles.length ? await loadBuiltinPolicies(opts) : [];
  const policies: LoadedPolicy[] = [];
  for (const arg of idsOrFiles) policies.push(await resolveAgainst(arg, builtins, opts));
  assertNoCrossPackDuplicates(policies);
  return policies;
}

/**
 * What a scan judges against: the named packs, or when none is named every built-in pack of its scope
 * (agent-scoped packs only for agent runs).
 */
export async function loadPolicySelection(
  idsOrFiles: readonly string[],
  opts: BuiltinOptions & { agentRun?: boolean },
): Promise<LoadedPolicy[]> {
  if (idsOrFiles.length) return loadPolicies(idsOrFiles, opts);
  return (await loadBuiltinPolicies(opts)).filter((p) => p.scope === 'scan' || opts.agentRun === true);
}
