import { Flags } from '@oclif/core';
import { GovscanCommand, langFlag } from '../../cli/base.js';
import type { FleetOverview } from '../../contract/read-api.js';
import { fleetFlags } from './flags.js';

export default class FleetStatus extends GovscanCommand {
  static override summary = 'Fleet overview from a govscan server: agencies, pass rates, failures by severity, stale agents';
  static override description = `Reads GET /api/v1/overview with a viewer or admin token.

Exit codes: 0 shown; 2 invalid flags; 3 the server could not be reached or refused the token.`;
  static override examples = [
    'GOVSCAN_SERVER=https://soc.example.gov.vn:8443 GOVSCAN_TOKEN=gsv_… <%= config.bin %> fleet status',
    '<%= config.bin %> fleet status --server http://127.0.0.1:8080 --token gsv_… --json',
  ];
  static override flags = {
    ...fleetFlags,
    'stale-after': Flags.integer({
      min: 1,
      max: 1000,
      helpValue: 'N',
      description: "An agent is stale after N of its intervals without a batch (default: the server's)",
    }),
    lang: langFlag,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(FleetStatus);
    this.lang = flags.lang;
    const [{ FleetClient }, { statusText }, { terminalJson }] = await Promise.all([
      import('./client.js'),
      import('./render.js'),
      import('../../report/terminal-text.js'),
    ]);
    const client = await FleetClient.connect(flags, this.lang);
    const overview = await client.getJson<FleetOverview>('/api/v1/overview', { staleAfter: flags['stale-after'] }, 'overview');
    this.log(flags.json ? terminalJson(JSON.stringify(overview, null, 2)) : statusText(overview, this.lang).trimEnd());
  }
}
