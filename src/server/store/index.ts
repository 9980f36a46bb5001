// The store's public face: `openStore(url)` gives a Store (src/server/store/store-types.ts) over SQLite or
// PostgreSQL; call `migrate()` before use and `close()` at the end.

export { openStore, KyselyStore, type StoreOptions } from './store.js';
export { DEFAULT_INTERVAL_SECONDS } from './fleet-reads.js';
export { DEFAULT_FINDINGS_PAGE, MAX_FINDINGS_PAGE, MAX_HISTORY } from './finding-reads.js';
export { parseDbUrl, redact, type DbTarget } from './db.js';
export { migrations, migrateToLatest, type DialectName } from './migrations.js';
