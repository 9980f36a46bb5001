import { Args } from '@oclif/core';
import { EXIT, GovscanCommand, langFlag } from '../../cli/base.js';
import { M } from '../../cli/messages.js';
import { localize } from '../../core/i18n/index.js';

export default class PolicyValidate extends GovscanCommand {
  static override summary = 'Validate policy pack files: schema, CEL expressions, check ids, duplicate rule ids';
  static override strict = false;
  static override args = { files: Args.string({ required: true, description: 'Policy files (one or more)' }) };
  static override flags = { lang: langFlag };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(PolicyValidate);
    this.lang = flags.lang;
    const [{ KNOWN_CHECKS }, { loadPolicyFile, validatePolicyFiles }, { terminalText }] = await Promise.all([
      import('../../engine/registry.js'),
      import('../../policy/index.js'),
      import('../../report/terminal-text.js'),
    ]);
    const files = argv as string[];
    const errors = await validatePolicyFiles(files, { knownChecks: KNOWN_CHECKS });
    // Every problem in every file, so an author fixes them in one pass.
    for (const err of errors) process.stderr.write(localize(M.inputError, this.lang, { message: terminalText(err.message) }) + '\n');
    if (errors.length) this.exit(EXIT.input);
    for (const file of files) {
      const policy = await loadPolicyFile(file, { knownChecks: KNOWN_CHECKS });
      this.log(localize(M.policyValid, this.lang, { file, rules: policy.rules.length }));
    }
  }
}
