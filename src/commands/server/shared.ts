// What the `govscan server …` commands share: the --db flag and opening (and migrating) the store it
// names, with every failure reported as one line naming the flag (exit 2).

import { Flags } from '@oclif/core';
import { InputError } from '../../core/errors.js';
import type { KyselyStore } from '../../server/store/index.js';

export const DEFAULT_DB = 'sqlite:./govscan.db';

export const dbFlag = Flags.string({
  env: 'GOVSCAN_DB',
  default: DEFAULT_DB,
  helpValue: 'URL',
  description: 'Database: sqlite:PATH (embedded, the default) or postgres://USER:PASS@HOST:PORT/DB',
});

/** Opens and migrates the database, or throws an InputError naming --db (exit 2). */
export async function openDatabase(url: string): Promise<KyselyStore> {
  const { openStore, redact } = await import('../../server/store/index.js');
  let store: KyselyStore;
  try {
    store = await openStore(url);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw InputError.unlocated(`--db: cannot open ${redact(url)}: ${oneLine(err)}`);
  }
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw InputError.unlocated(`--db: cannot open ${redact(url)}: ${oneLine(err)}`);
  }
  return store;
}

function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\s*\n\s*/g, ' ').trim() || 'unknown error';
}
