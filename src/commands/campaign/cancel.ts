import { Args } from '@oclif/core';
import { GovscanCommand } from '../../cli/base.js';
import type { CampaignCancelled } from '../../contract/campaign-api.js';
import { campaignFlags } from './flags.js';

export default class CampaignCancel extends GovscanCommand {
  static override summary = 'Cancel a scan campaign: no more jobs are handed out, queued ones are cancelled, no further scheduled run';
  static override description =
    `Sends POST /api/v1/campaigns/ID/cancel with a soc or admin token. Jobs a worker is already scanning finish and their reports are stored.

Exit codes: 0 cancelled; 2 invalid flags; 3 no such campaign, the server could not be reached or refused the token.`;
  static override examples = ['<%= config.bin %> campaign cancel c_01J… --server https://soc.example.gov.vn:8443 --token-file soc.token'];
  static override args = { id: Args.string({ required: true, description: 'Campaign id (`govscan campaign list`)' }) };
  static override flags = campaignFlags;

  async run(): Promise<void> {
    const { flags, args } = await this.parse(CampaignCancel);
    this.lang = flags.lang;
    const [{ campaignClient }, { C }, { localize }, { terminalJson }] = await Promise.all([
      import('./connect.js'),
      import('./messages.js'),
      import('../../core/i18n/index.js'),
      import('../../report/terminal-text.js'),
    ]);
    const client = await campaignClient(flags, this.lang);
    const done = await client.postJson<CampaignCancelled>(
      `/api/v1/campaigns/${encodeURIComponent(args.id)}/cancel`,
      {},
      `campaign ${args.id}`,
    );
    this.log(
      flags.json
        ? terminalJson(JSON.stringify(done, null, 2))
        : localize(C.cancelled, this.lang, { id: done.campaign.id, jobs: done.cancelledJobs }),
    );
  }
}
