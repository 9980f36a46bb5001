// Calendar dates as govscan reads and writes them: YYYY-MM-DD in files and JSON, and in Vietnamese
// text the way an official writes a date (dd/mm/yyyy).

import type { Lang } from '../types.js';

/** YYYY-MM-DD naming a real day (2025-02-30 is not one). */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === text;
}

/** A YYYY-MM-DD date for a reader: unchanged in English, dd/mm/yyyy in Vietnamese. Anything else is returned as is. */
export function displayDate(date: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m && lang === 'vi' ? `${m[3]}/${m[2]}/${m[1]}` : date;
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]00:?00)$/;

/** An ISO 8601 instant in UTC, as facts and reports record them. */
export function isInstant(text: string): boolean {
  return ISO_INSTANT.test(text);
}

/** An instant to the minute in UTC: "2026-11-30 03:27 UTC" (en), "30/11/2026 03:27 UTC" (vi). Anything else is returned as is. */
export function displayInstant(iso: string, lang: Lang): string {
  const m = ISO_INSTANT.exec(iso);
  if (!m) return iso;
  const day = lang === 'vi' ? `${m[3]}/${m[2]}/${m[1]}` : `${m[1]}-${m[2]}-${m[3]}`;
  return `${day} ${m[4]}:${m[5]} UTC`;
}
