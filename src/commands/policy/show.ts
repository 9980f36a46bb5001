import { Args, Flags } from '@oclif/core';
import { GovscanCommand, langFlag } from '../../cli/base.js';

export default class PolicyShow extends GovscanCommand {
  static override summary = 'Show the rules of a policy pack (a built-in id or a file)';
  static override args = { policy: Args.string({ required: true, description: 'Built-in policy id or policy file' }) };
  static override flags = { json: Flags.boolean({ default: false, description: 'Print JSON' }), lang: langFlag };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PolicyShow);
    this.lang = flags.lang;
    const [{ KNOWN_CHECKS }, { describeRules, resolvePolicyArg }, { largest }, { terminalJson, terminalText }] = await Promise.all([
      import('../../engine/registry.js'),
      import('../../policy/index.js'),
      import('../../report/text.js'),
      import('../../report/terminal-text.js'),
    ]);
    const policy = await resolvePolicyArg(args.policy, { knownChecks: KNOWN_CHECKS });
    const rules = describeRules([policy]);
    if (flags.json) {
      this.log(terminalJson(JSON.stringify({ id: policy.id, version: policy.version, title: policy.title, legalBasis: policy.legalBasis, effective: policy.effective, params: policy.params, rules }, null, 2)));
      return;
    }
    const lang = this.lang;
    // A pack file's texts: control characters in them are shown, not obeyed, by the terminal.
    const log = (line: string): void => this.log(terminalText(line));
    log(`${policy.id} ${policy.version} — ${policy.title[lang]}`);
    if (policy.description) log(policy.description[lang]);
    log(`${lang === 'vi' ? 'Căn cứ pháp lý' : 'Legal basis'}: ${policy.legalBasis.join('; ')}`);
    const params = Object.entries(policy.params);
    if (params.length) log(`${lang === 'vi' ? 'Tham số' : 'Parameters'}: ${params.map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
    log('');
    const width = largest(rules, (r) => r.id.length);
    for (const r of rules) {
      log(`${r.id.padEnd(width)}  ${r.severity.padEnd(8)}  ${r.title[lang]}`);
      log(`${' '.repeat(width + 12)}${r.references.join('; ')}`);
    }
  }
}
