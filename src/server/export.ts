// Per-agency exports: the latest report of each of the agency's agents, merged the way
// `govscan report merge` does (a target scanned by several agents is taken from the newest run), then
// written by the same SARIF and JSON writers as `govscan scan`.

import { resolve } from 'node:path';
import type { Lang, Report } from '../core/types.js';
import { toolVersion } from '../core/version.js';
import { toJson } from '../report/json.js';
import { mergeReports } from '../report/merge.js';
import { writeSarif } from '../report/sarif.js';
import { emptySummary } from '../report/summary.js';
import type { Store } from './store/store-types.js';

export type ExportFormat = 'sarif' | 'json';

export interface AgencyExport {
  body: string;
  contentType: string;
  filename: string;
}

/**
 * Inventory paths in a report are relative to the agent's working directory, on another machine.
 * SARIF locations are made relative to a fixed directory rather than the server's own, so relative
 * inventory paths stay as the agent wrote them and absolute ones (meaningless here) fall back to the
 * writer's synthetic `targets/<host>/<port>` location, the same on every server.
 */
export const AGENT_CWD = resolve('/', 'govscan-agent');

/** The export, or null when the agency is unknown. An agency with no batch yet exports an empty report. */
export async function exportAgency(
  store: Store,
  agency: string,
  format: ExportFormat,
  lang: Lang,
  now: Date,
): Promise<AgencyExport | null> {
  const known = await store.getAgency(agency);
  if (!known) return null;
  const reports = await store.latestReports(agency);
  const report = reports.length > 0 ? mergeReports(reports) : emptyReport(now);
  // Several agents' inventories may name the agency differently (or not at all): the export is the
  // agency's as the server knows it, which also names the SARIF category.
  report.run.agency ??= agency;
  if (format === 'json') {
    return { body: toJson(report), contentType: 'application/json; charset=utf-8', filename: `${agency}.json` };
  }
  return {
    body: writeSarif(report, { lang, cwd: AGENT_CWD, includeWaived: true }),
    contentType: 'application/sarif+json; charset=utf-8',
    filename: `${agency}.sarif`,
  };
}

export function emptyReport(now: Date): Report {
  const at = now.toISOString();
  return {
    schemaVersion: 1,
    tool: { name: 'govscan', version: toolVersion() },
    run: { startedAt: at, finishedAt: at, scannerHost: '', failOn: 'none' },
    policies: [],
    rules: [],
    targets: [],
    attempts: [],
    findings: [],
    summary: emptySummary(0),
  };
}
