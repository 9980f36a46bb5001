// The JSON report, defined once: its TypeScript types (src/core/types.ts re-exports them) and its
// JSON Schema (draft 2020-12) both come from these definitions, so the two cannot drift. `govscan
// report …` validates reports it reads against ReportSchema; the server's batch schema
// (src/contract/batch-schema.ts) embeds the same object and adds size bounds of its own;
// src/report/report.schema.json is this schema written out for users (scripts/write-schemas.mjs).
// Unknown properties are allowed throughout so that a newer minor release's reports still load.

import { anyObject, anyValue, constOf, enumOf, nullableNumber, Type } from './schema-builders.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
const OUTCOMES = ['pass', 'fail', 'not-applicable', 'not-tested', 'waived'] as const;

const str = (options: Record<string, unknown> = {}) => Type.String(options);
const nonEmpty = (options: Record<string, unknown> = {}) => Type.String({ minLength: 1, ...options });
const dateTime = () => Type.String({ format: 'date-time' });
const count = () => Type.Integer({ minimum: 0 });
const stringList = () => Type.Array(Type.String());
/** 0–100, or null when nothing was judged. */
const percent = () => nullableNumber({ minimum: 0, maximum: 100 });

/** A user-facing text in both languages; reporters pick one at write time. */
export const LocalizedSchema = Type.Object({ en: Type.String(), vi: Type.String() });

export const SeveritySchema = enumOf(SEVERITIES);
export const OutcomeSchema = enumOf(OUTCOMES);
const paramValue = () => Type.Union([Type.Number(), Type.String(), Type.Boolean()]);

/** Where a target was declared, so SARIF can point at the inventory line. */
export const SourceLocationSchema = Type.Object({
  file: nonEmpty(),
  line: Type.Integer({ minimum: 1 }),
  column: Type.Integer({ minimum: 0 }),
});

/** Which security-level regime (legal basis) judges a system, and why. */
export const SystemLegalBasisSchema = Type.Object(
  {
    /** Regime id, e.g. nd85-2016. */
    id: nonEmpty(),
    /** The policy pack that judges the system. */
    policy: nonEmpty(),
    chosenBy: enumOf(['flag', 'inventory', 'manifest', 'policy', 'dates']),
    reason: LocalizedSchema,
    /** The regime on the run's date; an ended one still judges (and fails SECLEVEL-REGIME-ENDED). */
    state: enumOf(['not-yet', 'in-effect', 'in-transition', 'ended']),
  },
  {
    description:
      "The security-level regime that judged the system in this run, what chose it (--legal-basis, the inventory, the evidence manifest, a --policy, the dates) and why, and its state on the run's date.",
  },
);

export const SystemRefSchema = Type.Object({
  id: nonEmpty(),
  name: Type.Optional(str()),
  /** Approved security level (cấp độ), 1–5. */
  level: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  domain: Type.Optional(str()),
  /** What the system is (portal, online-public-service…): policies may weigh portals first. */
  kind: Type.Optional(str()),
  /** Evidence manifest (security-level record and 4-layer evidence), relative to the inventory. */
  evidence: Type.Optional(str()),
  /** `evidence` is already a path from the working directory (evidence verify FILE), not from the inventory. */
  evidenceResolved: Type.Optional(Type.Boolean()),
  /** The security-level regime that judges the system in this run, and why (src/policy/legal-basis.ts). */
  legalBasis: Type.Optional(SystemLegalBasisSchema),
});

/** `local`: the host an agent runs on (`local://<hostname>`), probed from inside by the agent's host check. */
const TargetKindSchema = enumOf(['web', 'host', 'domain', 'system', 'local']);

export const TargetSchema = Type.Object({
  /** Canonical identity, e.g. `https://portal.example.gov.vn:443`; also the fingerprint input. */
  key: nonEmpty(),
  kind: TargetKindSchema,
  /**
   * What is spoken on top of TLS: https for web targets, tls for a bare host:port; dns for a domain;
   * `smtp`: mail that starts TLS with STARTTLS after the SMTP greeting.
   */
  scheme: enumOf(['https', 'tls', 'smtp', 'dns', 'evidence', 'local']),
  host: str(),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  /** Path for the HTTP request of web targets (default `/`). */
  path: str(),
  agency: Type.Optional(str()),
  system: Type.Optional(SystemRefSchema),
  source: Type.Optional(SourceLocationSchema),
  /**
   * `--resolve` pins this host's addresses: checks that judge what DNS publishes (IPv6 readiness) do
   * not apply, since the scan deliberately ignores DNS for it.
   */
  addressPinned: Type.Optional(Type.Boolean()),
});

const AttemptStatusSchema = enumOf(['ok', 'error', 'not-applicable']);
export const ErrorKindSchema = enumOf(['timeout', 'connectivity', 'dns', 'protocol', 'tool-missing', 'internal']);

/** One probe's outcome on one target (sslyze calls this a scan-command attempt). */
export const AttemptSchema = Type.Object({
  check: nonEmpty(),
  target: nonEmpty(),
  status: AttemptStatusSchema,
  reason: Type.Optional(str()),
  /** The reason in both languages, when the probe could say it in both (`reason` is its English text). */
  reasonText: Type.Optional(LocalizedSchema),
  errorKind: Type.Optional(ErrorKindSchema),
  facts: Type.Optional(anyValue({ description: "The check family's fact model (its own JSON Schema is published with the check)." })),
  startedAt: dateTime(),
  durationMs: Type.Number({ minimum: 0 }),
});

const FindingWaiverSchema = Type.Object(
  {
    /** `Report.waivers[].id` (the waiver's `file:line`). */
    id: nonEmpty({ description: "An id of the report's waivers list." }),
    /** Last day the waiver applies (UTC), YYYY-MM-DD. */
    expires: Type.String({ format: 'date' }),
    expired: Type.Optional(Type.Boolean()),
  },
  { description: 'The waiver that matched: outcome waived while it holds; expired true on a failed finding once it no longer does.' },
);

export const FindingSchema = Type.Object({
  ruleId: nonEmpty(),
  policyId: nonEmpty(),
  policyVersion: str(),
  check: str(),
  /** Target key. */
  target: nonEmpty(),
  outcome: OutcomeSchema,
  /** Severity after security-level and conditional overrides. */
  severity: SeveritySchema,
  title: LocalizedSchema,
  message: LocalizedSchema,
  remediation: Type.Optional(LocalizedSchema),
  references: stringList(),
  evidence: anyObject({ description: 'The facts that decided the outcome, by dotted path.' }),
  /** Stable hash of (rule id, target key): survives message and fact changes. */
  fingerprint: nonEmpty(),
  /** English: stable for grouping and diffs. */
  reason: Type.Optional(str({ description: 'Why the rule was not tested or not applicable, in English.' })),
  reasonText: Type.Optional(
    Type.Object(LocalizedSchema.properties, { description: 'The same reason in English and Vietnamese, when the two differ.' }),
  ),
  /** Only a reference: the waiver is listed once in Report.waivers. */
  waiver: Type.Optional(FindingWaiverSchema),
  baselined: Type.Optional(Type.Boolean({ description: 'Failed, but already in the --baseline report: not counted toward failOn.' })),
});

const waiverProperties = {
  /** `file:line` of the entry: stable enough to cite, unique across files. */
  id: nonEmpty(),
  rule: nonEmpty(),
  /** Glob on the target key, host:port or host. */
  target: nonEmpty(),
  justification: nonEmpty(),
  approver: nonEmpty(),
  /** Last day the waiver applies (UTC), YYYY-MM-DD. */
  expires: Type.String({ format: 'date' }),
  source: SourceLocationSchema,
};

/** One entry of a waiver file, as loaded. */
export const WaiverSchema = Type.Object(waiverProperties);

/** A waiver as the report lists it: once, with what it did in this run. */
export const ReportWaiverSchema = Type.Object({
  ...waiverProperties,
  /** Expired at the start of the run. */
  expired: Type.Boolean(),
  /** Findings it waived in this run. */
  waived: count(),
  /** Failed findings it would have waived had it not expired. */
  expiredMatches: count(),
});

/** A pack parameter a run changed, echoed in the report. */
export const ReportParamSchema = Type.Object({
  policy: nonEmpty(),
  name: nonEmpty(),
  value: paramValue(),
  default: paramValue(),
  source: enumOf(['flag', 'inventory']),
  secondary: Type.Boolean({ description: 'The default is known only from secondary sources.' }),
});

export const PolicyRefSchema = Type.Object({
  id: nonEmpty(),
  version: str(),
  title: LocalizedSchema,
  legalBasis: stringList(),
  effective: Type.Object({ from: Type.Optional(str()), to: Type.Optional(str()) }),
  source: str(),
  regime: Type.Optional(
    Type.Object(
      { id: str(), name: LocalizedSchema, replaces: Type.Optional(str()) },
      { description: 'Set on security-level regime packs, whose rule ids other regime packs share.' },
    ),
  ),
});

/** The groups of the IPv6 score; a rule names its own in its pack (`category`). */
export const Ipv6CategorySchema = enumOf(['web', 'nameServers', 'mail']);

/** Rule metadata reporters need (SARIF tool.driver.rules), independent of any result. */
export const RuleDescriptorSchema = Type.Object({
  id: nonEmpty(),
  policyId: nonEmpty(),
  check: str(),
  severity: SeveritySchema,
  title: LocalizedSchema,
  description: LocalizedSchema,
  remediation: LocalizedSchema,
  references: stringList(),
  tags: stringList(),
  /** The IPv6 score category the rule counts toward (its pack's `category`). */
  category: Type.Optional(Ipv6CategorySchema),
});

const byOutcome = Type.Object(
  Object.fromEntries(OUTCOMES.map((o) => [o, count()])) as Record<(typeof OUTCOMES)[number], ReturnType<typeof count>>,
);
const bySeverity = Type.Object(
  Object.fromEntries(SEVERITIES.map((s) => [s, count()])) as Record<(typeof SEVERITIES)[number], ReturnType<typeof count>>,
);

export const ReportSummarySchema = Type.Object({
  targets: count(),
  findings: byOutcome,
  failedBySeverity: bySeverity,
  /** Failed findings already in the --baseline report (present only when a baseline was given). */
  baselined: Type.Optional(count()),
});

/** One domain's IPv6 score (the shape src/report/ipv6-score.ts computes). */
const Ipv6DomainScoreSchema = Type.Object({
  domain: str(),
  targets: stringList(),
  score: percent(),
  categories: Type.Array(
    Type.Object({ category: Ipv6CategorySchema, score: percent(), passed: count(), failed: count(), failedRules: stringList() }),
  ),
});

export const ReportSchema = Type.Object(
  {
    schemaVersion: constOf(1),
    tool: Type.Object({ name: constOf('govscan'), version: nonEmpty() }),
    run: Type.Object({
      startedAt: dateTime(),
      finishedAt: dateTime(),
      scannerHost: str(),
      inventory: Type.Optional(str({ description: 'Inventory file, relative to the working directory.' })),
      agency: Type.Optional(str()),
      failOn: enumOf([...SEVERITIES, 'none']),
      waivers: Type.Optional(str({ description: 'The --waivers file, when given.' })),
      baseline: Type.Optional(str({ description: 'The --baseline report, when given.' })),
      legalBasis: Type.Optional(
        Type.Object(
          { id: str(), policy: str(), chosenBy: enumOf(['flag', 'inventory', 'policy', 'dates']) },
          {
            description:
              "Reports written before regimes were chosen per system: the one security-level regime of the whole run. Each system's regime is now on its targets (system.legalBasis).",
          },
        ),
      ),
      params: Type.Optional(
        Type.Array(ReportParamSchema, {
          description: "Policy-pack parameters the run changed (--param, the inventory's params:), with their defaults.",
        }),
      ),
    }),
    policies: Type.Array(PolicyRefSchema),
    rules: Type.Array(RuleDescriptorSchema),
    targets: Type.Array(TargetSchema),
    attempts: Type.Array(AttemptSchema),
    findings: Type.Array(FindingSchema),
    summary: ReportSummarySchema,
    /**
     * Computed while the scan runs from every finding, since a lean report keeps passes only as
     * counts. Absent when no IPv6 rule was judged.
     */
    ipv6Scores: Type.Optional(
      Type.Array(Ipv6DomainScoreSchema, { description: 'Per-domain IPv6 readiness scores, when IPv6 rules were judged.' }),
    ),
    waivers: Type.Optional(
      Type.Array(ReportWaiverSchema, { description: 'Every waiver of the --waivers file, once; findings refer to them by id.' }),
    ),
  },
  {
    $id: 'urn:govscan:schema:report:1',
    title: 'govscan JSON report',
    description:
      "The full result of one govscan run: metadata, policies and rules applied, targets, every probe attempt with its facts, and every finding. Written by `govscan scan --format json`; read back by report conversion and merging. Unknown properties are allowed so that a newer minor release's reports still load; incompatible changes bump schemaVersion.",
  },
);
