// The packs shipped in the package's policies/ folder, and how a command-line policy argument (a
// built-in id or a file) becomes loaded packs.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../engine/errors.js';
import { assertNoCrossPackDuplicates, checkPolicyFile, checkPolicyText } from './load.js';
import { policiesDir } from './schema.js';
import type { LoadOptions, LoadedPolicy } from './types.js';

/** Every built-in pack, in file-name order. A broken built-in pack is a packaging bug, so it throws. */
export async function loadBuiltinPolicies(opts: LoadOptions): Promise<LoadedPolicy[]> {
  const dir = policiesDir();
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  const policies: LoadedPolicy[] = [];
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8');
    // Shown relative to the package so reports do not leak the install path.
    const result = checkPolicyText(text, `policies/${name}`, opts, true);
    const [first] = result.errors;
    if (first) throw first;
    if (result.policy) policies.push(result.policy);
  }
  assertNoCrossPackDuplicates(policies);
  return policies;
}

/** A built-in pack id, else a policy file path. */
export async function resolvePolicyArg(idOrFile: string, opts: LoadOptions): Promise<LoadedPolicy> {
  return resolveAgainst(idOrFile, await loadBuiltinPolicies(opts), opts);
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
export async function loadPolicies(idsOrFiles: readonly string[], opts: LoadOptions): Promise<LoadedPolicy[]> {
  const builtins = idsOrFiles.length ? await loadBuiltinPolicies(opts) : [];
  const policies: LoadedPolicy[] = [];
  for (const arg of idsOrFiles) policies.push(await resolveAgainst(arg, builtins, opts));
  assertNoCrossPackDuplicates(policies);
  return policies;
}

/** What a scan judges against: the named packs, or every built-in pack when none is named. */
export async function loadPolicySelection(idsOrFiles: readonly string[], opts: LoadOptions): Promise<LoadedPolicy[]> {
  return idsOrFiles.length ? loadPolicies(idsOrFiles, opts) : loadBuiltinPolicies(opts);
}
