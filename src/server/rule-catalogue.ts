// The rule reference the dashboard links rule ids and packs to: every rule of the built-in policy
// packs (title, description, remediation, references in English and Vietnamese), read once.

import { KNOWN_CHECKS } from '../engine/registry.js';
import type { RuleDescriptor } from '../core/types.js';
import { loadBuiltinPolicies } from '../policy/builtin.js';
import { describeRules } from '../policy/describe.js';

let catalogue: Promise<RuleDescriptor[]> | null = null;

/** The built-in packs' rules; loaded on first use and kept (they ship with the server). */
export function builtinRules(): Promise<RuleDescriptor[]> {
  catalogue ??= loadBuiltinPolicies({ knownChecks: KNOWN_CHECKS }).then(describeRules);
  return catalogue;
}
