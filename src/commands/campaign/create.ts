import { Args, Flags } from '@oclif/core';
import { GovscanCommand, repeatable } from '../../cli/base.js';
import { FILTER_FLAGS } from '../../cli/filter-flags.js';
import type { CampaignCreate as CreateBody, CampaignCreated, CampaignOptions } from '../../contract/campaign-api.js';
import { InputError } from '../../core/errors.js';
import { localize } from '../../core/i18n/index.js';
import { campaignFlags } from './flags.js';
import { C } from './messages.js';

export default class CampaignCreate extends GovscanCommand {
  static override summary = 'Create a scan campaign on a govscan server: targets or an inventory, scanned by `govscan worker` processes';
  static override description =
    `Sends POST /api/v1/campaigns with a soc or admin token. Without --schedule the campaign runs once, now; with --schedule (5-field cron in UTC) the server starts a run at each time. Each target becomes one job per run; workers (\`govscan worker\`) scan the jobs with the campaign's packs and options, and each result is stored once as a report of the campaign's agency, as agents' reports are.

Targets are checked here first (a bad line is FILE:LINE, exit 2); packs are named by built-in id, since workers have none of this machine's files.

Exit codes: 0 created; 2 invalid flags, targets or inventory (or refused by the server as invalid); 3 the server could not be reached or refused the token.`;
  static override examples = [
    '<%= config.bin %> campaign create --server https://soc.example.gov.vn:8443 --token-file soc.token --name "Cổng tỉnh" --agency so-tttt-tay-ninh https://dichvucong.tayninh.gov.vn https://tayninh.gov.vn',
    '<%= config.bin %> campaign create --token-file soc.token --name "gov.vn weekly" --agency cuc-attt --targets-file portals.txt --schedule "0 2 * * 1" --policy vn-ct02-2022-tls',
    '<%= config.bin %> campaign create --token-file soc.token --name "Inventory" --inventory inventory.yaml',
  ];
  static override strict = false;
  static override args = {
    targets: Args.string({
      description: 'https:// URL, smtp:// or smtps:// URL, host:port, or a bare domain (repeatable)',
      required: false,
    }),
  };
  static override flags = {
    ...campaignFlags,
    name: Flags.string({ required: true, description: 'Name of the campaign (shown in lists and on the dashboard)' }),
    agency: Flags.string({
      helpValue: 'ID',
      description: 'Agency whose reports the results become (required unless the inventory names one; an agency-scoped token: its own)',
    }),
    'targets-file': Flags.string({ helpValue: 'FILE', description: 'Targets one per line (# comments and blank lines allowed)' }),
    inventory: Flags.string({ char: 'i', helpValue: 'FILE', description: 'YAML inventory: one job per endpoint, with its system' }),
    schedule: Flags.string({
      helpValue: 'CRON',
      description: 'Run at each time of this 5-field cron expression, in UTC (default: once, now)',
    }),
    policy: repeatable({ char: 'p', description: 'Built-in policy pack id (repeatable; default: every built-in pack)' }),
    'legal-basis': Flags.option({
      options: ['nd85-2016', 'nd331-2026'] as const,
      description: 'Security-level regime for every system (as `scan --legal-basis`)',
    })(),
    param: repeatable({
      helpValue: 'NAME=VALUE',
      description: 'Set a policy-pack parameter, PACK:NAME=VALUE when several packs declare NAME',
    }),
    resolve: repeatable({ description: 'HOST:PORT:ADDRESS — pins every worker applies (as `scan --resolve`)' }),
    timeout: Flags.integer({ min: 50, max: 600_000, description: "Per-connection timeout in ms (default: each worker's --timeout)" }),
    ...FILTER_FLAGS,
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(CampaignCreate);
    this.lang = flags.lang;
    const lang = this.lang;
    const [{ campaignClient }, { parseTarget }, { createdText }, { terminalJson }] = await Promise.all([
      import('./connect.js'),
      import('../../core/targets.js'),
      import('./render.js'),
      import('../../report/terminal-text.js'),
    ]);
    const targets = argv as string[];
    targets.forEach((text, i) => {
      const parsed = parseTarget(text);
      if (!parsed.ok) throw InputError.unlocated(`target ${i + 1}: ${parsed.error}`);
    });
    if (flags['targets-file']) {
      const { targetLines } = await import('../../engine/target-lists.js');
      for (const line of await targetLines(flags['targets-file'])) targets.push(line.text);
    }
    if (flags.inventory && targets.length) throw InputError.unlocated(localize(C.sourceBoth, lang));
    let inventory: string | undefined;
    if (flags.inventory) {
      // Loaded here for its FILE:LINE errors; the server receives the text and loads it again.
      const [{ loadInventory }, { readInputText }] = await Promise.all([
        import('../../engine/inventory.js'),
        import('../../core/input-limits.js'),
      ]);
      await loadInventory(flags.inventory);
      inventory = await readInputText(flags.inventory, 'inventory');
    }
    if (!inventory && !targets.length) throw InputError.unlocated(localize(C.sourceNone, lang));
    for (const p of flags.policy ?? []) {
      if (!/^[a-z0-9][a-z0-9-]*$/.test(p)) throw InputError.unlocated(localize(C.policyNotBuiltin, lang, { value: JSON.stringify(p) }));
    }
    const options: CampaignOptions = {
      ...(flags.policy?.length ? { policies: flags.policy } : {}),
      ...(flags['legal-basis'] ? { legalBasis: flags['legal-basis'] } : {}),
      ...(flags.param?.length ? { params: flags.param } : {}),
      ...(flags.rule?.length ? { rules: flags.rule } : {}),
      ...(flags['skip-rule']?.length ? { skipRules: flags['skip-rule'] } : {}),
      ...(flags.severity?.length ? { severities: flags.severity } : {}),
      ...(flags.resolve?.length ? { resolve: flags.resolve } : {}),
      ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout } : {}),
    };
    const body: CreateBody = {
      name: flags.name,
      ...(flags.agency !== undefined ? { agency: flags.agency } : {}),
      ...(inventory !== undefined ? { inventory } : { targets }),
      ...(Object.keys(options).length ? { options } : {}),
      ...(flags.schedule !== undefined ? { schedule: flags.schedule } : {}),
    };
    const client = await campaignClient(flags, lang);
    const created = await client.postJson<CampaignCreated>('/api/v1/campaigns', body, 'campaigns');
    this.log(flags.json ? terminalJson(JSON.stringify(created, null, 2)) : createdText(created, lang));
  }
}
