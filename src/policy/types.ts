// Shapes of a policy pack: as written (PolicyDocument, what the JSON Schema admits) and as loaded
// (LoadedPolicy, with every CEL expression compiled), so evaluation never parses anything.

import type { Localized, Severity, SourceLocation } from '../engine/types.js';
import type { CompiledExpr } from './cel.js';

export type ParamValue = number | string | boolean;

/** A rule as written in YAML, after schema validation. */
export interface RuleDocument {
  id: string;
  check: string;
  severity: Severity;
  title: Localized;
  description: Localized;
  when?: string;
  requires?: string;
  /** Why the rule is not tested when `requires` is false, in words (placeholders allowed). */
  requiresReason?: Localized;
  assert: string;
  values?: Record<string, string>;
  severityOverrides?: { when: string; severity: Severity }[];
  bySecurityLevel?: Record<string, { severity: Severity }>;
  message: Localized;
  remediation: Localized;
  evidence?: string[];
  references?: string[];
  tags?: string[];
}

export interface PolicyDocument {
  apiVersion: 'govscan/v1';
  kind: 'Policy';
  metadata: {
    id: string;
    version: string;
    title: Localized;
    description?: Localized;
    legalBasis: string[];
    effective?: { from?: string; to?: string };
    scope?: PolicyScope;
  };
  spec: {
    params?: Record<string, ParamValue>;
    rules: RuleDocument[];
  };
}

export interface LoadedRule {
  id: string;
  check: string;
  severity: Severity;
  title: Localized;
  description: Localized;
  when: CompiledExpr | null;
  requires: CompiledExpr | null;
  /** Said instead of the `requires` expression when it is false; null: the expression is shown. */
  requiresReason: Localized | null;
  assert: CompiledExpr;
  /** Extra values computed for the message only, exposed to placeholders as `values.<name>`. */
  values: { name: string; expr: CompiledExpr }[];
  severityOverrides: { when: CompiledExpr; severity: Severity }[];
  /** Keyed by security level "1".."5". */
  bySecurityLevel: Partial<Record<string, Severity>>;
  message: Localized;
  remediation: Localized;
  evidence: string[];
  references: string[];
  tags: string[];
  /** Where the rule's id is written, for cross-pack duplicate errors. */
  location: SourceLocation;
}

/**
 * `scan`: judged by every scan that names no --policy. `agent`: judges what only govscan-agent gathers
 * (its host check), so it is loaded by agent runs or when named, never by default in `govscan scan`.
 */
export type PolicyScope = 'scan' | 'agent';

export interface LoadedPolicy {
  id: string;
  scope: PolicyScope;
  version: string;
  title: Localized;
  description: Localized | null;
  legalBasis: string[];
  effective: { from?: string; to?: string };
  params: Record<string, ParamValue>;
  rules: LoadedRule[];
  /** The file it came from, as given (built-in packs: `policies/<name>.yaml` under the package). */
  source: string;
  builtin: boolean;
}

/** The JSON Schema of the facts a check records (checks/<family>/facts.schema.ts). */
export type FactsSchema = Record<string, unknown>;

export interface LoadOptions {
  /**
   * The registered checks, each with the schema of its facts: a rule naming any other check is a
   * load error, and so is a `facts.` path its expressions, placeholders or evidence read that the
   * schema does not have.
   */
  knownChecks: ReadonlyMap<string, FactsSchema>;
}
