import { Args, Flags } from '@oclif/core';
import { writeFile, rename } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { EXIT, GovscanCommand, langFlag } from '../cli/base.js';
import { M } from '../cli/messages.js';
import { SEVERITIES, type Severity } from '../engine/types.js';
import { localize } from '../i18n/index.js';

export default class Scan extends GovscanCommand {
  static override summary = 'Scan TLS endpoints and an inventory of systems, judge them against policy packs';
  static override description = `Probes every target (https:// URL or host:port, or the endpoints of an --inventory), gathers facts, evaluates the policy packs and reports.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 invalid usage or input; 3 the scan could not run.`;
  static override examples = [
    '<%= config.bin %> scan https://dichvucong.example.gov.vn',
    '<%= config.bin %> scan --inventory inventory.yaml --format sarif --output govscan.sarif',
    '<%= config.bin %> scan https://portal.example.gov.vn:8443 --resolve portal.example.gov.vn:8443:127.0.0.1 --ca-file vn-national-root.pem',
  ];
  static override strict = false;
  static override args = {
    targets: Args.string({ description: 'https:// URL or host:port (repeatable)', required: false }),
  };
  static override flags = {
    inventory: Flags.string({ char: 'i', description: 'YAML inventory of the agency\'s systems' }),
    policy: Flags.string({ char: 'p', multiple: true, description: 'Built-in policy id or policy file (repeatable; default: all built-in packs)' }),
    format: Flags.option({ options: ['table', 'json', 'sarif'] as const, default: 'table' as const, char: 'f', description: 'Report format' })(),
    output: Flags.string({ char: 'o', description: 'Write the report to FILE instead of stdout' }),
    'fail-on': Flags.option({
      options: [...SEVERITIES.filter((s) => s !== 'info'), 'none'] as const,
      default: 'high' as const,
      description: 'Exit 1 when a finding at or above this severity fails',
    })(),
    concurrency: Flags.integer({ default: 32, min: 1, max: 1024, description: 'Targets probed at once' }),
    'per-host': Flags.integer({ default: 4, min: 1, max: 1024, description: 'Connections at once to one address' }),
    timeout: Flags.integer({ default: 5000, min: 50, max: 600_000, description: 'Per-connection timeout in ms' }),
    'target-timeout': Flags.integer({ min: 100, max: 3_600_000, description: 'Deadline for all probes of one target in ms (default: 4 × --timeout)' }),
    resolve: Flags.string({ multiple: true, description: 'HOST:PORT:ADDRESS — connect there, keep SNI/Host = HOST (as curl)' }),
    'ca-file': Flags.string({ multiple: true, description: 'Extra trust anchors (PEM), judged apart from the public store' }),
    'ca-pin': Flags.string({ multiple: true, description: 'SHA-256 fingerprint every --ca-file anchor must match' }),
    lang: langFlag,
    quiet: Flags.boolean({ char: 'q', default: false, description: 'No progress output' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Scan);
    this.lang = flags.lang;
    // Loaded here, not at the top: `govscan --version` and `--help` must not pay for TLS, CEL and ajv.
    const [{ executeScan, nothingScanned, prepareScan }, { createProgress }, { render }, { exceedsThreshold, severityRank }] = await Promise.all([
      import('../engine/scan.js'),
      import('../cli/progress.js'),
      import('../report/index.js'),
      import('../report/summary.js'),
    ]);
    const timeoutMs = flags.timeout;
    const prepared = await prepareScan(
      {
        targets: argv as string[],
        ...(flags.inventory ? { inventory: flags.inventory } : {}),
        policies: flags.policy ?? [],
        resolve: flags.resolve ?? [],
        caFiles: flags['ca-file'] ?? [],
        caPins: flags['ca-pin'] ?? [],
        failOn: flags['fail-on'] as Severity | 'none',
      },
      { timeoutMs },
    );

    const mode = flags.quiet ? 'quiet' : process.stderr.isTTY ? 'tty' : 'plain';
    const progress = createProgress({ mode, targets: prepared.targets, lang: this.lang });
    // Ctrl-C stops probing but still writes what was collected.
    const stop = new AbortController();
    const onSigint = (): void => stop.abort(new Error('interrupted'));
    process.once('SIGINT', onSigint);
    const report = await progress
      .wrap(() =>
        executeScan(prepared, {
          concurrency: flags.concurrency,
          perHostLimit: flags['per-host'],
          timeoutMs,
          targetTimeoutMs: flags['target-timeout'] ?? timeoutMs * 4,
          keepFacts: flags.format === 'json',
          signal: stop.signal,
          onTargetStart: (t) => progress.start(t),
          onTargetDone: (t, attempts, findings) => progress.done(t, attempts, findings),
        }),
      )
      .finally(() => process.off('SIGINT', onSigint));

    const text = render(report, flags.format, {
      lang: this.lang,
      color: !flags.output && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    });
    if (flags.output) {
      await writeAtomically(flags.output, text);
      if (!flags.quiet) process.stderr.write(localize(M.reportWritten, this.lang, { file: flags.output }) + '\n');
    } else {
      await new Promise<void>((resolve) => process.stdout.write(text.endsWith('\n') ? text : text + '\n', () => resolve()));
    }

    if (nothingScanned(report)) {
      const reasons = [...new Set(report.attempts.map((a) => a.reason ?? a.errorKind ?? 'error'))].slice(0, 3).join('; ');
      process.stderr.write(localize(M.nothingScanned, this.lang, { reasons }) + '\n');
      this.exit(EXIT.scan);
    }
    if (exceedsThreshold(report.findings, report.run.failOn)) {
      if (!flags.quiet) {
        const threshold = severityRank(report.run.failOn as Severity);
        const count = report.findings.filter((f) => f.outcome === 'fail' && severityRank(f.severity) >= threshold).length;
        process.stderr.write(localize(M.thresholdExceeded, this.lang, { count, failOn: report.run.failOn }) + '\n');
      }
      this.exit(EXIT.findings);
    }
  }
}

/** A report is either written whole or not at all: a crash mid-write must not leave half a SARIF file. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  await writeFile(tmp, text.endsWith('\n') ? text : text + '\n', 'utf8');
  await rename(tmp, file);
}
