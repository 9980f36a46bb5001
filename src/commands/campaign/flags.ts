// Flags every `govscan campaign …` command takes: the server and a token, as `govscan fleet` takes
// them, plus --token-file (a token kept off the command line). Kept apart from the HTTP client so
// that loading the command table does not load node:https.

import { Flags } from '@oclif/core';
import { langFlag } from '../../cli/base.js';
import { fleetFlags } from '../fleet/flags.js';

export const campaignFlags = {
  server: fleetFlags.server,
  'token-file': Flags.string({
    env: 'GOVSCAN_TOKEN_FILE',
    helpValue: 'FILE',
    description: 'File holding a soc or admin token (a viewer token lists and shows)',
  }),
  token: Flags.string({ env: 'GOVSCAN_TOKEN', description: 'The token itself (--token-file keeps it out of `ps` and shell history)' }),
  'ca-file': fleetFlags['ca-file'],
  json: fleetFlags.json,
  lang: langFlag,
};
