// One line per event on stderr (journald keeps it), in the chosen language.

import type { Lang, Localized } from '../src/core/types.js';
import { localize } from '../src/core/i18n/index.js';

export interface AgentLog {
  lang: Lang;
  info(text: Localized, params?: Record<string, unknown>): void;
  warn(text: Localized, params?: Record<string, unknown>): void;
}

/** `program` starts every line: govscan-agent, or govscan-worker for `govscan worker` (src/worker/). */
export function createLog(lang: Lang, write: (line: string) => void = (l) => process.stderr.write(l), program = 'govscan-agent'): AgentLog {
  const emit = (level: string, text: Localized, params?: Record<string, unknown>): void =>
    write(`${program}${level}: ${localize(text, lang, params)}\n`);
  return {
    lang,
    info: (text, params) => emit('', text, params),
    warn: (text, params) => emit(' [warn]', text, params),
  };
}

/** A log that keeps its lines (tests read them back). */
export function memoryLog(lang: Lang = 'en'): AgentLog & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(
    createLog(lang, (l) => lines.push(l.trimEnd())),
    { lines },
  );
}
