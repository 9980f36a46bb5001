import { resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { GovscanCommand, langFlag } from '../../cli/base.js';
import { assertOutputsWritable } from '../../cli/output-target.js';
import { outputTarget } from '../../core/atomic-file.js';
import { InputError } from '../../core/errors.js';
import type { Localized } from '../../core/types.js';
import { localize } from '../../core/i18n/index.js';
import { dbFlag } from './shared.js';
import { S } from './messages.js';

export default class ServerBackup extends GovscanCommand {
  static override summary =
    "Back up the server's SQLite database to FILE while the server runs (for PostgreSQL, prints the pg_dump command)";
  static override description =
    `Copies the database with SQLite's online backup: the server keeps taking batches meanwhile and the copy is consistent. FILE appears only once complete (written beside it, then renamed), readable by its owner only (it holds the tokens' hashes); an existing FILE is replaced only with --force.

Restore: stop the server, put the backup in place of the database file (or point --db at it), start the server.

PostgreSQL is backed up with its own tools, also while the server runs: the command prints the pg_dump line for --db and exits with 2 without connecting (restore with pg_restore --clean --if-exists --dbname=URL FILE).

Exit codes: 0 backup written; 2 FILE exists (without --force) or cannot be written, --db is not a SQLite govscan database, or --db is PostgreSQL.`;
  static override examples = [
    '<%= config.bin %> server backup /var/backups/govscan-$(date +%F).db --db sqlite:/var/lib/govscan/govscan.db',
    'GOVSCAN_DB=postgres://govscan@127.0.0.1:5432/govscan <%= config.bin %> server backup govscan.dump',
  ];
  static override args = {
    file: Args.string({ required: true, description: 'Where to write the backup' }),
  };
  static override flags = {
    db: dbFlag,
    force: Flags.boolean({ default: false, description: 'Replace FILE if it exists' }),
    lang: langFlag,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ServerBackup);
    this.lang = flags.lang;
    const [{ parseDbUrl, redact }, { backupSqlite, pgDumpCommand, NotAGovscanDatabase }] = await Promise.all([
      import('../../server/store/db.js'),
      import('../../server/store/backup.js'),
    ]);
    const both = (text: Localized, params: Record<string, unknown>): Localized => ({
      en: localize(text, 'en', params),
      vi: localize(text, 'vi', params),
    });
    /** A backup that cannot be made: why, in both languages (a driver's own words stay as they are). */
    const failed = (why: Localized | string): InputError => {
      const text = (lang: 'en' | 'vi'): string =>
        localize(S.backupFailed, lang, { db: redact(flags.db), file: args.file, message: typeof why === 'string' ? why : why[lang] });
      return InputError.unlocated({ en: text('en'), vi: text('vi') });
    };
    const target = parseDbUrl(flags.db);
    if (target.dialect === 'postgres')
      throw InputError.unlocated(both(S.backupPostgres, { command: pgDumpCommand(target.url, args.file) }));
    if (target.path === ':memory:') throw InputError.unlocated(both(S.backupMemory, {}));

    await assertOutputsWritable([['FILE', args.file, 'file']]);
    const out = await outputTarget(args.file);
    if (out.kind !== 'file') throw failed(S.whyNotRegularFile);
    if (out.exists && !flags.force) throw InputError.unlocated(both(S.backupExists, { file: args.file }));
    const source = resolve(target.path);
    if (out.path === source) throw failed(S.whyTheDatabase);

    let size: number;
    try {
      size = await backupSqlite(source, out.path);
    } catch (err) {
      if (err instanceof NotAGovscanDatabase) throw failed(S.whyNotGovscan);
      if ((err as NodeJS.ErrnoException).code === 'SQLITE_CANTOPEN') throw failed(S.whyNoDatabase);
      throw failed((err as Error).message.split('\n')[0] ?? '');
    }
    process.stderr.write(localize(S.backupWritten, this.lang, { db: redact(flags.db), file: args.file, size }) + '\n');
  }
}
