// Build step: static files tsc does not emit (the dashboard's HTML, JS, CSS and message catalogues)
// are copied next to the compiled modules, so code finds them relative to its own file both under
// vitest (src/…) and when built or installed (dist/src/…).
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ASSET_DIRS = ['src/server/dashboard/public'];

for (const dir of ASSET_DIRS) {
  const from = join(root, dir);
  if (!existsSync(from)) continue;
  const to = join(root, 'dist', dir);
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
}
