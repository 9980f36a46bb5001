import { GovscanCommand } from '../../cli/base.js';
import type { CampaignRow } from '../../contract/campaign-api.js';
import { campaignFlags } from './flags.js';

export default class CampaignList extends GovscanCommand {
  static override summary = 'List the scan campaigns of a govscan server with the progress of their latest run';
  static override description =
    `Reads GET /api/v1/campaigns with a viewer, soc or admin token (an agency-scoped token sees its agency's campaigns only).

Exit codes: 0 shown; 2 invalid flags; 3 the server could not be reached or refused the token.`;
  static override examples = ['<%= config.bin %> campaign list --server https://soc.example.gov.vn:8443 --token-file soc.token'];
  static override flags = campaignFlags;

  async run(): Promise<void> {
    const { flags } = await this.parse(CampaignList);
    this.lang = flags.lang;
    const [{ campaignClient }, { listText }, { terminalJson }] = await Promise.all([
      import('./connect.js'),
      import('./render.js'),
      import('../../report/terminal-text.js'),
    ]);
    const client = await campaignClient(flags, this.lang);
    const rows = await client.getJson<CampaignRow[] | { items: CampaignRow[] }>('/api/v1/campaigns', {}, 'campaigns');
    const list = Array.isArray(rows) ? rows : rows.items;
    this.log(flags.json ? terminalJson(JSON.stringify(list, null, 2)) : listText(list, this.lang));
  }
}
