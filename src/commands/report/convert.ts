import { Args, Flags } from '@oclif/core';
import { GovscanCommand, langFlag } from '../../cli/base.js';
import { M } from '../../cli/messages.js';
import { assertOutputsWritable } from '../../cli/output-target.js';
import { localize } from '../../core/i18n/index.js';
import { REPORT_FORMATS, readReport, reportCommandMessages, sarifDirFlag, writeAtomically, writeStdout } from './shared.js';

export default class ReportConvert extends GovscanCommand {
  static override summary =
    'Convert a JSON report to SARIF, JUnit, HTML, a table, a Markdown job summary, GitLab Code Quality or (normalised) JSON, without scanning again';
  static override description =
    `--to markdown writes a CI job summary (verdict against the scan's --fail-on, failed findings by severity, the most severe findings): append it to $GITHUB_STEP_SUMMARY. In GitHub Actions (GITHUB_SERVER_URL and GITHUB_REPOSITORY set) it links to the repository's code scanning alerts. --to codequality writes GitLab's Code Quality report (artifacts:reports:codequality): failed and not-tested findings, located at their line in the inventory or target list.`;
  static override examples = [
    '<%= config.bin %> report convert govscan.json --to html --lang vi -o bao-cao.html',
    '<%= config.bin %> report convert govscan.json --to junit -o govscan.junit.xml',
    '<%= config.bin %> report convert govscan.json --to sarif --sarif-dir sarif/',
    '<%= config.bin %> report convert govscan.json --to markdown >> "$GITHUB_STEP_SUMMARY"',
    '<%= config.bin %> report convert govscan.json --to codequality -o gl-code-quality-report.json',
  ];
  static override args = { input: Args.string({ required: true, description: 'JSON report written by `govscan scan --format json`' }) };
  static override flags = {
    to: Flags.option({ options: REPORT_FORMATS, required: true, char: 't', description: 'Output format' })(),
    output: Flags.string({ char: 'o', description: 'Write to FILE instead of stdout' }),
    'sarif-dir': sarifDirFlag,
    'exclude-waived': Flags.boolean({
      default: false,
      description: 'sarif: leave waived results out (as GitHub uploads do) instead of emitting them as suppressions',
    }),
    lang: langFlag,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ReportConvert);
    this.lang = flags.lang;
    await assertOutputsWritable([
      ['--output', flags.output, 'file'],
      ['--sarif-dir', flags['sarif-dir'], 'folder'],
    ]);
    const report = await readReport(args.input);
    const { render, writeGithubSarif } = await import('../../report/index.js');
    if (flags['sarif-dir']) {
      const written = await writeGithubSarif(report, flags['sarif-dir'], { lang: this.lang });
      process.stderr.write(
        localize(reportCommandMessages.sarifDirWritten, this.lang, { count: written.length, dir: flags['sarif-dir'] }) + '\n',
      );
    }
    const text = render(report, flags.to, { lang: this.lang, includeWaived: !flags['exclude-waived'], ...codeScanningLink() });
    if (flags.output) {
      await writeAtomically(flags.output, text);
      process.stderr.write(localize(M.reportWritten, this.lang, { file: flags.output }) + '\n');
    } else {
      await writeStdout(text);
    }
  }
}

/** In GitHub Actions: the repository's code scanning alerts, where the uploaded SARIF lands. */
function codeScanningLink(env: NodeJS.ProcessEnv = process.env): { codeScanningUrl?: string } {
  const server = env.GITHUB_SERVER_URL;
  const repo = env.GITHUB_REPOSITORY;
  if (!server || !repo || !/^https:\/\/[^\s/]+$/.test(server) || !/^[\w.-]+\/[\w.-]+$/.test(repo)) return {};
  return { codeScanningUrl: `${server}/${repo}/security/code-scanning` };
}
