import { Flags } from '@oclif/core';
import { GovscanCommand, langFlag } from '../../cli/base.js';
import { SEVERITIES } from '../../core/types.js';
import type { FindingRow, Page } from '../../contract/read-api.js';
import { fleetFlags } from './flags.js';

export default class FleetFindings extends GovscanCommand {
  static override summary = "Findings of the fleet's latest state from a govscan server, filtered like the API";
  static override description =
    `Reads GET /api/v1/findings with a viewer or admin token: failed findings unless --outcome says otherwise, newest first.

Exit codes: 0 shown; 2 invalid flags; 3 the server could not be reached or refused the token.`;
  static override examples = [
    '<%= config.bin %> fleet findings --agency so-tttt-tay-ninh --severity high',
    '<%= config.bin %> fleet findings --rule TLS-CERT-EXPIRED --json',
  ];
  static override flags = {
    ...fleetFlags,
    agency: Flags.string({ description: 'Only this agency' }),
    system: Flags.string({ description: 'Only this system id (with --agency; "" for targets outside any system)' }),
    rule: Flags.string({ description: 'Only this rule id' }),
    policy: Flags.string({ description: 'Only this policy pack id' }),
    target: Flags.string({ description: 'Only this target key' }),
    severity: Flags.option({ options: SEVERITIES, description: 'Only this severity' })(),
    outcome: Flags.option({
      options: ['fail', 'pass', 'not-applicable', 'not-tested', 'waived', 'all'] as const,
      default: 'fail' as const,
      description: 'Only this outcome (all: every outcome)',
    })(),
    limit: Flags.integer({ min: 1, max: 1000, default: 100, description: 'At most this many findings' }),
    offset: Flags.integer({ min: 0, default: 0, description: 'Skip this many findings first' }),
    lang: langFlag,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(FleetFindings);
    this.lang = flags.lang;
    const [{ FleetClient }, { findingsText }, { terminalJson }] = await Promise.all([
      import('./client.js'),
      import('./render.js'),
      import('../../report/terminal-text.js'),
    ]);
    const client = await FleetClient.connect(flags, this.lang);
    const page = await client.getJson<Page<FindingRow>>(
      '/api/v1/findings',
      {
        agency: flags.agency,
        system: flags.system,
        rule: flags.rule,
        policy: flags.policy,
        target: flags.target,
        severity: flags.severity,
        outcome: flags.outcome,
        limit: flags.limit,
        offset: flags.offset || undefined,
      },
      'findings',
    );
    // Agents wrote these messages: control characters are shown, never obeyed by the terminal.
    this.log(flags.json ? terminalJson(JSON.stringify(page, null, 2)) : findingsText(page, this.lang).trimEnd());
  }
}
