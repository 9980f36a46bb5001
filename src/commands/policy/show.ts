import { Args, Flags } from '@oclif/core';
import { GovscanCommand, langFlag } from '../../cli/base.js';

export default class PolicyShow extends GovscanCommand {
  static override summary = 'Show the rules and parameters of a policy pack (a built-in id or a file), or the reference of one rule';
  static override args = {
    policy: Args.string({ required: true, description: 'Built-in policy id, policy file, or rule id (e.g. TLS-CERT-EXPIRED)' }),
  };
  static override flags = { json: Flags.boolean({ default: false, description: 'Print JSON' }), lang: langFlag };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PolicyShow);
    this.lang = flags.lang;
    const lang = this.lang;
    const [
      { KNOWN_CHECKS },
      { describeRules, resolvePolicyArg },
      { expectedText },
      { POLICY_COMMAND_MESSAGES: M, effectiveText },
      { severityLabels },
      { paramValue },
      { format },
      { largest },
      { terminalJson, terminalText },
      { citationText },
    ] = await Promise.all([
      import('../../engine/registry.js'),
      import('../../policy/index.js'),
      import('../../policy/params.js'),
      import('./messages.js'),
      import('../../report/messages.js'),
      import('../../report/legal-basis.js'),
      import('../../core/i18n/index.js'),
      import('../../report/text.js'),
      import('../../report/terminal-text.js'),
      import('../../core/i18n/citations.js'),
    ]);
    // A rule id (upper case, as packs write them) shows that rule's reference page, as docs/rules/ has it.
    if (/^[A-Z0-9]+(?:-[A-Z0-9]+)+$/.test(args.policy)) {
      await this.showRule(args.policy, flags.json);
      return;
    }
    const policy = await resolvePolicyArg(args.policy, { knownChecks: KNOWN_CHECKS });
    const rules = describeRules([policy]);
    if (flags.json) {
      this.log(
        terminalJson(
          JSON.stringify(
            {
              id: policy.id,
              version: policy.version,
              title: policy.title,
              legalBasis: policy.legalBasis,
              effective: policy.effective,
              ...(policy.regime ? { regime: policy.regime } : {}),
              params: policy.params,
              paramSpecs: policy.paramSpecs,
              data: policy.data,
              rules,
            },
            null,
            2,
          ),
        ),
      );
      return;
    }
    // A pack file's texts: control characters in them are shown, not obeyed, by the terminal.
    const log = (line: string): void => this.log(terminalText(line));
    log(`${policy.id} ${policy.version} — ${policy.title[lang]}`);
    if (policy.description) log(policy.description[lang]);
    log(`${M.legalBasis[lang]}: ${policy.legalBasis.map((b) => citationText(b, lang)).join('; ')}`);
    log(effectiveText(policy.effective, lang) + (policy.regime ? ` · ${format(M.regime[lang], { id: policy.regime.id })}` : ''));
    const specs = Object.entries(policy.paramSpecs);
    if (specs.length) {
      log('');
      log(format(M.parameters[lang], { pack: policy.id }) + ':');
      for (const [name, spec] of specs) {
        const value = paramValue(policy.params[name] ?? spec.default, lang);
        log(
          `  ${format(M.param[lang], { name, value, expected: expectedText(spec)[lang] })}${spec.secondary ? ` — ${M.secondary[lang]}` : ''}`,
        );
        if (spec.description) log(`      ${spec.description[lang]}`);
      }
    }
    log('');
    log(`${M.rulesHeading[lang]}:`);
    const width = largest(rules, (r) => r.id.length);
    const sevWidth = largest(rules, (r) => severityLabels[r.severity][lang].length);
    for (const r of rules) {
      log(`${r.id.padEnd(width)}  ${severityLabels[r.severity][lang].padEnd(sevWidth)}  ${r.title[lang]}`);
      log(`${' '.repeat(width + sevWidth + 4)}${r.references.map((ref) => citationText(ref, lang)).join('; ')}`);
    }
  }

  private async showRule(id: string, json: boolean): Promise<void> {
    const lang = this.lang;
    const [
      { CHECKS, KNOWN_CHECKS },
      { loadBuiltinPolicies, describeRules },
      { findRuleReference, ruleReferenceMessages, ruleTextLines },
      { ruleDocUri },
      { format },
      { InputError },
      { terminalJson, terminalText },
    ] = await Promise.all([
      import('../../engine/registry.js'),
      import('../../policy/index.js'),
      import('../../report/rule-reference.js'),
      import('../../report/rule-links.js'),
      import('../../core/i18n/index.js'),
      import('../../core/errors.js'),
      import('../../report/terminal-text.js'),
    ]);
    const policies = await loadBuiltinPolicies({ knownChecks: KNOWN_CHECKS });
    const ref = findRuleReference(policies, id);
    if (!ref) {
      const m = ruleReferenceMessages.unknownRule;
      throw InputError.unlocated({ en: format(m.en, { id }), vi: format(m.vi, { id }) });
    }
    const uri = ruleDocUri(ref.id, lang);
    if (json) {
      const rules = describeRules(ref.variants.map((v) => ({ ...v.policy, rules: [v.rule] })));
      this.log(terminalJson(JSON.stringify({ id: ref.id, rules, ...(uri ? { helpUri: uri } : {}) }, null, 2)));
      return;
    }
    for (const line of ruleTextLines(ref, lang, new Map(CHECKS.map((c) => [c.id, c.title])))) this.log(terminalText(line));
    if (uri) this.log(`\n${uri}`);
  }
}
