// Errors that reach the user as `file:line:col: message` and exit code 2, never as a stack trace.

import type { Lang, Localized } from './types.js';

export class InputError extends Error {
  /** English; `text` holds both languages when the thrower wrote them. */
  readonly detail: string;
  readonly text: Localized | null;
  constructor(
    readonly file: string | null,
    readonly line: number | null,
    readonly column: number | null,
    detail: string | Localized,
  ) {
    const en = typeof detail === 'string' ? detail : detail.en;
    super(formatLocation(file, line, column) + en);
    this.name = 'InputError';
    this.detail = en;
    this.text = typeof detail === 'string' ? null : detail;
  }

  /** An error about a flag, an argument or a value that has no place in a file. */
  static unlocated(detail: string | Localized): InputError {
    return new InputError(null, null, null, detail);
  }

  /** An error about a whole file (no line: it cannot be read, it is too large, it is empty…). */
  static inFile(file: string, detail: string | Localized): InputError {
    return new InputError(file, null, null, detail);
  }

  /** The message in a language: the location, then the detail in that language when it exists. */
  messageIn(lang: Lang): string {
    return this.text ? formatLocation(this.file, this.line, this.column) + this.text[lang] : this.message;
  }
}

function formatLocation(file: string | null, line: number | null, column: number | null): string {
  if (!file) return '';
  if (line === null) return `${file}: `;
  return column === null ? `${file}:${line}: ` : `${file}:${line}:${column}: `;
}

/** The scan could not run at all (exit 3): e.g. no target could be reached. */
export class ScanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScanError';
  }
}
