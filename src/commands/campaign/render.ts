// Terminal text for `govscan campaign list|show|create|cancel`: the fleet commands' aligned columns,
// progress as counts of jobs by state, failures with the reason of each job's last attempt.

import type { CampaignCreated, CampaignDetail, CampaignRow, CampaignRun, JobState, RunCounts } from '../../contract/campaign-api.js';
import { localize } from '../../core/i18n/index.js';
import type { Lang } from '../../core/types.js';
import { terminalText } from '../../report/terminal-text.js';
import { shortTime, table } from '../fleet/render.js';
import { C } from './messages.js';

type Key = keyof typeof C;

const STATE_KEYS: Record<JobState, Key> = {
  queued: 'stateQueued',
  running: 'stateRunning',
  done: 'stateDone',
  failed: 'stateFailed',
  dead: 'stateDead',
  cancelled: 'stateCancelled',
};

/** Reasons are the probes' words, shown on one line and cut at a readable length. */
const REASON_CHARS = 160;

export function listText(rows: readonly CampaignRow[], lang: Lang): string {
  const t = (k: Key, p?: Record<string, unknown>): string => localize(C[k], lang, p);
  if (!rows.length) return t('noCampaigns');
  return table([
    [t('colId'), t('colName'), t('colAgency'), t('colTargets'), t('colSchedule'), t('colStatus'), t('colProgress')],
    ...rows.map((c) => [
      c.id,
      c.name,
      c.agency ?? t('allAgencies'),
      String(c.targetCount),
      c.schedule ?? t('once'),
      t(c.status === 'active' ? 'statusActive' : 'statusCancelled'),
      c.latestRun ? t('progressShort', { ...c.latestRun.counts }) : t('noRun'),
    ]),
  ]).join('\n');
}

export function showText(d: CampaignDetail, lang: Lang): string {
  const t = (k: Key, p?: Record<string, unknown>): string => localize(C[k], lang, p);
  const c = d.campaign;
  const lines = [
    t('showCampaign', { id: c.id, name: terminalText(c.name) }),
    t('showAgency', { agency: c.agency ?? t('allAgencies') }),
    t('showStatus', { status: t(c.status === 'active' ? 'statusActive' : 'statusCancelled') }),
    t('showTargets', { count: c.targetCount, source: t(c.source === 'inventory' ? 'sourceInventory' : 'sourceTargets') }),
    c.schedule ? t('showSchedule', { schedule: c.schedule, next: shortTime(c.nextRunAt, lang) }) : t('showOnce'),
    t('showPolicies', { packs: c.options.policies?.length ? c.options.policies.join(', ') : t('allPacks') }),
    t('showCreated', { at: shortTime(c.createdAt, lang), by: c.createdBy }),
    '',
    t('runsHeading'),
  ];
  if (!d.runs.length) lines.push(`  ${t('noRun')}`);
  for (const run of d.runs) lines.push(`  ${runLine(run, lang)}`);
  lines.push('', t('failuresHeading'));
  if (!d.failures.length) lines.push(`  ${t('noFailures')}`);
  else
    lines.push(
      ...table([
        [t('colTarget'), t('colState'), t('colAttempts'), t('colReason')],
        ...d.failures.map((f) => [f.target, t(STATE_KEYS[f.state]), String(f.attempts), oneLine(f.reason)]),
      ]).map((l) => `  ${l}`),
    );
  if (d.batches.length && c.agency) lines.push('', t('reportsLine', { count: d.batches.length, agency: c.agency }));
  return lines.join('\n');
}

export function createdText(created: CampaignCreated, lang: Lang): string {
  const c = created.campaign;
  const when = created.run
    ? localize(C.createdRun, lang, { run: created.run.id })
    : localize(C.createdScheduled, lang, { at: shortTime(c.nextRunAt, lang) });
  return localize(C.created, lang, { id: c.id, name: terminalText(c.name), targets: c.targetCount, when });
}

function runLine(run: CampaignRun, lang: Lang): string {
  const finished = run.finishedAt ? shortTime(run.finishedAt, lang) : localize(C.running, lang);
  return `${run.id}  ${shortTime(run.startedAt, lang)} → ${finished}  ${progressText(run.counts, lang)}`;
}

export function progressText(counts: RunCounts, lang: Lang): string {
  return localize(C.progress, lang, { ...counts });
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > REASON_CHARS ? `${flat.slice(0, REASON_CHARS - 1)}…` : flat;
}
