import { Args, Flags } from '@oclif/core';
import { EXIT, colorFlag, GovscanCommand, langFlag, repeatable } from '../cli/base.js';
import { clockFromEnv } from '../cli/clock.js';
import { CONFIG_FLAGS } from '../cli/config-file.js';
import { withEnvFlags } from '../cli/env-flags.js';
import { FILTER_FLAGS } from '../cli/filter-flags.js';
import { onInterrupt } from '../cli/interrupt.js';
import { M } from '../cli/messages.js';
import { REPORT_FLAGS } from '../cli/report-outputs.js';
import { SEVERITIES, type Report, type Severity } from '../core/types.js';
import { localize } from '../core/i18n/index.js';
import { SCAN_FORMATS } from '../report/index.js';
import { FAMILY_OPTIONS } from '../engine/registry.js';
import { familyFlags, familyFlagValues } from '../cli/family-flags.js';

export default class Scan extends GovscanCommand {
  static override summary = 'Scan TLS endpoints and an inventory of systems, judge them against policy packs';
  static override description =
    `Probes every target (https://, smtp:// or smtps:// URL, host:port, a bare domain, or the endpoints of an --inventory, --targets-file or --from-nmap report), gathers facts, evaluates the policy packs and reports.

Waived findings (--waivers) and findings already in an earlier report (--baseline) are shown but do not count toward --fail-on. GOVSCAN_NOW=YYYY-MM-DD[THH:MM:SSZ] runs the scan as of that time (e.g. to see which waivers will have expired).

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it (or, with --fail-on-not-tested, rules that could not be evaluated); 2 invalid usage or input; 3 the scan could not run (no target could be resolved or reached); 130 interrupted (Ctrl-C: the report is still written).`;
  static override examples = [
    '<%= config.bin %> scan https://dichvucong.example.gov.vn',
    '<%= config.bin %> scan --inventory inventory.yaml --format sarif --output govscan.sarif',
    '<%= config.bin %> scan https://portal.example.gov.vn:8443 --resolve portal.example.gov.vn:8443:127.0.0.1 --ca-file vn-national-root.pem',
    '<%= config.bin %> scan --inventory inventory.yaml --waivers waivers.yaml --baseline main.sarif --fail-on high',
    '<%= config.bin %> scan --targets-file targets.txt',
    '<%= config.bin %> scan --from-nmap nmap-scan.xml --format sarif --output govscan.sarif',
  ];
  static override strict = false;
  static override args = {
    targets: Args.string({
      description: 'https:// URL, smtp:// or smtps:// URL, host:port, or a bare domain (repeatable)',
      required: false,
    }),
  };
  static override flags = withEnvFlags({
    inventory: Flags.string({ char: 'i', description: "YAML inventory of the agency's systems" }),
    'targets-file': Flags.string({
      helpValue: 'FILE',
      description: 'Targets one per line (as the arguments; # comments and blank lines allowed)',
    }),
    'from-nmap': Flags.string({
      helpValue: 'FILE',
      description: 'nmap XML report (nmap -sV -oX FILE): every open port with a TLS service becomes a target',
    }),
    policy: repeatable({ char: 'p', description: 'Built-in policy id or policy file (repeatable; default: all built-in packs)' }),
    format: Flags.option({ options: SCAN_FORMATS, default: 'table' as const, char: 'f', description: 'Report format' })(),
    'sarif-dir': Flags.string({
      helpValue: 'DIR',
      description:
        'Also write SARIF for GitHub code scanning into DIR: one file per category, waived results left out (point upload-sarif at DIR)',
    }),
    output: Flags.string({ char: 'o', description: 'Write the report to FILE instead of stdout' }),
    'fail-on': Flags.option({
      options: [...SEVERITIES.filter((s) => s !== 'info'), 'none'] as const,
      default: 'high' as const,
      description: 'Exit 1 when a finding at or above this severity fails',
    })(),
    'fail-on-not-tested': Flags.boolean({
      default: false,
      description:
        'Also exit 1 when any applicable rule could not be evaluated (not tested: unresolvable or unreachable target, probe error, missing tool)',
    }),
    concurrency: Flags.integer({ default: 32, min: 1, max: 1024, description: 'Targets probed at once' }),
    'per-host': Flags.integer({ default: 4, min: 1, max: 1024, description: 'Connections at once to one address' }),
    timeout: Flags.integer({ default: 5000, min: 50, max: 600_000, description: 'Per-connection timeout in ms' }),
    'target-timeout': Flags.integer({
      min: 100,
      max: 3_600_000,
      description: 'Deadline for all probes of one target in ms (default: 4 × --timeout)',
    }),
    resolve: repeatable({
      description: 'HOST:PORT:ADDRESS — connect there, keep SNI/Host = HOST (as curl); HOST or PORT may be * for any',
    }),
    'ca-file': repeatable({ description: 'Extra trust anchors (PEM), judged apart from the public store' }),
    'ca-pin': repeatable({ description: 'SHA-256 fingerprint every --ca-file anchor must match' }),
    waivers: Flags.string({ description: 'YAML file of waivers: accepted exceptions with justification, approver and expiry' }),
    baseline: Flags.string({ description: 'Earlier govscan JSON or SARIF report: only findings not in it count toward --fail-on' }),
    'dns-server': repeatable({
      description:
        "DNS server to ask, IP[:PORT] with IPv6 in brackets ([::1]:5353); repeatable. Only these are asked (default: the system's resolvers)",
    }),
    // --lab, --port-map, --ipv6-connectivity, --nmap: the check families' own flags (checks/*/index.ts).
    ...familyFlags(FAMILY_OPTIONS),
    'legal-basis': Flags.option({
      options: ['nd85-2016', 'nd331-2026'] as const,
      description:
        'Security-level regime for every system (default, per system: its legalBasis in the inventory, else in its manifest, else by its approval date; printed)',
    })(),
    param: repeatable({
      helpValue: 'NAME=VALUE',
      description: 'Set a policy-pack parameter, PACK:NAME=VALUE when several packs declare NAME (repeatable; see policy show)',
    }),
    color: colorFlag,
    lang: langFlag,
    quiet: Flags.boolean({ char: 'q', default: false, description: 'No progress output' }),
    ...FILTER_FLAGS,
    ...REPORT_FLAGS,
    ...CONFIG_FLAGS,
  });

  async run(): Promise<void> {
    // Settings: flag > GOVSCAN_<FLAG> > govscan.yaml (or --config) > default (cli/settings.ts).
    const configured = await (await import('../cli/settings.js')).configuredInput(Scan, this.argv);
    const { flags, argv, metadata } = await this.parse(configured.input);
    this.lang = flags.lang;
    const { needsEveryFinding, openOutputSpill, planReportOutputs, writeReports } = await import('../cli/report-outputs.js');
    const given = (name: 'format' | 'output'): boolean =>
      flags[name] !== undefined && (!metadata.flags[name]?.setFromDefault || Boolean(configured.settings?.values.has(name)));
    const outputs = await planReportOutputs(flags.report ?? [], {
      format: flags.format,
      output: flags.output,
      given: given('format') || given('output'),
    });
    await (await import('../cli/output-target.js')).assertOutputsWritable([['--sarif-dir', flags['sarif-dir'], 'folder']]);
    // Loaded here, not at the top: `govscan --version` and `--help` must not pay for TLS, CEL and ajv.
    const [{ executeScan, prepareScan }, { scanNotices, scanVerdict }, { createProgress }] = await Promise.all([
      import('../engine/scan.js'),
      import('../engine/scan-outcome.js'),
      import('../cli/progress.js'),
    ]);
    const timeoutMs = flags.timeout;
    const now = clockFromEnv(process.env.GOVSCAN_NOW);
    const prepared = await prepareScan(
      {
        targets: argv as string[],
        ...(flags.inventory ? { inventory: flags.inventory } : {}),
        ...(flags['targets-file'] ? { targetsFile: flags['targets-file'] } : {}),
        ...(flags['from-nmap'] ? { nmapFile: flags['from-nmap'] } : {}),
        policies: flags.policy ?? [],
        resolve: flags.resolve ?? [],
        caFiles: flags['ca-file'] ?? [],
        caPins: flags['ca-pin'] ?? [],
        failOn: flags['fail-on'] as Severity | 'none',
        ...(flags.waivers ? { waivers: flags.waivers } : {}),
        ...(flags.baseline ? { baseline: flags.baseline } : {}),
        dnsServers: flags['dns-server'] ?? [],
        options: familyFlagValues(FAMILY_OPTIONS, flags),
        ...(flags['legal-basis'] ? { legalBasis: flags['legal-basis'] } : {}),
        params: flags.param ?? [],
        rules: flags.rule ?? [],
        skipRules: flags['skip-rule'] ?? [],
        severities: flags.severity ?? [],
        ...(now ? { now: now() } : {}),
      },
      { timeoutMs },
    );
    const notices = scanNotices(prepared, this.lang);
    for (const line of [...(flags.quiet ? [] : notices.info), ...notices.warnings]) process.stderr.write(line + '\n');

    const mode = flags.quiet ? 'quiet' : process.stderr.isTTY ? 'tty' : 'plain';
    const progress = createProgress({ mode, targets: prepared.targets, lang: this.lang });
    const spill = await openOutputSpill(outputs);
    let report: Report;
    let abandoned = false;
    // Ctrl-C stops probing but still writes what was collected, then exits 130.
    const stop = new AbortController();
    try {
      const interrupt = onInterrupt(() => stop.abort(new Error('interrupted')));
      report = await progress
        .wrap(() =>
          executeScan(prepared, {
            concurrency: flags.concurrency,
            perHostLimit: flags['per-host'],
            timeoutMs,
            targetTimeoutMs: flags['target-timeout'] ?? timeoutMs * 4,
            keepFacts: needsEveryFinding(outputs),
            ...(spill ? { spill } : {}),
            ...(now ? { now } : {}),
            signal: stop.signal,
            onTargetStart: (t) => progress.start(t),
            onTargetDone: (t, attempts, findings) => progress.done(t, attempts, findings),
          }),
        )
        .finally(() => interrupt.release());
      abandoned = await writeReports(report, outputs, spill, { lang: this.lang, color: flags.color, quiet: flags.quiet });
    } finally {
      spill?.close();
    }
    if (abandoned) {
      // Ctrl-C again while the report was written: leave as interrupted, nothing half-written behind.
      process.kill(process.pid, 'SIGINT');
      this.exit(130);
    }

    if (flags['sarif-dir']) {
      const [{ writeGithubSarif }, { reportCommandMessages }] = await Promise.all([
        import('../report/github.js'),
        import('./report/shared.js'),
      ]);
      const written = await writeGithubSarif(report, flags['sarif-dir'], { lang: this.lang });
      if (!flags.quiet)
        process.stderr.write(
          localize(reportCommandMessages.sarifDirWritten, this.lang, { count: written.length, dir: flags['sarif-dir'] }) + '\n',
        );
    }

    if (stop.signal.aborted) {
      process.stderr.write(localize(M.interrupted, this.lang) + '\n');
      this.exit(EXIT.interrupted);
    }
    const verdict = scanVerdict(report, { failOnNotTested: flags['fail-on-not-tested'], lang: this.lang });
    for (const line of [...(flags.quiet ? [] : verdict.info), ...verdict.warnings]) process.stderr.write(line + '\n');
    if (verdict.exit === 'scan') this.exit(EXIT.scan);
    if (verdict.exit === 'findings') this.exit(EXIT.findings);
  }
}
