// GOVSCAN_NOW: commands run "as of" a given instant, keeping the clock ticking so durations stay
// real — CI can check today which waivers or regimes will have lapsed by a release date, and tests
// can cross a date without waiting. Unset or empty: the real clock.

import { InputError } from '../core/errors.js';

export function clockFromEnv(value: string | undefined): (() => Date) | undefined {
  if (!value) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw InputError.unlocated(
      `GOVSCAN_NOW ${JSON.stringify(value)} is not a date: use YYYY-MM-DD or an ISO 8601 time with Z or an offset`,
    );
  }
  const offset = ms - Date.now();
  return () => new Date(Date.now() + offset);
}
