import { Flags } from '@oclif/core';
import { GovscanCommand, langFlag } from '../../../cli/base.js';
import { InputError } from '../../../core/errors.js';
import { dbFlag, openDatabase } from '../shared.js';

export default class ServerTokenCreate extends GovscanCommand {
  static override summary =
    'Create a viewer, admin, soc or worker token for the API, the dashboard, `govscan fleet`, `campaign` and `worker`';
  static override description =
    `Prints only the token on stdout (or JSON {id, role, token, name} with --json); the server keeps only its hash, so it cannot be shown again. Viewers read everything, or with --agency only that agency (every read route answers another agency's data with 404); admins also create enrolment secrets and tokens over the API. soc tokens create, read and cancel scan campaigns (with --agency: for that agency only); worker tokens are for \`govscan worker\` processes: they take campaign jobs and hand back results, and read nothing.

Works on the database directly (--db), so it can run beside a running server.`;
  static override examples = [
    '<%= config.bin %> server token create --role viewer',
    '<%= config.bin %> server token create --role viewer --agency so-tttt-tay-ninh --name "IT So TT&TT"',
    '<%= config.bin %> server token create --role soc --name "SOC tinh"',
    '<%= config.bin %> server token create --role worker --name scanner-1 > worker.token',
    'GOVSCAN_TOKEN=$(<%= config.bin %> server token create --role viewer) <%= config.bin %> fleet status --server http://127.0.0.1:8080',
  ];
  static override flags = {
    role: Flags.option({
      options: ['viewer', 'admin', 'soc', 'worker'] as const,
      required: true,
      description: 'viewer (read), admin (read and manage), soc (scan campaigns) or worker (run campaign jobs)',
    })(),
    name: Flags.string({ description: 'Who the token is for (shown by `server token list`)' }),
    agency: Flags.string({
      helpValue: 'ID',
      description: "Scope a viewer or soc token to this agency: it reads (runs campaigns for) that agency only (an agency's own IT)",
    }),
    db: dbFlag,
    json: Flags.boolean({ default: false, description: 'Print JSON {id, role, token, name, agency}' }),
    lang: langFlag,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ServerTokenCreate);
    this.lang = flags.lang;
    const [{ createApiToken, UnknownAgencyError }, { localize }, { F }] = await Promise.all([
      import('../../../server/admin.js'),
      import('../../../core/i18n/index.js'),
      import('../../fleet/messages.js'),
    ]);
    if (flags.agency !== undefined && flags.role !== 'viewer' && flags.role !== 'soc')
      throw InputError.unlocated(localize(F.tokenAgencyViewerOnly, this.lang));
    const store = await openDatabase(flags.db);
    try {
      const created = await createApiToken(store, flags.role, flags.name, flags.agency).catch((err: unknown) => {
        if (err instanceof UnknownAgencyError)
          throw InputError.unlocated(localize(F.tokenAgencyUnknown, this.lang, { agency: err.agency }));
        throw err;
      });
      this.log(flags.json ? JSON.stringify(created) : created.token);
    } finally {
      await store.close();
    }
  }
}
