// One scan, end to end: inputs are loaded and validated first (so bad input costs no traffic), then
// targets are probed, each target's facts are judged as soon as it completes, and a Report comes out.
// The CLI, the agent and CI all call this.

import { hostname } from 'node:os';
import { InputError } from '../core/errors.js';
import { loadInventory, type Inventory, type ManifestSummary } from './inventory.js';
import { CHECKS, KNOWN_CHECKS } from './registry.js';
import { parseResolveOverride } from '../core/net/resolver.js';
import { NetDialer } from '../core/net/dialer.js';
import { IssuerFetcher } from '../../checks/tls/issuer-fetch.js';
import { pinTargets, prepareNetwork, type NetworkRequest } from './dns-setup.js';
import { runTargets } from './runner.js';
import { dedupeTargets, parseTarget } from '../core/targets.js';
import { loadTrustStores } from '../pki/trust-anchors.js';
import { toolVersion } from '../core/version.js';
import type {
  Attempt,
  Check,
  DatagramSender,
  Dialer,
  Finding,
  Localized,
  NameResolver,
  NetworkEnvironment,
  TlsProbeSettings,
  Report,
  Resolver,
  Severity,
  Target,
  TrustStores,
} from '../core/types.js';
import { describeRules, evaluate, loadPolicySelection, policyRefs, type LoadedPolicy } from '../policy/index.js';
import { countFindings, emptySummary } from '../report/summary.js';
import { applyWaivers, loadWaivers, WaiverTally, type WaiverSet } from '../policy/waivers.js';
import { applyBaseline, loadBaseline, type Baseline } from '../report/baseline.js';
import type { ReportSpill } from '../report/spill.js';
import { ipv6Categories, Ipv6ScoreCollector } from '../report/ipv6-score.js';
import { readinessRuleIds } from '../report/pq-readiness.js';
import { assignLegalBases, regimeRun, type LegalBasisChoice, type SystemBasisInput } from '../policy/legal-basis.js';
import { selectRules, severityFilter } from '../policy/rule-filter.js';
import { applyParams, PARAM_MESSAGES, paramProblemsText, parseParamArg, type AppliedParam, type ParamOverride } from '../policy/params.js';
import { format } from '../core/i18n/index.js';

export interface ScanRequest extends NetworkRequest {
  targets: string[];
  inventory?: string;
  /** One target per line (--targets-file). */
  targetsFile?: string;
  /** nmap XML: open TLS ports become targets (--from-nmap). */
  nmapFile?: string;
  /** Built-in policy ids or files; the built-in packs when empty. */
  policies: string[];
  resolve: string[];
  caFiles: string[];
  caPins: string[];
  failOn: Severity | 'none';
  /** YAML waiver file (--waivers). */
  waivers?: string;
  /** Earlier JSON or SARIF report whose findings do not count toward failOn (--baseline). */
  baseline?: string;
  /** Security-level regime of every system (--legal-basis); else each system's own (see policy/legal-basis.ts). */
  legalBasis?: string;
  /** `[PACK:]NAME=VALUE` values for pack parameters (--param); they win over the inventory's `params:`. */
  params?: string[];
  /** The run's date, for the default legal basis. */
  now?: Date;
  /** Targets built by the caller rather than parsed from text (the agent's `local://<hostname>`). */
  extraTargets?: Target[];
  /** A govscan-agent run: with no named policy, agent-scoped packs (its host check) are judged too. */
  agentRun?: boolean;
  /** --rule / --skip-rule globs: which rules are evaluated (policy/rule-filter.ts). */
  rules?: string[];
  skipRules?: string[];
  /** --severity: only findings of these severities are reported and gated (policy/rule-filter.ts). */
  severities?: Severity[];
}

export interface PreparedScan {
  targets: Target[];
  inventory: Inventory | null;
  policies: LoadedPolicy[];
  checks: Check[];
  trust: TrustStores;
  resolver: Resolver;
  /** NS/MX lookups and the zone walk (IPv6 checks). */
  names?: NameResolver;
  network?: NetworkEnvironment;
  tls?: TlsProbeSettings;
  failOn: Severity | 'none';
  waivers: WaiverSet | null;
  baseline: Baseline | null;
  /** The security-level regime of each system (also on its targets' `system.legalBasis`); empty without regime packs. */
  legalBases: { system: string; choice: LegalBasisChoice }[];
  /** Pack parameters the run changed, for the report. */
  params: AppliedParam[];
  /** `--resolve` entries (as given) that pin no target: worth a warning, a typo sends the name to DNS. */
  unusedResolves?: string[];
  /** Keeps the findings --severity reports; absent: every finding. */
  reported?: (f: Finding) => boolean;
}

/** Load and validate every input. Throws InputError (exit 2) before any packet is sent. */
export async function prepareScan(
  req: ScanRequest,
  deps: { resolver?: Resolver; names?: NameResolver; network?: NetworkEnvironment; timeoutMs: number },
): Promise<PreparedScan> {
  const overrides = req.resolve.map(parseResolveOverride);
  const targets: Target[] = [];
  req.targets.forEach((text, i) => {
    const parsed = parseTarget(text);
    if (!parsed.ok) throw InputError.unlocated(`target ${i + 1}: ${parsed.error}`);
    targets.push(parsed.target);
  });
  if (req.targetsFile || req.nmapFile) {
    const { loadNmapTargets, loadTargetsFile } = await import('./target-lists.js');
    const listed = [
      ...(req.targetsFile ? await loadTargetsFile(req.targetsFile) : []),
      ...(req.nmapFile ? await loadNmapTargets(req.nmapFile) : []),
    ];
    for (const t of listed) targets.push(t);
  }
  const inventory = req.inventory ? await loadInventory(req.inventory) : null;
  // One by one: an inventory may declare 100,000s of targets, too many to spread into a call.
  for (const t of [...(inventory?.targets ?? []), ...(req.extraTargets ?? [])]) targets.push(t);
  if (!targets.length) {
    throw new InputError(
      req.inventory ?? null,
      null,
      null,
      req.inventory
        ? 'the inventory declares no endpoints'
        : 'no target given: pass https:// URLs, host:port, --targets-file FILE, --from-nmap FILE or --inventory FILE',
    );
  }
  const loaded = selectRules(
    await loadPolicySelection(req.policies, { knownChecks: KNOWN_CHECKS, ...(req.agentRun ? { agentRun: true } : {}) }),
    req,
  );
  const { policies, applied } = withRunParams(loaded, req.params ?? [], inventory?.params ?? []);
  const legalBases = assignLegalBases(targets, regimeRun(policies, req), (id) => ({
    ...(inventory?.legalBases.get(id) ? { inventory: inventory.legalBases.get(id) } : {}),
    ...manifestBasis(inventory?.manifests.get(id)),
  }));
  const needed = new Set(policies.flatMap((p) => p.rules.map((r) => r.check)));
  const trust = await loadTrustStores({ files: req.caFiles, pins: req.caPins });
  // A malformed waiver file or baseline is bad input like a bad policy: it stops the run here.
  const waivers = req.waivers ? await loadWaivers(req.waivers) : null;
  const baseline = req.baseline ? await loadBaseline(req.baseline) : null;
  const scanned = dedupeTargets(targets);
  const unusedResolves = pinTargets(scanned, overrides).map((o) => req.resolve[overrides.indexOf(o)] ?? `${o.host}:${o.port}:${o.address}`);
  const net = await prepareNetwork(req, overrides, deps);
  const reported = severityFilter(req.severities);
  return {
    targets: scanned,
    unusedResolves,
    inventory,
    policies,
    checks: CHECKS.filter((c) => needed.has(c.id)),
    trust,
    resolver: net.resolver,
    ...(net.names ? { names: net.names } : {}),
    ...(net.network ? { network: net.network } : {}),
    ...(net.tls ? { tls: net.tls } : {}),
    failOn: req.failOn,
    waivers,
    baseline,
    legalBases,
    params: applied,
    ...(reported ? { reported } : {}),
  };
}

/**
 * The packs with the run's parameter values: the inventory's `params:`, then --param (which wins).
 * Any unknown name, ambiguous name or bad value stops the run (exit 2) with every problem listed.
 */
export function withRunParams(
  loaded: readonly LoadedPolicy[],
  flags: readonly string[],
  fromInventory: readonly { key: string; value: unknown; where: string }[],
): { policies: LoadedPolicy[]; applied: AppliedParam[] } {
  const problems: Localized[] = [];
  const overrides: ParamOverride[] = [];
  for (const p of fromInventory) {
    const parsed = parseParamArg(`${p.key}=${String(p.value)}`);
    if (parsed) overrides.push({ ...parsed, value: p.value, source: 'inventory', where: p.where });
  }
  for (const text of flags) {
    const parsed = parseParamArg(text);
    if (parsed) overrides.push(parsed);
    else problems.push(localizedFormat(PARAM_MESSAGES.malformed, { where: '--param', text }));
  }
  const result = applyParams(loaded, overrides);
  problems.push(...result.problems);
  if (problems.length) throw InputError.unlocated(paramProblemsText(problems));
  return { policies: result.policies, applied: result.applied };
}

function localizedFormat(text: Localized, vars: Record<string, unknown>): Localized {
  return { en: format(text.en, vars), vi: format(text.vi, vars) };
}

function manifestBasis(m: ManifestSummary | undefined): SystemBasisInput {
  if (!m) return {};
  return { ...(m.legalBasis ? { manifest: { id: m.legalBasis, file: m.file } } : {}), ...(m.approved ? { approved: m.approved } : {}) };
}

export interface ExecuteOptions {
  concurrency: number;
  perHostLimit: number;
  timeoutMs: number;
  targetTimeoutMs: number;
  /**
   * Keep every attempt's facts and every finding (JSON output). Otherwise the report is lean: facts
   * are dropped once judged and passed / not-applicable findings are only counted in the summary, so
   * a 10,000-target scan does not hold 180,000 findings nobody will print.
   */
  keepFacts: boolean;
  /**
   * Every attempt (facts included) and every finding go here in full as each target completes, and
   * the returned report stays lean whatever keepFacts says: a JSON report of any size is then written
   * from the spill (src/report/json.ts jsonChunks) without being whole in memory.
   */
  spill?: ReportSpill;
  dialer?: Dialer;
  /** UDP exchanges with probed servers; injectable like the dialer. */
  datagrams?: DatagramSender;
  now?: () => Date;
  signal?: AbortSignal;
  onTargetStart?: (target: Target) => void;
  onTargetDone?: (target: Target, attempts: Attempt[], findings: Finding[]) => void;
}

export async function executeScan(scan: PreparedScan, opts: ExecuteOptions): Promise<Report> {
  const now = opts.now ?? (() => new Date());
  const startedAt = now();
  const attempts: Attempt[] = [];
  const findings: Finding[] = [];
  const summary = emptySummary(scan.targets.length);
  if (scan.baseline) summary.baselined = 0;
  const targetsByKey = new Map(scan.targets.map((t) => [t.key, t] as const));
  const order = new Map(scan.targets.map((t, i) => [t.key, i]));
  // Waivers are judged at the start of the run, so a scan that crosses midnight treats them alike.
  const tally = scan.waivers ? new WaiverTally(scan.waivers.waivers, startedAt) : null;
  const spill = opts.spill;
  const keep = opts.keepFacts && !spill;
  const rules = describeRules(scan.policies);
  // Scored from every finding as targets complete, for every caller: a lean report keeps passes only as counts.
  const ipv6Scores = new Ipv6ScoreCollector(ipv6Categories(rules));
  // Passes of readiness rules (post-quantum) stay in a lean report too: the table counts them.
  const readiness = readinessRuleIds(rules);
  await runTargets(scan.targets, scan.checks, {
    concurrency: opts.concurrency,
    targetTimeoutMs: opts.targetTimeoutMs,
    ...(opts.signal ? { signal: opts.signal } : {}),
    context: {
      resolver: scan.resolver,
      dialer: opts.dialer ?? new NetDialer(opts.perHostLimit),
      now,
      timeoutMs: opts.timeoutMs,
      trust: scan.trust,
      userAgent: `govscan/${toolVersion()} (+compliance scan)`,
      issuers: new IssuerFetcher(),
      ...(scan.names ? { names: scan.names } : {}),
      ...(opts.datagrams ? { datagrams: opts.datagrams } : {}),
      ...(scan.network ? { network: scan.network } : {}),
      ...(scan.tls ? { tls: scan.tls } : {}),
    },
    ...(opts.onTargetStart ? { onTargetStart: opts.onTargetStart } : {}),
    onTargetDone: (target, probed) => {
      // Judge each target as it completes so facts need not outlive it (10,000-target scans).
      const { attempts: done, findings: first } = judgeTarget(target, probed, scan.policies, now(), !opts.keepFacts && !spill);
      let judged = scan.reported ? first.filter(scan.reported) : first;
      if (scan.waivers) judged = applyWaivers({ findings: judged, waivers: scan.waivers.waivers, now: startedAt, targets: targetsByKey });
      if (scan.baseline) judged = applyBaseline(judged, scan.baseline);
      tally?.add(judged);
      countFindings(summary, judged);
      spill?.add(order.get(target.key) ?? 0, done, judged);
      findings.push(...(keep ? judged : judged.filter((f) => isDecisive(f) || readiness.has(f.ruleId))));
      attempts.push(...(keep ? done : done.map(withoutFacts)));
      ipv6Scores.add(target, judged);
      opts.onTargetDone?.(target, done, judged);
    },
  });
  const byTarget = (a: { target: string }, b: { target: string }): number => (order.get(a.target) ?? 0) - (order.get(b.target) ?? 0);
  attempts.sort(byTarget);
  findings.sort(byTarget);
  const scored = ipv6Scores.result();
  return {
    schemaVersion: 1,
    tool: { name: 'govscan', version: toolVersion() },
    run: {
      startedAt: startedAt.toISOString(),
      finishedAt: now().toISOString(),
      scannerHost: hostname(),
      ...(scan.inventory ? { inventory: scan.inventory.file } : {}),
      ...(scan.inventory?.agency ? { agency: scan.inventory.agency } : {}),
      failOn: scan.failOn,
      ...(scan.waivers ? { waivers: scan.waivers.file } : {}),
      ...(scan.baseline ? { baseline: scan.baseline.file } : {}),
      ...(scan.params.length ? { params: scan.params } : {}),
    },
    policies: policyRefs(scan.policies),
    rules,
    targets: scan.targets,
    attempts,
    findings,
    summary,
    ...(tally ? { waivers: tally.list() } : {}),
    ...(scored.length ? { ipv6Scores: scored } : {}),
  };
}

/**
 * The findings of one target. Facts that cannot be taken in (a probe that returned a cycle or nesting
 * too deep to serialise) make that one attempt an error, so its rules are not tested with the reason
 * and the report can still be written; the target's other attempts are judged as usual. The evaluator
 * contains each rule on its own besides.
 */
function judgeTarget(
  target: Target,
  attempts: Attempt[],
  policies: readonly LoadedPolicy[],
  now: Date,
  lean: boolean,
): { attempts: Attempt[]; findings: Finding[] } {
  const kept = attempts.map(readableAttempt);
  return { attempts: kept, findings: evaluate({ targets: [target], attempts: kept, policies, now, lean }) };
}

function readableAttempt(a: Attempt): Attempt {
  if (a.facts === undefined) return a;
  try {
    JSON.stringify(a.facts);
    return a;
  } catch (err) {
    const { facts: _unreadable, ...rest } = a;
    return {
      ...rest,
      status: 'error',
      errorKind: 'internal',
      reason: `the facts of ${a.check} could not be judged: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

/** Findings a lean report keeps in full: what failed, what could not be tested, what was waived. */
function isDecisive(f: Finding): boolean {
  return f.outcome !== 'pass' && f.outcome !== 'not-applicable';
}

function withoutFacts(a: Attempt): Attempt {
  const { facts: _dropped, ...rest } = a;
  return rest;
}

/**
 * True when not a single attempt could gather facts, or no check of the chosen policies applied to any
 * target: the scan itself did not run (exit 3), whatever an empty list of findings would suggest.
 */
export function nothingScanned(report: Report): boolean {
  return report.attempts.every((a) => a.status === 'error');
}
