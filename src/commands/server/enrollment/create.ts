import { Flags } from '@oclif/core';
import { GovscanCommand, langFlag } from '../../../cli/base.js';
import { InputError } from '../../../core/errors.js';
import { dbFlag, openDatabase } from '../shared.js';

export default class ServerEnrollmentCreate extends GovscanCommand {
  static override summary = 'Create a one-time enrolment secret for an agency (the agency is created if missing)';
  static override description =
    `Prints only the secret on stdout (or JSON {agency, secret, expiresAt} with --json). Give it to the agency's administrator: \`govscan-agent enroll --server URL --secret SECRET\` spends it and stores the agent's own token.

Works on the database directly (--db), so it can run beside a running server.`;
  static override examples = [
    '<%= config.bin %> server enrollment create --agency so-tttt-tay-ninh --name "Sở TT&TT Tây Ninh"',
    '<%= config.bin %> server enrollment create --agency so-tttt-tay-ninh --ttl 2 --json',
  ];
  static override flags = {
    agency: Flags.string({ required: true, description: 'Agency id (letters, digits, . _ -; at most 64)' }),
    name: Flags.string({ description: 'Agency name shown on the dashboard, when the agency is new (default: its id)' }),
    ttl: Flags.integer({ default: 24, min: 1, max: 8760, helpValue: 'HOURS', description: 'Hours until the secret expires unused' }),
    db: dbFlag,
    json: Flags.boolean({ default: false, description: 'Print JSON {agency, secret, expiresAt}' }),
    lang: langFlag,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ServerEnrollmentCreate);
    this.lang = flags.lang;
    const { AGENCY_ID_RE, createEnrollment } = await import('../../../server/admin.js');
    if (!AGENCY_ID_RE.test(flags.agency)) {
      throw InputError.unlocated(
        `--agency: ${JSON.stringify(flags.agency)} is not an agency id (letters, digits, . _ -; at most 64, starting with a letter or digit)`,
      );
    }
    if (flags.name !== undefined && (flags.name.trim() === '' || flags.name.length > 256)) {
      throw InputError.unlocated('--name: give 1 to 256 characters');
    }
    const store = await openDatabase(flags.db);
    try {
      const created = await createEnrollment(store, { agency: flags.agency, ttlHours: flags.ttl, name: flags.name?.trim() }, new Date());
      this.log(flags.json ? JSON.stringify(created) : created.secret);
    } finally {
      await store.close();
    }
  }
}
