// Tests mirror the tree (CONTRIBUTING.md): a test of src/X/Y lives in test/X/Y, of checks/F in
// test/checks/F, of agent/ in test/agent. A few folders test the product from outside instead.

import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Folders that test the whole program (the built CLI, the package) or conventions across the tree. */
const FROM_OUTSIDE = new Set(['cli', 'e2e', 'packaging', 'i18n']);
/** Not tests: helpers, recorded fixtures and the suite's own setup. */
const NOT_TESTS = new Set(['helpers', 'fixtures', 'setup']);

function testFolders(): string[] {
  const folders = new Set<string>();
  for (const entry of readdirSync('test', { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.test.ts')) continue;
    const folder = relative('test', join(entry.parentPath, entry.name));
    const dir = dirname(folder);
    if (dir !== '.') folders.add(dir);
  }
  return [...folders].sort();
}

describe('the test tree', () => {
  it('has a folder for every source folder it tests, and no other', () => {
    const strays = testFolders().filter((dir) => {
      const top = dir.split('/')[0]!;
      if (FROM_OUTSIDE.has(top) || NOT_TESTS.has(top)) return false;
      return !existsSync(join('src', dir)) && !existsSync(dir);
    });
    expect(strays).toEqual([]);
  });
});
