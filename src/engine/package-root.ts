// The folder holding package.json, found from this file so it works from src/ (vitest) and dist/src/.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('govscan: cannot find package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  root = dir;
  return root;
}
