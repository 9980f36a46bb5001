import { Flags } from '@oclif/core';
import { GovscanCommand, langFlag } from '../../cli/base.js';
import { InputError } from '../../core/errors.js';
import { localize } from '../../core/i18n/index.js';

export default class EvidenceInit extends GovscanCommand {
  static override summary = 'Write a commented evidence manifest listing what a security level needs';
  static override description =
    `Writes <system>.evidence.yaml (or --output) with comments in Vietnamese and English: the security-level record (Decree 85/2016 or Decree 331/2026) and the 4-layer evidence (Directive 14/CT-TTg) the level needs. Never overwrites an existing file. Without --legal-basis the regime in effect today is used.`;
  static override examples = [
    '<%= config.bin %> evidence init --system cong-dvc --level 3',
    '<%= config.bin %> evidence init --system cong-dvc --level 4 --legal-basis nd85-2016 --output evidence/cong-dvc.yaml',
  ];
  static override flags = {
    system: Flags.string({ required: true, description: 'System id (as in the inventory)' }),
    level: Flags.integer({ required: true, min: 1, max: 5, description: 'Security level (cấp độ) 1–5' }),
    'legal-basis': Flags.option({
      options: ['nd85-2016', 'nd331-2026'] as const,
      description: 'Regime (default: the one in effect today)',
    })(),
    output: Flags.string({ char: 'o', description: 'File to write (default: ./<system>.evidence.yaml)' }),
    lang: langFlag,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(EvidenceInit);
    this.lang = flags.lang;
    const [{ writeFile }, { scaffoldManifest }, { EVIDENCE_MESSAGES: E }, { defaultLegalBasis }, { assertOutputsWritable }] =
      await Promise.all([
        import('node:fs/promises'),
        import('../../evidence/scaffold.js'),
        import('../../evidence/messages.js'),
        import('../../engine/evidence-verify.js'),
        import('../../cli/output-target.js'),
      ]);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(flags.system))
      throw InputError.unlocated(`--system "${flags.system}": use letters, digits, '.', '_' and '-'`);
    const legalBasis = flags['legal-basis'] ?? (await defaultLegalBasis());
    const file = flags.output ?? `${flags.system}.evidence.yaml`;
    await assertOutputsWritable([['--output', file, 'file']]);
    try {
      // 'wx': an existing manifest holds an agency's records; never overwrite it.
      await writeFile(file, scaffoldManifest({ system: flags.system, level: flags.level, legalBasis }), { encoding: 'utf8', flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw InputError.unlocated(localize(E.exists, this.lang, { file }));
      throw err;
    }
    process.stderr.write(localize(E.written, this.lang, { file }) + '\n');
  }
}
