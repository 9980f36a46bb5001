// The policy engine's public surface: load packs, judge facts, describe rules for reporters.

export type { LoadOptions, LoadedPolicy, LoadedRule, ParamValue, PolicyDocument, RuleDocument } from './types.js';
export {
  assertNoCrossPackDuplicates,
  checkPolicyFile,
  checkPolicyText,
  crossPackErrors,
  loadPolicyFile,
  loadPolicyText,
  validatePolicyFiles,
  type PolicyCheckResult,
} from './load.js';
export { loadBuiltinPolicies, loadPolicies, loadPolicySelection, resolvePolicyArg } from './builtin.js';
export { evaluate, fingerprint, type EvaluateInput } from './evaluate.js';
export { describeRules, policyRefs } from './describe.js';
export { CEL_VARIABLES } from './cel.js';
export { packageRoot } from '../core/package-root.js';
export { policiesDir } from './schema.js';
