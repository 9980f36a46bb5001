import { Args, Flags } from '@oclif/core';
import { SCAN_FORMATS } from '../../report/index.js';
import { EXIT, colorFlag, GovscanCommand, langFlag, repeatable } from '../../cli/base.js';
import { colorWanted } from '../../cli/color.js';
import { clockFromEnv } from '../../cli/clock.js';
import { SEVERITIES, type Severity } from '../../core/types.js';

export default class EvidenceVerify extends GovscanCommand {
  static override summary = 'Check one evidence manifest: security-level record, documents and signatures, 4-layer evidence';
  static override description =
    `Runs the checks that scan --inventory runs for a system with evidence:, on FILE alone, and reports what is missing, overdue, modified or unsigned. Documents are read only inside FILE's folder. Signatures are verified against --ca-file anchors (the Government Cipher Committee and national roots are not in public stores). GOVSCAN_NOW=YYYY-MM-DD judges dates as of that day.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 invalid manifest (file:line) or usage.`;
  static override examples = [
    '<%= config.bin %> evidence verify evidence/cong-dvc.yaml --ca-file gov-root.pem',
    '<%= config.bin %> evidence verify cong-dvc.evidence.yaml --legal-basis nd85-2016 --format json',
  ];
  static override args = { file: Args.string({ required: true, description: 'Evidence manifest (YAML)' }) };
  static override flags = {
    'legal-basis': Flags.option({
      options: ['nd85-2016', 'nd331-2026'] as const,
      description: "Regime (default: the manifest's legalBasis, else by its approval date)",
    })(),
    param: repeatable({ helpValue: 'NAME=VALUE', description: 'Set a policy-pack parameter, PACK:NAME=VALUE when needed (repeatable)' }),
    policy: repeatable({ char: 'p', description: 'Built-in policy id or policy file (default: the built-in packs with evidence rules)' }),
    'ca-file': repeatable({ description: 'Trust anchors (PEM) for document signatures' }),
    'ca-pin': repeatable({ description: 'SHA-256 fingerprint every --ca-file anchor must match' }),
    format: Flags.option({ options: SCAN_FORMATS, default: 'table' as const, char: 'f', description: 'Report format' })(),
    output: Flags.string({ char: 'o', description: 'Write the report to FILE instead of stdout' }),
    'fail-on': Flags.option({
      options: [...SEVERITIES.filter((s) => s !== 'info'), 'none'] as const,
      default: 'high' as const,
      description: 'Exit 1 when a finding at or above this severity fails',
    })(),
    timeout: Flags.integer({
      default: 5000,
      min: 50,
      max: 600_000,
      description: 'Per-connection timeout in ms (collector / NCSC endpoints)',
    }),
    color: colorFlag,
    lang: langFlag,
    quiet: Flags.boolean({ char: 'q', default: false, description: 'No notices on stderr' }),
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(EvidenceVerify);
    this.lang = flags.lang;
    const [
      { prepareEvidenceVerify },
      { executeScan },
      { render },
      { countsTowardThreshold },
      { legalBasisNotices },
      { writeTextAtomic },
      { assertOutputsWritable },
    ] = await Promise.all([
      import('../../engine/evidence-verify.js'),
      import('../../engine/scan.js'),
      import('../../report/index.js'),
      import('../../report/summary.js'),
      import('../../policy/legal-basis.js'),
      import('../../core/atomic-file.js'),
      import('../../cli/output-target.js'),
    ]);
    await assertOutputsWritable([['--output', flags.output, 'file']]);
    const now = clockFromEnv(process.env.GOVSCAN_NOW);
    const prepared = await prepareEvidenceVerify(
      {
        file: args.file,
        ...(flags['legal-basis'] ? { legalBasis: flags['legal-basis'] } : {}),
        policies: flags.policy ?? [],
        params: flags.param ?? [],
        caFiles: flags['ca-file'] ?? [],
        caPins: flags['ca-pin'] ?? [],
        failOn: flags['fail-on'] as Severity | 'none',
        ...(now ? { now: now() } : {}),
      },
      { timeoutMs: flags.timeout },
    );
    const notes = legalBasisNotices(prepared.legalBases, prepared.policies, this.lang);
    for (const line of [...(flags.quiet ? [] : notes.info), ...notes.warnings]) process.stderr.write(line + '\n');
    const report = await executeScan(prepared, {
      concurrency: 1,
      perHostLimit: 4,
      timeoutMs: flags.timeout,
      targetTimeoutMs: flags.timeout * 4,
      keepFacts: flags.format !== 'sarif',
      ...(now ? { now } : {}),
    });
    const text = render(report, flags.format, {
      lang: this.lang,
      color: !flags.output && colorWanted(process.stdout, flags.color),
      showPassed: false,
    });
    if (flags.output) await writeTextAtomic(flags.output, text);
    else await new Promise<void>((resolve) => process.stdout.write(text.endsWith('\n') ? text : text + '\n', () => resolve()));
    if (countsTowardThreshold(report.findings, report.run.failOn).length > 0) this.exit(EXIT.findings);
  }
}
