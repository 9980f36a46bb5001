// Every command that writes a file (--output, --sarif-dir) checks where it will write before doing
// any work: a report that cannot be written must not cost a whole scan, a download or a merge, and
// the user gets one clear line and exit 2 instead of "internal error" at the end.

import { isAbsolute, relative } from 'node:path';
import { outputProblem, type OutputProblem } from '../core/atomic-file.js';
import { InputError } from '../core/errors.js';
import type { Lang, Localized } from '../core/types.js';
import { localize } from '../core/i18n/index.js';
import { M } from './messages.js';

/** [flag, path or undefined when not given, whether the flag names a file or a folder to create]. */
export type OutputFlag = readonly [flag: string, path: string | undefined, kind: 'file' | 'folder'];

/** Throws (exit 2) naming the first output that cannot be written. */
export async function assertOutputsWritable(outputs: readonly OutputFlag[]): Promise<void> {
  for (const [flag, path, kind] of outputs) {
    if (path === undefined) continue;
    const problem = await outputProblem(path, kind);
    if (problem) throw InputError.unlocated(outputMessage(flag, path, problem));
  }
}

const WHY: Record<OutputProblem['why'], Localized> = {
  'no such directory': M.whyNoDirectory,
  'not a directory': M.whyNotDirectory,
  'is a directory': M.whyIsDirectory,
  'permission denied': M.whyPermission,
  'read-only file system': M.whyReadOnly,
  'too many symbolic links': M.whyLinks,
};

function outputMessage(flag: string, given: string, problem: OutputProblem): Localized {
  // Named as the user wrote it: relative to the current folder when they gave a relative path.
  const path = isAbsolute(given) ? problem.path : relative(process.cwd(), problem.path) || '.';
  const text = (lang: Lang): string =>
    localize(problem.where === 'folder' ? M.cannotWriteIn : M.cannotWriteTo, lang, { flag, path, why: WHY[problem.why][lang] });
  return { en: text('en'), vi: text('vi') };
}
