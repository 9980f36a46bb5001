// Messages users see exist in Vietnamese and English. Each module keeps its own catalogue built with
// defineMessages, so the type system refuses an entry that lacks either language.

import type { Lang, Localized } from '../engine/types.js';

export type Catalogue<K extends string> = Record<K, Localized>;

export function defineMessages<K extends string>(messages: Catalogue<K>): Catalogue<K> {
  return messages;
}

/** Fill `{name}` placeholders; unknown names are left visible rather than silently dropped. */
export function format(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{([A-Za-z_][\w.]*)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined || value === null ? whole : String(value);
  });
}

export function localize(text: Localized, lang: Lang, params?: Record<string, unknown>): string {
  return format(text[lang] || text.en, params);
}

export function isLang(value: string): value is Lang {
  return value === 'en' || value === 'vi';
}

/** The language when no --lang is given: GOVSCAN_LANG=vi, else English (LANG/LC_ALL are not read). */
export function envLang(env: NodeJS.ProcessEnv = process.env): Lang {
  return env.GOVSCAN_LANG === 'vi' ? 'vi' : 'en';
}
