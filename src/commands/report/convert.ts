import { Args, Flags } from '@oclif/core';
import { GovscanCommand, langFlag } from '../../cli/base.js';
import { M } from '../../cli/messages.js';
import { assertOutputsWritable } from '../../cli/output-target.js';
import { localize } from '../../i18n/index.js';
import { REPORT_FORMATS, readReport, reportCommandMessages, sarifDirFlag, writeAtomically, writeStdout } from './shared.js';

export default class ReportConvert extends GovscanCommand {
  static override summary = 'Convert a JSON report to SARIF, JUnit, HTML, a table or (normalised) JSON, without scanning again';
  static override examples = [
    '<%= config.bin %> report convert govscan.json --to html --lang vi -o bao-cao.html',
    '<%= config.bin %> report convert govscan.json --to junit -o govscan.junit.xml',
    '<%= config.bin %> report convert govscan.json --to sarif --sarif-dir sarif/',
  ];
  static override args = { input: Args.string({ required: true, description: 'JSON report written by `govscan scan --format json`' }) };
  static override flags = {
    to: Flags.option({ options: REPORT_FORMATS, required: true, char: 't', description: 'Output format' })(),
    output: Flags.string({ char: 'o', description: 'Write to FILE instead of stdout' }),
    'sarif-dir': sarifDirFlag,
    'exclude-waived': Flags.boolean({ default: false, description: 'sarif: leave waived results out (as GitHub uploads do) instead of emitting them as suppressions' }),
    lang: langFlag,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ReportConvert);
    this.lang = flags.lang;
    await assertOutputsWritable([['--output', flags.output, 'file'], ['--sarif-dir', flags['sarif-dir'], 'folder']]);
    const report = await readReport(args.input);
    const { render, writeGithubSarif } = await import('../../report/index.js');
    if (flags['sarif-dir']) {
      const written = await writeGithubSarif(report, flags['sarif-dir'], { lang: this.lang });
      process.stderr.write(localize(reportCommandMessages.sarifDirWritten, this.lang, { count: written.length, dir: flags['sarif-dir'] }) + '\n');
    }
    const text = render(report, flags.to, { lang: this.lang, includeWaived: !flags['exclude-waived'] });
    if (flags.output) {
      await writeAtomically(flags.output, text);
      process.stderr.write(localize(M.reportWritten, this.lang, { file: flags.output }) + '\n');
    } else {
      await writeStdout(text);
    }
  }
}
