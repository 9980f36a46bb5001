// Every word the dashboard shows lives in i18n.json, in English and Vietnamese; dates and numbers are
// written the way each language writes them. The choice is remembered in localStorage; `?lang=vi`
// in the address picks it for a wall screen that nobody will click on.

const STORAGE_KEY = 'govscan.lang';
const LOCALES = { en: 'en-GB', vi: 'vi-VN' };
let catalogue = { en: {}, vi: {} };
let current = 'en';

export async function loadCatalogue() {
  const res = await fetch('assets/i18n.json', { cache: 'no-cache' });
  if (!res.ok) throw new Error(`i18n.json: HTTP ${res.status}`);
  catalogue = await res.json();
  const fromQuery = new URLSearchParams(location.search).get('lang');
  const stored = safeStorage(() => localStorage.getItem(STORAGE_KEY));
  current = isLang(fromQuery) ? fromQuery : isLang(stored) ? stored : 'en';
  if (isLang(fromQuery)) safeStorage(() => localStorage.setItem(STORAGE_KEY, fromQuery));
  document.documentElement.lang = current;
}

function isLang(value) {
  return value === 'en' || value === 'vi';
}

function safeStorage(fn) {
  try {
    return fn();
  } catch {
    return null; // storage disabled (private mode, kiosk policy): the choice just is not remembered
  }
}

export function lang() {
  return current;
}

export function setLang(next) {
  if (!isLang(next)) return;
  current = next;
  document.documentElement.lang = next;
  safeStorage(() => localStorage.setItem(STORAGE_KEY, next));
}

/** t('overview.title', { n: 3 }): the text in the current language; a missing key shows itself. */
export function t(key, params = {}) {
  const text = catalogue[current]?.[key] ?? catalogue.en?.[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (params[name] === undefined ? whole : String(params[name])));
}

/** A `{ en, vi }` text from the API (policy messages) in the current language. */
export function pick(localized) {
  if (!localized) return '';
  if (typeof localized === 'string') return localized;
  return localized[current] || localized.en || '';
}

/** Fill elements marked data-i18n in the static page. */
export function translateStatic(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.getAttribute('data-i18n'));
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.getAttribute('data-i18n-label')));
}

function locale() {
  return LOCALES[current];
}

export function formatNumber(n) {
  return new Intl.NumberFormat(locale()).format(n);
}

/**
 * Pass rates are floored, not rounded: 99.6 % of checks passing is not 100 %, and a wall screen
 * must never show "100 %" while a check is failing.
 */
function percentValue(rate) {
  return Math.floor(rate * 100 + 1e-9);
}

export function formatPercent(rate) {
  if (rate === null || rate === undefined) return '—';
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(percentValue(rate) / 100);
}

export function formatDateTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso ?? '');
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function formatTime(date) {
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(date);
}

export function formatDate(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso ?? '');
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(d);
}

/** A UTC calendar day (`2025-05-01`, as /trend gives them), written without shifting to local time. */
export function formatDay(day, style = 'short') {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  const opts = style === 'short' ? { day: 'numeric', month: 'numeric' } : { dateStyle: 'medium' };
  return new Intl.DateTimeFormat(locale(), { ...opts, timeZone: 'UTC' }).format(d);
}

/** "5 minutes ago" / "5 phút trước". */
export function formatAgo(iso, now = Date.now()) {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return '—';
  const seconds = Math.round((then - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}
