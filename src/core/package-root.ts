// The folder holding govscan's package.json (its version, the shipped `policies/` folder). Code runs
// from `src/` under vitest and from `dist/src/` when built, so it is found by walking up from this
// file rather than by a fixed relative path; the first package.json named "govscan" wins, so a stray
// package.json in between (e.g. one marking dist/ as ESM) is passed over.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  let first: string | null = null;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      first ??= dir;
      if (readName(manifest) === 'govscan') return (cached = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (!first) throw new Error('govscan: cannot find package.json above ' + fileURLToPath(import.meta.url));
  return (cached = first);
}

function readName(manifest: string): unknown {
  try {
    const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as { name?: unknown }).name : undefined;
  } catch {
    return undefined;
  }
}
