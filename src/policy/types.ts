// Shapes of a policy pack: as written (PolicyDocument, what the JSON Schema admits) and as loaded
// (LoadedPolicy, with every CEL expression compiled), so evaluation never parses anything.

import type { Ipv6Category, Localized, Severity, SourceLocation } from '../core/types.js';
import type { CompiledExpr } from './cel.js';

export type ParamValue = number | string | boolean;

export type ParamType = 'integer' | 'number' | 'string' | 'boolean' | 'date';

/** A pack parameter as written: a bare value, or a declaration. */
export interface ParamDocument {
  type?: ParamType;
  default: ParamValue;
  min?: number;
  max?: number;
  pattern?: string;
  secondary?: boolean;
  description: Localized;
}

/** What a run may set a parameter to, and what a reader is told about it. */
export interface ParamSpec {
  type: ParamType;
  default: ParamValue;
  min?: number;
  max?: number;
  pattern?: string;
  /** Known only from secondary sources (news, third-party analyses): the agency should check it. */
  secondary: boolean;
  /** Null for a bare value written without a declaration. */
  description: Localized | null;
}

/**
 * A reference table a pack cites (NCSC-NL's categories of cipher suites, Mozilla's profiles): read by
 * rules as `data.NAME`, shown in the rule reference with its source, never changed by a run.
 */
export interface DataTable {
  description: Localized;
  source: string[];
  value: unknown;
}

/** A date written in a pack, or the name of the date parameter that holds it. */
export type DateOrParam = string | { param: string };

/** A security-level regime (legal basis): packs that are alternatives and share rule ids. */
interface RegimeInfo {
  /** The name --legal-basis and `legalBasis:` use, e.g. nd331-2026. */
  id: string;
  name: Localized;
  /** The regime this one succeeds (its transition runs to that pack's effective end). */
  replaces?: string;
}

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
  /** The IPv6 score category the rule counts toward (src/report/ipv6-score.ts). */
  category?: Ipv6Category;
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
    effective?: { from?: DateOrParam; to?: DateOrParam };
    scope?: PolicyScope;
    regime?: RegimeInfo;
  };
  spec: {
    params?: Record<string, ParamValue | ParamDocument>;
    data?: Record<string, DataTable>;
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
  /** The IPv6 score category the rule counts toward; null: not scored. */
  category: Ipv6Category | null;
  /** Where the rule's id is written, for cross-pack duplicate errors. */
  location: SourceLocation;
}

/**
 * `scan`: judged by every scan that names no --policy. `agent`: judges what only govscan-agent gathers
 * (its host check), so it is loaded by agent runs or when named, never by default in `govscan scan`.
 */
type PolicyScope = 'scan' | 'agent';

export interface LoadedPolicy {
  id: string;
  scope: PolicyScope;
  version: string;
  title: Localized;
  description: Localized | null;
  legalBasis: string[];
  /** With every date parameter resolved to the value the run uses. */
  effective: { from?: string; to?: string };
  /** The date parameters behind `effective`, when the pack names them. */
  effectiveParams: { from?: string; to?: string };
  /** The values the run uses (the defaults, unless a run changed them: see params.ts applyParams). */
  params: Record<string, ParamValue>;
  paramSpecs: Record<string, ParamSpec>;
  /** Reference tables by name (`data.NAME` in expressions). */
  data: Record<string, DataTable>;
  /** Set on security-level regime packs (vn-nd85-2016, vn-nd331-2026). */
  regime?: RegimeInfo;
  rules: LoadedRule[];
  /** The file it came from, as given (built-in packs: `policies/<name>.yaml` under the package). */
  source: string;
  builtin: boolean;
}

/** The JSON Schema of the facts a check records (checks/<family>/facts.schema.ts). */
type FactsSchema = Record<string, unknown>;

export interface LoadOptions {
  /**
   * The registered checks, each with the schema of its facts: a rule naming any other check is a
   * load error, and so is a `facts.` path its expressions, placeholders or evidence read that the
   * schema does not have.
   */
  knownChecks: ReadonlyMap<string, FactsSchema>;
}
