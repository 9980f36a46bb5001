// Campaign schedules: 5-field cron expressions in UTC, evaluated by cron-parser against the server's
// clock. The scheduler is ours on both stores (not pg-boss's cron): SQLite has no pg-boss, and a run
// clock that tests move must decide when a run starts on both.

import { CronExpressionParser } from 'cron-parser';

/** The schedule's next time strictly after `after`; throws with a plain reason when it is not valid. */
export function nextRun(schedule: string, after: Date): Date {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`);
  return CronExpressionParser.parse(fields.join(' '), { currentDate: after, tz: 'UTC' }).next().toDate();
}

/** Whether the schedule is valid: null, or why not. */
export function scheduleProblem(schedule: string, now: Date): string | null {
  try {
    nextRun(schedule, now);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Seconds between two consecutive runs after `now`: how often a scheduled campaign reports. */
export function scheduleInterval(schedule: string, now: Date): number {
  const first = nextRun(schedule, now);
  return Math.max(60, Math.round((nextRun(schedule, first).getTime() - first.getTime()) / 1000));
}
