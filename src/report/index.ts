// One entry point for the CLI, the agent and the server: a Report in, the chosen format out.

import type { Lang, Report } from '../core/types.js';
import { toCodeQuality } from './codequality.js';
import { toHtml } from './html.js';
import { toJobSummary } from './job-summary.js';
import { toJson } from './json.js';
import { toJunit } from './junit.js';
import { writeSarif } from './sarif.js';
import { toTable } from './table.js';

/** markdown: a CI job summary ($GITHUB_STEP_SUMMARY); codequality: GitLab's Code Quality JSON. */
export const FORMATS = ['table', 'json', 'sarif', 'junit', 'html', 'markdown', 'codequality'] as const;
export type Format = (typeof FORMATS)[number];
/** What a run (`scan`, `evidence verify`) writes itself; the CI-only formats come from `report convert`. */
export const SCAN_FORMATS = ['table', 'json', 'sarif', 'junit', 'html'] as const satisfies readonly Format[];

export interface RenderOptions {
  lang: Lang;
  /** table: ANSI colours (callers decide from the TTY and NO_COLOR). */
  color?: boolean;
  /** table: list passed checks as well. */
  showPassed?: boolean;
  /** sarif: directory inventory paths are made relative to (default: process.cwd()). */
  cwd?: string;
  /** sarif: emit waived findings as suppressed results (default true; false for GitHub uploads). */
  includeWaived?: boolean;
  /** markdown: link to where every finding is listed (GitHub code scanning). */
  codeScanningUrl?: string;
}

export function render(report: Report, format: Format, opts: RenderOptions): string {
  switch (format) {
    case 'table':
      return toTable(report, { lang: opts.lang, color: opts.color ?? false, showPassed: opts.showPassed ?? false });
    case 'json':
      return toJson(report);
    case 'sarif':
      return writeSarif(report, { lang: opts.lang, cwd: opts.cwd, includeWaived: opts.includeWaived });
    case 'junit':
      return toJunit(report, { lang: opts.lang });
    case 'html':
      return toHtml(report, { lang: opts.lang });
    case 'markdown':
      return toJobSummary(report, { lang: opts.lang, ...(opts.codeScanningUrl ? { codeScanningUrl: opts.codeScanningUrl } : {}) });
    case 'codequality':
      return toCodeQuality(report, { lang: opts.lang, ...(opts.cwd ? { cwd: opts.cwd } : {}) });
  }
}

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

export { parseJsonReport } from './json.js';
export { mergeReports } from './merge.js';
export { writeGithubSarif } from './github.js';
