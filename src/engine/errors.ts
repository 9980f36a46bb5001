// Errors that reach the user as `file:line:col: message` and exit code 2, never as a stack trace.

export class InputError extends Error {
  constructor(
    readonly file: string | null,
    readonly line: number | null,
    readonly column: number | null,
    readonly detail: string,
  ) {
    super(formatLocation(file, line, column) + detail);
    this.name = 'InputError';
  }
}

function formatLocation(file: string | null, line: number | null, column: number | null): string {
  if (!file) return '';
  if (line === null) return `${file}: `;
  return column === null ? `${file}:${line}: ` : `${file}:${line}:${column}: `;
}

/** An InputError whose detail exists in both languages: the command prints the one asked for. */
export class LocalizedInputError extends InputError {
  constructor(
    file: string | null,
    line: number | null,
    column: number | null,
    readonly text: { en: string; vi: string },
  ) {
    super(file, line, column, text.en);
  }

  messageIn(lang: 'en' | 'vi'): string {
    return formatLocation(this.file, this.line, this.column) + (this.text[lang] || this.text.en);
  }
}

/** The scan could not run at all (exit 3): e.g. no target could be reached. */
export class ScanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScanError';
  }
}
