import { Args } from '@oclif/core';
import { GovscanCommand } from '../../cli/base.js';
import type { CampaignDetail } from '../../contract/campaign-api.js';
import { campaignFlags } from './flags.js';

export default class CampaignShow extends GovscanCommand {
  static override summary = 'Show a scan campaign: its runs with progress, failures with their reasons, the reports stored';
  static override description =
    `Reads GET /api/v1/campaigns/ID with a viewer, soc or admin token. Progress counts the jobs of each run by state: done (report stored), queued, running, to retry (failed, waiting for its backoff), dead (gave up: the reason says why), cancelled.

Exit codes: 0 shown; 2 invalid flags; 3 no such campaign, the server could not be reached or refused the token.`;
  static override examples = ['<%= config.bin %> campaign show c_01J… --server https://soc.example.gov.vn:8443 --token-file soc.token'];
  static override args = { id: Args.string({ required: true, description: 'Campaign id (`govscan campaign list`)' }) };
  static override flags = campaignFlags;

  async run(): Promise<void> {
    const { flags, args } = await this.parse(CampaignShow);
    this.lang = flags.lang;
    const [{ campaignClient }, { showText }, { terminalJson }] = await Promise.all([
      import('./connect.js'),
      import('./render.js'),
      import('../../report/terminal-text.js'),
    ]);
    const client = await campaignClient(flags, this.lang);
    const detail = await client.getJson<CampaignDetail>(`/api/v1/campaigns/${encodeURIComponent(args.id)}`, {}, `campaign ${args.id}`);
    this.log(flags.json ? terminalJson(JSON.stringify(detail, null, 2)) : showText(detail, this.lang));
  }
}
