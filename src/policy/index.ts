// The policy engine's public surface: load packs, judge facts, describe rules for reporters.

export type { LoadedPolicy } from './types.js';
export {
  crossPackErrors,
  loadPolicyFile,
  loadPolicyText,
  validatePolicyFiles,
} from './load.js';
export { loadBuiltinPolicies, loadPolicies, loadPolicySelection, resolvePolicyArg } from './builtin.js';
export { evaluate } from './evaluate.js';
export { describeRules, policyRefs } from './describe.js';
export { policiesDir } from './schema.js';
