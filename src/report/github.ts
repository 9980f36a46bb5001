// SARIF for GitHub code scanning (DESIGN §5): one file per category. GitHub stopped combining several
// runs of one upload into one analysis (changelog 2025-07-21: a file with more than one run of the
// same tool and category is refused), so each policy's run goes into a file of its own with its own
// automationDetails.id, and `github/codeql-action/upload-sarif` is pointed at the directory. Waived
// results are left out (an accepted risk is not an alert); the per-run limits (25,000 results) and
// the 20-run cap on one upload are applied by toSarif.

import { mkdir, readdir, rm } from 'node:fs/promises';
import { writeTextAtomic } from '../core/atomic-file.js';
import { join } from 'node:path';
import type { Log } from 'sarif';
import type { Lang, Report } from '../core/types.js';
import { slugify, toSarif } from './sarif.js';

export interface GithubSarifFile {
  /** File name inside the output directory, e.g. `govscan-vn-tls-2024.sarif`. */
  name: string;
  /** The run's automationDetails.id: what GitHub shows as the analysis category. */
  category: string;
  log: Log;
}

export interface GithubSarifOptions {
  lang: Lang;
  cwd?: string;
}

const PREFIX = 'govscan-';

export function githubSarifFiles(report: Report, opts: GithubSarifOptions): GithubSarifFile[] {
  const log = toSarif(report, { lang: opts.lang, cwd: opts.cwd, includeWaived: false });
  const names = new Set<string>();
  const categories = new Set<string>();
  return log.runs.map((run) => {
    const policy = String((run.properties?.policy as { id?: unknown } | undefined)?.id ?? 'policy');
    let category = run.automationDetails?.id ?? `govscan/${slugify(policy)}/`;
    // Two policy ids that differ only in characters the id cannot keep (a/b vs a-b) would collide and
    // GitHub would let one analysis replace the other: make the later one distinct.
    for (let n = 2; categories.has(category); n++) category = category.replace(/(-\d+)?\/$/, `-${n}/`);
    categories.add(category);
    run.automationDetails = { ...run.automationDetails, id: category };
    let name = `${PREFIX}${slugify(policy) || 'policy'}.sarif`;
    for (let n = 2; names.has(name); n++) name = `${PREFIX}${slugify(policy) || 'policy'}-${n}.sarif`;
    names.add(name);
    return { name, category, log: { $schema: log.$schema, version: log.version, runs: [run] } };
  });
}

/**
 * Writes the files into `dir` (created if missing) and removes govscan-*.sarif files an earlier run
 * left there: upload-sarif uploads the whole directory, and a stale file would resurrect the alerts
 * of a policy no longer scanned. Returns the paths written.
 */
export async function writeGithubSarif(report: Report, dir: string, opts: GithubSarifOptions): Promise<string[]> {
  const files = githubSarifFiles(report, opts);
  await mkdir(dir, { recursive: true });
  const keep = new Set(files.map((f) => f.name));
  for (const entry of await readdir(dir)) {
    if (entry.startsWith(PREFIX) && entry.endsWith('.sarif') && !keep.has(entry)) await rm(join(dir, entry), { force: true });
  }
  const written: string[] = [];
  for (const f of files) {
    const path = join(dir, f.name);
    // Written whole or not at all: upload-sarif must never see half a file.
    await writeTextAtomic(path, JSON.stringify(f.log, null, 2));
    written.push(path);
  }
  return written;
}
