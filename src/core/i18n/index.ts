// Messages users see exist in Vietnamese and English. Each module keeps its own catalogue built with
// defineMessages, so the type system refuses an entry that lacks either language.

import type { Lang, Localized } from '../types.js';

export type Catalogue<K extends string> = Record<K, Localized>;

export function defineMessages<K extends string>(messages: Catalogue<K>): Catalogue<K> {
  return messages;
}

const PLURAL_RULES = { en: new Intl.PluralRules('en'), vi: new Intl.PluralRules('vi') } as const;

/**
 * Fill `{name}` placeholders; unknown names are left visible rather than silently dropped.
 * `{name:one|other}` picks the word for the number in `name` by the language's plural rules
 * (`{count} {count:finding|findings}` → "1 finding", "3 findings"); Vietnamese has one form.
 */
export function format(template: string, params: Record<string, unknown> = {}, lang: Lang = 'en'): string {
  return template.replace(/\{([A-Za-z_][\w.]*)(?::([^|{}]*)\|([^|{}]*))?\}/g, (whole, name: string, one?: string, other?: string) => {
    const value = params[name];
    if (value === undefined || value === null) return whole;
    if (one === undefined || other === undefined) return String(value);
    return PLURAL_RULES[lang].select(Number(value)) === 'one' ? one : other;
  });
}

export function localize(text: Localized, lang: Lang, params?: Record<string, unknown>): string {
  return format(text[lang] || text.en, params, text[lang] ? lang : 'en');
}

export function isLang(value: string): value is Lang {
  return value === 'en' || value === 'vi';
}

/** The language when no --lang is given: GOVSCAN_LANG=vi, else English (LANG/LC_ALL are not read). */
export function envLang(env: NodeJS.ProcessEnv = process.env): Lang {
  return env.GOVSCAN_LANG === 'vi' ? 'vi' : 'en';
}
