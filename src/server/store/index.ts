// The store's public face: `openStore(url)` gives a Store (src/server/store/store-types.ts) over SQLite or
// PostgreSQL; call `migrate()` before use and `close()` at the end.

export { openStore, KyselyStore } from './store.js';
export { parseDbUrl, redact } from './db.js';
