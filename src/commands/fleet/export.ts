import { Flags } from '@oclif/core';
import { GovscanCommand, langFlag } from '../../cli/base.js';
import { InputError } from '../../core/errors.js';
import { localize } from '../../core/i18n/index.js';
import { fleetFlags } from './flags.js';
import { F } from './messages.js';

export default class FleetExport extends GovscanCommand {
  static override summary = "Download an agency's latest state from a govscan server as SARIF or JSON";
  static override description =
    `Reads GET /api/v1/export/{agency}.sarif or .json with a viewer or admin token: the latest report of each of the agency's agents, merged. Written whole or not at all.

Exit codes: 0 written; 2 invalid flags; 3 the server could not be reached, refused the token, or does not know the agency.`;
  static override examples = [
    '<%= config.bin %> fleet export --agency so-tttt-tay-ninh --format sarif --output tay-ninh.sarif',
    '<%= config.bin %> fleet export --agency so-tttt-tay-ninh --format json > tay-ninh.json',
  ];
  static override flags = {
    ...fleetFlags,
    json: Flags.boolean({
      default: false,
      description: 'With --output: print {agency, format, file, bytes} as JSON instead of a sentence (--format chooses what is exported)',
    }),
    agency: Flags.string({ required: true, description: 'Agency id' }),
    format: Flags.option({ options: ['sarif', 'json'] as const, default: 'sarif' as const, char: 'f', description: 'Export format' })(),
    output: Flags.string({ char: 'o', description: 'Write to FILE instead of stdout' }),
    lang: langFlag,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(FleetExport);
    this.lang = flags.lang;
    const [{ FleetClient }, { writeAtomically, writeStdout }, { AGENCY_ID_RE }, { assertOutputsWritable }, { terminalJson }] =
      await Promise.all([
        import('./client.js'),
        import('../report/shared.js'),
        import('../../server/admin.js'),
        import('../../cli/output-target.js'),
        import('../../report/terminal-text.js'),
      ]);
    if (!AGENCY_ID_RE.test(flags.agency)) {
      throw InputError.unlocated(`--agency: ${JSON.stringify(flags.agency)} is not an agency id (letters, digits, . _ -)`);
    }
    await assertOutputsWritable([['--output', flags.output, 'file']]);
    const client = await FleetClient.connect(flags, this.lang);
    const res = await client.get(
      `/api/v1/export/${encodeURIComponent(flags.agency)}.${flags.format}`,
      { lang: this.lang },
      `--agency ${flags.agency}`,
    );
    if (flags.output) {
      await writeAtomically(flags.output, res.body);
      if (!flags.json)
        process.stderr.write(
          localize(F.exportWritten, this.lang, { format: flags.format.toUpperCase(), agency: flags.agency, file: flags.output }) + '\n',
        );
      else this.log(JSON.stringify({ agency: flags.agency, format: flags.format, file: flags.output, bytes: Buffer.byteLength(res.body) }));
    } else {
      // JSON either way (SARIF is JSON): the same data, with what a terminal would obey escaped.
      await writeStdout(terminalJson(res.body));
    }
  }
}
