// The connection of a `govscan campaign …` command: the fleet client with the token from --token-file
// (which wins) or --token, and messages that name the roles campaigns need.

import { readTokenFile } from '../../cli/credential-files.js';
import type { Lang } from '../../core/types.js';
import { FleetClient } from '../fleet/client.js';
import { C } from './messages.js';

export interface CampaignConnection {
  server?: string | undefined;
  token?: string | undefined;
  'token-file'?: string | undefined;
  'ca-file'?: string | undefined;
}

export async function campaignClient(flags: CampaignConnection, lang: Lang): Promise<FleetClient> {
  // The file wins: GOVSCAN_TOKEN may be set in the environment for the fleet commands.
  const token = flags['token-file'] !== undefined ? await readTokenFile(flags['token-file']) : flags.token;
  return FleetClient.connect({ server: flags.server, token, 'ca-file': flags['ca-file'] }, lang, {
    tokenRequired: C.tokenRequired,
    forbidden: C.forbidden,
  });
}
