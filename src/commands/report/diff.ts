import { Args, Flags } from '@oclif/core';
import { GovscanCommand, langFlag } from '../../cli/base.js';

export default class ReportDiff extends GovscanCommand {
  static override summary = 'Compare two reports: new, fixed and unchanged findings';
  static override description =
    `OLD and NEW are govscan JSON reports or govscan SARIF files (any mix). Findings are matched by rule id and target fingerprint, as --baseline matches them, never by message text.

Always exits 0 when both reports can be read (2 when one cannot): to gate CI on new findings, use scan --baseline.`;
  static override examples = [
    '<%= config.bin %> report diff main.json branch.json',
    '<%= config.bin %> report diff main.sarif branch.sarif --json',
  ];
  static override args = {
    old: Args.string({ required: true, description: 'Earlier report (JSON or SARIF)' }),
    new: Args.string({ required: true, description: 'Later report (JSON or SARIF)' }),
  };
  static override flags = {
    json: Flags.boolean({ default: false, description: 'Print the diff as JSON' }),
    lang: langFlag,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ReportDiff);
    this.lang = flags.lang;
    const [{ loadRecordedReport }, { diffReports, diffToJson, diffToTable }] = await Promise.all([
      import('../../report/baseline.js'),
      import('../../report/diff.js'),
    ]);
    // One after the other, so when both are bad the error names OLD first, every time.
    const oldReport = await loadRecordedReport(args.old, 'OLD');
    const newReport = await loadRecordedReport(args.new, 'NEW');
    const diff = diffReports(oldReport, newReport);
    const text = flags.json ? diffToJson(diff) : diffToTable(diff, this.lang);
    await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
  }
}
