// Pack tests on recorded facts (test/fixtures/facts/<family>/<case>.json: a target and the attempts
// its probes recorded), judged by the pure evaluator: no lab, no network, no build.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Attempt, Finding, Outcome, Target } from '../../src/core/types.js';
import { evaluate, loadBuiltinPolicies, type LoadedPolicy } from '../../src/policy/index.js';
import { KNOWN } from '../policy/helpers.js';

export interface Recorded {
  target: Target;
  attempts: Attempt[];
}

export function readRecorded(family: string, name: string): Recorded {
  const file = fileURLToPath(new URL(`../fixtures/facts/${family}/${name}.json`, import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')) as Recorded;
}

/** A copy with the facts of `check` changed (the recorded file stays as it is). */
export function changed<F>(recorded: Recorded, check: string, change: (facts: F) => void): Recorded {
  const copy = structuredClone(recorded);
  const attempt = copy.attempts.find((a) => a.check === check);
  if (!attempt?.facts) throw new Error(`no recorded facts of ${check}`);
  change(attempt.facts as F);
  return copy;
}

/** A copy in which `check` could not gather its facts. */
export function failedProbe(recorded: Recorded, check: string, errorKind: Attempt['errorKind'], reason: string): Recorded {
  const copy = structuredClone(recorded);
  copy.attempts = copy.attempts.map((a) => {
    if (a.check !== check) return a;
    const { facts: _none, ...rest } = a;
    return { ...rest, status: 'error', errorKind, reason };
  });
  return copy;
}

export async function builtinPack(id: string): Promise<LoadedPolicy> {
  const pack = (await loadBuiltinPolicies(KNOWN)).find((p) => p.id === id);
  if (!pack) throw new Error(`${id} is not a built-in pack`);
  return pack;
}

export function judge(pack: LoadedPolicy, recorded: Recorded, now: Date): Finding[] {
  return evaluate({ targets: [recorded.target], attempts: recorded.attempts, policies: [pack], now });
}

/** Rule ids by outcome, passes left out (everything not listed passed). */
export type Outcomes = Partial<Record<Exclude<Outcome, 'pass'>, string[]>>;

export function outcomesOf(findings: readonly Finding[]): Outcomes {
  const out: Outcomes = {};
  for (const f of findings) if (f.outcome !== 'pass') (out[f.outcome] ??= []).push(f.ruleId);
  for (const ids of Object.values(out)) ids.sort();
  return out;
}
