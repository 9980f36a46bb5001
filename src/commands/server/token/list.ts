import { Flags } from '@oclif/core';
import { GovscanCommand, langFlag } from '../../../cli/base.js';
import { dbFlag, openDatabase } from '../shared.js';

export default class ServerTokenList extends GovscanCommand {
  static override summary = 'List the API tokens (viewers, admins and agents): ids, roles, names — never secrets';
  static override description =
    `Shows what \`server token revoke ID\` needs. Works on the database directly (--db), beside a running server.`;
  static override examples = ['<%= config.bin %> server token list', '<%= config.bin %> server token list --json'];
  static override flags = {
    db: dbFlag,
    json: Flags.boolean({ default: false, description: 'Print a JSON array' }),
    lang: langFlag,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ServerTokenList);
    this.lang = flags.lang;
    const { tokensText } = await import('../../fleet/render.js');
    const store = await openDatabase(flags.db);
    try {
      const tokens = await store.listTokens();
      this.log(flags.json ? JSON.stringify(tokens, null, 2) : tokensText(tokens, this.lang).trimEnd());
    } finally {
      await store.close();
    }
  }
}
