// Flags every `govscan fleet …` command takes. Kept apart from the HTTP client so that loading the
// command table (every govscan start) does not load node:https.

import { Flags } from '@oclif/core';

export const fleetFlags = {
  server: Flags.string({ env: 'GOVSCAN_SERVER', helpValue: 'URL', description: 'govscan server URL' }),
  token: Flags.string({ env: 'GOVSCAN_TOKEN', description: 'Viewer or admin token' }),
  'ca-file': Flags.string({
    helpValue: 'FILE',
    description: "CA certificate(s) (PEM) that issued the server's certificate, for a private CA",
  }),
  json: Flags.boolean({ default: false, description: 'Print JSON' }),
};
