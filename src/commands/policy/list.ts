import { Flags } from '@oclif/core';
import { GovscanCommand, langFlag } from '../../cli/base.js';

export default class PolicyList extends GovscanCommand {
  static override summary = 'List the built-in policy packs with their legal basis';
  static override flags = { json: Flags.boolean({ default: false, description: 'Print JSON' }), lang: langFlag };

  async run(): Promise<void> {
    const { flags } = await this.parse(PolicyList);
    this.lang = flags.lang;
    const [{ KNOWN_CHECKS }, { loadBuiltinPolicies }] = await Promise.all([import('../../engine/registry.js'), import('../../policy/index.js')]);
    const policies = await loadBuiltinPolicies({ knownChecks: KNOWN_CHECKS });
    if (flags.json) {
      const out = policies.map((p) => ({ id: p.id, version: p.version, title: p.title, legalBasis: p.legalBasis, effective: p.effective, rules: p.rules.length }));
      this.log(JSON.stringify(out, null, 2));
      return;
    }
    for (const p of policies) {
      const from = p.effective.from ? ` · ${p.effective.from}${p.effective.to ? ` → ${p.effective.to}` : ''}` : '';
      this.log(`${p.id} ${p.version}  ${p.title[this.lang]} (${p.rules.length} rules${from})`);
      for (const basis of p.legalBasis) this.log(`    ${basis}`);
    }
  }
}
