import { Args } from '@oclif/core';
import { GovscanCommand, langFlag } from '../../../cli/base.js';
import { InputError } from '../../../core/errors.js';
import { dbFlag, openDatabase } from '../shared.js';

export default class ServerTokenRevoke extends GovscanCommand {
  static override summary = "Revoke an API token (viewer, admin or an agent's) by its id";
  static override description =
    `The token stops working at once for a new server process and within 30 seconds for a running one (servers remember a verified token that long). Revoking an agent's token keeps its history; the agent must enrol again with a new secret. Works on the database directly (--db).`;
  static override examples = ['<%= config.bin %> server token revoke tKq3mZ0bX8aA'];
  static override args = {
    id: Args.string({ required: true, description: 'Token id (`server token list`; the part between gs?_ and the dot)' }),
  };
  static override flags = {
    db: dbFlag,
    lang: langFlag,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ServerTokenRevoke);
    this.lang = flags.lang;
    const store = await openDatabase(flags.db);
    try {
      const [{ localize }, { F }] = await Promise.all([import('../../../core/i18n/index.js'), import('../../fleet/messages.js')]);
      if (!(await store.revokeToken(args.id))) throw InputError.unlocated(localize(F.tokenUnknown, this.lang, { id: args.id }));
      this.log(localize(F.tokenRevoked, this.lang, { id: args.id }));
    } finally {
      await store.close();
    }
  }
}
