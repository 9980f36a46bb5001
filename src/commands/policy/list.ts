import { Flags } from '@oclif/core';
import { GovscanCommand, langFlag } from '../../cli/base.js';

export default class PolicyList extends GovscanCommand {
  static override summary = 'List the built-in policy packs with their legal basis, dates and state';
  static override description =
    `Every built-in pack, both security-level regimes included (vn-nd85-2016, vn-nd331-2026), with its effective dates and its state today: in effect, in transition (replaced, but still judging the systems approved under it), ended, or not yet in effect. GOVSCAN_NOW=YYYY-MM-DD shows the state as of that day.`;
  static override flags = { json: Flags.boolean({ default: false, description: 'Print JSON' }), lang: langFlag };

  async run(): Promise<void> {
    const { flags } = await this.parse(PolicyList);
    this.lang = flags.lang;
    const lang = this.lang;
    const [
      { KNOWN_CHECKS },
      { loadBuiltinPolicies },
      { packState },
      { clockFromEnv },
      { POLICY_COMMAND_MESSAGES: M, effectiveText },
      { regimeStateLabels },
      { displayDate },
      { format },
      { citationText },
    ] = await Promise.all([
      import('../../engine/registry.js'),
      import('../../policy/index.js'),
      import('../../policy/legal-basis.js'),
      import('../../cli/clock.js'),
      import('./messages.js'),
      import('../../report/legal-basis.js'),
      import('../../core/i18n/dates.js'),
      import('../../core/i18n/index.js'),
      import('../../core/i18n/citations.js'),
    ]);
    const today = (clockFromEnv(process.env.GOVSCAN_NOW)?.() ?? new Date()).toISOString().slice(0, 10);
    const policies = await loadBuiltinPolicies({ knownChecks: KNOWN_CHECKS });
    if (flags.json) {
      const out = policies.map((p) => ({
        id: p.id,
        version: p.version,
        title: p.title,
        legalBasis: p.legalBasis,
        effective: p.effective,
        state: packState(p, policies, today),
        ...(p.regime ? { regime: p.regime } : {}),
        scope: p.scope,
        rules: p.rules.length,
      }));
      this.log(JSON.stringify(out, null, 2));
      return;
    }
    for (const p of policies) {
      const facts = [
        format(M.rules[lang], { count: p.rules.length }),
        effectiveText(p.effective, lang),
        regimeStateLabels[packState(p, policies, today)][lang],
      ];
      if (p.regime)
        facts.push(
          format(M.regime[lang], { id: p.regime.id }) +
            (p.regime.replaces ? `, ${format(M.replaces[lang], { id: p.regime.replaces })}` : ''),
        );
      if (p.scope === 'agent') facts.push(M.agentOnly[lang]);
      this.log(`${p.id} ${p.version}  ${p.title[lang]}`);
      this.log(`    ${facts.join(' · ')}`);
      for (const basis of p.legalBasis) this.log(`    ${citationText(basis, lang)}`);
    }
    this.log('');
    this.log(format(M.asOf[lang], { date: displayDate(today, lang) }));
  }
}
