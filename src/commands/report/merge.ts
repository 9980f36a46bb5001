import { Args, Flags } from '@oclif/core';
import { GovscanCommand, langFlag } from '../../cli/base.js';
import { M } from '../../cli/messages.js';
import { assertOutputsWritable } from '../../cli/output-target.js';
import { InputError } from '../../core/errors.js';
import { localize } from '../../core/i18n/index.js';
import { REPORT_FORMATS, readReport, reportCommandMessages, sarifDirFlag, writeAtomically, writeStdout } from './shared.js';

export default class ReportMerge extends GovscanCommand {
  static override summary = 'Merge JSON reports (shards, or scans from several networks) into one; a target in several takes the latest';
  static override examples = [
    '<%= config.bin %> report merge shard-1.json shard-2.json -o govscan.json',
    '<%= config.bin %> report merge hanoi.json hcm.json --to html --lang vi -o bao-cao.html',
  ];
  static override strict = false;
  static override args = { reports: Args.string({ required: true, description: 'JSON reports (two or more)' }) };
  static override flags = {
    output: Flags.string({ char: 'o', description: 'Write to FILE instead of stdout' }),
    to: Flags.option({ options: REPORT_FORMATS, default: 'json' as const, char: 't', description: 'Output format' })(),
    'sarif-dir': sarifDirFlag,
    lang: langFlag,
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(ReportMerge);
    this.lang = flags.lang;
    const files = argv as string[];
    if (files.length < 2) throw InputError.unlocated('report merge needs at least two JSON reports (see --help)');
    await assertOutputsWritable([
      ['--output', flags.output, 'file'],
      ['--sarif-dir', flags['sarif-dir'], 'folder'],
    ]);
    const reports = [];
    for (const file of files) reports.push(await readReport(file));
    const { mergeReports, render, writeGithubSarif } = await import('../../report/index.js');
    const merged = mergeReports(reports);
    if (flags['sarif-dir']) {
      const written = await writeGithubSarif(merged, flags['sarif-dir'], { lang: this.lang });
      process.stderr.write(
        localize(reportCommandMessages.sarifDirWritten, this.lang, { count: written.length, dir: flags['sarif-dir'] }) + '\n',
      );
    }
    const text = render(merged, flags.to, { lang: this.lang });
    if (flags.output) {
      await writeAtomically(flags.output, text);
      process.stderr.write(
        localize(reportCommandMessages.merged, this.lang, {
          count: reports.length,
          targets: merged.summary.targets,
          findings: merged.findings.length,
        }) +
          '\n' +
          localize(M.reportWritten, this.lang, { file: flags.output }) +
          '\n',
      );
    } else {
      await writeStdout(text);
    }
  }
}
